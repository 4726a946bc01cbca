package storetest

import (
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/internal/raw"
)

// Damage applies f to the stored bytes of the piece ref of s (a *store.Badger), as a failing
// disk would.
func Damage(t testing.TB, s store.Store, ref store.Ref, f func(v []byte)) {
	t.Helper()
	err := raw.Update(s, ref.Root, ref.Shard, ref.Segment, func(v []byte) []byte { f(v); return v })
	if err != nil {
		t.Fatalf("damaging piece %d/%d of %s: %v", ref.Shard, ref.Segment, ref.Root, err)
	}
}

// DeleteTree removes the tree of shard of root from s, as a lost file would.
func DeleteTree(t testing.TB, s store.Store, root cid.Cid, shard int) {
	t.Helper()
	if err := raw.Update(s, root, shard, -1, func([]byte) []byte { return nil }); err != nil {
		t.Fatalf("deleting the tree of shard %d of %s: %v", shard, root, err)
	}
}

// TreeVersion is the version of the tree of shard of root in s: it changes when the tree is
// written again.
func TreeVersion(t testing.TB, s store.Store, root cid.Cid, shard int) uint64 {
	t.Helper()
	v, err := raw.Version(s, root, shard, -1)
	if err != nil {
		t.Fatalf("tree of shard %d of %s: %v", shard, root, err)
	}
	return v
}

// DeletePiece removes the piece ref from s, as a lost file would.
func DeletePiece(t testing.TB, s store.Store, ref store.Ref) {
	t.Helper()
	if err := raw.Update(s, ref.Root, ref.Shard, ref.Segment, func([]byte) []byte { return nil }); err != nil {
		t.Fatalf("deleting piece %d/%d of %s: %v", ref.Shard, ref.Segment, ref.Root, err)
	}
}
