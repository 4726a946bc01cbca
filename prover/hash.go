package prover

import (
	"encoding/binary"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Native Poseidon2 hashing shared by the commitment, the witness builder and
// the plain-Go reference the circuit is tested against. The circuit in
// circuit.go mirrors every function here.
//
//   - compress(a, b) = P2(a, b)[1] + b: gnark-crypto's 2-to-1 Poseidon2
//     compression (width 2, 6 full and 50 partial rounds), used for Merkle
//     nodes, the slot root and index derivation.
//   - leafHash(cell): the cell's bytes cut in 31-byte big-endian chunks, one
//     field element each, absorbed 15 at a time into a width-16 Poseidon2
//     sponge (8 full, 57 partial rounds) whose capacity element starts as the
//     number of elements; the leaf is the first rate element.

const (
	leafFullRounds    = 8
	leafPartialRounds = 57
	compFullRounds    = 6
	compPartialRounds = 50
)

var (
	leafPerm = sync.OnceValue(func() *poseidon2.Permutation {
		return poseidon2.NewPermutation(leafWidth, leafFullRounds, leafPartialRounds)
	})
	compPerm = sync.OnceValue(func() *poseidon2.Permutation {
		return poseidon2.NewPermutation(2, compFullRounds, compPartialRounds)
	})
)

// compress is the 2-to-1 Poseidon2 compression with feed-forward.
func compress(a, b fr.Element) fr.Element {
	x := [2]fr.Element{a, b}
	if err := compPerm().Permutation(x[:]); err != nil {
		panic(err) // the width is fixed above: cannot happen
	}
	x[1].Add(&x[1], &b)
	return x[1]
}

// cellElements packs a cell into field elements. cell may be shorter than
// cellSize; the missing bytes are zeros.
func cellElements(cell []byte, cellSize int, dst []fr.Element) []fr.Element {
	m := (cellSize + bytesPerElement - 1) / bytesPerElement
	dst = dst[:0]
	var chunk [bytesPerElement]byte
	for k := 0; k < m; k++ {
		lo, hi := k*bytesPerElement, min((k+1)*bytesPerElement, cellSize)
		n := hi - lo
		clear(chunk[:])
		if lo < len(cell) {
			copy(chunk[:n], cell[lo:min(hi, len(cell))])
		}
		var e fr.Element
		e.SetBytes(chunk[:n])
		dst = append(dst, e)
	}
	return dst
}

// hashElements is the width-16 sponge over a fixed number of elements.
func hashElements(elems []fr.Element) fr.Element {
	var s [leafWidth]fr.Element
	s[0].SetUint64(uint64(len(elems)))
	for off := 0; off < len(elems); off += leafRate {
		for j := 0; j < leafRate && off+j < len(elems); j++ {
			s[1+j].Add(&s[1+j], &elems[off+j])
		}
		if err := leafPerm().Permutation(s[:]); err != nil {
			panic(err)
		}
	}
	return s[1]
}

// leafHash hashes one cell (zero-padded to cellSize) to its leaf.
func leafHash(cell []byte, cellSize int, scratch []fr.Element) fr.Element {
	return hashElements(cellElements(cell, cellSize, scratch))
}

// zeroNodes returns Z[0..depth]: Z[0] = 0 is the leaf of a cell past the end
// of the slot, Z[k+1] = compress(Z[k], Z[k]).
func zeroNodes(depth int) []fr.Element {
	z := make([]fr.Element, depth+1)
	for k := 0; k < depth; k++ {
		z[k+1] = compress(z[k], z[k])
	}
	return z
}

// slotRoot binds the Merkle root to the number of cells.
func slotRoot(treeRoot fr.Element, cells uint64) fr.Element {
	var n fr.Element
	n.SetUint64(cells)
	return compress(treeRoot, n)
}

// indicesPerHash is how many 64-bit index words one compress output gives
// (bits 0-63, 64-127, 128-191 of the canonical value).
const indicesPerHash = 3

// sampleIndex derives the j-th cell index from the challenge: the
// (j mod 3)-th 64-bit word of compress(challenge, j/3), modulo the number of
// cells. It also returns the quotient the circuit needs as a witness.
func sampleIndex(challenge fr.Element, j int, cells uint64) (idx, quo uint64) {
	var k fr.Element
	k.SetUint64(uint64(j / indicesPerHash))
	h := compress(challenge, k)
	b := h.Bytes() // big-endian canonical
	m := j % indicesPerHash
	r := binary.BigEndian.Uint64(b[fr.Bytes-8*(m+1) : fr.Bytes-8*m])
	return r % cells, r / cells
}

// SampleIndices returns the S cell indices a proof for challenge must open in
// a slot of the given number of cells.
func SampleIndices(p Params, challenge fr.Element, cells uint64) []uint64 {
	out := make([]uint64, p.Samples)
	for j := range out {
		out[j], _ = sampleIndex(challenge, j, cells)
	}
	return out
}
