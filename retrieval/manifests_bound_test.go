package retrieval

import (
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/sharding"
)

// testRoot is a distinct raw CID for each i.
func testRoot(t testing.TB, i int) cid.Cid {
	t.Helper()
	h, err := mh.Sum([]byte{byte(i), byte(i >> 8)}, mh.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}

// The manifest cache holds at most its count and its bytes, the least recently used leaving
// first, and never a manifest larger than a quarter of its bytes.
func TestManifestCacheBounds(t *testing.T) {
	small := func(segments int) *sharding.Manifest {
		return &sharding.Manifest{K: 4, M: 2, Segments: make([][][32]byte, segments)}
	}
	mc := newManifestCache(3, 1<<20)
	roots := make([]cid.Cid, 5)
	for i := range roots {
		roots[i] = testRoot(t, i)
	}
	for i := range 3 {
		mc.add(roots[i], roots[i], small(1), nil)
	}
	mc.get(roots[0], cid.Undef) // 0 used last: 1 is the least recently used
	mc.add(roots[3], roots[3], small(1), nil)
	for i, want := range []bool{true, false, true, true} {
		if got := mc.get(roots[i], cid.Undef) != nil; got != want {
			t.Fatalf("by count: root %d kept %v, want %v", i, got, want)
		}
	}
	if mc.get(roots[0], roots[1]) != nil {
		t.Fatal("the kept manifest of root 0 was returned for another manifest CID")
	}

	// By bytes: a manifest of 2000 segments of 6 pieces is ~384 KB; a fourth of 1 MiB is 256 KiB.
	mc.add(roots[4], roots[4], withSegments(small(2000)), nil)
	if mc.get(roots[4], cid.Undef) != nil {
		t.Fatal("a manifest larger than a quarter of the cache was kept")
	}
	big := withSegments(small(1200)) // ~260 KB: four of them fit in 1 MiB, five do not
	mc = newManifestCache(100, 1<<20)
	for i := range 5 {
		mc.add(roots[i], roots[i], big, nil)
	}
	if mc.bytes > mc.maxBytes || mc.lru.Len() != 4 || len(mc.byRoot) != 4 {
		t.Fatalf("%d bytes kept in %d manifests (%d in the index), want 4 and at most %d bytes", mc.bytes, mc.lru.Len(), len(mc.byRoot), mc.maxBytes)
	}
	if mc.get(roots[4], cid.Undef) == nil || mc.get(roots[0], cid.Undef) != nil {
		t.Fatal("by bytes: the newest manifest left, or the oldest stayed")
	}
	mc.drop(roots[4], roots[3]) // another manifest CID: nothing dropped
	mc.drop(roots[4], roots[4])
	if mc.get(roots[4], cid.Undef) != nil {
		t.Fatal("a dropped manifest is still kept")
	}
}

// withSegments fills m's piece hashes.
func withSegments(m *sharding.Manifest) *sharding.Manifest {
	for j := range m.Segments {
		m.Segments[j] = make([][32]byte, m.K+m.M)
	}
	return m
}
