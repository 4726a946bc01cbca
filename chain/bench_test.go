package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/bindings"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// BenchmarkSubmitProof reports the gas of submitProof (on-chain Groth16
// verification, bookkeeping and payment) and the wall time of the transaction,
// proving excluded: go test -run '^$' -bench SubmitProof ./chain/
func BenchmarkSubmitProof(b *testing.B) {
	e := chaintest.New(b, chain.DeployConfig{}, 1)
	slots := chaintest.Slots(b, 1, 32<<10)
	p := e.Providers[0]
	const period = 8
	chaintest.Do(b, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooWbench"}, chaintest.Ether(1))
	})
	var id chain.RequestID
	chaintest.Do(b, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{
			RootCID: []byte("root"), K: 1, SlotRoots: [][32]byte{slots[0].Tree.RootBytes()},
			Duration: 1 << 20, ProofPeriod: period, ProofProbability: 1,
			PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Ether(1),
		})
		return tx, err
	})
	tx := chaintest.Do(b, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FillSlot(ctx, id, 0, nil) })
	next := tx.Block/period + 1
	var gas, verifyGas uint64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		e.MineToPeriod(b, period, next)
		ch, proof := chaintest.Prove(b, p, id, 0, slots[0])
		if verifyGas == 0 { // the verifier alone, as a transaction of its own
			rb := slots[0].Tree.RootBytes()
			root := new(big.Int).SetBytes(rb[:])
			data := bindings.NewGroth16Verifier().PackVerifyProof(proof, [2]*big.Int{root, ch.Value})
			g, err := e.Sim.Client().EstimateGas(context.Background(), ethereum.CallMsg{From: p.Addr, To: &e.Dep.Verifier, Data: data})
			if err != nil {
				b.Fatal(err)
			}
			verifyGas = g
		}
		b.StartTimer()
		tx := chaintest.Do(b, p, "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.SubmitProof(ctx, id, 0, proof)
		})
		gas += tx.GasUsed
		next++
	}
	b.ReportMetric(float64(gas)/float64(b.N), "gas/op")
	b.ReportMetric(float64(verifyGas), "verify-gas")
}
