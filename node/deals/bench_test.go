package deals_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/prover"
)

// BenchmarkFirstProof measures, on a chain mining one block a second with 10-block
// periods (the devnet's settings), the time from a slot's fill to its first proof
// accepted on chain, with the proving loop and the real prover:
// go test -run '^$' -bench FirstProof -benchtime 1x ./node/deals/
func BenchmarkFirstProof(b *testing.B) {
	keys := chaintest.DevnetKeys(b)
	pr := prover.NewProver(keys)
	slots := chaintest.Slots(b, 1, 32<<10)
	var total time.Duration
	for range b.N {
		b.StopTimer()
		e := chaintest.New(b, chain.DeployConfig{}, 1)
		p := e.Providers[0]
		chaintest.Do(b, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooWfirst"}, chaintest.Ether(1))
		})
		var id chain.RequestID
		chaintest.Do(b, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
			id, tx, err = m.CreateRequest(ctx, chain.Request{
				RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{slots[0].Tree.RootBytes()},
				Duration: 100, ProofPeriod: 10, ProofProbability: 1, PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Ether(1),
			})
			return tx, err
		})
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					e.Sim.Mine(1)
				}
			}
		}()
		first := make(chan struct{})
		var once sync.Once
		b.StartTimer()
		start := time.Now()
		chaintest.Do(b, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FillSlot(ctx, id, 0, nil) })
		loopDone := make(chan error, 1)
		go func() {
			loopDone <- deals.RunProvingLoop(ctx, deals.ProvingLoopConfig{
				Market: p.M,
				Slots:  func() []chain.SlotRef { return []chain.SlotRef{{Request: id}} },
				Poll:   200 * time.Millisecond,
				Prove: func(ctx context.Context, _ chain.RequestID, _ uint64, c fr.Element) ([]byte, error) {
					proof, err := pr.Prove(ctx, slots[0].Data, slots[0].Tree, c)
					if err != nil {
						return nil, err
					}
					return proof.Solidity(), nil
				},
				OnAnswer: func(_ chain.SlotRef, a deals.Answer, _ error) {
					if a.Submitted {
						once.Do(func() { close(first) })
					}
				},
			})
		}()
		select {
		case <-first:
		case <-time.After(2 * time.Minute):
			b.Fatal("no proof within 2 minutes")
		}
		total += time.Since(start)
		cancel()
		if err := <-loopDone; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s-to-first-proof")
}
