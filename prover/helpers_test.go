package prover

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// randomSlot returns size deterministic pseudo-random bytes.
func randomSlot(t testing.TB, size int, seed uint64) BytesSlot {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func mustCommit(t testing.TB, slot Slot, p Params) *Tree {
	t.Helper()
	tree, err := Commit(context.Background(), slot, p)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return tree
}

func testChallenge(seed byte) fr.Element {
	var e, r [32]byte
	e[0] = seed
	r[0] = 7
	return Challenge(e, r, 1, [20]byte{0xaa})
}

// refRoot computes the slot root the slow, obvious way: every leaf, a full
// tree of 2^MaxDepth leaves with zero leaves past the end.
func refRoot(p Params, data []byte) fr.Element {
	cells := NumCells(p, int64(len(data)))
	level := make([]fr.Element, 1<<p.MaxDepth)
	for i := uint64(0); i < cells; i++ {
		lo := int(i) * p.CellSize
		hi := min(lo+p.CellSize, len(data))
		var cell []byte
		if lo < len(data) {
			cell = data[lo:hi]
		}
		level[i] = leafHash(cell, p.CellSize, nil)
	}
	for len(level) > 1 {
		next := make([]fr.Element, len(level)/2)
		for i := range next {
			next[i] = compress(level[2*i], level[2*i+1])
		}
		level = next
	}
	return slotRoot(level[0], cells)
}
