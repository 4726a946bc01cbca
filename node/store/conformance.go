package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
)

// RunConformance checks that the stores made by open behave as Store says. open is called once per
// sub-test; reopen, if not nil, closes and reopens the same store to check durability.
func RunConformance(t *testing.T, open func(t *testing.T) Store, reopen func(t *testing.T, s Store) Store) {
	ctx := context.Background()
	mh, _ := multihash.Sum([]byte("root"), multihash.SHA2_256, -1)
	root := cid.NewCidV1(cid.Raw, mh)
	data := bytes.Repeat([]byte("piece"), 1000)
	sum := sha256.Sum256(data)

	t.Run("piece round trip", func(t *testing.T) {
		s := open(t)
		ref := Ref{Root: root, Shard: 3, Segment: 7}
		if err := s.PutPiece(ctx, ref, sum, data); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetPiece(ctx, ref)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("got %d bytes, %v", len(got), err)
		}
		if _, err := s.GetPiece(ctx, Ref{Root: root, Shard: 3, Segment: 8}); !errors.Is(err, ErrNotFound) {
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
	t.Run("wrong sum is corrupt", func(t *testing.T) {
		s := open(t)
		ref := Ref{Root: root, Shard: 0, Segment: 0}
		if err := s.PutPiece(ctx, ref, [32]byte{1}, data); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPiece(ctx, ref); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("got %v, want ErrCorrupt", err)
		}
	})
	t.Run("manifests", func(t *testing.T) {
		s := open(t)
		if _, err := s.GetManifest(ctx, root); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing manifest: %v", err)
		}
		if err := s.PutManifest(ctx, root, []byte("m")); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetManifest(ctx, root)
		if err != nil || string(got) != "m" {
			t.Fatalf("got %q, %v", got, err)
		}
		roots, err := s.Roots(ctx)
		if err != nil || len(roots) != 1 || !roots[0].Equals(root) {
			t.Fatalf("roots %v, %v", roots, err)
		}
	})
	if reopen != nil {
		t.Run("durable", func(t *testing.T) {
			s := open(t)
			ref := Ref{Root: root, Shard: 1, Segment: 1}
			if err := s.PutPiece(ctx, ref, sum, data); err != nil {
				t.Fatal(err)
			}
			s = reopen(t, s)
			if got, err := s.GetPiece(ctx, ref); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("after reopen: %v", err)
			}
		})
	}
}
