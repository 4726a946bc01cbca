package gateway_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/store/diskcache"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/gateway"
	"github.com/dstore-net/dstore/sharding"
)

// An attacker keeps one leaf of every segment hot so that the cache would pin whole segments for
// a leaf's count. The cache counts every buffer it holds a slice of, once, so its size is the
// memory it holds and never passes its bound: it keeps the leaves of at most three buffers.
func TestMemoryCacheCountsTheBuffersItHolds(t *testing.T) {
	const (
		bufSize = 1 << 20
		leaves  = 16
		leaf    = bufSize / leaves
		keyLen  = 34 // a sha2-256 multihash
	)
	max := int64(3*bufSize + 64*keyLen)
	c := gateway.NewMemoryCache(max)
	type buffer struct {
		b    []byte
		buf  *gateway.Buffer
		keys []string
	}
	var bufs []*buffer
	key := func(i, j int) string { return fmt.Sprintf("%034d", i*leaves+j) }
	// check compares the cache's size with the memory it holds: each buffer with a slice cached,
	// once, and every key, and checks the bound.
	check := func(when string) {
		t.Helper()
		var held int64
		heldBufs := 0
		for _, b := range bufs {
			any := false
			for _, k := range b.keys {
				if c.Contains(k) {
					held += keyLen
					any = true
				}
			}
			if any {
				held += int64(cap(b.b))
				if b.buf != nil {
					heldBufs++
				}
			}
		}
		if got := c.Size(); got != held || got > max {
			t.Fatalf("%s: the cache counts %d bytes, holds %d (%d buffers), bound %d", when, got, held, heldBufs, max)
		}
		if heldBufs > 3 {
			t.Fatalf("%s: slices of %d buffers of %d bytes held under a bound of %d", when, heldBufs, bufSize, max)
		}
	}
	for i := range 12 {
		b := &buffer{b: make([]byte, bufSize)}
		b.buf = gateway.NewBuffer(b.b)
		bufs = append(bufs, b)
		for j := range leaves {
			k := key(i, j)
			b.keys = append(b.keys, k)
			if !c.AddSlice(k, b.b[j*leaf:(j+1)*leaf], b.buf) {
				t.Fatalf("buffer %d leaf %d refused", i, j)
			}
			check(fmt.Sprintf("buffer %d leaf %d added", i, j))
		}
		// The attacker reads the first leaf of every buffer so far, keeping them all recently used.
		for h := range i + 1 {
			c.Get(key(h, 0))
			check(fmt.Sprintf("leaf 0 of buffer %d read", h))
		}
	}
	// Blocks of their own count their length, beside the buffers.
	own := bytes.Repeat([]byte{1}, 1000)
	c.Add(key(99, 0), own)
	bufs = append(bufs, &buffer{b: own, keys: []string{key(99, 0)}})
	check("a block of its own added")
	// The leaves of the last buffer cached again as slices of a new one (the segment fetched
	// again): the new buffer replaces the old, which is let go with its last leaf.
	last := bufs[11]
	again := &buffer{b: make([]byte, bufSize)}
	again.buf = gateway.NewBuffer(again.b)
	bufs[11] = again
	for j := range leaves {
		again.keys = append(again.keys, last.keys[j])
		c.AddSlice(last.keys[j], again.b[j*leaf:(j+1)*leaf], again.buf)
		if got, ok := c.Get(last.keys[j]); !ok || &got[0] != &again.b[j*leaf] {
			t.Fatalf("leaf %d: not the slice of the new buffer", j)
		}
	}
	check("a buffer's leaves cached again from a new one")
	if held := gateway.HeldBuffers(c); len(held) > 3 {
		t.Fatalf("%d buffers held once the last one's leaves moved to a new one", len(held))
	}
	// A buffer larger than the cache is refused (the caller adds copies instead).
	big := make([]byte, max)
	if c.AddSlice("big", big[:leaf], gateway.NewBuffer(big)) {
		t.Fatal("a slice of a buffer larger than the cache was cached")
	}
	check("a buffer too large refused")
}

// A Tiered cache keeps slices in its memory level and copies on disk: what the disk returns is
// the block, and does not change when the buffer does.
func TestTieredKeepsSlicesInMemoryAndCopiesOnDisk(t *testing.T) {
	disk, err := diskcache.Open(t.TempDir(), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	mem := gateway.NewMemoryCache(4 << 20)
	c := gateway.Tiered{First: mem, Second: disk}
	b := make([]byte, 1<<20)
	rand.NewChaCha8([32]byte{2}).Read(b)
	want := bytes.Clone(b[:4096])
	if !c.AddSlice("k", b[:4096], gateway.NewBuffer(b)) {
		t.Fatal("the memory level refused a buffer it has room for")
	}
	if got := mem.Size(); got != 1<<20+1 {
		t.Fatalf("the memory level counts %d bytes for one slice of a 1 MiB buffer", got)
	}
	b[0] ^= 0xff // the disk level holds a copy of its own
	if got, ok := disk.Get("k"); !ok || !bytes.Equal(got, want) {
		t.Fatalf("disk level: %v, %d bytes, not the block", ok, len(got))
	}
}

// Through the gateway, on real nodes: a file of eight 1 MiB segments read through a cache with
// room for three streams whole; then, with one leaf of every segment asked for in turn, the
// cache never counts more than its bound, nor less than the segment buffers it holds.
func TestCacheBoundWithHotLeavesOfEverySegment(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	params := sharding.Params{K: 4, M: 2, PieceSize: 256 << 10} // 1 MiB segments of four 256 KiB leaves
	data := make([]byte, 8<<20)
	rand.NewChaCha8([32]byte{3}).Read(data)
	_, m, err := newClient(t, nodes).Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	segBuf := int64(params.K) * params.PieceSize
	max := 3*segBuf + 64<<10
	cache := gateway.NewMemoryCache(max)
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes), Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	defer srv.Close()
	if resp, body := fetch(t, srv.URL+"/ipfs/"+m.Root.String()); resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("status %d, %d bytes: not the file", resp.StatusCode, len(body))
	}
	leaves, err := m.Leaves()
	if err != nil {
		t.Fatal(err)
	}
	// check: the cache counts at least the segment buffers it holds slices of, and at most its
	// bound. (A segment read again once some of its leaves were evicted may have its leaves in two
	// buffers: both are held, and counted.)
	check := func(when string) {
		t.Helper()
		var held int64
		bufs := gateway.HeldBuffers(cache)
		for _, n := range bufs {
			if n != segBuf {
				t.Fatalf("%s: the cache holds slices of a buffer of %d bytes, segments are %d", when, n, segBuf)
			}
			held += n
		}
		if got := cache.Size(); got > max || got < held {
			t.Fatalf("%s: the cache counts %d bytes, holds slices of %d segment buffers (%d bytes), bound %d", when, got, len(bufs), held, max)
		}
		if len(bufs) == 0 {
			t.Fatalf("%s: no leaf cached as a slice of its segment", when)
		}
	}
	check("after the file")
	for round := range 2 {
		for j := range m.NumSegments() {
			l := leaves[j*4+round] // a leaf of segment j
			resp, body := fetch(t, srv.URL+"/ipfs/"+l.CID.String()+"?format=raw")
			if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data[l.Offset:l.Offset+l.Size]) {
				t.Fatalf("leaf of segment %d: status %d, %d bytes", j, resp.StatusCode, len(body))
			}
			check(fmt.Sprintf("round %d, segment %d", round, j))
		}
	}
}
