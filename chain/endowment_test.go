package chain_test

import (
	"context"
	"math"
	"math/big"
	"testing"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// TestPermanentDeal: a client pays an endowment once; the deal's first term is a storage request
// its providers fill and prove; at the end of each term anyone renews it: the term is settled,
// what it did not pay out returns to the endowment, and the slots are offered again at the price
// declined by the years passed, where a new provider takes over one slot. Every wei of the
// endowment is accounted for, and providers are paid per proven period out of it.
func TestPermanentDeal(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx := context.Background()
	const blocksPerYear, period, decline = 48, 8, 5000 // a year of 6 periods; 0.5% a year
	e := chaintest.New(t, chain.DeployConfig{BlocksPerYear: blocksPerYear, FinishGrace: chain.NoFinishGrace}, 3)
	a, b, c := e.Providers[0], e.Providers[1], e.Providers[2]
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(5))
		})
	}
	slots := chaintest.Slots(t, 2, 64<<10)
	base := chaintest.Gwei(1000)
	req := chain.Request{RootCID: []byte("permanent"), K: 1, M: 1, Duration: 2, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: base, Collateral: chaintest.Ether(1)}
	for _, s := range slots {
		req.SlotRoots = append(req.SlotRoots, s.Tree.RootBytes())
	}
	owner, err := chain.NewEndowment(ctx, e.Sim.Client(), e.Dep.Endowment, e.Client.Key)
	if err != nil {
		t.Fatal(err)
	}
	anyone, err := chain.NewEndowment(ctx, e.Sim.Client(), e.Dep.Endowment, e.Reporter.Key)
	if err != nil {
		t.Fatal(err)
	}
	need, err := owner.Required(ctx, req, decline)
	if err != nil {
		t.Fatal(err)
	}
	// 2 slots, 6 periods a year, divided by 0.5%: 2400 periods of today's price.
	chaintest.RequireEq(t, "required endowment", need, new(big.Int).Mul(base, big.NewInt(2*6*200)))
	_, _, _, err = owner.Create(ctx, req, decline, new(big.Int).Sub(need, big.NewInt(1)))
	chaintest.RequireErr(t, "an endowment one wei short", err, chain.ErrWrongPayment)

	// A term's fills land in the period before its first: its transactions start just after a period begins.
	align := func() {
		head, err := e.Sim.Client().BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.MineTo(t, (head/period+1)*period)
	}
	align()
	id, req1, tx, err := owner.Create(ctx, req, decline, need)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.Gas.Record("endowment create", tx.GasUsed)
	deal, err := owner.Deal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	// term runs one term: the given providers fill the slots, each proves the periods in prove.
	term := func(rid chain.RequestID, holders []*chaintest.Actor, prove [][]bool) (price, escrow, paid *big.Int) {
		t.Helper()
		ri, err := e.Client.M.Request(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		if ri.Client != e.Dep.Endowment {
			t.Fatalf("the term's client is %s, not the endowment", ri.Client)
		}
		paid = new(big.Int)
		for i, h := range holders {
			chaintest.Do(t, h, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
				return m.FillSlot(ctx, rid, uint64(i), nil)
			})
		}
		for p := range prove[0] {
			e.MineToPeriod(t, period, ri.StartPeriod+uint64(p))
			for i, h := range holders {
				if !prove[i][p] {
					continue
				}
				_, proof := chaintest.Prove(t, h, rid, uint64(i), slots[i])
				chaintest.Do(t, h, "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
					return m.SubmitProof(ctx, rid, uint64(i), proof)
				})
				paid.Add(paid, ri.PricePerPeriod)
			}
		}
		for i, h := range holders {
			s, err := e.Client.M.Slot(ctx, rid, uint64(i))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, ok := range prove[i] {
				if ok {
					n++
				}
			}
			chaintest.RequireEq(t, h.Name+" paid for its proven periods", s.Paid, new(big.Int).Mul(ri.PricePerPeriod, big.NewInt(int64(n))))
		}
		return ri.PricePerPeriod, ri.Escrow, paid
	}

	// Term 1: a and b hold the slots; b misses the second period.
	price1, esc1, paid1 := term(req1, []*chaintest.Actor{a, b}, [][]bool{{true, true}, {true, false}})
	chaintest.RequireEq(t, "term 1's price", price1, base)
	_, _, _, err = anyone.Renew(ctx, id)
	chaintest.RequireErr(t, "renew before the term is over", err, chain.ErrTermNotOver)
	e.MineToFinish(t, req1)
	e.MineTo(t, deal.Created+blocksPerYear) // a year passes: the next term is cheaper
	align()
	req2, ref1, tx, err := anyone.Renew(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.Gas.Record("endowment renew", tx.GasUsed)
	chaintest.RequireEq(t, "term 1's refund", ref1, new(big.Int).Sub(esc1, paid1))

	// Term 2: a keeps slot 0, c, a new provider, takes over slot 1.
	price2, esc2, paid2 := term(req2, []*chaintest.Actor{a, c}, [][]bool{{true, false}, {true, false}})
	years2 := (tx.Block - deal.Created) / blocksPerYear
	chaintest.RequireEq(t, "term 2's price", price2, chain.DeclinedPrice(base, decline, years2))
	if years2 < 1 || price2.Cmp(base) >= 0 {
		t.Fatalf("term 2 after %d years at %s wei, not below %s", years2, price2, base)
	}
	e.MineToFinish(t, req2)
	// A provider settles term 2 itself (finishRequest is open to anyone): its refund waits in
	// the Marketplace for the endowment, and still goes to this deal when it renews.
	chaintest.Do(t, c, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, req2) })
	align()
	req3, ref2, tx, err := anyone.Renew(ctx, id)
	if err != nil || req3 == (chain.RequestID{}) {
		t.Fatalf("renewing term 2: %v", err)
	}
	chaintest.Gas.Record("endowment renew (term settled before)", tx.GasUsed)
	chaintest.RequireEq(t, "term 2's refund", ref2, new(big.Int).Sub(esc2, paid2))
	ri3, err := e.Client.M.Request(ctx, req3)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "term 3's price", ri3.PricePerPeriod, chain.DeclinedPrice(base, decline, (tx.Block-deal.Created)/blocksPerYear))
	if len(ri3.Hosts) != 0 {
		t.Fatalf("term 3 reserves its slots for %v: renewed slots are open to any provider", ri3.Hosts)
	}

	// The endowment, to the wei.
	deal, err = owner.Deal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	spent := new(big.Int).Add(new(big.Int).Add(esc1, esc2), ri3.Escrow)
	refunded := new(big.Int).Add(ref1, ref2)
	chaintest.RequireEq(t, "spent", deal.Spent, spent)
	chaintest.RequireEq(t, "refunded", deal.Refunded, refunded)
	chaintest.RequireEq(t, "balance", deal.Balance, new(big.Int).Add(new(big.Int).Sub(need, spent), refunded))
	chaintest.RequireEq(t, "the endowment contract's ether", e.EtherBalance(t, e.Dep.Endowment), deal.Balance)
	chaintest.RequireEq(t, "paid to providers", new(big.Int).Add(paid1, paid2), new(big.Int).Sub(new(big.Int).Sub(new(big.Int).Add(esc1, esc2), ref1), ref2))
	if left, err := owner.Unattributed(ctx); err != nil || left.Sign() != 0 {
		t.Fatalf("unattributed refunds %v (%v), want none", left, err)
	}
	if deal.Terms != 3 || deal.Exhausted {
		t.Fatalf("deal after two renewals: %+v", deal)
	}
	flat, declining := chain.YearsFunded(deal.Balance, ri3.PricePerPeriod, 2, blocksPerYear/period, decline)
	if flat < 199 || flat > 202 || !math.IsInf(declining, 1) {
		t.Fatalf("the endowment funds %.1f years flat, %v declining; want about 200 and forever", flat, declining)
	}
}

func TestYearsFunded(t *testing.T) {
	tests := []struct {
		name            string
		balance         int64
		decline         uint32
		flat, declining float64
	}{
		{"forever at 0.5%", 200 * 12, 5000, 200, math.Inf(1)},
		{"half of it", 100 * 12, 5000, 100, math.Log(0.5) / math.Log(0.995)},
		{"nothing", 0, 5000, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flat, declining := chain.YearsFunded(big.NewInt(tt.balance), big.NewInt(1), 2, 6, tt.decline)
			if math.Abs(flat-tt.flat) > 1e-9 || (math.IsInf(tt.declining, 1) != math.IsInf(declining, 1)) || (!math.IsInf(declining, 1) && math.Abs(declining-tt.declining) > 1e-9) {
				t.Fatalf("YearsFunded = %v, %v; want %v, %v", flat, declining, tt.flat, tt.declining)
			}
		})
	}
	if got := chain.DeclinedPrice(big.NewInt(1e9), 5000, 2); got.Cmp(big.NewInt(990025000)) != 0 {
		t.Fatalf("1 gwei declined 0.5%% twice = %s, want 990025000", got)
	}
}
