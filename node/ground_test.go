package node_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// A ranged read is served from the chunks that hold the range: a damaged last chunk fails the
// reads that touch it and no other.
func TestRangedPieceReadsItsChunksOnly(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	c, _ := client(t, n)
	ctx := t.Context()
	piece := make([]byte, 1<<20)
	for i := range piece {
		piece[i] = byte(i * 13)
	}
	root := testRootCID(t, "ranged")
	ref := wire.PieceRef{Root: root, Shard: 2, Segment: 5}
	if err := n.Store().PutPiece(ctx, store.Ref{Root: root, Shard: 2, Segment: 5}, sha256.Sum256(piece), piece); err != nil {
		t.Fatal(err)
	}
	size := int64(len(piece))
	tests := []struct {
		name   string
		off, n int64
	}{
		{"first byte", 0, 1},
		{"4 KiB in the middle", 500_000, 4096},
		{"across a chunk edge", store.ChunkSize - 10, 20},
		{"to the end", size - 100, -1},
		{"the last byte", size - 1, 1},
		{"empty at the end", size, -1},
		{"whole", 0, -1},
	}
	for _, tt := range tests {
		got, err := c.GetPiece(ctx, n.ID(), ref, tt.off, tt.n)
		end := size
		if tt.n >= 0 {
			end = tt.off + tt.n
		}
		if err != nil || !bytes.Equal(got, piece[tt.off:end]) {
			t.Fatalf("%s: %d bytes, %v", tt.name, len(got), err)
		}
	}
	nodetest.CorruptPiece(t, n, root, 2, 5) // the last byte
	if got, err := c.GetPiece(ctx, n.ID(), ref, 500_000, 4096); err != nil || !bytes.Equal(got, piece[500_000:504_096]) {
		t.Fatalf("a range away from the damage: %v", err)
	}
	for _, off := range []int64{size - 1, size - store.ChunkSize, 0} {
		if _, err := c.GetPiece(ctx, n.ID(), ref, off, -1); !errors.Is(err, wire.ErrCorrupt) {
			t.Fatalf("a range over the damage from %d: %v, want ErrCorrupt", off, err)
		}
	}
}

func testRootCID(t testing.TB, name string) cid.Cid {
	t.Helper()
	mh, err := multihash.Sum([]byte(name), multihash.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

// storeUntilRefused stores the manifest of a file of most pieces of size bytes (one shard, each
// piece filled with seed+segment+1), then its pieces on n until the node refuses one, and returns
// the file's root, the pieces it accepted and the refusal.
func storeUntilRefused(t *testing.T, c *wire.Client, n *node.Node, seed byte, size, most int) (cid.Cid, [][]byte, error) {
	t.Helper()
	var data []byte
	for seg := range most {
		data = append(data, bytes.Repeat([]byte{seed + byte(seg) + 1}, size)...)
	}
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), sharding.Params{K: 1, M: 0, PieceSize: int64(size)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StoreManifest(t.Context(), n.ID(), b); err != nil {
		return m.Root, nil, err
	}
	var stored [][]byte
	for seg := range most {
		p := data[seg*size : (seg+1)*size]
		err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: 0, Segment: seg}, m.PieceSum(p), p)
		if err != nil {
			return m.Root, stored, err
		}
		stored = append(stored, p)
	}
	return m.Root, stored, nil
}

// Writes past --max-storage are refused with ErrFull, and everything stored before reads back,
// also after a restart, which counts the same usage.
func TestStorageQuota(t *testing.T) {
	// No background scrub: its record of a shard (53 bytes), written whenever its pass comes,
	// before or after the restart, made the usage compared here a moving target.
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), MaxStorage: 350 << 10, ScrubRate: -1})
	c, _ := client(t, n)
	root, stored, err := storeUntilRefused(t, c, n, 0, 100<<10, 10)
	if !errors.Is(err, wire.ErrFull) || len(stored) != 3 {
		t.Fatalf("after %d pieces: %v, want ErrFull after 3", len(stored), err)
	}
	used, max := n.Usage()
	if max != 350<<10 || used < 300<<10 || used > max {
		t.Fatalf("usage %d of %d", used, max)
	}
	n = nodetest.Restart(t, n, nil)
	c, _ = client(t, n)
	if u, _ := n.Usage(); u != used {
		t.Fatalf("usage after a restart %d, want %d", u, used)
	}
	for seg, p := range stored {
		got, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: root, Shard: 0, Segment: seg}, 0, -1)
		if err != nil || !bytes.Equal(got, p) {
			t.Fatalf("piece %d after the refusal: %v", seg, err)
		}
	}
	_, more, err := storeUntilRefused(t, c, n, 100, 100<<10, 1)
	if !errors.Is(err, wire.ErrFull) || len(more) != 0 {
		t.Fatalf("after a restart: %v, want ErrFull", err)
	}
}

// BenchmarkGetPiece compares a 4 KiB ranged read of a 1 MiB piece with a whole-piece read, over
// the wire on loopback: the node checks one 16 KiB chunk for the range, 64 for the whole piece.
func BenchmarkGetPiece(b *testing.B) {
	n := nodetest.Start(b, b.TempDir(), nil)
	h := p2ptest.NewHost(b, p2ptest.Knowing(n))
	c := wire.NewClient(h)
	piece := make([]byte, 1<<20)
	for i := range piece {
		piece[i] = byte(i * 13)
	}
	ref := wire.PieceRef{Root: testRootCID(b, "bench")}
	if err := n.Store().PutPiece(b.Context(), store.Ref{Root: ref.Root}, sha256.Sum256(piece), piece); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name   string
		off, n int64
	}{{"whole-1MiB", 0, -1}, {"range-4KiB", 300_000, 4096}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(piece)))
			if bb.n > 0 {
				b.SetBytes(bb.n)
			}
			for b.Loop() {
				if _, err := c.GetPiece(b.Context(), n.ID(), ref, bb.off, bb.n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
