package deals_test

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
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

// TestProvingTurns runs two providers' proving loops on one machine with a shared turn
// (prover.Turn on one file, as the devnet's nodes do): their real Groth16 proofs never
// overlap and each slot is proven. A turn that comes only after the
// period's deadline proves nothing.
func TestProvingTurns(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	keys := chaintest.DevnetKeys(t)
	slots := chaintest.Slots(t, 2, 32<<10)
	const period = 128 // 25.6 s at one block per 200 ms: two proofs in turn on a loaded machine
	var roots [][32]byte
	for i, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooWturn" + string(rune('a'+i))}, chaintest.Ether(1))
		})
		roots = append(roots, slots[i].Tree.RootBytes())
	}
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{
			RootCID: []byte("root"), K: 1, M: 1, SlotRoots: roots,
			Duration: 10, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Ether(1),
		})
		return tx, err
	})
	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, id, uint64(i), nil)
		})
	}

	lock := filepath.Join(t.TempDir(), "prove.lock")
	// The test holds the turn first, until the first challenged period is over.
	held, err := prover.Turn(ctx, lock)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait() }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for runCtx.Err() == nil { // a block every 200ms
			e.Sim.Mine(1)
			time.Sleep(200 * time.Millisecond)
		}
	}()
	pr := prover.NewProver(keys)
	type span struct {
		slot       uint64
		start, end time.Time
	}
	var (
		mu       sync.Mutex
		spans    []span
		proven   = map[uint64][]uint64{} // period -> slots
		turnLate = map[uint64]int{}      // period -> answers skipped for a late turn
	)
	for i, p := range e.Providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := deals.RunProvingLoop(runCtx, deals.ProvingLoopConfig{
				Market: p.M,
				Slots:  func() []chain.SlotRef { return []chain.SlotRef{{Request: id, Slot: uint64(i)}} },
				Poll:   100 * time.Millisecond,
				Turn:   func(ctx context.Context) (func(), error) { return prover.Turn(ctx, lock) },
				Prove: func(ctx context.Context, _ chain.RequestID, slot uint64, c fr.Element) ([]byte, error) {
					s := span{slot: slot, start: time.Now()}
					proof, err := pr.Prove(ctx, slots[slot].Data, slots[slot].Tree, c)
					s.end = time.Now()
					mu.Lock()
					spans = append(spans, s)
					mu.Unlock()
					if err != nil {
						return nil, err
					}
					return proof.Solidity(), nil
				},
				OnAnswer: func(ref chain.SlotRef, a deals.Answer, err error) {
					if err != nil {
						t.Errorf("proving loop of slot %d: %v", ref.Slot, err)
					}
					mu.Lock()
					defer mu.Unlock()
					if a.Submitted {
						proven[a.Period] = append(proven[a.Period], ref.Slot)
					}
					if a.Skipped == "proving turn came after the period" {
						turnLate[a.Period]++
					}
				},
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}

	// Hold the turn past the first challenged period's deadline: both loops wait for it and
	// then give up.
	var first chain.Challenge
	for !first.Required || first.Entropy == [32]byte{} {
		if ctx.Err() != nil {
			t.Fatal("the slot was never challenged")
		}
		time.Sleep(100 * time.Millisecond)
		if first, err = e.Providers[0].M.Challenge(ctx, id, 0); err != nil {
			t.Fatal(err)
		}
	}
	for {
		head, err := e.Providers[0].M.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if head >= first.Deadline {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the chain did not reach the first period's deadline")
		}
		time.Sleep(100 * time.Millisecond)
	}
	held()

	// Then each slot is proven, in its turn.
	for {
		mu.Lock()
		seen := map[uint64]bool{}
		for _, s := range proven {
			for _, slot := range s {
				seen[slot] = true
			}
		}
		msg := fmt.Sprint(proven)
		mu.Unlock()
		if len(seen) == 2 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("not every slot proven before the deadline: %s", msg)
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	if len(proven[first.Period]) != 0 || turnLate[first.Period] != 2 {
		t.Errorf("period %d, whose turn came after its deadline: proven by slots %v, %d answers skipped for the late turn; want none and 2",
			first.Period, proven[first.Period], turnLate[first.Period])
	}
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.start.Before(b.end) && b.start.Before(a.end) {
				t.Errorf("proofs of slots %d and %d overlapped: %v-%v and %v-%v", a.slot, b.slot,
					a.start.Format(time.StampMicro), a.end.Format(time.StampMicro), b.start.Format(time.StampMicro), b.end.Format(time.StampMicro))
			}
		}
	}
	if len(spans) < 2 {
		t.Errorf("%d proofs made, want at least 2", len(spans))
	}
}
