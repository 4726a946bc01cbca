package prover

import (
	"context"
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// benchParams are the S = 10, 20, 40 circuits of the devnet shape. Their keys
// are set up once per machine in $DSTORE_KEYS.
func benchParams() []Params {
	var ps []Params
	for _, s := range []int{10, 20, 40} {
		p := DevnetParams
		p.Samples = s
		ps = append(ps, p)
	}
	return ps
}

// BenchmarkProve: go test -bench Prove -run '^$' ./prover
func BenchmarkProve(b *testing.B) {
	for _, p := range benchParams() {
		b.Run(fmt.Sprintf("S=%d", p.Samples), func(b *testing.B) {
			k, err := LoadOrSetup(context.Background(), p)
			if err != nil {
				b.Fatal(err)
			}
			slot := randomSlot(b, 8<<20, 1)
			tree := mustCommit(b, slot, p)
			pr := NewProver(k)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				var ch fr.Element
				ch.SetUint64(uint64(i))
				if _, err := pr.Prove(context.Background(), slot, tree, ch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(k.cs.GetNbConstraints()/p.Samples), "constraints/sample")
			b.ReportMetric(float64(k.cs.GetNbConstraints()), "constraints")
			b.ReportMetric(ProofSize, "proof-bytes")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	p := DevnetParams
	k, err := LoadOrSetup(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	slot := randomSlot(b, 1<<20, 1)
	tree := mustCommit(b, slot, p)
	var ch fr.Element
	ch.SetUint64(7)
	proof, err := NewProver(k).Prove(context.Background(), slot, tree, ch)
	if err != nil {
		b.Fatal(err)
	}
	pub := PublicInputs{Root: tree.Root(), Challenge: ch}
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(k.VK, pub, proof); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommit: slot commitment throughput (all cores); compare with
// BenchmarkPoseidon2Raw (one core).
func BenchmarkCommit(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			slot := randomSlot(b, 8<<20, 1)
			b.SetBytes(int64(len(slot)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Commit(context.Background(), slot, DevnetParams, WithWorkers(workers)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPoseidon2Raw: gnark-crypto permutations, bytes = 31 per absorbed element.
func BenchmarkPoseidon2Raw(b *testing.B) {
	for _, w := range []struct {
		name  string
		width int
		perm  func([]fr.Element) error
	}{{"width16", leafWidth, leafPerm().Permutation}, {"width2", 2, compPerm().Permutation}} {
		b.Run(w.name, func(b *testing.B) {
			s := make([]fr.Element, w.width)
			b.SetBytes(int64((w.width - 1) * bytesPerElement))
			for b.Loop() {
				_ = w.perm(s)
			}
		})
	}
}
