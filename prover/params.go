package prover

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// CircuitVersion names the circuit's shape and hashing rules. It is part of
// every key file name, so changing the circuit code must change it.
const CircuitVersion = "por-v1"

// Params fixes the shape of the proof-of-retrievability circuit. Every
// (Samples, MaxDepth, CellSize) triple is a different circuit with its own keys.
type Params struct {
	// Samples is S, the number of cells opened per proof.
	Samples int
	// MaxDepth is the depth of the fixed-shape Merkle tree: a slot may hold at
	// most 2^MaxDepth cells, i.e. CellSize << MaxDepth bytes.
	MaxDepth int
	// CellSize is the number of slot bytes hashed into one leaf.
	CellSize int
}

var (
	// DevnetParams is used by the devnet, the chain tests and the committed
	// Solidity verifier: 20 samples of 1 KiB cells, slots up to 4 GiB
	// (about 127k constraints: under the 2^17 FFT domain).
	DevnetParams = Params{Samples: 20, MaxDepth: 22, CellSize: 1024}
	// TestParams is a small circuit for unit tests: 3 samples of 128-byte
	// cells, slots up to 8 KiB.
	TestParams = Params{Samples: 3, MaxDepth: 6, CellSize: 128}
)

const (
	bytesPerElement = 31 // bytes packed into one BN254 field element
	leafWidth       = 16 // Poseidon2 width of the leaf sponge
	leafRate        = leafWidth - 1
	maxCellSize     = 1 << 20
	maxSamples      = 1024
	maxDepthLimit   = 40
)

// Validate reports what is wrong with p, if anything.
func (p Params) Validate() error {
	switch {
	case p.Samples < 1 || p.Samples > maxSamples:
		return fmt.Errorf("%w: samples %d not in [1, %d]", ErrInvalidParams, p.Samples, maxSamples)
	case p.MaxDepth < 1 || p.MaxDepth > maxDepthLimit:
		return fmt.Errorf("%w: max depth %d not in [1, %d]", ErrInvalidParams, p.MaxDepth, maxDepthLimit)
	case p.CellSize < bytesPerElement || p.CellSize > maxCellSize:
		return fmt.Errorf("%w: cell size %d not in [%d, %d]", ErrInvalidParams, p.CellSize, bytesPerElement, maxCellSize)
	}
	return nil
}

// CellElements is the number of field elements a cell packs into.
func (p Params) CellElements() int {
	return (p.CellSize + bytesPerElement - 1) / bytesPerElement
}

// MaxSlotSize is the largest slot, in bytes, these parameters can prove.
func (p Params) MaxSlotSize() int64 {
	return int64(p.CellSize) << p.MaxDepth
}

// ID is a short, stable digest of the parameters and CircuitVersion. Key
// files are named after it.
func (p Params) ID() string {
	h := sha256.New()
	h.Write([]byte(CircuitVersion))
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], uint64(p.Samples))
	binary.BigEndian.PutUint64(b[8:], uint64(p.MaxDepth))
	binary.BigEndian.PutUint64(b[16:], uint64(p.CellSize))
	h.Write(b[:])
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// String describes p for logs and file names.
func (p Params) String() string {
	return fmt.Sprintf("%s-s%d-d%d-c%d", CircuitVersion, p.Samples, p.MaxDepth, p.CellSize)
}
