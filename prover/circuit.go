package prover

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// Circuit is the proof-of-retrievability relation for one Params:
//
//	public:  SlotRoot, Challenge
//	private: NCells, and per sample j < S the cell's field elements, its
//	         MaxDepth Merkle siblings and the quotient of the index division
//
// It checks, for every j, that idx_j = word_{j mod 3}(compress(Challenge,
// j/3)) mod NCells (64-bit words of the canonical value), that the cell
// hashes to a leaf whose path (directions = the bits of idx_j) leads to one
// tree root R, and that compress(R, NCells) = SlotRoot.
// It uses no api.Commit, so Groth16 proofs stay 256 bytes.
type Circuit struct {
	SlotRoot  frontend.Variable `gnark:",public"`
	Challenge frontend.Variable `gnark:",public"`
	NCells    frontend.Variable
	Samples   []Sample

	params Params
}

// Sample is the witness of one opened cell.
type Sample struct {
	Cell     []frontend.Variable // CellElements() packed field elements
	Path     []frontend.Variable // MaxDepth siblings, leaf level first
	Quotient frontend.Variable   // low64(h_j) / NCells
}

// NewCircuit returns an empty circuit of the given shape, for compiling.
func NewCircuit(p Params) *Circuit {
	c := &Circuit{params: p, Samples: make([]Sample, p.Samples)}
	for j := range c.Samples {
		c.Samples[j] = Sample{
			Cell: make([]frontend.Variable, p.CellElements()),
			Path: make([]frontend.Variable, p.MaxDepth),
		}
	}
	return c
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	p := c.params
	comp, err := poseidon2.NewPoseidon2FromParameters(api, 2, compFullRounds, compPartialRounds)
	if err != nil {
		return err
	}
	sponge, err := poseidon2.NewPoseidon2FromParameters(api, leafWidth, leafFullRounds, leafPartialRounds)
	if err != nil {
		return err
	}
	// 1 <= NCells <= 2^MaxDepth
	bits.ToBinary(api, api.Sub(c.NCells, 1), bits.WithNbDigits(p.MaxDepth))

	var root frontend.Variable
	var hb []frontend.Variable
	for j, s := range c.Samples {
		// Index derivation: r = 64-bit word j%3 of compress(Challenge, j/3); idx = r mod NCells.
		if j%indicesPerHash == 0 {
			h := comp.Compress(c.Challenge, j/indicesPerHash)
			hb = bits.ToBinary(api, h) // full width: includes the canonical (< r) check
		}
		m := j % indicesPerHash
		r := bits.FromBinary(api, hb[64*m:64*(m+1)], bits.WithUnconstrainedInputs())
		bits.ToBinary(api, s.Quotient, bits.WithNbDigits(64))
		idx := api.Sub(r, api.Mul(s.Quotient, c.NCells))
		idxBits := bits.ToBinary(api, idx, bits.WithNbDigits(p.MaxDepth))
		bits.ToBinary(api, api.Sub(api.Sub(c.NCells, 1), idx), bits.WithNbDigits(p.MaxDepth)) // idx < NCells

		// Leaf: width-16 sponge over the cell's elements.
		state := make([]frontend.Variable, leafWidth)
		state[0] = len(s.Cell)
		for k := 1; k < leafWidth; k++ {
			state[k] = 0
		}
		for off := 0; off < len(s.Cell); off += leafRate {
			for k := 0; k < leafRate && off+k < len(s.Cell); k++ {
				state[1+k] = api.Add(state[1+k], s.Cell[off+k])
			}
			if err := sponge.Permutation(state); err != nil {
				return err
			}
		}
		cur := state[1]

		// Path.
		for k := 0; k < p.MaxDepth; k++ {
			left := api.Select(idxBits[k], s.Path[k], cur)
			right := api.Sub(api.Add(cur, s.Path[k]), left) // the other one, for free
			cur = comp.Compress(left, right)
		}
		if j == 0 {
			root = cur
		} else {
			api.AssertIsEqual(cur, root)
		}
	}
	api.AssertIsEqual(comp.Compress(root, c.NCells), c.SlotRoot)
	return nil
}
