package repair_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// provider is a storage node with its deals service, restartable on its repo (badger on disk).
type provider struct {
	t     *testing.T
	actor *chaintest.Actor
	e     *chaintest.Env
	n     *node.Node
	svc   *deals.Service
	done  chan error
	boot  []peer.AddrInfo
}

func startProvider(t *testing.T, e *chaintest.Env, a *chaintest.Actor, boot []peer.AddrInfo, grace time.Duration) *provider {
	p := &provider{t: t, actor: a, e: e, boot: boot}
	p.n = nodetest.StartConfig(t, node.Config{
		Repo: t.TempDir(), Bootstrap: boot, Account: a.Addr, UploadGrace: grace,
		Tickets: chain.TicketVerifier{}, Repairs: deals.RepairSlots{Market: a.M, FromBlock: e.Dep.Block},
	})
	p.startService()
	return p
}

func (p *provider) startService() {
	keys := chaintest.DevnetKeys(p.t)
	svc, err := deals.New(deals.Config{
		Node: p.n, Market: p.actor.M, FromBlock: p.e.Dep.Block, Uploads: p.n, Poll: 100 * time.Millisecond,
		Keys:   func(context.Context) (*prover.Keys, error) { return keys, nil },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.svc, p.done = svc, make(chan error, 1)
	go func() { p.done <- svc.Run(context.Background()) }()
	p.t.Cleanup(p.stopService)
}

func (p *provider) stopService() {
	if p.svc == nil {
		return
	}
	p.svc.Close()
	<-p.done
	p.svc = nil
}

// restart stops the service and the node, and starts both again on the same repo.
func (p *provider) restart() {
	p.stopService()
	p.n = nodetest.Restart(p.t, p.n, p.boot)
	p.startService()
}

func (p *provider) info() chain.ProviderInfo {
	info := chain.ProviderInfo{PeerID: p.n.ID().String()}
	for _, a := range p.n.Host().Addrs() {
		info.Addrs = append(info.Addrs, a.String())
	}
	return info
}

// TestRepairRestarts: a k = 2, m = 1 request on three provider nodes; the holder of slot 2 dies
// for good. The repairer counts it dead and reports its missed proofs until the slot is freed,
// then rebuilds the shard onto the spare provider. Halfway through the hand-over the repairer
// and the spare (node and deals service, badger on disk) are both restarted: the spare serves
// and proves nothing of the half shard and does not fill; once its upload grace is over it holds
// neither the pieces nor the ticket. A new repairer resumes the repair from the chain: the spare
// takes the whole shard, checks it against the slot root and refills the slot.
func TestRepairRestarts(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 4)
	const grace = 8 * time.Second

	// Three holders and a spare, each a node with a deals service: registered with their peers.
	var ps []*provider
	var boot []peer.AddrInfo
	for i := range 4 {
		p := startProvider(t, e, e.Providers[i], boot, grace)
		if i == 0 {
			boot = []peer.AddrInfo{{ID: p.n.ID(), Addrs: p.n.Host().Addrs()}}
		}
		ps = append(ps, p)
	}
	for _, p := range ps {
		for {
			pi, ok, err := e.Client.M.Provider(ctx, p.actor.Addr)
			if err != nil {
				t.Fatal(err)
			}
			if ok && pi.PeerID == p.n.ID().String() {
				break
			}
			if ctx.Err() != nil {
				t.Fatal("a provider did not register")
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	holders, spare := ps[:3], ps[3]

	// The file, put on the three holders by an allowed client, and its request, filled by them.
	up := dial(t, nil, []*node.Node{holders[0].n, holders[1].n, holders[2].n}, retrieval.Config{})
	for _, p := range holders {
		p.n.Allow(up.Host().ID())
	}
	data := randomBytes(6*2*(8<<10)+100, 9)
	res, m, err := up.Put(ctx, bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{
		Params: sharding.Params{K: 2, M: 1, PieceSize: 8 << 10, ChunkSize: 256 << 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	byPeer := map[string]*provider{}
	for _, p := range holders {
		byPeer[p.n.ID().String()] = p
	}
	roots := make([][32]byte, 3)
	order := make([]*provider, 3) // holder of each shard
	for i := range 3 {
		order[i] = byPeer[m.Placement[i][0].Peer]
		tree, err := order[i].n.SlotTree(ctx, res.Root, i)
		if err != nil {
			t.Fatal(err)
		}
		roots[i] = tree.RootBytes()
	}
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	const period = 20
	e.MineToNextPeriod(t, period)
	var id chain.RequestID
	hosts := []common.Address{order[0].actor.Addr, order[1].actor.Addr, order[2].actor.Addr}
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, mk *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = mk.CreateRequest(ctx, chain.Request{
			RootCID: m.Root.Bytes(), ManifestCID: mcid.Bytes(), Size: uint64(m.Size), K: 2, M: 1, SlotRoots: roots, Hosts: hosts,
			Duration: 40, ProofPeriod: period, ProofProbability: 1,
			PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Gwei(1000),
		})
		return tx, err
	})
	waitUntil(t, "every slot filled", time.Minute, func() bool {
		for i := range 3 {
			if s, err := e.Client.M.Slot(ctx, id, uint64(i)); err != nil || s.Provider != hosts[i] {
				return false
			}
		}
		return true
	})
	// The holders' proofs are not what this test is about (only the dead holder's misses count):
	// their services stop, their nodes serve on.
	for _, p := range holders {
		p.stopService()
	}
	victim := order[2]
	victim.stopService()
	victim.n.Close()

	// The repairer: stopped halfway through its first hand-over, with the spare restarted too.
	rep := e.NewActor(t, "repairer")
	newRepairer := func(progress func(repair.Status, int, int)) (*repair.Repairer, context.CancelFunc, chan struct{}) {
		c := dial(t, nil, []*node.Node{holders[0].n, holders[1].n}, retrieval.Config{
			Signer: chain.TicketSigner{Key: rep.Key}, Holders: &retrieval.ChainHolders{Market: rep.M, FromBlock: e.Dep.Block},
			UploadPipeline: 1, // one piece stored at a time: the progress callback holds the hand-over
		})
		r, err := repair.New(fastLiveness(repair.Config{
			Market: rep.M, FromBlock: e.Dep.Block, Client: c, Poll: 100 * time.Millisecond, FillWait: time.Minute, Progress: progress,
		}))
		if err != nil {
			t.Fatal(err)
		}
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := r.Run(rctx); err != nil {
				t.Errorf("Run: %v", err)
			}
		}()
		t.Cleanup(func() { stop(); <-done })
		return r, stop, done
	}
	half, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	r1, stop1, done1 := newRepairer(func(s repair.Status, done, total int) {
		if done == total/2 {
			once.Do(func() { close(half) })
			<-release // the hand-over stops here until the repairer is stopped
		}
	})
	// Periods pass; the repairer reports the dead holder's misses until the slot is freed.
	filled := head(t, e) / period
	for p := filled + 1; ; p++ {
		select {
		case <-half:
		default:
			e.MineToPeriod(t, period, p)
			if p > filled+12 {
				t.Fatalf("slot 2 not freed and repaired within 12 periods: %+v", r1.Repairs())
			}
			time.Sleep(700 * time.Millisecond)
			continue
		}
		break
	}
	stop1()
	close(release)
	<-done1
	st, err := e.Client.M.Repair(ctx, id, 2)
	if err != nil || !st.Open {
		t.Fatalf("slot 2 not open for repair while its hand-over runs: %+v %v", st, err)
	}
	spare.restart()
	if held, _ := spare.n.HeldShards(ctx, res.Root); len(held) != 0 {
		t.Fatalf("the spare holds shards %v of a half hand-over", held)
	}
	if _, err := spare.n.SlotTree(ctx, res.Root, 2); err == nil {
		t.Fatal("the spare built a tree of half a shard")
	}
	if info, ok := spare.n.Accepted(ctx, res.Root, 2); !ok || info.Confirmed {
		t.Fatalf("the spare's grant of the half shard: %+v %v", info, ok)
	}
	// Nothing half done stays: the grant and its pieces go after the grace period.
	waitUntil(t, "the half shard dropped", 3*grace, func() bool {
		_, ok := spare.n.Accepted(ctx, res.Root, 2)
		return !ok
	})
	if s, err := e.Client.M.Slot(ctx, id, 2); err != nil || s.Provider != (common.Address{}) {
		t.Fatalf("slot 2 after the interrupted repair: %+v %v", s, err)
	}

	// A new repairer resumes from the chain.
	r2, _, _ := newRepairer(nil)
	waitUntil(t, "slot 2 refilled by the spare", 2*time.Minute, func() bool {
		s, err := e.Client.M.Slot(ctx, id, 2)
		return err == nil && s.Provider == spare.actor.Addr
	})
	if info, ok := spare.n.Accepted(ctx, res.Root, 2); !ok || !info.Confirmed {
		t.Fatalf("the repaired upload is not confirmed: %+v %v", info, ok)
	}
	var got repair.Status
	waitUntil(t, "the resumed repair recorded", 30*time.Second, func() bool {
		for _, s := range r2.Repairs() {
			if s.Request == id && s.Slot == 2 {
				got = s
			}
		}
		return got.State == repair.StateRepaired
	})
	if got.Stats == nil || got.Stats.Stored != m.ShardSize() {
		t.Fatalf("the resumed repair: %+v", got)
	}
	// The file reads back with the spare in place of the dead holder and another holder gone.
	order[0].n.Close()
	var buf bytes.Buffer
	reader := dial(t, nil, []*node.Node{order[1].n, spare.n}, retrieval.Config{Holders: &retrieval.ChainHolders{Market: rep.M, FromBlock: e.Dep.Block}})
	if _, _, err := reader.Get(ctx, res.Root, &buf, retrieval.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("the file read back differs")
	}
}

func head(t *testing.T, e *chaintest.Env) uint64 {
	t.Helper()
	n, err := e.Sim.Client().BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPartitionedRepairerFreesNothing is the attack of a false verdict: a repairer that cannot
// reach a holder (a partition, or a lie) counts it dead and tries to report its misses, but the
// holder proves every period, so the contract refuses every report: the slot stays filled, the
// holder is not slashed, and nothing is rebuilt.
func TestPartitionedRepairerFreesNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 3)
	a := startProvider(t, e, e.Providers[0], nil, time.Hour)
	boot := []peer.AddrInfo{{ID: a.n.ID(), Addrs: a.n.Host().Addrs()}}
	b := startProvider(t, e, e.Providers[1], boot, time.Hour)
	spare := startProvider(t, e, e.Providers[2], boot, time.Hour)
	waitUntil(t, "every provider registered", time.Minute, func() bool {
		for _, p := range []*provider{a, b, spare} {
			if _, ok, err := e.Client.M.Provider(ctx, p.actor.Addr); err != nil || !ok {
				return false
			}
		}
		return true
	})
	up := dial(t, nil, []*node.Node{a.n, b.n}, retrieval.Config{})
	a.n.Allow(up.Host().ID())
	b.n.Allow(up.Host().ID())
	data := randomBytes(3*(8<<10), 5)
	res, m, err := up.Put(ctx, bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{
		Params: sharding.Params{K: 1, M: 1, PieceSize: 8 << 10, ChunkSize: 256 << 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	// holder proves shard 0 and is unreachable for the repairer; other holds shard 1, answers
	// pings and does not prove (the repairer does not report live holders).
	holder, other := a, b
	if m.Placement[0][0].Peer != a.n.ID().String() {
		holder, other = b, a
	}
	var roots [][32]byte
	for i, p := range []*provider{holder, other} {
		tree, err := p.n.SlotTree(ctx, res.Root, i)
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, tree.RootBytes())
	}
	mcid, _ := m.CID()
	const period = 20
	e.MineToNextPeriod(t, period)
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, mk *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = mk.CreateRequest(ctx, chain.Request{
			RootCID: m.Root.Bytes(), ManifestCID: mcid.Bytes(), Size: uint64(m.Size), K: 1, M: 1, SlotRoots: roots,
			Hosts: []common.Address{holder.actor.Addr, other.actor.Addr}, Duration: 40, ProofPeriod: period, ProofProbability: 1,
			PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Gwei(1000),
		})
		return tx, err
	})
	waitUntil(t, "the slots filled", time.Minute, func() bool {
		s0, err0 := e.Client.M.Slot(ctx, id, 0)
		s1, err1 := e.Client.M.Slot(ctx, id, 1)
		return err0 == nil && err1 == nil && s0.Provider == holder.actor.Addr && s1.Provider == other.actor.Addr
	})
	other.stopService()
	rep := e.NewActor(t, "repairer")
	c := dial(t, nil, []*node.Node{other.n}, retrieval.Config{Signer: chain.TicketSigner{Key: rep.Key}})
	cfg := fastLiveness(repair.Config{Market: rep.M, FromBlock: e.Dep.Block, Client: c, Poll: 100 * time.Millisecond})
	cfg.Ping = func(ctx context.Context, p peer.AddrInfo) (time.Duration, error) {
		if p.ID == holder.n.ID() {
			return 0, errors.New("partitioned")
		}
		return c.Ping(ctx, p)
	}
	r, err := repair.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(rctx) }()
	defer func() { stop(); <-done }()
	waitUntil(t, "the holder counted dead", time.Minute, func() bool {
		for _, h := range r.Holders() {
			if h.Peer == holder.n.ID().String() && h.Dead {
				return true
			}
		}
		return false
	})
	// Four periods, each proven by the holder; the repairer tries to report each once it closes.
	filled := head(t, e) / period
	for p := filled + 1; p <= filled+4; p++ {
		e.MineToPeriod(t, period, p)
		waitUntil(t, fmt.Sprintf("the proof of period %d", p), time.Minute, func() bool {
			st, err := e.Client.M.PeriodState(ctx, id, 0, p)
			return err == nil && st == chain.PeriodProven
		})
	}
	e.MineToPeriod(t, period, filled+5)
	time.Sleep(time.Second) // the repairer's tries at the last closed period
	s, err := e.Client.M.Slot(ctx, id, 0)
	if err != nil || s.Provider != holder.actor.Addr || s.Missed != 0 || s.Proven < 4 {
		t.Fatalf("the proving holder's slot after a repairer's false verdict: %+v %v", s, err)
	}
	reps := r.Repairs()
	if len(reps) != 1 || reps[0].Slot != 0 || reps[0].Reported != 0 || reps[0].State != repair.StateFreeing || reps[0].Stats != nil {
		t.Fatalf("the partitioned repairer: %+v", reps)
	}
	if held, _ := spare.n.HeldShards(ctx, res.Root); len(held) != 0 {
		t.Fatalf("the spare got shards %v", held)
	}
}
