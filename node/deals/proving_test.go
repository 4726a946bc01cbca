package deals_test

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/prover"
)

// TestProvingLoop runs a node's proving loop against a chain that mines on a
// timer, until two periods are proven and paid.
func TestProvingLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 1)
	keys := chaintest.DevnetKeys(t)
	slots := chaintest.Slots(t, 1, 32<<10)
	p := e.Providers[0]
	const period = 128 // the most a request may ask: 12.8 s at one block per 100 ms, time to prove on a loaded machine
	price := chaintest.Gwei(1000)
	chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooWloop"}, chaintest.Ether(1))
	})
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{
			RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{slots[0].Tree.RootBytes()}, Hosts: nil,
			Duration: 10, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: price, Collateral: chaintest.Ether(1),
		})
		return tx, err
	})
	chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FillSlot(ctx, id, 0, nil) })

	// Before the slot is challenged the loop has nothing to do.
	a, err := deals.AnswerChallenge(ctx, p.M, id, 0, func(context.Context, chain.RequestID, uint64, fr.Element) ([]byte, error) {
		t.Fatal("proved an unchallenged slot")
		return nil, nil
	})
	if err != nil || a.Submitted || a.Skipped == "" {
		t.Fatalf("answer before the first challenged period = %+v, %v", a, err)
	}

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait() }()
	wg.Add(2)
	go func() {
		defer wg.Done()
		for runCtx.Err() == nil { // a block every 100ms
			e.Sim.Mine(1)
			time.Sleep(100 * time.Millisecond)
		}
	}()
	pr := prover.NewProver(keys)
	var mu sync.Mutex
	proven := map[uint64]bool{}
	go func() {
		defer wg.Done()
		err := deals.RunProvingLoop(runCtx, deals.ProvingLoopConfig{
			Market: p.M,
			Slots:  func() []chain.SlotRef { return []chain.SlotRef{{Request: id, Slot: 0}} },
			Poll:   100 * time.Millisecond,
			Prove: func(ctx context.Context, _ chain.RequestID, _ uint64, c fr.Element) ([]byte, error) {
				proof, err := pr.Prove(ctx, slots[0].Data, slots[0].Tree, c)
				if err != nil {
					return nil, err
				}
				return proof.Solidity(), nil
			},
			OnAnswer: func(_ chain.SlotRef, a deals.Answer, err error) {
				if err != nil {
					t.Errorf("proving loop: %v", err)
				}
				if a.Submitted {
					mu.Lock()
					proven[a.Period] = true
					mu.Unlock()
				}
			},
		})
		if err != nil {
			t.Error(err)
		}
	}()
	for {
		mu.Lock()
		n := len(proven)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("only %d periods proven before the deadline", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	wg.Wait()
	s, err := p.M.Slot(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Proven < 2 || s.Missed != 0 {
		t.Fatalf("slot after the loop = %+v", s)
	}
	chaintest.RequireEq(t, "paid", s.Paid, new(big.Int).Mul(price, new(big.Int).SetUint64(uint64(s.Proven))))
}
