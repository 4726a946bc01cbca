package sharding_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

func TestImportSegments(t *testing.T) {
	p := sharding.Params{K: 4, M: 2, ChunkSize: 1000, PieceSize: 1024}
	tests := []struct {
		name     string
		size     int
		segments int
		lastPS   int64
	}{
		{name: "empty", size: 0, segments: 0},
		{name: "one byte", size: 1, segments: 1, lastPS: 64},
		{name: "chunk-1", size: 999, segments: 1, lastPS: 256},
		{name: "chunk", size: 1000, segments: 1, lastPS: 256},
		{name: "chunk+1", size: 1001, segments: 1, lastPS: 256},
		{name: "one full segment", size: 4096, segments: 1, lastPS: 1024},
		{name: "short last segment", size: 3*4096 + 130, segments: 4, lastPS: 64},
		{name: "many leaves and nodes", size: 200 * 1000, segments: 49, lastPS: 896},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := randomBytes(tt.size, uint64(tt.size))
			m, segs := importAll(t, data, p)
			want, err := sharding.RootCID(context.Background(), bytes.NewReader(data), p.ChunkSize)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Root.Equals(want) {
				t.Fatalf("Import root %s, RootCID %s", m.Root, want)
			}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			if m.NumSegments() != tt.segments || len(segs) != tt.segments {
				t.Fatalf("%d segments (%d handed out), want %d", m.NumSegments(), len(segs), tt.segments)
			}
			var whole []byte
			var shard int64
			for j, s := range segs {
				if s.Index != j || s.Offset != int64(j)*m.SegmentSize() || s.Length != m.SegmentLength(j) || s.PieceSize != m.SegmentPieceSize(j) {
					t.Fatalf("segment %d: %+v disagrees with the manifest", j, s)
				}
				for i, pc := range s.Pieces {
					if int64(len(pc)) != s.PieceSize || chunkedSHA256(pc, int(m.ChunkSize)) != s.Hashes[i] || s.Hashes[i] != m.Segments[j][i] {
						t.Fatalf("segment %d piece %d: size or hash wrong", j, i)
					}
				}
				whole = append(whole, bytes.Join(s.Pieces[:m.K], nil)[:s.Length]...)
				shard += s.PieceSize
			}
			if !bytes.Equal(whole, data) {
				t.Fatal("data pieces do not reassemble the file")
			}
			if tt.segments > 0 && m.SegmentPieceSize(tt.segments-1) != tt.lastPS {
				t.Fatalf("last piece size %d, want %d", m.SegmentPieceSize(tt.segments-1), tt.lastPS)
			}
			if m.ShardSize() != shard {
				t.Fatalf("ShardSize %d, pieces sum to %d", m.ShardSize(), shard)
			}
			// EncodeSegment needs only the layout (what an uploader knows before the import ends).
			layout := &sharding.Manifest{Version: sharding.ManifestVersion, Size: m.Size, ChunkSize: m.ChunkSize, K: m.K, M: m.M, PieceSize: m.PieceSize, StripeSize: m.StripeSize, PieceHash: m.PieceHash}
			for j := range segs {
				s, err := sharding.EncodeSegment(bytes.NewReader(data), layout, j)
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Hashes) != m.K+m.M || s.Length != segs[j].Length || s.PieceSize != segs[j].PieceSize {
					t.Fatalf("EncodeSegment(%d) has another shape than the import", j)
				}
				for i := range s.Hashes {
					if s.Hashes[i] != m.Segments[j][i] || !bytes.Equal(s.Pieces[i], segs[j].Pieces[i]) {
						t.Fatalf("EncodeSegment(%d) piece %d differs from the import", j, i)
					}
				}
			}
			if _, err := sharding.EncodeSegment(bytes.NewReader(data), m, tt.segments); !errors.Is(err, sharding.ErrSegmentRange) {
				t.Fatalf("EncodeSegment past the end: %v", err)
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
			if off != int64(tt.size) {
				t.Fatalf("leaves cover %d bytes of %d", off, tt.size)
			}
		})
	}
}

// A repetitive file makes identical subtrees: the DAG keeps each distinct node once.
func TestImportRepeatedSubtrees(t *testing.T) {
	p := sharding.Params{K: 2, M: 1, ChunkSize: 64, PieceSize: 4096}
	data := make([]byte, 64*174*3+10) // three full identical subtrees of zero chunks
	m, _ := importAll(t, data, p)
	if len(m.DAG) != 3 { // root, the repeated full subtree, the short last one
		t.Fatalf("%d DAG nodes, want 3", len(m.DAG))
	}
	leaves, err := m.Leaves()
	if err != nil || len(leaves) != 174*3+1 {
		t.Fatalf("%d leaves, %v", len(leaves), err)
	}
	v, err := sharding.NewLeafVerifier(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestImportErrors(t *testing.T) {
	boom := errors.New("boom")
	data := randomBytes(10000, 3)
	p := sharding.Params{K: 2, M: 1, ChunkSize: 1024, PieceSize: 1024}
	calls := 0
	_, err := sharding.Import(context.Background(), bytes.NewReader(data), p, func(sharding.Segment) error {
		calls++
		if calls == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls != 2 {
		t.Fatalf("callback error: %v after %d calls", err, calls)
	}
	_, err = sharding.Import(context.Background(), io.MultiReader(bytes.NewReader(data[:5000]), &failReader{boom}), p, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("reader error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sharding.Import(ctx, bytes.NewReader(data), p, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled import: %v", err)
	}
	if _, err := sharding.Import(context.Background(), bytes.NewReader(data), sharding.Params{K: 2, M: 1, PieceSize: 100}, nil); !errors.Is(err, sharding.ErrInvalidParams) {
		t.Fatalf("bad params: %v", err)
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		p    sharding.Params
		ok   bool
	}{
		{name: "defaults", p: sharding.Params{}.WithDefaults(), ok: true},
		{name: "29+51", p: sharding.Params{K: 29, M: 51}.WithDefaults(), ok: true},
		{name: "no parity", p: sharding.Params{K: 3}.WithDefaults(), ok: true},
		{name: "k+m over 256", p: sharding.Params{K: 200, M: 100, ChunkSize: 1024, PieceSize: 1024}},
		{name: "negative m", p: sharding.Params{K: 2, M: -1, ChunkSize: 1024, PieceSize: 1024}},
		{name: "zero k", p: sharding.Params{K: 0, M: 2, ChunkSize: 1024, PieceSize: 1024}},
		{name: "unaligned piece", p: sharding.Params{K: 2, M: 1, ChunkSize: 1024, PieceSize: 1000}},
		{name: "zero chunk", p: sharding.Params{K: 2, M: 1, ChunkSize: 0, PieceSize: 1024}},
		{name: "huge chunk", p: sharding.Params{K: 2, M: 1, ChunkSize: 4 << 20, PieceSize: 1024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate(%+v) = %v", tt.p, err)
			}
			if err != nil && !errors.Is(err, sharding.ErrInvalidParams) {
				t.Fatalf("Validate error %v does not wrap ErrInvalidParams", err)
			}
		})
	}
	if d := (sharding.Params{}).WithDefaults(); d.K != 4 || d.M != 2 || d.ChunkSize != 256<<10 || d.PieceSize != 1<<20 || d.SegmentSize() != 4<<20 {
		t.Fatalf("defaults %+v", d)
	}
}

// When each data piece starts with a leaf (stripes of a chunk, or plain pieces of whole chunks),
// Import hashes those bytes once for both: the root must still be RootCID's and every piece hash
// the SHA-256 of the piece that EncodeSegment builds on its own, for full and short last segments,
// and in stripes smaller than a chunk, where no piece starts with a whole leaf.
// chunkedSHA256 is sharding.PieceChunks written out: the SHA-256 of the SHA-256 of each chunk.
func chunkedSHA256(piece []byte, chunk int) [32]byte {
	var sums []byte
	for off := 0; off < len(piece); off += chunk {
		s := sha256.Sum256(piece[off:min(off+chunk, len(piece))])
		sums = append(sums, s[:]...)
	}
	return sha256.Sum256(sums)
}

// TestImportHashesPiecesThatStartWithALeaf checks the piece hashes of every layout against
// PieceChunks computed here: the importer takes the leaves' sums for the data chunks that lie
// whole in a piece and hashes the rest.
func TestImportHashesPiecesThatStartWithALeaf(t *testing.T) {
	tests := []struct {
		name string
		p    sharding.Params
		size int
	}{
		{"four chunks a piece", sharding.Params{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096}, 5*4*4096 + 3*1024},
		{"one chunk a piece", sharding.Params{K: 3, M: 2, ChunkSize: 4096, PieceSize: 4096}, 7 * 3 * 4096},
		{"chunk of half a piece, short last segment", sharding.Params{K: 2, M: 1, ChunkSize: 2048, PieceSize: 4096}, 3*2*4096 + 4096 + 100},
		{"one chunk only", sharding.Params{K: 4, M: 2, ChunkSize: 4096, PieceSize: 4096}, 4096},
		{"last segment short by one byte", sharding.Params{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096}, 2*4*4096 - 1},
		{"plain layout, four chunks a piece", sharding.Params{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096, StripeSize: 4096}, 5*4*4096 + 3*1024},
		{"plain layout, short last segment", sharding.Params{K: 2, M: 1, ChunkSize: 2048, PieceSize: 4096, StripeSize: 4096}, 3*2*4096 + 4096 + 100},
		{"stripes of half a chunk", sharding.Params{K: 4, M: 2, ChunkSize: 2048, PieceSize: 4096, StripeSize: 1024}, 3*4*4096 + 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := randomBytes(tt.size, uint64(tt.size))
			m, segs := importAll(t, data, tt.p)
			want, err := sharding.RootCID(context.Background(), bytes.NewReader(data), tt.p.ChunkSize)
			if err != nil {
				t.Fatal(err)
			}
			if m.Root != want {
				t.Fatalf("Import root %s, RootCID %s", m.Root, want)
			}
			for j := range segs {
				s, err := sharding.EncodeSegment(bytes.NewReader(data), m, j)
				if err != nil {
					t.Fatal(err)
				}
				for i, pc := range s.Pieces {
					if sum := chunkedSHA256(pc, int(tt.p.ChunkSize)); m.Segments[j][i] != sum || segs[j].Hashes[i] != sum {
						t.Fatalf("segment %d piece %d: the manifest's hash is not the SHA-256 of its chunks' SHA-256", j, i)
					}
					if m.PieceSum(pc) != m.Segments[j][i] {
						t.Fatalf("segment %d piece %d: PieceSum disagrees with the importer", j, i)
					}
				}
			}
		})
	}
}

// Segments handed back with Release lend their buffers to later segments, and every piece is
// still the one its hash names while it is held; without Release each segment has its own.
func TestImportReusesReleasedSegments(t *testing.T) {
	for _, p := range []sharding.Params{
		{K: 4, M: 2, ChunkSize: 1024, PieceSize: 4096}, // striped
		{K: 3, M: 2, ChunkSize: 5000, PieceSize: 4096}, // plain
	} {
		data := make([]byte, 40*int(p.SegmentSize())+777)
		for i := range data {
			data[i] = byte(i * 7 / 5)
		}
		buffers := func(release bool) (map[*byte]bool, *sharding.Manifest) {
			seen := make(map[*byte]bool)
			m, err := sharding.Import(t.Context(), bytes.NewReader(data), p, func(s sharding.Segment) error {
				seen[&s.Pieces[0][0]] = true
				for i, piece := range s.Pieces {
					m := sharding.Manifest{PieceHash: sharding.PieceChunks, ChunkSize: p.ChunkSize}
					if m.PieceSum(piece) != s.Hashes[i] {
						t.Fatalf("segment %d piece %d does not match its hash", s.Index, i)
					}
				}
				if release {
					s.Release()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return seen, m
		}
		kept, want := buffers(false)
		reused, got := buffers(true)
		if len(kept) < 40 || len(reused) > 8 {
			t.Fatalf("%+v: %d buffers without Release, %d with it", p, len(kept), len(reused))
		}
		a, _ := want.CID()
		b, _ := got.CID()
		if !a.Equals(b) {
			t.Fatalf("%+v: releasing segments changed the manifest", p)
		}
	}
}
