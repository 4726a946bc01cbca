package prover

import (
	"context"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/test"
)

func assign(t testing.TB, slot Slot, tree *Tree, ch fr.Element) *Circuit {
	t.Helper()
	c, err := Assign(context.Background(), slot, tree, ch)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCircuitAgainstReference checks the circuit on assignments built by the
// plain-Go commitment, for slots of several sizes (full, partial, one cell).
func TestCircuitAgainstReference(t *testing.T) {
	p := TestParams
	assert := test.NewAssert(t)
	for _, size := range []int{1, 5*p.CellSize + 17, 64 * p.CellSize} {
		slot := randomSlot(t, size, uint64(size))
		tree := mustCommit(t, slot, p)
		if tree.Root() != refRoot(p, slot) {
			t.Fatal("tree root differs from the reference")
		}
		ch := testChallenge(byte(size))
		assert.CheckCircuit(NewCircuit(p),
			test.WithValidAssignment(assign(t, slot, tree, ch)),
			test.WithBackends(backend.GROTH16), test.WithCurves(ecc.BN254), test.NoSerializationChecks())
	}
}

// TestCircuitSoundness: each tampered witness must be rejected.
func TestCircuitSoundness(t *testing.T) {
	p := TestParams
	slot := randomSlot(t, 40*p.CellSize+7, 11)
	tree := mustCommit(t, slot, p)
	otherTree := mustCommit(t, randomSlot(t, 40*p.CellSize+7, 12), p)
	ch := testChallenge(1)
	idx0, _ := sampleIndex(ch, 0, tree.Cells())

	tests := []struct {
		name   string
		tamper func(c *Circuit)
	}{
		{"wrong cell byte", func(c *Circuit) {
			e := c.Samples[0].Cell[2].(fr.Element)
			var one fr.Element
			one.SetOne()
			e.Add(&e, &one)
			c.Samples[0].Cell[2] = e
		}},
		{"wrong path", func(c *Circuit) {
			e := c.Samples[1].Path[3].(fr.Element)
			e.Double(&e)
			c.Samples[1].Path[3] = e
		}},
		{"other root", func(c *Circuit) { c.SlotRoot = otherTree.Root() }},
		{"other challenge (replay with other entropy)", func(c *Circuit) { c.Challenge = testChallenge(2) }},
		{"other slot index (replay for another slot)", func(c *Circuit) {
			var e, r [32]byte
			e[0], r[0] = 1, 7
			c.Challenge = Challenge(e, r, 2, [20]byte{0xaa})
		}},
		{"other provider", func(c *Circuit) {
			var e, r [32]byte
			e[0], r[0] = 1, 7
			c.Challenge = Challenge(e, r, 1, [20]byte{0xbb})
		}},
		{"wrong cell count", func(c *Circuit) { c.NCells = tree.Cells() + 1 }},
		{"index not derived from the challenge", func(c *Circuit) {
			// Open a different cell, honestly, and claim it as sample 0.
			other := (idx0 + 1) % tree.Cells()
			op, err := tree.Open(context.Background(), slot, other)
			if err != nil {
				t.Fatal(err)
			}
			for k, e := range cellElements(op.Cell, p.CellSize, nil) {
				c.Samples[0].Cell[k] = e
			}
			for k, e := range op.Path {
				c.Samples[0].Path[k] = e
			}
		}},
		{"index shifted through the quotient", func(c *Circuit) {
			c.Samples[0].Quotient = c.Samples[0].Quotient.(uint64) - 1
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := assign(t, slot, tree, ch)
			tc.tamper(c)
			test.NewAssert(t).CheckCircuit(NewCircuit(p),
				test.WithInvalidAssignment(c),
				test.WithBackends(backend.GROTH16), test.WithCurves(ecc.BN254), test.NoSerializationChecks())
		})
	}
}
