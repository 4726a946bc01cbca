package sharding

import (
	"crypto/sha256"
	"sort"
)

// LeafSpan returns the indexes [lo, hi) of the leaves (in file order, as Leaves returns them) that
// hold some of the file bytes [off, off+n). Reading leaves[lo].Offset up to the end of leaves[hi-1]
// is the byte range widened to leaf boundaries: the smallest read whose every byte can be checked
// against a leaf CID. It returns lo == hi when the range is empty or outside the leaves.
func LeafSpan(leaves []Leaf, off, n int64) (lo, hi int) {
	if n <= 0 || off < 0 || len(leaves) == 0 {
		return 0, 0
	}
	end := off + n
	if end < off { // overflow
		end = leaves[len(leaves)-1].Offset + leaves[len(leaves)-1].Size
	}
	// The first leaf that ends after off, and the first leaf that starts at or after end.
	lo = sort.Search(len(leaves), func(i int) bool { return leaves[i].Offset+leaves[i].Size > off })
	hi = sort.Search(len(leaves), func(i int) bool { return leaves[i].Offset >= end })
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// NewLeafRangeVerifier returns a verifier of the run of leaves [lo, hi) of a file (leaves is Leaves'
// result, lo and hi typically from LeafSpan): the bytes are written from leaves[lo].Offset on,
// Verified reports file offsets, a *LeafError names the leaf by its index in the file, and Close
// fails unless every byte of the run was written.
func NewLeafRangeVerifier(leaves []Leaf, lo, hi int) *LeafVerifier {
	return &LeafVerifier{leaves: leaves[lo:hi], base: lo, h: sha256.New()}
}
