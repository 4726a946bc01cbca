package deals_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// TestProviderRound runs three real nodes, each holding one shard of a k=2, m=1 file,
// with a deals service each on the embedded chain and real devnet proofs:
//   - a request whose slot roots are not those of the held shards is not filled;
//   - every slot of the real request is filled by its node (two designated, one open
//     to whoever holds the shard; one provider deposits at registration, one at the fill);
//   - each slot is proven and paid in both periods of the request, across a restart of
//     one service, which rebuilds what it holds from the chain's events;
//   - after the request's end the services settle it themselves (slot 0's provider first,
//     the others find it finished); two keep their balances in the contract (NoWithdraw),
//     the third withdraws its own after the settlement it did not send; balances, status
//     and metrics add up to the wei.
func TestProviderRound(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 3)
	keys := chaintest.DevnetKeys(t)
	nodes := make([]*node.Node, 3)
	for i, p := range e.Providers {
		nodes[i] = nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Account: p.Addr})
	}
	m, shards := storeShards(t, nodes)
	roots := make([][32]byte, len(shards))
	for i, sh := range shards {
		tree, err := prover.Commit(ctx, prover.BytesSlot(sh), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		roots[i] = tree.RootBytes()
	}

	deposit := chaintest.Ether(2)
	cfgs := make([]deals.Config, 3)
	for i, p := range e.Providers {
		cfgs[i] = deals.Config{
			Node: nodes[i], Market: p.M, FromBlock: e.Dep.Block, Price: chaintest.Gwei(int64(i + 1)),
			Keys:   func(context.Context) (*prover.Keys, error) { return keys, nil },
			Poll:   100 * time.Millisecond,
			Logger: testLogger(t, p.Name),
		}
		if i < 2 {
			cfgs[i].Deposit = deposit
			cfgs[i].NoWithdraw = true
		}
	}
	reg := prometheus.NewRegistry()
	cfgs[0].Metrics = reg
	svcs := make([]*service, 3)
	for i := range cfgs {
		svcs[i] = startService(t, cfgs[i])
	}
	waitFor(t, ctx, "providers registered", func() (bool, error) {
		for i, p := range e.Providers {
			info, ok, err := p.M.Provider(ctx, p.Addr)
			if err != nil || !ok {
				return false, err
			}
			if info.PeerID != nodes[i].ID().String() || len(info.Addrs) == 0 || info.Price.Cmp(cfgs[i].Price) != 0 {
				return false, errors.New("registry entry differs from the node")
			}
		}
		return true, nil
	})

	// Start a period so that the requests and their fills land in one period.
	const period = 20
	e.MineToPeriod(t, period, head(t, e)/period+1)
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	hosts := []common.Address{e.Providers[0].Addr, e.Providers[1].Addr, {}}
	req := chain.Request{
		RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: 2, M: 1, SlotRoots: roots, Hosts: hosts,
		Duration: 2, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: price, Collateral: collateral,
	}
	bad := req // every slot committed to another shard's root
	bad.SlotRoots = [][32]byte{roots[1], roots[2], roots[0]}
	bad.Hosts = []common.Address{e.Providers[0].Addr, e.Providers[1].Addr, e.Providers[2].Addr}
	badID := createRequest(t, e, bad)
	id := createRequest(t, e, req)

	waitFor(t, ctx, "slots filled by their nodes", func() (bool, error) {
		for i, p := range e.Providers {
			s, err := p.M.Slot(ctx, id, uint64(i))
			if err != nil || s.Provider != p.Addr {
				return false, err
			}
		}
		return true, nil
	})
	waitFor(t, ctx, "mismatching slots rejected", func() (bool, error) {
		for i := range svcs {
			st, ok := status(svcs[i].svc, badID, uint64(i))
			if !ok || st.State != deals.StateRejected {
				return false, nil
			}
			if !strings.Contains(st.LastError, deals.ErrRootMismatch.Error()) {
				return false, errors.New("rejected for another reason: " + st.LastError)
			}
		}
		return true, nil
	})
	for i, p := range e.Providers {
		if s, err := p.M.Slot(ctx, badID, uint64(i)); err != nil || s.Provider != (common.Address{}) {
			t.Fatalf("slot %d of the mismatching request: provider %s, %v", i, s.Provider, err)
		}
	}

	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	proven := func(n uint32) func() (bool, error) {
		return func() (bool, error) {
			for i := range e.Providers {
				s, err := e.Client.M.Slot(ctx, id, uint64(i))
				if err != nil || s.Proven < n {
					return false, err
				}
			}
			return true, nil
		}
	}
	e.MineToPeriod(t, period, ri.StartPeriod)
	waitFor(t, ctx, "first period proven", proven(1))

	// Restart service 0: it finds its slot again in the events, with the proof counted.
	svcs[0].stop(t)
	svcs[0] = startService(t, cfgs[0])
	waitFor(t, ctx, "slot rebuilt after the restart", func() (bool, error) {
		st, ok := status(svcs[0].svc, id, 0)
		return ok && st.State == deals.StateFilled && st.Proofs == 1, nil
	})
	e.MineToPeriod(t, period, ri.StartPeriod+1)
	waitFor(t, ctx, "second period proven", proven(2))

	for i, p := range e.Providers {
		s, err := p.M.Slot(ctx, id, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if s.Proven != 2 || s.Missed != 0 {
			t.Fatalf("slot %d: %+v", i, s)
		}
		chaintest.RequireEq(t, "paid", s.Paid, new(big.Int).Mul(price, big.NewInt(2)))
		// Providers 0 and 1 deposited 2 ether at registration, provider 2 exactly the
		// collateral at the fill; 1 ether is locked, the payments are free.
		want := new(big.Int).Mul(price, big.NewInt(2))
		if i < 2 {
			want.Add(want, new(big.Int).Sub(deposit, collateral))
		}
		bal, err := p.M.Balance(ctx, p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		chaintest.RequireEq(t, p.Name+" balance", bal, want)
	}

	// Settle: one period after the last challenged one and the finish grace the services
	// finish the request themselves, the collateral comes back and they let the slots go.
	e.MineToFinish(t, id)
	p2 := e.Providers[2]
	waitFor(t, ctx, "request settled by the services, provider 2's balance withdrawn", func() (bool, error) {
		for i := range svcs {
			if st, ok := status(svcs[i].svc, id, uint64(i)); !ok || st.State != deals.StateFinished {
				return false, nil
			}
		}
		bal, err := p2.M.Balance(ctx, p2.Addr)
		return err == nil && bal.Sign() == 0, err
	})
	gain := new(big.Int).Add(collateral, new(big.Int).Mul(price, big.NewInt(2)))
	for _, p := range e.Providers[:2] {
		bal, err := p.M.Balance(ctx, p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		want := new(big.Int).Add(gain, new(big.Int).Sub(deposit, collateral))
		chaintest.RequireEq(t, p.Name+" balance after settlement", bal, want)
	}
	// Provider 2 deposited the collateral with its fill: from then on its ether grew by the
	// collateral and the payments, less the fees of its proofs and of the withdrawal.
	fill2, _ := status(svcs[2].svc, id, 2)
	r2, err := e.Sim.Client().TransactionReceipt(ctx, fill2.FillTx)
	if err != nil {
		t.Fatal(err)
	}
	last := head(t, e)
	fees, txs := feesOf(t, e, p2.Addr, fill2.FillTx, last)
	if txs != 3 {
		t.Fatalf("provider 2 sent %d transactions after its fill, want 2 proofs and a withdrawal", txs)
	}
	before, err := e.Sim.Client().BalanceAt(ctx, p2.Addr, r2.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.Sim.Client().BalanceAt(ctx, p2.Addr, new(big.Int).SetUint64(last))
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, p2.Name+"'s ether gained since its fill", new(big.Int).Sub(after, before), new(big.Int).Sub(gain, fees))
	var finishes []common.Address
	evs, err := e.Client.M.Events(ctx, ri.EndPeriod*period, head(t, e))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if _, ok := ev.Data.(*chain.RequestFinished); ok {
			finishes = append(finishes, txSender(t, e, ev.TxHash))
		}
	}
	// Slot 0's provider goes first; the others wait 4 blocks per slot index and find the
	// request finished (no block is mined here but those of transactions).
	if len(finishes) != 1 || finishes[0] != e.Providers[0].Addr {
		t.Fatalf("request finished by %v, want once by %s", finishes, e.Providers[0].Addr)
	}

	// What the services report, and what it cost.
	for i := range svcs {
		st, _ := status(svcs[i].svc, id, uint64(i))
		if st.Proofs != 2 || st.Missed != 0 || st.Root != m.Root.String() || st.FilledBlock == 0 || st.LastPeriod != ri.StartPeriod+1 || st.LastGas == 0 || st.LastSeconds <= 0 {
			t.Fatalf("service %d status %+v", i, st)
		}
		r, err := e.Sim.Client().TransactionReceipt(ctx, st.FillTx)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("slot %d: fillSlot gas %d, last submitProof gas %d, last prove %.2f s", i, r.GasUsed, st.LastGas, st.LastSeconds)
	}
	// Service 0's metrics count what its second run did: one proof, no fill, nothing held.
	for name, want := range map[string]float64{
		"dstore_proofs_submitted_total": 1,
		"dstore_proof_failures_total":   0,
		"dstore_fills_total":            0,
		"dstore_slots_filled":           0,
		"dstore_prove_seconds":          1, // observations
		"dstore_withdrawn_wei_total":    0, // NoWithdraw
	} {
		if got := metricValue(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

// TestSettleAndWithdraw: one node fills the slot reserved for it in a request of two periods
// and proves both; after the request's end its service finishes the request itself and
// withdraws its balance. The provider's ether grows from the fill on by exactly the
// collateral and the payments, less the fees of its transactions (from their receipts).
func TestSettleAndWithdraw(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 1)
	p := e.Providers[0]
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Account: p.Addr})
	m, shards := storeShards(t, []*node.Node{n})
	tree, err := prover.Commit(ctx, prover.BytesSlot(shards[0]), prover.DevnetParams)
	if err != nil {
		t.Fatal(err)
	}
	keys := chaintest.DevnetKeys(t)
	reg := prometheus.NewRegistry()
	svc := startService(t, deals.Config{
		Node: n, Market: p.M, FromBlock: e.Dep.Block, // no Deposit: the fill sends the collateral
		Keys:    func(context.Context) (*prover.Keys, error) { return keys, nil },
		Poll:    100 * time.Millisecond,
		Metrics: reg,
		Logger:  testLogger(t, p.Name),
	})
	waitFor(t, ctx, "provider registered", func() (bool, error) {
		_, ok, err := p.M.Provider(ctx, p.Addr)
		return ok, err
	})

	const period = 20
	e.MineToPeriod(t, period, head(t, e)/period+1)
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	id := createRequest(t, e, chain.Request{
		RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: 1, M: 0, SlotRoots: [][32]byte{tree.RootBytes()},
		Hosts: []common.Address{p.Addr}, Duration: 2, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: price, Collateral: collateral,
	})
	waitFor(t, ctx, "slot filled", func() (bool, error) {
		st, ok := status(svc.svc, id, 0)
		return ok && st.State == deals.StateFilled, nil
	})
	st, _ := status(svc.svc, id, 0)
	fill, err := e.Sim.Client().TransactionReceipt(ctx, st.FillTx)
	if err != nil {
		t.Fatal(err)
	}
	// The ether after the fill's block: the collateral has left the account.
	before, err := e.Sim.Client().BalanceAt(ctx, p.Addr, fill.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}

	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for k := range uint32(2) {
		e.MineToPeriod(t, period, ri.StartPeriod+uint64(k))
		waitFor(t, ctx, fmt.Sprintf("period %d proven", k+1), func() (bool, error) {
			s, err := p.M.Slot(ctx, id, 0)
			return err == nil && s.Proven == k+1, err
		})
	}
	bal, err := p.M.Balance(ctx, p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	payments := new(big.Int).Mul(price, big.NewInt(2))
	chaintest.RequireEq(t, "balance in the contract before the end", bal, payments)
	if st, _ := status(svc.svc, id, 0); st.State == deals.StateFinished {
		t.Fatal("slot finished before the request's end")
	}

	// One period after the last challenged one and the finish grace the service settles on its own.
	e.MineToFinish(t, id)
	waitFor(t, ctx, "request settled and balance withdrawn", func() (bool, error) {
		st, _ := status(svc.svc, id, 0)
		return st.State == deals.StateFinished && metricValue(t, reg, "dstore_withdrawn_wei_total") > 0, nil
	})
	ri, err = e.Client.M.Request(ctx, id)
	if err != nil || !ri.Finished {
		t.Fatalf("request after the settlement: finished %v, %v", ri.Finished, err)
	}
	if bal, err := p.M.Balance(ctx, p.Addr); err != nil || bal.Sign() != 0 {
		t.Fatalf("balance left in the contract: %v, %v", bal, err)
	}
	last := head(t, e)
	after, err := e.Sim.Client().BalanceAt(ctx, p.Addr, new(big.Int).SetUint64(last))
	if err != nil {
		t.Fatal(err)
	}
	fees, txs := feesOf(t, e, p.Addr, st.FillTx, last)
	want := new(big.Int).Add(collateral, payments)
	want.Sub(want, fees)
	chaintest.RequireEq(t, "provider's ether gained since the fill", new(big.Int).Sub(after, before), want)
	t.Logf("%d transactions since the fill (2 proofs, finishRequest, withdraw), fees %s wei", txs, fees)

	withdrawn, _ := new(big.Float).SetInt(new(big.Int).Add(collateral, payments)).Float64()
	for name, want := range map[string]float64{
		"dstore_requests_finished_total": 1, // by this service, nobody else
		"dstore_withdrawn_wei_total":     withdrawn,
		"dstore_slots_filled":            0,
		"dstore_proofs_submitted_total":  2,
	} {
		if got := metricValue(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	n := nodetest.StartNodes(t, 1)[0]
	readOnly, err := chain.NewMarket(t.Context(), e.Sim.Client(), e.Dep.Marketplace, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(context.Context) (*prover.Keys, error) { return nil, nil }
	ok := deals.Config{Node: n, Market: e.Client.M, Keys: keys}
	tests := []struct {
		name   string
		change func(*deals.Config)
		bad    bool
	}{
		{"defaults", func(*deals.Config) {}, false},
		{"no node", func(c *deals.Config) { c.Node = nil }, true},
		{"no market", func(c *deals.Config) { c.Market = nil }, true},
		{"read-only market", func(c *deals.Config) { c.Market = readOnly }, true},
		{"no keys", func(c *deals.Config) { c.Keys = nil }, true},
		{"negative price", func(c *deals.Config) { c.Price = big.NewInt(-1) }, true},
		{"negative deposit", func(c *deals.Config) { c.Deposit = big.NewInt(-1) }, true},
		{"negative poll", func(c *deals.Config) { c.Poll = -time.Second }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			err := c.Validate()
			if tt.bad != (err != nil) || tt.bad && !errors.Is(err, deals.ErrInvalidConfig) {
				t.Fatalf("Validate() = %v, want error: %v", err, tt.bad)
			}
		})
	}
	// One service per metrics registry.
	reg := prometheus.NewRegistry()
	c := ok
	c.Metrics = reg
	s, err := deals.New(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deals.New(c); !errors.Is(err, deals.ErrInvalidConfig) {
		t.Fatalf("second service on one registry: %v", err)
	}
	s.Close()
	if s2, err := deals.New(c); err != nil {
		t.Fatalf("registry not released by Close: %v", err)
	} else {
		s2.Close()
	}
	if err := s.Run(t.Context()); !errors.Is(err, deals.ErrRunning) {
		t.Fatalf("Run after Close: %v", err)
	}
}

// BenchmarkProveShard measures what the service does for one challenge: the shard read
// from the node's store, the node's tree, a devnet Groth16 proof (S = 20).
func BenchmarkProveShard(b *testing.B) {
	n := nodetest.StartNodes(b, 1)[0]
	m, shards := storeShards(b, []*node.Node{n})
	keys := chaintest.DevnetKeys(b)
	tree, err := n.SlotTree(b.Context(), m.Root, 0)
	if err != nil {
		b.Fatal(err)
	}
	pr := prover.NewProver(keys)
	var c fr.Element
	b.SetBytes(int64(len(shards[0])))
	b.ReportAllocs()
	for b.Loop() {
		c.SetRandom()
		r, err := node.NewShardReader(b.Context(), n.Store(), m, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pr.Prove(b.Context(), r, tree, c); err != nil {
			b.Fatal(err)
		}
	}
}

type service struct {
	svc  *deals.Service
	done chan error
}

func startService(t *testing.T, cfg deals.Config) *service {
	t.Helper()
	svc, err := deals.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &service{svc: svc, done: make(chan error, 1)}
	go func() { s.done <- svc.Run(context.Background()) }()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop closes the service and checks that Run ended cleanly; it may be called twice.
func (s *service) stop(t *testing.T) {
	t.Helper()
	s.svc.Close()
	if err, ok := <-s.done; ok {
		close(s.done)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

func status(s *deals.Service, id chain.RequestID, slot uint64) (deals.SlotStatus, bool) {
	for _, st := range s.Slots() {
		if st.Request == id && st.Slot == slot {
			return st, true
		}
	}
	return deals.SlotStatus{}, false
}

// storeShards imports a small random file (k=2, m=1, three segments) and stores shard i
// on nodes[i%len(nodes)], the manifest on all of them. It returns the manifest and each
// shard's bytes.
func storeShards(t testing.TB, nodes []*node.Node) (*sharding.Manifest, [][]byte) {
	t.Helper()
	data := make([]byte, 20_000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	h := p2ptest.NewHost(t, p2ptest.Knowing(nodes...))
	nodetest.Allow(h.ID(), nodes...)
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), sharding.Params{K: 2, M: 1, PieceSize: 4096}, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each node gets the manifest before the pieces it checks against it, and its placement after.
	content, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := c.StoreManifest(t.Context(), n.ID(), content); err != nil {
			t.Fatal(err)
		}
	}
	shards := make([][]byte, m.K+m.M)
	for _, s := range segs {
		for i, piece := range s.Pieces {
			shards[i] = append(shards[i], piece...)
			if err := c.StorePiece(t.Context(), nodes[i%len(nodes)].ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, s.Hashes[i], piece); err != nil {
				t.Fatal(err)
			}
		}
	}
	m.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range m.Placement {
		m.Placement[i] = []sharding.Location{{Peer: nodes[i%len(nodes)].ID().String()}}
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := c.StoreManifest(t.Context(), n.ID(), b); err != nil {
			t.Fatal(err)
		}
	}
	return m, shards
}

func createRequest(t *testing.T, e *chaintest.Env, r chain.Request) chain.RequestID {
	t.Helper()
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, r)
		return tx, err
	})
	return id
}

func head(t *testing.T, e *chaintest.Env) uint64 {
	t.Helper()
	n, err := e.Sim.Client().BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds; it fails the test when ctx ends first.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() (bool, error)) {
	t.Helper()
	start := time.Now()
	var last error
	for {
		ok, err := cond()
		if ok {
			t.Logf("%s after %.1f s", what, time.Since(start).Seconds())
			return
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: not within the deadline (last error: %v)", what, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func testLogger(t *testing.T, name string) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo})).With("provider", name)
}

// metricValue is a counter's or gauge's value, or a histogram's number of observations.
func metricValue(t *testing.T, g prometheus.Gatherer, name string) float64 {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name || len(f.GetMetric()) != 1 {
			continue
		}
		mt := f.GetMetric()[0]
		switch {
		case mt.Counter != nil:
			return mt.Counter.GetValue()
		case mt.Gauge != nil:
			return mt.Gauge.GetValue()
		case mt.Histogram != nil:
			return float64(mt.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("metric %s not registered", name)
	return 0
}

// txSender is who sent a mined transaction.
func txSender(t testing.TB, e *chaintest.Env, hash common.Hash) common.Address {
	t.Helper()
	tx, _, err := e.Sim.Client().TransactionByHash(t.Context(), hash)
	if err != nil {
		t.Fatal(err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		t.Fatal(err)
	}
	return from
}

// feesOf sums the fees (gasUsed * effectiveGasPrice, from the receipts) of the transactions
// a sent after its transaction after, found through the marketplace events in blocks up to
// to, and counts them. The account's nonce checks that none was missed (a reverted
// transaction leaves no event).
func feesOf(t testing.TB, e *chaintest.Env, a common.Address, after common.Hash, to uint64) (*big.Int, int) {
	t.Helper()
	ctx := t.Context()
	first, _, err := e.Sim.Client().TransactionByHash(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Sim.Client().TransactionReceipt(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := e.Client.M.Events(ctx, r.BlockNumber.Uint64()+1, to)
	if err != nil {
		t.Fatal(err)
	}
	fees, seen := new(big.Int), map[common.Hash]bool{}
	for _, ev := range evs {
		if seen[ev.TxHash] || txSender(t, e, ev.TxHash) != a {
			continue
		}
		seen[ev.TxHash] = true
		r, err := e.Sim.Client().TransactionReceipt(ctx, ev.TxHash)
		if err != nil {
			t.Fatal(err)
		}
		fees.Add(fees, new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice))
	}
	nonce, err := e.Sim.Client().PendingNonceAt(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if sent := nonce - first.Nonce() - 1; sent != uint64(len(seen)) {
		t.Fatalf("%s sent %d transactions after %s, %d of them with marketplace events", a, sent, after, len(seen))
	}
	return fees, len(seen)
}

// A node that holds every shard of a request open to anyone fills one slot only (the contract
// lets an account hold one slot of a request), and a second provider holding the same shards
// takes another.
func TestOneSlotPerRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	var nodes []*node.Node
	for _, p := range e.Providers {
		nodes = append(nodes, nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Account: p.Addr}))
	}
	m, shards := storeShards(t, nodes[:1])
	storeShards(t, nodes[1:]) // the same file: the import is deterministic
	roots := make([][32]byte, len(shards))
	for i, s := range shards {
		tree, err := prover.Commit(ctx, prover.BytesSlot(s), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		roots[i] = tree.RootBytes()
	}
	keys := chaintest.DevnetKeys(t)
	for i, p := range e.Providers {
		startService(t, deals.Config{
			Node: nodes[i], Market: p.M, FromBlock: e.Dep.Block,
			Keys:   func(context.Context) (*prover.Keys, error) { return keys, nil },
			Poll:   100 * time.Millisecond,
			Logger: testLogger(t, p.Name),
		})
		waitFor(t, ctx, p.Name+" registered", func() (bool, error) {
			_, ok, err := p.M.Provider(ctx, p.Addr)
			return ok, err
		})
	}
	id := createRequest(t, e, chain.Request{
		RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: uint32(m.K), M: uint32(m.M), SlotRoots: roots,
		Duration: 50, ProofPeriod: 20, ProofProbability: 1,
		PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Gwei(1000),
	})
	held := func() map[common.Address]int {
		out := map[common.Address]int{}
		for i := range roots {
			st, err := e.Client.M.Slot(ctx, id, uint64(i))
			if err != nil {
				t.Fatal(err)
			}
			out[st.Provider]++
		}
		return out
	}
	waitFor(t, ctx, "both providers filled a slot", func() (bool, error) {
		h := held()
		return h[e.Providers[0].Addr] == 1 && h[e.Providers[1].Addr] == 1, nil
	})
	// Give them time to try more: still one slot each, the third free.
	e.Sim.Mine(5)
	time.Sleep(time.Second)
	if h := held(); h[e.Providers[0].Addr] != 1 || h[e.Providers[1].Addr] != 1 || h[common.Address{}] != 1 {
		t.Fatalf("slots held: %v, want one each and one free", h)
	}
}
