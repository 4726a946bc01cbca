package chain_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// heldBackend holds every transaction sent through it until n have been sent, so that all of them
// pass their gas estimate before the first is mined: two reporters racing for one period.
type heldBackend struct {
	chain.Backend
	wg *sync.WaitGroup
}

func (b heldBackend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	b.wg.Done()
	b.wg.Wait()
	return b.Backend.SendTransaction(ctx, tx)
}

// TestReportRace: an auditor and a repairer report the same missed period at once. Both reports
// pass their estimate; the one mined second reverts, and MarkProofAsMissing names it
// ErrAlreadyDone instead of a bare revert, so neither watcher stops on it.
func TestReportRace(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{MaxMissedProofs: 3}, 1)
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	const period = 4
	p := e.Providers[0]
	chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name, Price: price}, nil)
	})
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{{1}},
			Duration: 6, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: price, Collateral: collateral})
		return tx, err
	})
	chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 0, collateral)
	})
	s, err := e.Client.M.Slot(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	missed := s.FilledPeriod + 1
	e.MineToPeriod(t, period, missed+1)

	var wg sync.WaitGroup
	wg.Add(2)
	errs := make([]error, 2)
	var all sync.WaitGroup
	for i, a := range []*chaintest.Actor{e.Reporter, e.Client} {
		m, err := chain.NewMarket(ctx, heldBackend{Backend: e.Sim.Client(), wg: &wg}, e.Dep.Marketplace, a.Key)
		if err != nil {
			t.Fatal(err)
		}
		all.Add(1)
		go func() {
			defer all.Done()
			_, errs[i] = m.MarkProofAsMissing(ctx, id, 0, missed)
		}()
	}
	all.Wait()
	won, lost := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, chain.ErrAlreadyDone) && errors.Is(err, chain.ErrReverted):
			lost++
		default:
			t.Fatalf("a racing report failed with %v, not ErrAlreadyDone", err)
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("%d reports succeeded and %d were named already done, want 1 and 1", won, lost)
	}
	st, err := e.Client.M.PeriodState(ctx, id, 0, missed)
	if err != nil || st != chain.PeriodMissed {
		t.Fatalf("period state %v (%v), want missed", st, err)
	}
}
