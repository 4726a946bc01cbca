// Package field names the proof system's scalar field (BN254's) for the packages that carry its
// elements (tree nodes, Merkle paths, challenges) without building proofs: they import this
// small package rather than gnark's, so gnark stays behind package prover and this seam.
package field

import "github.com/consensys/gnark-crypto/ecc/bn254/fr"

// Element is an element of the scalar field.
type Element = fr.Element

// Bytes is the size of an Element in its canonical big-endian encoding.
const Bytes = fr.Bytes
