package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/node/store/internal/raw"
)

func openTest(t testing.TB, opts ...Option) (*Badger, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenBadger(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func testRoot(name string) cid.Cid {
	mh, _ := multihash.Sum([]byte(name), multihash.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, mh)
}

func testPiece(size int) ([]byte, [32]byte) {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*131 + i>>8)
	}
	return data, sha256.Sum256(data)
}

// damage applies f to the stored value of ref (for a piece kept in its shard's file, its index
// followed by its bytes), as a failing disk would.
func damage(t *testing.T, s *Badger, ref Ref, f func(v []byte)) {
	t.Helper()
	if err := raw.Update(s, ref.Root, ref.Shard, ref.Segment, func(v []byte) []byte { f(v); return v }); err != nil {
		t.Fatal(err)
	}
}

// A damaged byte fails the reads of its chunk and of the whole piece, while ranges in the other
// chunks still read: each read checks only the chunks it touches.
func TestBadgerDamage(t *testing.T) {
	t.Run("in badger", func(t *testing.T) { testDamage(t, headerLen) })
	// f sees the index of a piece kept in its shard's file followed by its bytes.
	t.Run("in its shard file", func(t *testing.T) { testDamage(t, headerLenFile, WithPieceFileMin(1)) })
}

func testDamage(t *testing.T, header int, opts ...Option) {
	ctx := context.Background()
	data, sum := testPiece(4*ChunkSize + 10)
	chunks := 5
	tests := []struct {
		name      string
		at        int // offset in the value
		badChunk  int // the chunk whose reads fail; -1: every read fails
		goodChunk int
	}{
		{"data of chunk 1", header + chunks*sumLen + ChunkSize + 3, 1, 3},
		{"last byte", header + chunks*sumLen + len(data) - 1, 4, 0},
		{"sum of chunk 2", header + 2*sumLen + 1, 2, 1},
		{"size", 70, -1, -1},
		{"piece sum", 40, -1, -1},
		{"header sum", 5, -1, -1},
		{"magic", 0, -1, -1},
		{"offset or chunk shift", 75, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, opts...)
			ref := Ref{Root: testRoot("damage"), Shard: 1, Segment: 2}
			if err := s.PutPiece(ctx, ref, sum, data); err != nil {
				t.Fatal(err)
			}
			damage(t, s, ref, func(v []byte) { v[tt.at] ^= 0x10 })
			if _, err := s.GetPiece(ctx, ref); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("whole piece: %v, want ErrCorrupt", err)
			}
			if _, err := s.CheckPiece(ctx, ref); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("check: %v, want ErrCorrupt", err)
			}
			t.Cleanup(func() { // once the reads are checked: the damage is repaired in place
				wrong := bytes.Clone(data)
				wrong[0] ^= 1
				if err := s.RepairPiece(ctx, ref, sum, wrong, sha256.Sum256); !errors.Is(err, ErrMismatch) {
					t.Fatalf("repair with wrong bytes: %v, want ErrMismatch", err)
				}
				if _, err := s.CheckPiece(ctx, ref); !errors.Is(err, ErrCorrupt) {
					t.Fatalf("after a refused repair: %v, want ErrCorrupt", err)
				}
				if err := s.RepairPiece(ctx, ref, sum, data, sha256.Sum256); err != nil {
					t.Fatalf("repair: %v", err)
				}
				if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
					t.Fatalf("after the repair: %d bytes, %v", len(got), err)
				}
			})
			if tt.badChunk < 0 {
				if _, _, err := s.ReadPiece(ctx, ref, 0, 1); !errors.Is(err, ErrCorrupt) {
					t.Fatalf("first byte: %v, want ErrCorrupt", err)
				}
				return
			}
			if _, _, err := s.ReadPiece(ctx, ref, int64(tt.badChunk*ChunkSize), 1); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("chunk %d: %v, want ErrCorrupt", tt.badChunk, err)
			}
			off := tt.goodChunk * ChunkSize
			got, _, err := s.ReadPiece(ctx, ref, int64(off), 100)
			if err != nil || !bytes.Equal(got, data[off:off+100]) {
				t.Fatalf("chunk %d: %d bytes, %v", tt.goodChunk, len(got), err)
			}
		})
	}
}

// A value stored before chunk sums (the piece's SHA-256, then its bytes) still reads, checked whole.
func TestBadgerLegacyPiece(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	data, sum := testPiece(3 * ChunkSize)
	ref := Ref{Root: testRoot("legacy"), Shard: 0, Segment: 0}
	if err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(pieceKey(ref), append(sum[:], data...))
	}); err != nil {
		t.Fatal(err)
	}
	got, info, err := s.ReadPiece(ctx, ref, 10, 20)
	if err != nil || !bytes.Equal(got, data[10:30]) || info.Sum != sum || info.Size != int64(len(data)) {
		t.Fatalf("got %d bytes, %+v, %v", len(got), info, err)
	}
	if segs, n, err := s.Shard(ctx, ref.Root, 0); err != nil || segs != 1 || n != int64(len(data)) {
		t.Fatalf("shard: %d segments, %d bytes, %v", segs, n, err)
	}
	damage(t, s, ref, func(v []byte) { v[len(v)-1] ^= 1 })
	if _, _, err := s.ReadPiece(ctx, ref, 10, 20); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged: %v, want ErrCorrupt", err)
	}
}

// encodePieceSHA is the value a store wrote with "dsp1": a SHA-256 per chunk.
func encodePieceSHA(sum [32]byte, data []byte) []byte {
	v := encodePiece(sum, data)
	chunks := numChunks(int64(len(data)), chunkShift)
	out := append([]byte(pieceMagicSHA), v[4:headerLen]...)
	for i := range chunks {
		cs := sha256.Sum256(data[i<<chunkShift : min((i+1)<<chunkShift, len(data))])
		out = append(out, cs[:]...)
	}
	return append(out, data...)
}

// A value stored with a SHA-256 per chunk ("dsp1") still reads, ranges checked chunk by chunk,
// and a damaged chunk of it fails the reads that touch it and no other.
func TestBadgerSHAChunkPiece(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	data, sum := testPiece(3*ChunkSize + 5)
	ref := Ref{Root: testRoot("dsp1"), Shard: 0, Segment: 0}
	if err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(pieceKey(ref), encodePieceSHA(sum, data))
	}); err != nil {
		t.Fatal(err)
	}
	got, info, err := s.ReadPiece(ctx, ref, ChunkSize-10, 20)
	if err != nil || !bytes.Equal(got, data[ChunkSize-10:ChunkSize+10]) || info.Sum != sum || info.Size != int64(len(data)) {
		t.Fatalf("got %d bytes, %+v, %v", len(got), info, err)
	}
	if _, err := s.CheckPiece(ctx, ref); err != nil {
		t.Fatalf("check: %v", err)
	}
	damage(t, s, ref, func(v []byte) { v[headerLen+4*sumLenSHA+2*ChunkSize+1] ^= 1 })
	if _, _, err := s.ReadPiece(ctx, ref, 2*ChunkSize, 1); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged chunk: %v, want ErrCorrupt", err)
	}
	if got, _, err := s.ReadPiece(ctx, ref, 0, 100); err != nil || !bytes.Equal(got, data[:100]) {
		t.Fatalf("intact chunk: %d bytes, %v", len(got), err)
	}
	if _, err := s.CheckPiece(ctx, ref); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("check: %v, want ErrCorrupt", err)
	}
	// Repaired in place, it is stored in today's format.
	if err := s.RepairPiece(ctx, ref, sum, data, sha256.Sum256); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after the repair: %d bytes, %v", len(got), err)
	}
}

// A ranged read copies the range, not the piece: badger hands out the value log's mapping.
func TestBadgerRangedReadCopiesTheRangeOnly(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	data, sum := testPiece(1 << 20)
	ref := Ref{Root: testRoot("copy"), Shard: 0, Segment: 0}
	if err := s.PutPiece(ctx, ref, sum, data); err != nil {
		t.Fatal(err)
	}
	// Reopen so the piece is read from the value log files, not from a write buffer.
	s.Close()
	s, err := OpenBadger(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const reads = 50
	perRead := func(off, n int64) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range reads {
			if _, _, err := s.ReadPiece(ctx, ref, off, n); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / reads
	}
	whole, ranged := perRead(0, -1), perRead(500_000, 4096)
	t.Logf("allocated per read: whole piece %d bytes, 4 KiB range %d bytes", whole, ranged)
	if whole < 1<<20 {
		t.Fatalf("a whole read allocated %d bytes, less than the piece", whole)
	}
	if ranged > 64<<10 {
		t.Fatalf("a 4 KiB read allocated %d bytes", ranged)
	}
}

// The quota refuses the write that would pass it, keeps everything stored before, counts trees
// without refusing them, and counts the same after a restart.
func TestBadgerQuota(t *testing.T) {
	ctx := context.Background()
	data, sum := testPiece(100_000)
	s, dir := openTest(t, WithMaxBytes(350_000))
	root := testRoot("quota")
	stored := 0
	var err error
	for ; stored < 10; stored++ {
		if err = s.PutPiece(ctx, Ref{Root: root, Shard: 0, Segment: stored}, sum, data); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrFull) || stored != 3 {
		t.Fatalf("after %d pieces: %v, want ErrFull after 3", stored, err)
	}
	if err := s.PutManifest(ctx, root, testRoot("manifest"), data); !errors.Is(err, ErrFull) {
		t.Fatalf("manifest over the quota: %v, want ErrFull", err)
	}
	if err := s.PutTree(ctx, root, 0, data[:1000]); err != nil {
		t.Fatalf("a tree over the quota: %v", err)
	}
	used, max := s.Usage()
	if max != 350_000 || used <= 3*100_000 || used > 350_000+1100 {
		t.Fatalf("usage %d of %d", used, max)
	}
	if err := s.PutTree(ctx, root, 0, data[:500]); err != nil { // a tree rebuilt: replaced
		t.Fatal(err)
	}
	if u, _ := s.Usage(); u != used-500 {
		t.Fatalf("a replaced tree: usage %d, want %d", u, used-500)
	}
	used -= 500
	s.Close()
	s, err = OpenBadger(dir, WithMaxBytes(350_000))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, _ := s.Usage(); u != used {
		t.Fatalf("after a restart: usage %d, want %d", u, used)
	}
	for seg := range stored {
		if got, err := s.GetPiece(ctx, Ref{Root: root, Shard: 0, Segment: seg}); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("piece %d: %v", seg, err)
		}
	}
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 0, Segment: 9}, sum, data); !errors.Is(err, ErrFull) {
		t.Fatalf("after a restart: %v, want ErrFull", err)
	}
	// A dropped shard frees its bytes, and the quota takes new pieces again.
	if err := s.DeleteShard(ctx, root, 0); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Usage(); u != 0 {
		t.Fatalf("after dropping the only shard: usage %d, want 0", u)
	}
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 0, Segment: 9}, sum, data); err != nil {
		t.Fatalf("after dropping the shard: %v", err)
	}
}

// BenchmarkReadPiece compares a 4 KiB ranged read of a 1 MiB piece with a read of the whole piece:
// the ranged read checks one or two 16 KiB chunks, the whole read all 64.
func BenchmarkReadPiece(b *testing.B) {
	ctx := context.Background()
	s, _ := openTest(b)
	data, sum := testPiece(1 << 20)
	ref := Ref{Root: testRoot("bench"), Shard: 0, Segment: 0}
	if err := s.PutPiece(ctx, ref, sum, data); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name   string
		off, n int64
	}{{"whole-1MiB", 0, -1}, {"range-4KiB", 300_000, 4096}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			if bb.n > 0 {
				b.SetBytes(bb.n)
			} else {
				b.SetBytes(int64(len(data)))
			}
			for b.Loop() {
				if _, _, err := s.ReadPiece(ctx, ref, bb.off, bb.n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A byte flipped in the value log of a closed store, as a failing disk would, damages the one
// piece that holds it: after the store opens again that piece fails its chunk sums (and can be
// repaired), every other value, written before or after it, is intact, and writes go on.
func TestBadgerValueLogDamage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenBadger(dir)
	if err != nil {
		t.Fatal(err)
	}
	root := testRoot("vlog")
	pieces := make([][]byte, 4)
	for i := range pieces {
		pieces[i] = bytes.Repeat([]byte{byte(i + 1), 0x33, byte(i * 7)}, 3000)
		if err := s.PutPiece(ctx, Ref{Root: root, Segment: i}, sha256.Sum256(pieces[i]), pieces[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutScrub(ctx, root, 0, []byte("after the pieces")); err != nil {
		t.Fatal(err)
	}
	for round := range 2 { // the second round damages a file that is no longer the last one
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		victim := round + 1
		flipped := false
		files, _ := filepath.Glob(filepath.Join(dir, "*.vlog"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if i := bytes.Index(b, pieces[victim][:300]); i >= 0 {
				b[i+100] ^= 0x40
				if err := os.WriteFile(f, b, 0o600); err != nil {
					t.Fatal(err)
				}
				flipped = true
			}
		}
		if !flipped {
			t.Fatal("no value log holds the piece")
		}
		if s, err = OpenBadger(dir); err != nil {
			t.Fatalf("reopening after the damage: %v", err)
		}
		for i := range pieces {
			_, err := s.CheckPiece(ctx, Ref{Root: root, Segment: i})
			if i == victim {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("round %d: the damaged piece %d: %v, want ErrCorrupt", round, i, err)
				}
				if err := s.RepairPiece(ctx, Ref{Root: root, Segment: i}, sha256.Sum256(pieces[i]), pieces[i], sha256.Sum256); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("round %d: piece %d, written around the damaged one: %v", round, i, err)
			}
		}
		if v, err := s.GetScrub(ctx, root, 0); err != nil || string(v) != "after the pieces" {
			t.Fatalf("round %d: a value written after the damaged one: %q, %v", round, v, err)
		}
	}
	s.Close()
}

// A piece read into a PieceBuffer is stored as PutPiece stores it: the same value, read back and
// checked the same way.
func TestBadgerPutPieceBuffer(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	data, sum := testPiece(100_000) // not a whole number of chunks
	viaBuffer := Ref{Root: testRoot("buffer"), Shard: 1, Segment: 2}
	pb := NewPieceBuffer(len(data))
	copy(pb.Data, data)
	if err := s.PutPieceBuffer(ctx, viaBuffer, sum, pb); err != nil {
		t.Fatal(err)
	}
	if want, got := encodePiece(sum, data), pb.value; !bytes.Equal(want, got) {
		t.Fatal("the value stored from a PieceBuffer differs from PutPiece's")
	}
	got, err := s.GetPiece(ctx, viaBuffer)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (%v), want the piece's %d", len(got), err, len(data))
	}
	part, info, err := s.ReadPiece(ctx, viaBuffer, 70_000, 100)
	if err != nil || !bytes.Equal(part, data[70_000:70_100]) || info.Sum != sum || info.Size != int64(len(data)) {
		t.Fatalf("ranged read: %v, info %+v", err, info)
	}
}

// Pieces of PieceFileMin bytes or more keep their bytes in their shard's file: they read back
// whole and in ranges, count in the usage (also after a reopen), are refused past the quota
// before anything is written, and go with their shard.
func TestBadgerPieceFiles(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	root := testRoot("files")
	data, sum := testPiece(PieceFileMin + 5000) // not a whole number of blocks
	for seg := range 3 {
		if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: seg}, sum, data); err != nil {
			t.Fatal(err)
		}
	}
	pb := NewPieceBuffer(len(data))
	copy(pb.Data, data)
	if err := s.PutPieceBuffer(ctx, Ref{Root: root, Shard: 1, Segment: 3}, sum, pb); err != nil {
		t.Fatal(err)
	}
	// The buffer goes back to a pool once stored: the next one may be the same memory, and the
	// piece stored from it stays as it was.
	next := bytes.Clone(data)
	for i := range next {
		next[i] ^= 0x5a
	}
	pb = NewPieceBuffer(len(next))
	copy(pb.Data, next)
	if err := s.PutPieceBuffer(ctx, Ref{Root: root, Shard: 1, Segment: 4}, sha256.Sum256(next), pb); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetPiece(ctx, Ref{Root: root, Shard: 1, Segment: 4}); err != nil || !bytes.Equal(got, next) {
		t.Fatalf("the piece stored from a recycled buffer: %d bytes, %v", len(got), err)
	}
	// A read whose buffer goes back to the pool reads the same bytes, and a write reusing that
	// buffer changes nothing stored.
	got, _, release, err := s.ReadPieceRecycled(ctx, Ref{Root: root, Shard: 1, Segment: 4}, 0, -1)
	if err != nil || !bytes.Equal(got, next) {
		t.Fatalf("a recycled read: %d bytes, %v", len(got), err)
	}
	release()
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: 5}, sum, data); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetPiece(ctx, Ref{Root: root, Shard: 1, Segment: 4}); err != nil || !bytes.Equal(got, next) {
		t.Fatalf("after its read buffer was reused: %d bytes, %v", len(got), err)
	}
	if err := s.DeleteShard(ctx, root, 1); err != nil {
		t.Fatal(err)
	}
	for seg := range 4 {
		if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: seg}, sum, data); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "pieces", "*"))
	if len(files) != 1 {
		t.Fatalf("shard files %v, want one", files)
	}
	for seg := range 4 {
		ref := Ref{Root: root, Shard: 1, Segment: seg}
		if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("segment %d: %d bytes, %v", seg, len(got), err)
		}
		if got, _, err := s.ReadPiece(ctx, ref, ChunkSize-3, 7); err != nil || !bytes.Equal(got, data[ChunkSize-3:ChunkSize+4]) {
			t.Fatalf("segment %d, a range across a chunk edge: %v", seg, err)
		}
	}
	// The same piece again writes nothing; another under the same reference is refused.
	st, _ := os.Stat(files[0])
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: 0}, sum, data); err != nil {
		t.Fatal(err)
	}
	other, otherSum := testPiece(PieceFileMin + 1)
	other[0]++
	otherSum = sha256.Sum256(other)
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: 0}, otherSum, other); !errors.Is(err, ErrExists) {
		t.Fatalf("another piece: %v, want ErrExists", err)
	}
	if st2, _ := os.Stat(files[0]); st2.Size() != st.Size() {
		t.Fatalf("the shard file grew from %d to %d bytes", st.Size(), st2.Size())
	}
	used, _ := s.Usage()
	if used < 4*int64(len(data)) {
		t.Fatalf("usage %d, less than the pieces' %d bytes", used, 4*len(data))
	}
	s.Close()
	s, err = OpenBadger(dir, WithMaxBytes(used+int64(len(data))/2))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again, _ := s.Usage(); again != used {
		t.Fatalf("usage after a reopen %d, was %d", again, used)
	}
	if err := s.PutPiece(ctx, Ref{Root: root, Shard: 1, Segment: 9}, sum, data); !errors.Is(err, ErrFull) {
		t.Fatalf("past the quota: %v, want ErrFull", err)
	}
	if st2, _ := os.Stat(files[0]); st2.Size() != st.Size() {
		t.Fatal("a piece refused for the quota was written")
	}
	if err := s.DeleteShard(ctx, root, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(files[0]); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the shard file after its shard was deleted: %v", err)
	}
	if after, _ := s.Usage(); after != 0 {
		t.Fatalf("usage %d after the only shard was deleted", after)
	}
	if _, err := s.GetPiece(ctx, Ref{Root: root, Shard: 1, Segment: 0}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a deleted piece: %v", err)
	}
}
