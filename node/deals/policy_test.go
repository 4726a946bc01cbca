package deals_test

import (
	"context"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/prover"
)

// uploads is the record of accepted uploads the service consults: the shards listed in ok.
type uploads struct {
	mu        sync.Mutex
	ok        map[int]bool
	confirmed []int
}

func (u *uploads) Accepted(_ context.Context, _ cid.Cid, shard int) (node.UploadInfo, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return node.UploadInfo{}, u.ok[shard]
}

func (u *uploads) Confirm(_ context.Context, _ cid.Cid, shard int) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.confirmed = append(u.confirmed, shard)
	return nil
}

// refusals reads dstore_fills_refused_total by reason.
func refusals(t *testing.T, g prometheus.Gatherer) map[string]float64 {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "dstore_fills_refused_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	return out
}

// TestPolicyRefusesHostileRequests: a hostile client account creates storage requests on the
// real EVM naming a provider as the host of a shard it holds, each outside the provider's
// policy in one way: a price below the ask, a collateral above the limit, a duration too long,
// a proof period too short, a shard the node never accepted an upload of, and, once the node
// holds what its capacity allows, one slot or one byte too many. The provider fills none of
// them: each is logged and counted under its reason, and the slot stays empty on chain. A
// request within the policy is filled, so the refusals are the policy's, not a broken service.
func TestPolicyRefusesHostileRequests(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	stranger := e.Client // the hostile client
	nodes := make([]*node.Node, 2)
	for i, p := range e.Providers {
		nodes[i] = nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Account: p.Addr})
	}
	// Both nodes hold all three shards of the file.
	m, shards := storeShards(t, nodes[:1])
	storeShards(t, nodes[1:])
	roots := make([][32]byte, len(shards))
	var shardSize int64
	for i, sh := range shards {
		tree, err := prover.Commit(ctx, prover.BytesSlot(sh), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		roots[i], shardSize = tree.RootBytes(), tree.Size()
	}

	ask := chaintest.Gwei(1)
	policies := []deals.Policy{
		// Provider 0: one slot at most. Provider 1: room for one shard's bytes.
		{MaxCollateral: chaintest.Ether(1), MaxDuration: time.Hour, MinProofPeriod: 10 * time.Second, MaxSlots: 1, BlockTime: time.Second},
		{MaxCollateral: chaintest.Ether(1), MaxDuration: time.Hour, MinProofPeriod: 10 * time.Second, MaxBytes: shardSize + shardSize/2, BlockTime: time.Second},
	}
	ups := []*uploads{{ok: map[int]bool{0: true, 1: true}}, {ok: map[int]bool{0: true, 1: true}}}
	regs := make([]*prometheus.Registry, 2)
	svcs := make([]*service, 2)
	for i, p := range e.Providers {
		regs[i] = prometheus.NewRegistry()
		svcs[i] = startService(t, deals.Config{
			Node: nodes[i], Market: p.M, FromBlock: e.Dep.Block, Price: ask, Deposit: chaintest.Ether(2),
			Keys: func(ctx context.Context) (*prover.Keys, error) { <-ctx.Done(); return nil, ctx.Err() }, // no proving here
			Poll: 100 * time.Millisecond, Policy: policies[i], Uploads: ups[i],
			Metrics: regs[i], Logger: testLogger(t, p.Name),
		})
	}
	for _, p := range e.Providers {
		waitFor(t, ctx, p.Name+" registered", func() (bool, error) {
			_, ok, err := p.M.Provider(ctx, p.Addr)
			return ok, err
		})
	}

	// request creates a request of the file from the stranger with slot `slot` reserved for
	// provider p (and the others for nobody), within the policy but for change.
	request := func(p int, slot int, change func(*chain.Request)) chain.RequestID {
		hosts := make([]common.Address, len(roots))
		for i := range hosts {
			hosts[i] = e.Reporter.Addr // reserved for an account that is no provider: only slot is for p
		}
		hosts[slot] = e.Providers[p].Addr
		r := chain.Request{
			RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: uint32(m.K), M: uint32(m.M), SlotRoots: roots,
			Hosts: hosts, Duration: 20, ProofPeriod: 10, ProofProbability: 1,
			PricePerPeriod: ask, Collateral: chaintest.Gwei(10_000_000),
		}
		if change != nil {
			change(&r)
		}
		var id chain.RequestID
		chaintest.Do(t, stranger, "createRequest", func(ctx context.Context, mk *chain.Market) (tx chain.Tx, err error) {
			id, tx, err = mk.CreateRequest(ctx, r)
			return tx, err
		})
		return id
	}
	waitState := func(p int, id chain.RequestID, slot int, want deals.State) deals.SlotStatus {
		var st deals.SlotStatus
		waitFor(t, ctx, "slot "+string(want), func() (bool, error) {
			var ok bool
			st, ok = status(svcs[p].svc, id, uint64(slot))
			return ok && (st.State == want || st.State == deals.StateFilled), nil
		})
		if st.State != want {
			t.Fatalf("provider %d, request %s slot %d: %s (%s), want %s", p, id, slot, st.State, st.LastError, want)
		}
		return st
	}
	refusedFor := func(p int, id chain.RequestID, slot int, reason string) {
		t.Helper()
		st := waitState(p, id, slot, deals.StateRefused)
		if !strings.Contains(st.LastError, reason) {
			t.Fatalf("refused for %q, want reason %s", st.LastError, reason)
		}
		if s, err := stranger.M.Slot(ctx, id, uint64(slot)); err != nil || s.Provider != (common.Address{}) {
			t.Fatalf("slot %d of a refused request: %+v, %v", slot, s, err)
		}
	}

	attacks := []struct {
		name   string
		p      int
		slot   int
		reason string
		change func(*chain.Request)
	}{
		{"a price below the ask", 0, 0, deals.RefusedPrice, func(r *chain.Request) { r.PricePerPeriod = new(big.Int).Sub(ask, big.NewInt(1)) }},
		{"a collateral above the limit", 0, 0, deals.RefusedCollateral, func(r *chain.Request) { r.Collateral = chaintest.Ether(2) }},
		{"a duration above the limit", 0, 0, deals.RefusedDuration, func(r *chain.Request) { r.Duration = 361 }},   // 3610 s > 1 h
		{"a proof period too short", 0, 0, deals.RefusedProofPeriod, func(r *chain.Request) { r.ProofPeriod = 9 }}, // 9 s < 10 s
		{"a shard never accepted", 0, 2, deals.RefusedNotAccepted, nil},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			id := request(a.p, a.slot, a.change)
			refusedFor(a.p, id, a.slot, a.reason)
		})
	}
	ups[0].mu.Lock()
	confirmed := len(ups[0].confirmed)
	ups[0].mu.Unlock()
	if confirmed != 0 {
		t.Fatalf("uploads confirmed for refused requests: %v", ups[0].confirmed)
	}

	// Within the policy: filled by both, and the reserved shard's upload confirmed.
	for p := range e.Providers {
		waitState(p, request(p, p, nil), p, deals.StateFilled)
	}
	ups[0].mu.Lock()
	if len(ups[0].confirmed) != 1 || ups[0].confirmed[0] != 0 {
		t.Errorf("uploads confirmed by provider 0: %v, want [0]", ups[0].confirmed)
	}
	ups[0].mu.Unlock()
	// Full: provider 0 holds its one slot, provider 1 its bytes.
	refusedFor(0, request(0, 1, nil), 1, deals.RefusedSlots)
	refusedFor(1, request(1, 0, nil), 0, deals.RefusedBytes)

	want := []map[string]float64{
		{deals.RefusedPrice: 1, deals.RefusedCollateral: 1, deals.RefusedDuration: 1, deals.RefusedProofPeriod: 1, deals.RefusedNotAccepted: 1, deals.RefusedSlots: 1, deals.RefusedBytes: 0},
		{deals.RefusedPrice: 0, deals.RefusedCollateral: 0, deals.RefusedDuration: 0, deals.RefusedProofPeriod: 0, deals.RefusedNotAccepted: 0, deals.RefusedSlots: 0, deals.RefusedBytes: 1},
	}
	for p := range want {
		got := refusals(t, regs[p])
		for r, n := range want[p] {
			if got[r] != n {
				t.Errorf("provider %d: dstore_fills_refused_total{reason=%q} = %v, want %v", p, r, got[r], n)
			}
		}
		if metricValue(t, regs[p], "dstore_fills_total") != 1 {
			t.Errorf("provider %d filled %v slots, want 1", p, metricValue(t, regs[p], "dstore_fills_total"))
		}
	}
}
