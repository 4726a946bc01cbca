package prover

import (
	"context"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
)

// Assign builds the full circuit assignment proving that slot, committed to
// by tree, answers challenge: it derives the S indices, opens those cells
// and fills in the witness.
func Assign(ctx context.Context, slot Slot, tree *Tree, challenge fr.Element) (*Circuit, error) {
	p := tree.params
	c := NewCircuit(p)
	c.SlotRoot = tree.root
	c.Challenge = challenge
	c.NCells = tree.cells
	scratch := make([]fr.Element, 0, p.CellElements())
	for j := range c.Samples {
		idx, quo := sampleIndex(challenge, j, tree.cells)
		op, err := tree.Open(ctx, slot, idx)
		if err != nil {
			return nil, fmt.Errorf("prover: open sample %d (cell %d): %w", j, idx, err)
		}
		s := &c.Samples[j]
		s.Quotient = quo
		for k, e := range cellElements(op.Cell, p.CellSize, scratch) {
			s.Cell[k] = e
		}
		for k, e := range op.Path {
			s.Path[k] = e
		}
	}
	return c, nil
}

// PublicAssignment returns the circuit assignment of only the public inputs.
func PublicAssignment(p Params, pub PublicInputs) *Circuit {
	c := NewCircuit(p)
	c.SlotRoot = pub.Root
	c.Challenge = pub.Challenge
	return c
}

var _ frontend.Circuit = (*Circuit)(nil)
