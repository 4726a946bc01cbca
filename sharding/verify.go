package sharding

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
)

// LeafVerifier checks file bytes, written in order, against the leaves of a manifest's DAG.
// Write fails with a *LeafError as soon as a leaf's bytes do not hash to its CID; Close fails with
// ErrShortFile unless the whole file was written. It holds one hash state, never a leaf's bytes.
type LeafVerifier struct {
	leaves []Leaf
	base   int   // index in the file of leaves[0]
	cur    int   // leaf being hashed
	got    int64 // bytes of it hashed so far
	h      hash.Hash
	err    error
}

var _ io.WriteCloser = (*LeafVerifier)(nil)

// NewLeafVerifier returns a verifier for the file that m describes (m's DAG is checked first).
func NewLeafVerifier(m *Manifest) (*LeafVerifier, error) {
	leaves, err := m.Leaves()
	if err != nil {
		return nil, err
	}
	return &LeafVerifier{leaves: leaves, h: sha256.New()}, nil
}

// Write hashes p into the current leaves. It reports len(p) on success; on a mismatch it reports
// the bytes accepted before the bad leaf began, and every later call returns the same error.
func (v *LeafVerifier) Write(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n := 0
	for len(p) > 0 {
		if v.cur >= len(v.leaves) {
			v.err = fmt.Errorf("%w: %d bytes past the end", ErrLongFile, len(p))
			return n, v.err
		}
		l := v.leaves[v.cur]
		take := min(int64(len(p)), l.Size-v.got)
		v.h.Write(p[:take])
		v.got += take
		p = p[take:]
		if err := v.finishLeaves(); err != nil {
			return n, err
		}
		n += int(take)
	}
	return n, nil
}

// finishLeaves checks every leaf whose bytes are all in (and empty leaves, which need none).
func (v *LeafVerifier) finishLeaves() error {
	for v.cur < len(v.leaves) && v.got == v.leaves[v.cur].Size {
		l := v.leaves[v.cur]
		if !bytes.Equal(v.h.Sum(nil), digest(l.CID)) {
			v.err = &LeafError{Index: v.base + v.cur, Offset: l.Offset, Size: l.Size, CID: l.CID}
			return v.err
		}
		v.h.Reset()
		v.cur++
		v.got = 0
	}
	return nil
}

// Verified is the number of file bytes in leaves that have been checked so far.
func (v *LeafVerifier) Verified() int64 {
	if v.cur >= len(v.leaves) {
		if len(v.leaves) == 0 {
			return 0
		}
		l := v.leaves[len(v.leaves)-1]
		return l.Offset + l.Size
	}
	return v.leaves[v.cur].Offset
}

// Close reports whether the whole file was written and matched.
func (v *LeafVerifier) Close() error {
	if v.err != nil {
		return v.err
	}
	if err := v.finishLeaves(); err != nil {
		return err
	}
	if v.cur < len(v.leaves) {
		l := v.leaves[v.cur]
		v.err = fmt.Errorf("%w: %d bytes verified, the file has %d", ErrShortFile, l.Offset+v.got, v.leaves[len(v.leaves)-1].Offset+v.leaves[len(v.leaves)-1].Size)
		return v.err
	}
	return nil
}
