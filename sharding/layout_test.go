package sharding

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestLayoutColumns checks Columns, Scatter and Gather against Locate, byte by byte, for plain and
// striped layouts and every kind of range.
func TestLayoutColumns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, l := range []Layout{{K: 4, PieceSize: 1024, Unit: 256}, {K: 4, PieceSize: 1024, Unit: 1024}, {K: 3, PieceSize: 640, Unit: 64}, {K: 1, PieceSize: 512, Unit: 128}, {K: 5, PieceSize: 192, Unit: 192}} {
		seg := int64(l.K) * l.PieceSize
		src := make([]byte, seg)
		for i := range src {
			src[i] = byte(r.Uint32())
		}
		pieces := make([]byte, seg)
		l.Scatter(pieces, 0, src)
		for range 300 {
			lo := r.Int64N(seg)
			hi := lo + 1 + r.Int64N(seg-lo)
			// Bytes by Locate: each lands where Scatter put it, and the pieces' columns are the runs.
			from, to := l.Columns(lo, hi)
			seen := make([][2]int64, l.K)
			for i := range seen {
				seen[i] = [2]int64{-1, -1}
			}
			for b := lo; b < hi; b++ {
				i, col := l.Locate(b)
				if pieces[int64(i)*l.PieceSize+col] != src[b] {
					t.Fatalf("%+v: byte %d is not at piece %d offset %d", l, b, i, col)
				}
				if seen[i][0] < 0 {
					seen[i][0] = col
				}
				seen[i][1] = col + 1
			}
			for i := range l.K {
				want := seen[i]
				if want[0] < 0 {
					want = [2]int64{0, 0}
				}
				if from[i] != want[0] || to[i] != want[1] {
					t.Fatalf("%+v: Columns(%d, %d) piece %d = [%d, %d), want [%d, %d)", l, lo, hi, i, from[i], to[i], want[0], want[1])
				}
				// One run: every column in it holds a byte of the range.
				if n := to[i] - from[i]; n > 0 && n > (hi-lo) {
					t.Fatalf("%+v: piece %d run of %d bytes for a %d-byte range", l, i, n, hi-lo)
				}
			}
			got := make([]byte, hi-lo)
			l.Gather(got, pieces, lo)
			if !bytes.Equal(got, src[lo:hi]) {
				t.Fatalf("%+v: Gather(%d, %d) differs", l, lo, hi)
			}
			part := make([]byte, seg)
			l.Scatter(part, lo, src[lo:hi])
			l.Gather(got, part, lo)
			if !bytes.Equal(got, src[lo:hi]) {
				t.Fatalf("%+v: Scatter then Gather (%d, %d) differs", l, lo, hi)
			}
		}
	}
}

// TestStripedManifest imports a file in the default (striped) layout: its short last segment
// holds whole units, its manifest survives a round trip, and a plain layout written as striped
// is refused.
func TestStripedManifest(t *testing.T) {
	data := make([]byte, 3<<20+12345)
	for i := range data {
		data[i] = byte(i * 7)
	}
	m, err := Import(context.Background(), bytes.NewReader(data), Params{K: 4, M: 2, PieceSize: 512 << 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.StripeSize != DefaultChunkSize {
		t.Fatalf("stripe size %d, want %d", m.StripeSize, DefaultChunkSize)
	}
	last := m.NumSegments() - 1
	l := m.SegmentLayout(last)
	if l.PieceSize%l.Unit != 0 || l.Unit > m.StripeSize || int64(l.K)*l.PieceSize < m.SegmentLength(last) {
		t.Fatalf("last segment layout %+v for %d bytes", l, m.SegmentLength(last))
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.StripeSize != m.StripeSize || back.Version != m.Version {
		t.Fatalf("round trip: stripe %d version %d, want %d and %d", back.StripeSize, back.Version, m.StripeSize, m.Version)
	}
	plain := *m
	plain.StripeSize = plain.PieceSize
	if _, err := plain.Marshal(); !errors.Is(err, ErrInvalidManifest) {
		t.Fatalf("a stripe as large as the piece: %v, want ErrInvalidManifest", err)
	}
	// Every segment's pieces, encoded again from the file, are the ones the import hashed.
	for j := range m.NumSegments() {
		seg, err := EncodeSegment(bytes.NewReader(data), m, j)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range seg.Pieces {
			if m.PieceSum(p) != m.Segments[j][i] {
				t.Fatalf("segment %d piece %d encoded again does not match the import's hash", j, i)
			}
		}
		got := make([]byte, seg.Length)
		m.SegmentLayout(j).Gather(got, bytes.Join(seg.Pieces[:m.K], nil), 0)
		if !bytes.Equal(got, data[seg.Offset:seg.Offset+seg.Length]) {
			t.Fatalf("segment %d: its data pieces gathered are not the file", j)
		}
	}
}

// TestEncodePiecesIntoDirtyBuffer: a reused buffer holds the last segment's bytes; every segment
// encoded into it, full or short, striped or plain, gives the pieces its manifest hashes.
func TestEncodePiecesIntoDirtyBuffer(t *testing.T) {
	for _, p := range []Params{
		{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096},                   // stripes of a chunk
		{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096, StripeSize: 4096}, // plain
		{K: 3, M: 2, ChunkSize: 2048, PieceSize: 8192, StripeSize: 1024}, // stripes of half a chunk
	} {
		data := make([]byte, 5*p.SegmentSize()-3000)
		rand.NewChaCha8([32]byte{4}).Read(data)
		m, err := Import(context.Background(), bytes.NewReader(data), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		buf := bytes.Repeat([]byte{0xff}, (m.K+m.M)*int(m.PieceSize))
		for j := range m.NumSegments() {
			seg, err := EncodePiecesInto(bytes.NewReader(data), m, j, buf)
			if err != nil {
				t.Fatal(err)
			}
			for i, pc := range seg.Pieces {
				if m.PieceSum(pc) != m.Segments[j][i] {
					t.Fatalf("stripe %d: segment %d piece %d encoded into a used buffer differs from the import's", m.StripeSize, j, i)
				}
			}
		}
	}
}
