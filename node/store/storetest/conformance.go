package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/node/store"
)

// RunConformance checks that the stores made by open behave as store.Store says. open is called once per
// sub-test; reopen, if not nil, closes and reopens the same store to check durability.
func RunConformance(t *testing.T, open func(t *testing.T) store.Store, reopen func(t *testing.T, s store.Store) store.Store) {
	ctx := context.Background()
	mh, _ := multihash.Sum([]byte("root"), multihash.SHA2_256, -1)
	root := cid.NewCidV1(cid.Raw, mh)
	data := bytes.Repeat([]byte("piece"), 1000)
	sum := sha256.Sum256(data)

	t.Run("piece round trip", func(t *testing.T) {
		s := open(t)
		ref := store.Ref{Root: root, Shard: 3, Segment: 7}
		if err := s.PutPiece(ctx, ref, sum, data); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetPiece(ctx, ref)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("got %d bytes, %v", len(got), err)
		}
		if _, err := s.GetPiece(ctx, store.Ref{Root: root, Shard: 3, Segment: 8}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing piece: %v", err)
		}
		segs, n, err := s.Shard(ctx, root, 3)
		if err != nil || segs != 1 || n != int64(len(data)) {
			t.Fatalf("shard: %d segments, %d bytes, %v", segs, n, err)
		}
		if segs, _, _ := s.Shard(ctx, root, 2); segs != 0 {
			t.Fatalf("shard 2 holds %d segments", segs)
		}
	})
	t.Run("whole shard", func(t *testing.T) {
		s := open(t)
		for _, seg := range []int{0, 2, 9} { // 9 lies past a 3-segment file
			if err := s.PutPiece(ctx, store.Ref{Root: root, Shard: 4, Segment: seg}, sum, data); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name     string
			shard    int
			segments int
			want     bool
		}{
			{"gap at segment 1", 4, 3, false},
			{"first segment", 4, 1, true},
			{"empty file", 5, 0, true},
			{"other shard", 5, 1, false},
		}
		for _, tt := range tests {
			got, err := s.HasShard(ctx, root, tt.shard, tt.segments)
			if err != nil || got != tt.want {
				t.Fatalf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		if err := s.PutPiece(ctx, store.Ref{Root: root, Shard: 4, Segment: 1}, sum, data); err != nil {
			t.Fatal(err)
		}
		if got, err := s.HasShard(ctx, root, 4, 3); err != nil || !got {
			t.Fatalf("gap filled: got %v, %v", got, err)
		}
	})
	t.Run("trees", func(t *testing.T) {
		s := open(t)
		if _, err := s.GetTree(ctx, root, 1); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing tree: %v", err)
		}
		if has, err := s.HasTree(ctx, root, 1); err != nil || has {
			t.Fatalf("missing tree: has %v, %v", has, err)
		}
		if err := s.PutTree(ctx, root, 1, data); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetTree(ctx, root, 1)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("got %d bytes, %v", len(got), err)
		}
		if has, err := s.HasTree(ctx, root, 1); err != nil || !has {
			t.Fatalf("stored tree: has %v, %v", has, err)
		}
		if has, _ := s.HasTree(ctx, root, 2); has {
			t.Fatal("shard 2 has the tree of shard 1")
		}
		if roots, err := s.Roots(ctx); err != nil || len(roots) != 0 {
			t.Fatalf("a tree counts as a manifest: roots %v, %v", roots, err)
		}
	})
	t.Run("ranges", func(t *testing.T) {
		s := open(t)
		big := make([]byte, 3*store.ChunkSize+100)
		for i := range big {
			big[i] = byte(i * 7)
		}
		ref := store.Ref{Root: root, Shard: 0, Segment: 0}
		bigSum := sha256.Sum256(big)
		if err := s.PutPiece(ctx, ref, bigSum, big); err != nil {
			t.Fatal(err)
		}
		size := int64(len(big))
		tests := []struct {
			name   string
			off, n int64
		}{
			{"whole", 0, -1},
			{"first byte", 0, 1},
			{"last byte", size - 1, 1},
			{"chunk edge", store.ChunkSize - 1, 2},
			{"one chunk", store.ChunkSize, store.ChunkSize},
			{"to the end", 2*store.ChunkSize + 5, -1},
			{"past the end", 10, size},
			{"empty at the end", size, -1},
			{"nothing", 5, 0},
		}
		for _, tt := range tests {
			got, info, err := s.ReadPiece(ctx, ref, tt.off, tt.n)
			end := size
			if tt.n >= 0 {
				end = min(size, tt.off+tt.n)
			}
			if err != nil || !bytes.Equal(got, big[tt.off:end]) {
				t.Fatalf("%s: got %d bytes, %v; want %d", tt.name, len(got), err, end-tt.off)
			}
			if info.Size != size || info.Sum != bigSum {
				t.Fatalf("%s: info %+v", tt.name, info)
			}
		}
		if _, _, err := s.ReadPiece(ctx, ref, size+1, 1); !errors.Is(err, store.ErrRange) {
			t.Fatalf("offset past the end: %v, want store.ErrRange", err)
		}
		if _, _, err := s.ReadPiece(ctx, store.Ref{Root: root, Shard: 0, Segment: 1}, 0, 1); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing piece: %v", err)
		}
		if segs, n, err := s.Shard(ctx, root, 0); err != nil || segs != 1 || n != size {
			t.Fatalf("shard: %d segments, %d bytes, %v", segs, n, err)
		}
	})
	t.Run("manifests", func(t *testing.T) {
		s := open(t)
		mc := cid.NewCidV1(cid.Raw, mustSum("manifest"))
		other := cid.NewCidV1(cid.Raw, mustSum("other manifest"))
		if _, err := s.GetManifest(ctx, root); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing manifest: %v", err)
		}
		if err := s.PutManifest(ctx, root, mc, []byte("m")); err != nil {
			t.Fatal(err)
		}
		if err := s.PutManifest(ctx, root, mc, []byte("m")); err != nil {
			t.Fatalf("the same manifest again: %v", err)
		}
		if err := s.PutManifest(ctx, root, mc, []byte("x")); !errors.Is(err, store.ErrExists) {
			t.Fatalf("other bytes under the same CID: %v, want store.ErrExists", err)
		}
		if err := s.PutManifest(ctx, root, other, []byte("m2")); !errors.Is(err, store.ErrExists) {
			t.Fatalf("a second manifest of the root: %v, want store.ErrExists", err)
		}
		for name, get := range map[string]func() ([]byte, error){
			"by root": func() ([]byte, error) { return s.GetManifest(ctx, root) },
			"by CID":  func() ([]byte, error) { return s.ManifestByCID(ctx, mc) },
		} {
			if got, err := get(); err != nil || string(got) != "m" {
				t.Fatalf("%s: got %q, %v", name, got, err)
			}
		}
		if cids, err := s.ManifestCIDs(ctx, root); err != nil || len(cids) != 1 || !cids[0].Equals(mc) {
			t.Fatalf("manifest CIDs %v, %v", cids, err)
		}
		if _, err := s.GetPlacement(ctx, mc); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing placement: %v", err)
		}
		for _, p := range []string{"p1", "p2"} { // placement hints may change
			if err := s.PutPlacement(ctx, mc, []byte(p)); err != nil {
				t.Fatal(err)
			}
			if got, err := s.GetPlacement(ctx, mc); err != nil || string(got) != p {
				t.Fatalf("placement %q, %v", got, err)
			}
		}
		roots, err := s.Roots(ctx)
		if err != nil || len(roots) != 1 || !roots[0].Equals(root) {
			t.Fatalf("roots %v, %v", roots, err)
		}
		if err := s.DeleteManifests(ctx, root); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ManifestByCID(ctx, mc); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted manifest: %v", err)
		}
		if roots, err := s.Roots(ctx); err != nil || len(roots) != 0 {
			t.Fatalf("roots after delete %v, %v", roots, err)
		}
		if err := s.PutManifest(ctx, root, other, []byte("m2")); err != nil {
			t.Fatalf("another manifest once the first is gone: %v", err)
		}
	})
	t.Run("pieces are write-once", func(t *testing.T) {
		s := open(t)
		ref := store.Ref{Root: root, Shard: 2, Segment: 0}
		if err := s.PutPiece(ctx, ref, sum, data); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPiece(ctx, ref, sum, data); err != nil {
			t.Fatalf("the same piece again: %v", err)
		}
		other := bytes.Repeat([]byte("evil!"), 1000)
		if err := s.PutPiece(ctx, ref, sha256.Sum256(other), other); !errors.Is(err, store.ErrExists) {
			t.Fatalf("other bytes: %v, want store.ErrExists", err)
		}
		if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after the refused overwrite: %d bytes, %v", len(got), err)
		}
	})
	t.Run("delete shard", func(t *testing.T) {
		s := open(t)
		for seg := range 3 {
			for _, shard := range []int{1, 2} {
				if err := s.PutPiece(ctx, store.Ref{Root: root, Shard: shard, Segment: seg}, sum, data); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.PutTree(ctx, root, 1, data); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteShard(ctx, root, 1); err != nil {
			t.Fatal(err)
		}
		if segs, _, err := s.Shard(ctx, root, 1); err != nil || segs != 0 {
			t.Fatalf("deleted shard holds %d segments, %v", segs, err)
		}
		if has, _ := s.HasTree(ctx, root, 1); has {
			t.Fatal("the deleted shard's tree is still there")
		}
		if ok, err := s.HasShard(ctx, root, 2, 3); err != nil || !ok {
			t.Fatalf("shard 2 was touched: %v, %v", ok, err)
		}
	})
	t.Run("repair", func(t *testing.T) {
		s := open(t)
		ref := store.Ref{Root: root, Shard: 6, Segment: 1}
		other := bytes.Repeat([]byte("evil!"), 1000)
		// A missing piece is restored only by bytes that hash to the manifest's sum.
		if err := s.RepairPiece(ctx, ref, sum, other, sha256.Sum256); !errors.Is(err, store.ErrMismatch) {
			t.Fatalf("wrong bytes for a missing piece: %v, want store.ErrMismatch", err)
		}
		if _, err := s.CheckPiece(ctx, ref); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a refused repair stored something: %v", err)
		}
		if err := s.RepairPiece(ctx, ref, sum, data, sha256.Sum256); err != nil {
			t.Fatalf("restoring a missing piece: %v", err)
		}
		if info, err := s.CheckPiece(ctx, ref); err != nil || info.Sum != sum || info.Size != int64(len(data)) {
			t.Fatalf("after the repair: %+v, %v", info, err)
		}
		// An intact piece is write-once: another piece with its own matching sum is refused.
		if err := s.RepairPiece(ctx, ref, sha256.Sum256(other), other, sha256.Sum256); !errors.Is(err, store.ErrExists) {
			t.Fatalf("replacing a piece of another sum: %v, want store.ErrExists", err)
		}
		if err := s.RepairPiece(ctx, ref, sum, data, sha256.Sum256); err != nil {
			t.Fatalf("the same bytes again: %v", err)
		}
		if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after the refused repairs: %d bytes, %v", len(got), err)
		}
		// The check is the manifest's piece hash, which the caller gives: bytes that match their
		// plain SHA-256 do not pass another hash.
		salted := func(b []byte) [32]byte { return sha256.Sum256(append([]byte("salt"), b...)) }
		next := store.Ref{Root: root, Shard: 6, Segment: 2}
		if err := s.RepairPiece(ctx, next, sum, data, salted); !errors.Is(err, store.ErrMismatch) {
			t.Fatalf("bytes that fail the caller's hash: %v, want store.ErrMismatch", err)
		}
		if err := s.RepairPiece(ctx, next, salted(data), data, salted); err != nil {
			t.Fatalf("bytes that pass the caller's hash: %v", err)
		}
		if info, err := s.CheckPiece(ctx, next); err != nil || info.Sum != salted(data) {
			t.Fatalf("after the repair under the caller's hash: %+v, %v", info, err)
		}
		// Scrub records are opaque values per shard, dropped with the shard.
		if _, err := s.GetScrub(ctx, root, 6); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no scrub record yet: %v", err)
		}
		if err := s.PutScrub(ctx, root, 6, []byte("when")); err != nil {
			t.Fatal(err)
		}
		if v, err := s.GetScrub(ctx, root, 6); err != nil || string(v) != "when" {
			t.Fatalf("scrub record %q, %v", v, err)
		}
		if err := s.DeleteShard(ctx, root, 6); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetScrub(ctx, root, 6); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("scrub record of a deleted shard: %v", err)
		}
	})
	t.Run("grants", func(t *testing.T) {
		s := open(t)
		a, b := [20]byte{1}, [20]byte{2}
		for _, acc := range [][20]byte{a, b} {
			if err := s.PutGrant(ctx, root, 7, acc, acc[:1]); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteGrant(ctx, root, 7, a); err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := s.Grants(ctx, func(r cid.Cid, shard int, acc [20]byte, v []byte) error {
			got = append(got, fmt.Sprintf("%s %d %x %x", r, shard, acc[0], v))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%s 7 2 02", root); len(got) != 1 || got[0] != want {
			t.Fatalf("grants %q, want [%q]", got, want)
		}
	})
	t.Run("move shard", func(t *testing.T) { moveShard(t, open, reopen) })
	t.Run("move shard refused", func(t *testing.T) { moveShardRefused(t, open) })
	if reopen != nil {
		t.Run("durable", func(t *testing.T) {
			s := open(t)
			ref := store.Ref{Root: root, Shard: 1, Segment: 1}
			if err := s.PutPiece(ctx, ref, sum, data); err != nil {
				t.Fatal(err)
			}
			if err := s.PutTree(ctx, root, 1, []byte("tree")); err != nil {
				t.Fatal(err)
			}
			s = reopen(t, s)
			if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("after reopen: %v", err)
			}
			if got, err := s.GetTree(ctx, root, 1); err != nil || string(got) != "tree" {
				t.Fatalf("tree after reopen: %q, %v", got, err)
			}
		})
	}
}

func mustSum(s string) multihash.Multihash {
	h, err := multihash.Sum([]byte(s), multihash.SHA2_256, -1)
	if err != nil {
		panic(err)
	}
	return h
}

// shardPieces are pieces of both kinds: below store.PieceFileMin (kept in a Badger's database)
// and above it (kept in the shard's file), each with its own bytes.
func shardPieces(tag string) [][]byte {
	var out [][]byte
	for i, size := range []int{5000, store.PieceFileMin + 100, 300, 2*store.PieceFileMin + 7} {
		p := make([]byte, size)
		for j := range p {
			p[j] = byte(j*31 + i*7 + len(tag))
		}
		copy(p, fmt.Sprintf("%s piece %d", tag, i))
		out = append(out, p)
	}
	return out
}

// uploadID is a root as a node names the pieces of an upload whose manifest has not come yet: a
// CID of the identity multihash.
func uploadID(name string) cid.Cid {
	mh, err := multihash.Sum([]byte(name), multihash.IDENTITY, -1)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

// putShard stores pieces as the segments of shard of root, in order.
func putShard(t *testing.T, s store.Store, root cid.Cid, shard int, pieces [][]byte) {
	t.Helper()
	for seg, p := range pieces {
		if err := s.PutPiece(context.Background(), store.Ref{Root: root, Shard: shard, Segment: seg}, sha256.Sum256(p), p); err != nil {
			t.Fatalf("piece %d: %v", seg, err)
		}
	}
}

// wantShard fails t unless s holds exactly pieces as shard of root, read whole and in a range.
func wantShard(t *testing.T, s store.Store, root cid.Cid, shard int, pieces [][]byte) {
	t.Helper()
	ctx := context.Background()
	var size int64
	for seg, p := range pieces {
		ref := store.Ref{Root: root, Shard: shard, Segment: seg}
		if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, p) {
			t.Fatalf("piece %s/%d/%d: %d bytes, %v; want %d", root, shard, seg, len(got), err, len(p))
		}
		got, info, err := s.ReadPiece(ctx, ref, 100, 50)
		if err != nil || !bytes.Equal(got, p[100:150]) || info.Sum != sha256.Sum256(p) || info.Size != int64(len(p)) {
			t.Fatalf("a range of piece %s/%d/%d: %v, info %+v", root, shard, seg, err, info)
		}
		size += int64(len(p))
	}
	if segs, n, err := s.Shard(ctx, root, shard); err != nil || segs != len(pieces) || n != size {
		t.Fatalf("shard %d of %s: %d segments, %d bytes, %v; want %d, %d", shard, root, segs, n, err, len(pieces), size)
	}
	if has, err := s.HasShard(ctx, root, shard, len(pieces)); err != nil || !has {
		t.Fatalf("shard %d of %s: has %v, %v", shard, root, has, err)
	}
	if _, err := s.GetPiece(ctx, store.Ref{Root: root, Shard: shard, Segment: len(pieces)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a piece past shard %d of %s: %v", shard, root, err)
	}
}

// wantNoShard fails t if s holds any piece of shard of root.
func wantNoShard(t *testing.T, s store.Store, root cid.Cid, shard int) {
	t.Helper()
	ctx := context.Background()
	if segs, _, err := s.Shard(ctx, root, shard); err != nil || segs != 0 {
		t.Fatalf("shard %d of %s holds %d segments, %v", shard, root, segs, err)
	}
	if _, err := s.GetPiece(ctx, store.Ref{Root: root, Shard: shard, Segment: 0}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("piece %s/%d/0: %v, want store.ErrNotFound", root, shard, err)
	}
}

// sumsCheck approves the pieces whose header holds the sum and size of pieces[segment].
func sumsCheck(pieces [][]byte) func(int, store.PieceInfo) error {
	return func(seg int, info store.PieceInfo) error {
		if seg >= len(pieces) || info.Sum != sha256.Sum256(pieces[seg]) || info.Size != int64(len(pieces[seg])) {
			return fmt.Errorf("segment %d: a piece of %d bytes that is not the manifest's", seg, info.Size)
		}
		return nil
	}
}

func moveShard(t *testing.T, open func(t *testing.T) store.Store, reopen func(t *testing.T, s store.Store) store.Store) {
	ctx := context.Background()
	s := open(t)
	from, to := uploadID("upload 1"), cid.NewCidV1(cid.Raw, mustSum("file"))
	pieces, other := shardPieces("moved"), shardPieces("left")
	putShard(t, s, from, 2, pieces)
	putShard(t, s, from, 3, other) // another shard of the upload stays where it is
	if err := s.PutTree(ctx, from, 2, []byte("tree")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutScrub(ctx, from, 2, []byte("scrub")); err != nil {
		t.Fatal(err)
	}
	var checked []int
	check := sumsCheck(pieces)
	err := s.MoveShard(ctx, from, to, 2, func(seg int, info store.PieceInfo) error {
		checked = append(checked, seg)
		return check(seg, info)
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(checked) != "[0 1 2 3]" {
		t.Fatalf("checked segments %v, want each once in order", checked)
	}
	wantShard(t, s, to, 2, pieces)
	wantNoShard(t, s, from, 2)
	wantShard(t, s, from, 3, other)
	if _, err := s.GetTree(ctx, from, 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the tree under the old root: %v", err)
	}
	if _, err := s.GetScrub(ctx, from, 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the scrub record under the old root: %v", err)
	}
	if err := s.MoveShard(ctx, from, to, 2, check); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the same move again: %v, want store.ErrNotFound", err)
	}
	// A piece written under the new root after the move takes its own place.
	more := append(pieces, shardPieces("added")[1])
	putShard(t, s, to, 2, more)
	wantShard(t, s, to, 2, more)
	if reopen != nil {
		s = reopen(t, s)
		wantShard(t, s, to, 2, more)
		wantNoShard(t, s, from, 2)
		wantShard(t, s, from, 3, other)
	}
}

func moveShardRefused(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	from, to := uploadID("upload 2"), cid.NewCidV1(cid.Raw, mustSum("stored file"))
	staged, stored := shardPieces("stranger's"), shardPieces("stored")
	refusal := errors.New("not the manifest's piece")
	tests := []struct {
		name   string
		from   [][]byte // the pieces staged under from
		to     [][]byte // the pieces stored under to before the move
		check  func(int, store.PieceInfo) error
		want   error
		called bool // whether check is asked at all
		apart  bool // to holds stored[0] as segment 9, which from lacks
	}{
		{"a piece fails the check", staged, nil, func(seg int, info store.PieceInfo) error {
			if seg == 1 {
				return refusal
			}
			return nil
		}, refusal, true, false},
		{"a piece of another sum", staged, nil, sumsCheck(append(staged[:3:3], stored[3])), nil, true, false},
		{"the destination holds the shard", staged, stored, sumsCheck(staged), store.ErrExists, false, false},
		{"the destination holds one piece", staged, stored[:1], sumsCheck(staged), store.ErrExists, false, false},
		{"nothing under from", nil, stored, sumsCheck(staged), store.ErrNotFound, false, false},
		{"the destination holds a segment the upload lacks", staged, nil, sumsCheck(staged), store.ErrExists, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			putShard(t, s, from, 1, tt.from)
			putShard(t, s, to, 1, tt.to)
			apart := store.Ref{Root: to, Shard: 1, Segment: 9}
			if tt.apart {
				if err := s.PutPiece(ctx, apart, sha256.Sum256(stored[0]), stored[0]); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.PutTree(ctx, from, 1, []byte("tree")); err != nil {
				t.Fatal(err)
			}
			called := false
			err := s.MoveShard(ctx, from, to, 1, func(seg int, info store.PieceInfo) error {
				called = true
				return tt.check(seg, info)
			})
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if called != tt.called {
				t.Fatalf("check asked: %v, want %v", called, tt.called)
			}
			if len(tt.from) > 0 {
				wantShard(t, s, from, 1, tt.from)
			} else {
				wantNoShard(t, s, from, 1)
			}
			switch {
			case len(tt.to) > 0:
				wantShard(t, s, to, 1, tt.to)
			case tt.apart:
				if segs, _, err := s.Shard(ctx, to, 1); err != nil || segs != 1 {
					t.Fatalf("shard 1 of %s holds %d segments, %v; want 1", to, segs, err)
				}
				if got, err := s.GetPiece(ctx, apart); err != nil || !bytes.Equal(got, stored[0]) {
					t.Fatalf("the piece held under to: %d bytes, %v", len(got), err)
				}
			default:
				wantNoShard(t, s, to, 1)
			}
			if got, err := s.GetTree(ctx, from, 1); err != nil || string(got) != "tree" {
				t.Fatalf("the tree under from: %q, %v", got, err)
			}
		})
	}
}
