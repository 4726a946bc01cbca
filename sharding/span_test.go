package sharding_test

import (
	"bytes"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

func TestSpan(t *testing.T) {
	// Segments of 4 x 1024 bytes; the file ends 130 bytes into segment 3 (pieces of 64 there).
	data := randomBytes(3*4096+130, 9)
	m, segs := importAll(t, data, testParams)
	tests := []struct {
		name   string
		off, n int64
		want   []sharding.PieceRange
	}{
		{name: "inside one piece", off: 10, n: 20, want: []sharding.PieceRange{{Segment: 0, Piece: 0, Offset: 10, Length: 20}}},
		{name: "across a piece boundary", off: 1000, n: 100, want: []sharding.PieceRange{{0, 0, 1000, 24}, {0, 1, 0, 76}}},
		{name: "across a segment boundary", off: 4090, n: 12, want: []sharding.PieceRange{{0, 3, 1018, 6}, {1, 0, 0, 6}}},
		{name: "whole piece", off: 4096 + 1024, n: 1024, want: []sharding.PieceRange{{1, 1, 0, 1024}}},
		{name: "into the short last segment", off: 3*4096 - 1, n: 100, want: []sharding.PieceRange{{2, 3, 1023, 1}, {3, 0, 0, 64}, {3, 1, 0, 35}}},
		{name: "clipped at the end", off: 3*4096 + 120, n: 1000, want: []sharding.PieceRange{{3, 1, 56, 8}, {3, 2, 0, 2}}},
		{name: "past the end", off: int64(len(data)), n: 10},
		{name: "empty", off: 5, n: 0},
		{name: "negative", off: -1, n: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Span(tt.off, tt.n)
			if len(got) != len(tt.want) {
				t.Fatalf("Span(%d, %d) = %+v, want %+v", tt.off, tt.n, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("Span(%d, %d) = %+v, want %+v", tt.off, tt.n, got, tt.want)
				}
			}
		})
	}
	// Every range read through Span equals the file bytes.
	for off := int64(0); off < int64(len(data)); off += 397 {
		for _, n := range []int64{1, 64, 1000, 5000} {
			var got []byte
			for _, r := range m.Span(off, n) {
				if r.Piece >= m.K {
					t.Fatalf("Span names parity piece %d", r.Piece)
				}
				got = append(got, segs[r.Segment].Pieces[r.Piece][r.Offset:r.Offset+r.Length]...)
			}
			end := min(off+n, int64(len(data)))
			if !bytes.Equal(got, data[off:end]) {
				t.Fatalf("Span(%d, %d) reads other bytes", off, n)
			}
		}
	}
}
