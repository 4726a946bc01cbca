package deals_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node/deals"
)

// TestEndowmentRenewer: a provider's renewer renews the permanent deal of an ended term (the
// term settled, its unpaid escrow back in the endowment, the next term offered), treats a term
// another renewed first as done, refuses a term not over, and leaves other requests alone.
func TestEndowmentRenewer(t *testing.T) {
	ctx := context.Background()
	const period = 4
	e := chaintest.New(t, chain.DeployConfig{BlocksPerYear: 1000, FinishGrace: chain.NoFinishGrace}, 2)
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(2))
		})
	}
	req := chain.Request{RootCID: []byte("forever"), K: 1, M: 1, SlotRoots: [][32]byte{{1}, {2}}, Duration: 2, ProofPeriod: period,
		ProofProbability: 1, PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Ether(1)}
	owner, err := chain.NewEndowment(ctx, e.Sim.Client(), e.Dep.Endowment, e.Client.Key)
	if err != nil {
		t.Fatal(err)
	}
	need, err := owner.Required(ctx, req, chain.DefaultDeclinePPM)
	if err != nil {
		t.Fatal(err)
	}
	id, term1, _, err := owner.Create(ctx, req, chain.DefaultDeclinePPM, need)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, term1, uint64(i), nil)
		})
	}
	renewers := make([]deals.EndowmentRenewer, 2)
	for i, p := range e.Providers {
		end, err := chain.NewEndowment(ctx, e.Sim.Client(), e.Dep.Endowment, p.Key)
		if err != nil {
			t.Fatal(err)
		}
		renewers[i] = deals.EndowmentRenewer{Endowment: end}
	}
	if ok, err := renewers[0].RenewTerm(ctx, term1); !ok || err == nil {
		t.Fatalf("renewing a term not over: ok %v, err %v", ok, err)
	}
	if ok, err := renewers[0].RenewTerm(ctx, chain.RequestID{7}); ok || err != nil {
		t.Fatalf("a request that is no permanent deal's term: ok %v, err %v", ok, err)
	}
	e.MineToFinish(t, term1)
	if ok, err := renewers[0].RenewTerm(ctx, term1); !ok || err != nil {
		t.Fatalf("renewing an ended term: ok %v, err %v", ok, err)
	}
	if ok, err := renewers[1].RenewTerm(ctx, term1); !ok || err != nil {
		t.Fatalf("the second provider, after the first renewed: ok %v, err %v", ok, err)
	}
	d, err := owner.Deal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Terms != 2 || d.Current == term1 {
		t.Fatalf("deal after the renewal: %+v", d)
	}
	// Nothing was proven: term 1's whole escrow came back.
	esc1 := new(big.Int).Mul(chaintest.Gwei(1), big.NewInt(2*2))
	chaintest.RequireEq(t, "refunded", d.Refunded, esc1)
	chaintest.RequireEq(t, "balance", d.Balance, new(big.Int).Sub(new(big.Int).Add(need, d.Refunded), d.Spent))
	if info, err := e.Client.M.Request(ctx, term1); err != nil || !info.Finished {
		t.Fatalf("the renewed term is not settled: %+v, %v", info.Finished, err)
	}
}
