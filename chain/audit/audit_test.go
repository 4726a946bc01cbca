package audit_test

import (
	"context"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/audit"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/prover"
)

// TestAuditor: one slot proves, the other misses. The auditor re-verifies the
// proof off chain, reports the miss, earns and claims the reward, and does not
// report twice. A second, read-only auditor holding the wrong verifying key flags
// the proof the chain accepted.
func TestAuditor(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	keys := chaintest.DevnetKeys(t)
	slots := chaintest.Slots(t, 2, 16<<10)
	const period = 8
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, collateral)
		})
	}
	req := chain.Request{
		RootCID: []byte("root"), K: 1, M: 1, Duration: 2, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: price, Collateral: collateral,
		SlotRoots: [][32]byte{slots[0].Tree.RootBytes(), slots[1].Tree.RootBytes()},
	}
	e.MineToNextPeriod(t, period)
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, req)
		return tx, err
	})
	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, id, uint64(i), nil)
		})
	}
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	e.MineToPeriod(t, period, ri.StartPeriod)
	_, proof := chaintest.Prove(t, e.Providers[0], id, 0, slots[0])
	chaintest.Do(t, e.Providers[0], "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.SubmitProof(ctx, id, 0, proof)
	})

	a, err := audit.New(audit.Config{Market: e.Reporter.M, Verifier: audit.KeyVerifier{VK: keys.VK}, FromBlock: e.Dep.Block})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// Within the period nothing is missed yet.
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if r := a.Report(); r.Requests[0].Slots[1].Reported != 0 {
		t.Fatalf("reported during the proof window: %+v", r)
	}
	e.MineToPeriod(t, period, ri.StartPeriod+1)
	for range 2 { // the second pass must not report again
		if err := a.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r := a.Report()
	if len(r.Requests) != 1 || len(r.Requests[0].Slots) != 2 {
		t.Fatalf("report = %+v", r)
	}
	s0, s1 := r.Requests[0].Slots[0], r.Requests[0].Slots[1]
	if s0.Proofs != 1 || s0.VerifiedOffCh != 1 || s0.FailedOffChain != 0 || s0.LastProof != ri.StartPeriod || s0.Provider != e.Providers[0].Addr {
		t.Fatalf("slot 0 = %+v", s0)
	}
	if s1.Missed != 1 || s1.Reported != 1 || s1.Proofs != 0 {
		t.Fatalf("slot 1 = %+v", s1)
	}
	reward := chaintest.Ether(1)
	reward.Div(reward, big.NewInt(100)) // 10% slashed, 10% of it rewarded
	chaintest.RequireEq(t, "rewards", r.Rewards, reward)
	chaintest.RequireEq(t, "slashed", s1.Slashed, new(big.Int).Mul(reward, big.NewInt(10)))
	if len(r.Problems) != 0 {
		t.Fatalf("problems: %v", r.Problems)
	}
	// The reward was claimed: withdrawn to the auditor's account.
	left, err := e.Reporter.M.Balance(ctx, e.Reporter.Addr)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "auditor balance left in the contract", left, chaintest.Ether(0))
	head, _ := e.Client.M.BlockNumber(ctx)
	evs, err := e.Client.M.Events(ctx, e.Dep.Block, head)
	if err != nil {
		t.Fatal(err)
	}
	claimed := false
	for _, ev := range evs {
		if w, ok := ev.Data.(*chain.Withdrawn); ok && w.Account == e.Reporter.Addr && w.Amount.Cmp(reward) == 0 {
			claimed = true
		}
	}
	if !claimed {
		t.Fatal("no Withdrawn event of the reward to the auditor")
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}

	// A read-only auditor with another circuit's key flags the accepted proof.
	other, err := prover.LoadOrSetup(ctx, prover.TestParams)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := chain.NewMarket(ctx, e.Sim.Client(), e.Dep.Marketplace, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := audit.New(audit.Config{Market: ro, Verifier: audit.KeyVerifier{VK: other.VK}, FromBlock: e.Dep.Block, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	for runCtx.Err() == nil && b.Report().Head < head {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rb := b.Report()
	if got := rb.Requests[0].Slots[0]; got.FailedOffChain != 1 || got.VerifiedOffCh != 0 || len(rb.Problems) != 1 {
		t.Fatalf("wrong-key auditor: slot 0 = %+v, problems %v", got, rb.Problems)
	}
	if rb.Requests[0].Slots[1].Reported != 0 || rb.Requests[0].Slots[1].Missed != 1 {
		t.Fatalf("read-only auditor: slot 1 = %+v", rb.Requests[0].Slots[1])
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  audit.Config
	}{
		{name: "no market", cfg: audit.Config{Verifier: audit.KeyVerifier{}}},
		{name: "no verifier", cfg: audit.Config{Market: &chain.Market{}}},
		{name: "negative poll", cfg: audit.Config{Market: &chain.Market{}, Verifier: audit.KeyVerifier{}, Poll: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := audit.New(tc.cfg); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
