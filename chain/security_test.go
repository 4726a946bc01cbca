package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// openRequest registers the providers, creates a request of one slot per provider from the
// client, and has provider i fill slot i. It returns the request.
func openRequest(t *testing.T, e *chaintest.Env, req chain.Request) chain.RequestInfo {
	t.Helper()
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, nil)
		})
	}
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, req)
		return tx, err
	})
	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, id, uint64(i), req.Collateral)
		})
	}
	ri, err := e.Client.M.Request(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ri
}

// firstChallenged is the first period in which slot 0 of the request is challenged.
func firstChallenged(t *testing.T, e *chaintest.Env, ri chain.RequestInfo) uint64 {
	t.Helper()
	s, err := e.Client.M.Slot(context.Background(), ri.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return max(ri.StartPeriod, s.FilledPeriod+1)
}

// TestSelfReportDoesNotRecoupTheSlash: a provider misses a proof and reports its own miss from
// a second account (the reporter account here) before anyone else can. The attack pays back only the reporter's share
// (10% by default): the provider and its second account together still lose 90% of the slash,
// which goes to the client. A deployment that would pay a reporter more than 25% is refused.
func TestSelfReportDoesNotRecoupTheSlash(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 1)
	cheat := e.Providers[0]
	sibling := e.Reporter
	collateral := chaintest.Ether(1)
	const period = 4
	ri := openRequest(t, e, chain.Request{
		RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{{1}}, Duration: 4, ProofPeriod: period,
		ProofProbability: 1, PricePerPeriod: new(big.Int), Collateral: collateral,
	})
	missed := firstChallenged(t, e, ri)
	e.MineToPeriod(t, period, missed+1)
	tx := chaintest.Do(t, sibling, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.MarkProofAsMissing(ctx, ri.ID, 0, missed)
	})
	pm := sibling.M.TxEvents(tx)[0].Data.(*chain.ProofMissed)
	slashed := new(big.Int).Div(collateral, big.NewInt(10))
	chaintest.RequireEq(t, "slashed", pm.Slashed, slashed)
	chaintest.RequireEq(t, "paid back to the second account", pm.Reward, new(big.Int).Div(slashed, big.NewInt(10)))
	// Together the cheat and its second account lose 90% of the slash (fees aside).
	e.MineToFinish(t, ri.ID)
	chaintest.Do(t, e.Client, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, ri.ID) })
	lost := new(big.Int).Sub(slashed, pm.Reward)
	e.Settle(t, map[*chaintest.Actor]*big.Int{
		cheat:    new(big.Int).Neg(slashed),
		sibling:  pm.Reward,
		e.Client: lost,
	})
	if 10*lost.Int64()/slashed.Int64() < 9 {
		t.Fatalf("self-report recouped %s of a slash of %s", pm.Reward, slashed)
	}

	for _, reward := range []uint64{26, 50, 100} {
		_, err := chain.Deploy(context.Background(), e.Sim.Client(), e.Sim.Faucet(), chain.DeployConfig{RewardPercentage: reward})
		chaintest.RequireErr(t, "deploy with a reporter reward above 25%", err, chain.ErrInvalidConfig)
	}
}

// TestSmallCollateralSlashIsNotZero: a client asks for a collateral of 5 wei; 10% of it
// rounds up to 1 wei per miss instead of down to nothing, until the collateral is gone.
func TestSmallCollateralSlashIsNotZero(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{MaxMissedProofs: 10}, 1)
	const period = 4
	ri := openRequest(t, e, chain.Request{
		RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{{1}}, Duration: 8, ProofPeriod: period,
		ProofProbability: 1, PricePerPeriod: new(big.Int), Collateral: big.NewInt(5),
	})
	first := firstChallenged(t, e, ri)
	e.MineToPeriod(t, period, first+2)
	for p := first; p < first+2; p++ {
		tx := chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.MarkProofAsMissing(ctx, ri.ID, 0, p)
		})
		pm := e.Reporter.M.TxEvents(tx)[0].Data.(*chain.ProofMissed)
		chaintest.RequireEq(t, "slash of a 5 wei collateral", pm.Slashed, big.NewInt(1))
	}
	s, err := e.Client.M.Slot(context.Background(), ri.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "collateral left", s.Collateral, big.NewInt(3))
}

// TestLastPeriodMissReportedInGrace: a provider skips the last period of its request and
// tries to finish the request before anyone reports it, as soon as the old contract allowed
// (one period after the end). finishRequest waits for the grace window, the miss is reported
// in it, and once finished no report is taken any more.
func TestLastPeriodMissReportedInGrace(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{FinishGrace: 20}, 1)
	cheat := e.Providers[0]
	const period = 4
	ri := openRequest(t, e, chain.Request{
		RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{{1}}, Duration: 3, ProofPeriod: period,
		ProofProbability: 1, PricePerPeriod: new(big.Int), Collateral: chaintest.Ether(1),
	})
	last := ri.EndPeriod - 1
	fb, err := e.Client.M.FinishBlock(context.Background(), ri.ID)
	if err != nil || fb != (ri.EndPeriod+1)*period+20 {
		t.Fatalf("finish block %d, %v; want %d", fb, err, (ri.EndPeriod+1)*period+20)
	}
	e.MineToPeriod(t, period, ri.EndPeriod+1)
	_, err = cheat.M.FinishRequest(context.Background(), ri.ID)
	chaintest.RequireErr(t, "finish right after the report period", err, chain.ErrRequestNotEnded)
	e.MineTo(t, fb-2)
	chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.MarkProofAsMissing(ctx, ri.ID, 0, last)
	})
	e.MineTo(t, fb)
	chaintest.Do(t, cheat, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, ri.ID) })
	_, err = e.Reporter.M.MarkProofAsMissing(context.Background(), ri.ID, 0, last-1)
	chaintest.RequireErr(t, "report after the finish", err, chain.ErrRequestFinished)
}

// TestEntropyOutlivesBlockHashWindow: a request challenged at random (one period in two).
// A period's entropy is the RANDAO value of its first block, read from that block's header.
// Recorded when first used, it keeps a miss reportable after more than 256 blocks; a period
// nobody used is no longer reportable then.
func TestEntropyOutlivesBlockHashWindow(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 1)
	const period = 4
	ri := openRequest(t, e, chain.Request{
		RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{{1}}, Duration: 200, ProofPeriod: period,
		ProofProbability: 2, PricePerPeriod: new(big.Int), Collateral: chaintest.Ether(1),
	})
	// Two periods in which the slot is challenged: the first recorded, the second not.
	var challenged []uint64
	for p := ri.StartPeriod; len(challenged) < 2; p++ {
		e.MineToPeriod(t, period, p)
		ch, err := e.Client.M.Challenge(ctx, ri.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		h, err := e.Sim.Client().HeaderByNumber(ctx, new(big.Int).SetUint64(p*period))
		if err != nil {
			t.Fatal(err)
		}
		want := crypto.Keccak256Hash(h.MixDigest[:], common.LeftPadBytes(new(big.Int).SetUint64(period).Bytes(), 32),
			common.LeftPadBytes(new(big.Int).SetUint64(p).Bytes(), 32))
		if ch.Period != p || ch.Entropy != want {
			t.Fatalf("period %d entropy %x, want keccak(prevrandao of block %d, period) = %x", ch.Period, ch.Entropy, p*period, want)
		}
		if !ch.Required {
			continue
		}
		if len(challenged) == 0 {
			tx := chaintest.Do(t, e.Reporter, "recordEntropy", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
				return m.RecordEntropy(ctx, period, p)
			})
			if evs := e.Reporter.M.TxEvents(tx); len(evs) != 1 || evs[0].Data.(*chain.EntropyRecorded).Entropy != want {
				t.Fatalf("recordEntropy events = %+v", evs)
			}
		}
		challenged = append(challenged, p)
	}
	e.MineTo(t, challenged[1]*period+300)
	if _, err := e.Client.M.PeriodEntropy(ctx, period, challenged[1]); err == nil {
		t.Fatalf("entropy of period %d available 300 blocks on without being recorded", challenged[1])
	}
	_, err := e.Reporter.M.MarkProofAsMissing(ctx, ri.ID, 0, challenged[1])
	chaintest.RequireErr(t, "report of a period never used, 300 blocks on", err, chain.ErrEntropyUnavailable)
	tx := chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.MarkProofAsMissing(ctx, ri.ID, 0, challenged[0])
	})
	if pm := e.Reporter.M.TxEvents(tx)[0].Data.(*chain.ProofMissed); pm.Period.Uint64() != challenged[0] {
		t.Fatalf("ProofMissed = %+v", pm)
	}
}
