package sharding_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

// FuzzUnmarshalManifest: decoding never panics, and whatever decodes re-encodes to the same bytes
// and passes Validate, Leaves and a LeafVerifier setup. Seeds: manifests of several shapes (more in
// testdata/fuzz).
func FuzzUnmarshalManifest(f *testing.F) {
	for _, size := range []int{0, 1, 999, 5000, 200 * 1000} {
		m := placed(f, randomBytes(size, uint64(size)))
		b, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if len(b) > 64 {
			f.Add(b[:len(b)/2])
		}
	}
	// A striped manifest (version 3).
	striped, err := sharding.Import(context.Background(), bytes.NewReader(randomBytes(20000, 3)), sharding.Params{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096}, nil)
	if err != nil {
		f.Fatal(err)
	}
	if b, err := striped.Marshal(); err != nil || striped.StripeSize == 0 {
		f.Fatalf("striped seed: stripe %d, %v", striped.StripeSize, err)
	} else {
		f.Add(b)
	}
	// The same written as a build before chunk hashes wrote it (version 3, where the importer's
	// manifests are versions 5 to 8).
	old := *striped
	old.PieceHash = sharding.PieceSHA256
	if b, err := old.Marshal(); err != nil {
		f.Fatal(err)
	} else {
		f.Add(b)
	}
	tr, err := sharding.ImportDir(context.Background(), "testdata/site", 4096)
	if err != nil {
		f.Fatal(err)
	}
	m, err := sharding.ImportTree(context.Background(), tr, sharding.Params{K: 2, M: 1, PieceSize: 1024}, nil)
	if err != nil {
		f.Fatal(err)
	}
	b, err := m.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("DSTM"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := sharding.UnmarshalManifest(b)
		if err != nil {
			return
		}
		again, err := m.Marshal()
		if err != nil {
			t.Fatalf("decoded manifest does not re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("re-encoding differs from the input")
		}
		leaves, err := m.Leaves()
		if err != nil {
			t.Fatal(err)
		}
		var off int64
		for _, l := range leaves {
			if l.Offset != off {
				t.Fatalf("leaf at %d, want %d", l.Offset, off)
			}
			off += l.Size
		}
		if off != m.Size {
			t.Fatalf("leaves cover %d of %d bytes", off, m.Size)
		}
		if _, err := sharding.NewLeafVerifier(m); err != nil {
			t.Fatal(err)
		}
		_ = m.Span(0, m.Size)
		// Every segment's layout holds it in whole units.
		for j := range min(m.NumSegments(), 64) {
			l := m.SegmentLayout(j)
			if l.Unit <= 0 || l.PieceSize%l.Unit != 0 || int64(l.K)*l.PieceSize < m.SegmentLength(j) {
				t.Fatalf("segment %d of %d bytes: layout %+v", j, m.SegmentLength(j), l)
			}
			from, to := l.Columns(0, m.SegmentLength(j))
			for i := range from {
				if from[i] < 0 || to[i] > l.PieceSize || from[i] > to[i] {
					t.Fatalf("segment %d piece %d: columns [%d, %d) of a %d-byte piece", j, i, from[i], to[i], l.PieceSize)
				}
			}
		}
		if _, err := m.Index(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseChunker: never panics; accepted sizes are within limits.
func FuzzParseChunker(f *testing.F) {
	for _, s := range []string{"", "default", "size-262144", "size-0", "size-x", "rabin", "size-99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := sharding.ParseChunker(s)
		if err == nil && (n < 1 || n > sharding.MaxChunkSize) {
			t.Fatalf("ParseChunker(%q) = %d", s, n)
		}
	})
}
