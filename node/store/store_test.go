package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
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

// movePieces are the pieces of a shard for the tests of MoveShard: in badger and in the shard's
// file, alternately.
func movePieces(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		size := 5000 + i
		if i%2 == 1 {
			size = PieceFileMin + 5000 + i
		}
		out[i], _ = testPiece(size)
		out[i][0] = byte(i)
	}
	return out
}

// moveCheck approves the pieces that have the sum and size of pieces[segment], and counts them.
func moveCheck(pieces [][]byte, checked *int) func(int, PieceInfo) error {
	return func(seg int, info PieceInfo) error {
		*checked++
		if seg >= len(pieces) || info.Sum != sha256.Sum256(pieces[seg]) || info.Size != int64(len(pieces[seg])) {
			return fmt.Errorf("segment %d is not the manifest's", seg)
		}
		return nil
	}
}

// stageShard stores the n pieces of movePieces as shard of root and returns them.
func stageShard(t *testing.T, s *Badger, root cid.Cid, shard, n int) [][]byte {
	t.Helper()
	pieces := movePieces(n)
	for seg, p := range pieces {
		if err := s.PutPiece(context.Background(), Ref{Root: root, Shard: shard, Segment: seg}, sha256.Sum256(p), p); err != nil {
			t.Fatal(err)
		}
	}
	return pieces
}

// uploadID is a root as a node names an upload's pieces before its manifest: a CID of the
// identity multihash of name.
func uploadID(name string) cid.Cid {
	return cid.NewCidV1(cid.Raw, multihash.Multihash(append([]byte{0, byte(len(name))}, name...)))
}

// A move stopped after any of its steps, as by a crash, leaves every piece readable under one of
// the roots; MoveShard called again after a restart completes it, asking check about every piece
// of the shard wherever it is, and counts the usage as a restart does. A second upload of the
// same root is not taken for the rest of the first's move. A piece written under the new root
// afterwards goes to the end of the shard's file, not over the moved bytes.
func TestBadgerMoveShardInterrupted(t *testing.T) {
	errCrash := errors.New("crash")
	tests := []struct {
		name  string
		step  string // the move stops after it, its nth time
		nth   int
		setup func(t *testing.T, s *Badger, from, to cid.Cid) // before the first call
	}{
		{name: "after the move record", step: "recorded", nth: 1},
		{name: "after the link", step: "linked", nth: 1},
		{name: "after one batch", step: "batch", nth: 1},
		{name: "after the last batch", step: "batch", nth: 3},
		{name: "after the unlink", step: "unlinked", nth: 1},
		{name: "linked by hand", setup: func(t *testing.T, s *Badger, from, to cid.Cid) {
			if err := os.Link(s.files.name(from, 1), s.files.name(to, 1)); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "a file left over under the new root", setup: func(t *testing.T, s *Badger, from, to cid.Cid) {
			if err := os.WriteFile(s.files.name(to, 1), bytes.Repeat([]byte("junk"), 3000), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			opts := []Option{WithMoveBatch(2)}
			s, dir := openTest(t, opts...)
			from, to := uploadID("upload 1"), testRoot("file")
			pieces := stageShard(t, s, from, 1, 5) // three batches of two
			if tt.setup != nil {
				tt.setup(t, s, from, to)
			}
			checked := 0
			if tt.step != "" {
				seen := 0
				s.moveHook = func(step string) error {
					if step == tt.step {
						if seen++; seen == tt.nth {
							return errCrash
						}
					}
					return nil
				}
				if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, errCrash) {
					t.Fatalf("the interrupted move: %v", err)
				}
				s.Close()
				var err error
				if s, err = OpenBadger(dir, opts...); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				movedAny := false
				for seg, p := range pieces {
					a, errFrom := s.GetPiece(ctx, Ref{Root: from, Shard: 1, Segment: seg})
					b, errTo := s.GetPiece(ctx, Ref{Root: to, Shard: 1, Segment: seg})
					switch {
					case errFrom == nil && bytes.Equal(a, p) && errors.Is(errTo, ErrNotFound):
					case errTo == nil && bytes.Equal(b, p) && errors.Is(errFrom, ErrNotFound):
						movedAny = true
					default:
						t.Fatalf("segment %d: under from %v, under to %v", seg, errFrom, errTo)
					}
				}
				if movedAny {
					other := uploadID("upload 2")
					stageShard(t, s, other, 1, len(pieces))
					if err := s.MoveShard(ctx, other, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrExists) {
						t.Fatalf("another upload into the half-moved shard: %v, want ErrExists", err)
					}
				}
			}
			checked = 0
			if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); err != nil {
				t.Fatalf("the move again: %v", err)
			}
			if checked != len(pieces) {
				t.Fatalf("check asked about %d pieces, want %d", checked, len(pieces))
			}
			for seg, p := range pieces {
				if got, err := s.GetPiece(ctx, Ref{Root: to, Shard: 1, Segment: seg}); err != nil || !bytes.Equal(got, p) {
					t.Fatalf("segment %d under to: %d bytes, %v", seg, len(got), err)
				}
				if _, err := s.GetPiece(ctx, Ref{Root: from, Shard: 1, Segment: seg}); !errors.Is(err, ErrNotFound) {
					t.Fatalf("segment %d under from: %v", seg, err)
				}
			}
			if _, err := os.Stat(s.files.name(from, 1)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the file's name under from: %v", err)
			}
			if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrNotFound) {
				t.Fatalf("a completed move again: %v, want ErrNotFound", err)
			}
			used, held := s.used.Load(), s.pieces.Load()
			if err := s.count(); err != nil {
				t.Fatal(err)
			}
			if s.used.Load() != used || s.pieces.Load() != held {
				t.Fatalf("usage %d bytes, %d pieces; counted again %d, %d", used, held, s.used.Load(), s.pieces.Load())
			}

			name := s.files.name(to, 1)
			st, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			added, sum := testPiece(PieceFileMin + 77)
			if err := s.PutPiece(ctx, Ref{Root: to, Shard: 1, Segment: len(pieces)}, sum, added); err != nil {
				t.Fatal(err)
			}
			st2, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if want := st.Size() + int64(roundUp(len(added), fileBlock)); st2.Size() != want || s.files.ends[name] != want {
				t.Fatalf("the shard file after a new piece: %d bytes, next write at %d; want both %d", st2.Size(), s.files.ends[name], want)
			}
			for seg, p := range append(pieces, added) {
				if got, err := s.GetPiece(ctx, Ref{Root: to, Shard: 1, Segment: seg}); err != nil || !bytes.Equal(got, p) {
					t.Fatalf("segment %d after a new piece: %d bytes, %v", seg, len(got), err)
				}
			}
		})
	}
}

// Reads of the new root while a shard moves to it find each piece whole or not at all.
func TestBadgerMoveShardRacingReads(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, WithMoveBatch(1))
	from, to := uploadID("upload"), testRoot("file")
	pieces := stageShard(t, s, from, 0, 6)
	done := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(readErr)
		for seg := 0; ; seg = (seg + 1) % len(pieces) {
			select {
			case <-done:
				return
			default:
			}
			got, err := s.GetPiece(ctx, Ref{Root: to, Shard: 0, Segment: seg})
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil || !bytes.Equal(got, pieces[seg]) {
				readErr <- fmt.Errorf("segment %d: %d bytes, %v", seg, len(got), err)
				return
			}
		}
	}()
	checked := 0
	err := s.MoveShard(ctx, from, to, 0, moveCheck(pieces, &checked))
	close(done)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-readErr; err != nil {
		t.Fatal(err)
	}
}

// A move that did not finish is completed only towards the root it began with, and only while
// the pieces under that root are the ones it moved there: a refusal changes nothing.
func TestBadgerMoveShardResumeRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, WithMoveBatch(2))
	from, to := uploadID("upload"), testRoot("file")
	pieces := stageShard(t, s, from, 1, 6)
	errCrash := errors.New("crash")
	s.moveHook = func(step string) error {
		if step == "batch" {
			return errCrash
		}
		return nil
	}
	checked := 0
	if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, errCrash) {
		t.Fatalf("the interrupted move: %v", err)
	}
	s.moveHook = nil
	// Segments 0 and 1 are under to, 2 to 5 under from.
	unchanged := func(t *testing.T) {
		t.Helper()
		for seg, p := range pieces {
			root := from
			if seg < 2 {
				root = to
			}
			if got, err := s.GetPiece(ctx, Ref{Root: root, Shard: 1, Segment: seg}); err != nil || !bytes.Equal(got, p) {
				t.Fatalf("segment %d under %s: %d bytes, %v", seg, root, len(got), err)
			}
		}
	}
	if err := s.MoveShard(ctx, from, testRoot("another file"), 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrExists) {
		t.Fatalf("the rest of the move to another root: %v, want ErrExists", err)
	}
	unchanged(t)
	refuse := errors.New("not the manifest's")
	err := s.MoveShard(ctx, from, to, 1, func(seg int, _ PieceInfo) error {
		if seg == 1 { // under to already
			return refuse
		}
		return nil
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("a moved piece the check refuses: %v", err)
	}
	unchanged(t)
	// A piece of the rest of the shard written under to by another way: the move does not take
	// it for its own, and moves nothing more.
	if err := s.PutPiece(ctx, Ref{Root: to, Shard: 1, Segment: 4}, sha256.Sum256(pieces[4]), pieces[4]); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrExists) {
		t.Fatalf("a segment under both roots: %v, want ErrExists", err)
	}
	unchanged(t)
	// Dropping the upload's shard ends the move: the upload ID can start again.
	if err := s.DeleteShard(ctx, from, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a move of a dropped shard: %v, want ErrNotFound", err)
	}
}

// A piece whose header is damaged cannot be vouched for by its sum: the move is refused with
// ErrCorrupt before anything changes.
func TestBadgerMoveShardDamagedHeader(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	from, to := uploadID("upload"), testRoot("file")
	pieces := stageShard(t, s, from, 1, 4)
	damage(t, s, Ref{Root: from, Shard: 1, Segment: 3}, func(v []byte) { v[40] ^= 1 }) // the piece sum
	checked := 0
	if err := s.MoveShard(ctx, from, to, 1, moveCheck(pieces, &checked)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	for seg, p := range pieces[:3] {
		if got, err := s.GetPiece(ctx, Ref{Root: from, Shard: 1, Segment: seg}); err != nil || !bytes.Equal(got, p) {
			t.Fatalf("segment %d under from: %d bytes, %v", seg, len(got), err)
		}
	}
	if segs, _, err := s.Shard(ctx, to, 1); err != nil || segs != 0 {
		t.Fatalf("to holds %d segments, %v", segs, err)
	}
}
