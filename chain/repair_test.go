package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// repairEnv is a request of k=1, m=1 with slot 0 held by p0 and slot 1 by p1.
func repairEnv(t *testing.T, providers int) (*chaintest.Env, chain.RequestID, uint64, *big.Int) {
	t.Helper()
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, providers) // 10% slash, 10% reward, 3 misses
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(2))
		})
	}
	const period = 8
	collateral := chaintest.Ether(1)
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{
			RootCID: []byte("root"), K: 1, M: 1, SlotRoots: [][32]byte{{1}, {2}},
			Duration: 10, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: chaintest.Gwei(1_000_000), Collateral: collateral,
		})
		return tx, err
	})
	var filled uint64
	for i, p := range e.Providers[:2] {
		tx := chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, id, uint64(i), nil)
		})
		filled = max(filled, tx.Block/period)
	}
	if n, err := e.Client.M.LostSlots(ctx, id); err != nil || n != 0 {
		t.Fatalf("lost slots of a new request = %d, %v", n, err)
	}
	return e, id, filled, collateral
}

func eventOf[T any](m *chain.Market, tx chain.Tx) *T {
	for _, ev := range m.TxEvents(tx) {
		if d, ok := ev.Data.(*T); ok {
			return d
		}
	}
	return nil
}

// TestSlotRepair: a slot freed after missed proofs is open for repair with a reward of 10% of
// the collateral out of what was slashed (SlotRepairOpened); the provider that refills it earns
// the reward (SlotRepaired) and the request counts no lost slot any more. Balances add up.
func TestSlotRepair(t *testing.T) {
	ctx := context.Background()
	e, id, filled, collateral := repairEnv(t, 3)
	p0, p2 := e.Providers[0], e.Providers[2]
	const period = 8
	var last chain.Tx
	for k := uint64(1); k <= 3; k++ {
		e.MineToPeriod(t, period, filled+k+1)
		last = chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.MarkProofAsMissing(ctx, id, 0, filled+k)
		})
		// p1 proves nothing either, but nobody reports it: it keeps its slot.
	}
	reward := new(big.Int).Div(new(big.Int).Mul(collateral, big.NewInt(chain.RepairRewardPercentage)), big.NewInt(100))
	opened := eventOf[chain.SlotRepairOpened](e.Reporter.M, last)
	if opened == nil || opened.SlotIndex.Uint64() != 0 || opened.FormerProvider != p0.Addr || opened.Lost != 1 || opened.Reward.Cmp(reward) != 0 {
		t.Fatalf("SlotRepairOpened in the freeing report = %+v, want slot 0 of %s, reward %s, 1 lost", opened, p0.Addr, reward)
	}
	if eventOf[chain.SlotFreed](e.Reporter.M, last) == nil {
		t.Fatal("the freeing report has no SlotFreed")
	}
	st, err := e.Client.M.Repair(ctx, id, 0)
	if err != nil || !st.Open || st.Reward.Cmp(reward) != 0 {
		t.Fatalf("repair state of slot 0 = %+v, %v", st, err)
	}
	if st, _ := e.Client.M.Repair(ctx, id, 1); st.Open {
		t.Fatal("slot 1, still held, is open for repair")
	}
	if n, _ := e.Client.M.LostSlots(ctx, id); n != 1 {
		t.Fatalf("lost slots = %d, want 1", n)
	}
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil || ri.Finished {
		t.Fatalf("one lost slot of k=1, m=1 ended the request: %+v, %v", ri, err)
	}

	tx := chaintest.Do(t, p2, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 0, nil)
	})
	repaired := eventOf[chain.SlotRepaired](p2.M, tx)
	if repaired == nil || repaired.Provider != p2.Addr || repaired.SlotIndex.Uint64() != 0 || repaired.Reward.Cmp(reward) != 0 {
		t.Fatalf("SlotRepaired in the refill = %+v", repaired)
	}
	if eventOf[chain.SlotFilled](p2.M, tx) == nil {
		t.Fatal("the refill has no SlotFilled")
	}
	t.Logf("fillSlot that repairs: %d gas", tx.GasUsed)
	if st, _ := e.Client.M.Repair(ctx, id, 0); st.Open || st.Reward.Sign() != 0 {
		t.Fatalf("repair state after the refill = %+v", st)
	}
	if n, _ := e.Client.M.LostSlots(ctx, id); n != 0 {
		t.Fatalf("lost slots after the refill = %d", n)
	}

	e.MineToFinish(t, id)
	chaintest.Do(t, e.Client, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, id) })
	slashed := new(big.Int).Div(collateral, big.NewInt(10))
	rewards := new(big.Int).Mul(new(big.Int).Div(slashed, big.NewInt(10)), big.NewInt(3))
	e.Settle(t, map[*chaintest.Actor]*big.Int{
		p0:         new(big.Int).Neg(collateral),
		e.Reporter: rewards,
		p2:         reward,
		e.Client:   new(big.Int).Sub(new(big.Int).Sub(collateral, rewards), reward),
	})
}

// TestRequestFailsPastM: when more than m slots are lost at once the request fails (RequestFailed,
// then RequestFinished with the refund): the client gets back the escrow, everything slashed
// beyond the reporter's rewards and the repair rewards nobody earned; no slot can be filled again.
func TestRequestFailsPastM(t *testing.T) {
	ctx := context.Background()
	e, id, filled, collateral := repairEnv(t, 3)
	const period = 8
	var last chain.Tx
	for k := uint64(1); k <= 3; k++ {
		e.MineToPeriod(t, period, filled+k+1)
		for slot := uint64(0); slot < 2; slot++ {
			last = chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
				return m.MarkProofAsMissing(ctx, id, slot, filled+k)
			})
		}
	}
	failed := eventOf[chain.RequestFailed](e.Reporter.M, last)
	if failed == nil || failed.Lost != 2 || failed.Client != e.Client.Addr {
		t.Fatalf("RequestFailed in the second freeing report = %+v", failed)
	}
	fin := eventOf[chain.RequestFinished](e.Reporter.M, last)
	if fin == nil || fin.Refund.Sign() <= 0 {
		t.Fatalf("RequestFinished in the failing report = %+v", fin)
	}
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil || !ri.Finished {
		t.Fatalf("request after losing 2 of k=1, m=1: %+v, %v", ri, err)
	}
	_, err = e.Providers[2].M.FillSlot(ctx, id, 0, nil)
	chaintest.RequireErr(t, "repair a failed request", err, chain.ErrRequestFinished)
	_, err = e.Client.M.FinishRequest(ctx, id)
	chaintest.RequireErr(t, "finish a failed request", err, chain.ErrRequestFinished)
	slashed := new(big.Int).Div(collateral, big.NewInt(10))
	rewards := new(big.Int).Mul(new(big.Int).Div(slashed, big.NewInt(10)), big.NewInt(6))
	e.Settle(t, map[*chaintest.Actor]*big.Int{
		e.Providers[0]: new(big.Int).Neg(collateral),
		e.Providers[1]: new(big.Int).Neg(collateral),
		e.Reporter:     rewards,
		e.Client:       new(big.Int).Sub(new(big.Int).Mul(collateral, big.NewInt(2)), rewards),
	})
}
