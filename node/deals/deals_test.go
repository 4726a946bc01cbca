package deals_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
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
//   - once the request is settled, balances, status and metrics add up to the wei.
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

	// Settle: the collateral comes back and the services let the slots go.
	e.MineToPeriod(t, period, ri.EndPeriod+1)
	chaintest.Do(t, e.Client, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FinishRequest(ctx, id)
	})
	waitFor(t, ctx, "slots released", func() (bool, error) {
		for i := range svcs {
			if st, ok := status(svcs[i].svc, id, uint64(i)); !ok || st.State != deals.StateFinished {
				return false, nil
			}
		}
		return true, nil
	})
	for i, p := range e.Providers {
		bal, err := p.M.Balance(ctx, p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		want := new(big.Int).Add(collateral, new(big.Int).Mul(price, big.NewInt(2)))
		if i < 2 {
			want.Add(want, new(big.Int).Sub(deposit, collateral))
		}
		chaintest.RequireEq(t, p.Name+" balance after settlement", bal, want)
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
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for _, n := range nodes {
		h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	}
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), sharding.Params{K: 2, M: 1, PieceSize: 4096}, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
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
