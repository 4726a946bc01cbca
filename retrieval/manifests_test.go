package retrieval_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// readerOf returns a client that knows only the manifest server x: it learns the storage nodes
// from the placement of the manifest x serves.
func readerOf(t testing.TB, x *hostile, cfg retrieval.Config) *retrieval.Client {
	t.Helper()
	cfg.Host = p2ptest.NewHost(t)
	cfg.Peers = []peer.AddrInfo{x.info()}
	c, err := retrieval.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openRange opens root and reads n bytes at off through the File.
func openRange(t testing.TB, c *retrieval.Client, root cid.Cid, off, n int64) ([]byte, error) {
	t.Helper()
	f, err := c.Open(t.Context(), root)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	_, err = f.WriteRange(t.Context(), off, n, &buf, retrieval.GetOptions{})
	return buf.Bytes(), err
}

// A manifest a read succeeded with is kept: later Opens, ReadRanges, Gets and Manifests of the
// root fetch no manifest, even once no node serves it any more; with the cache off each one does.
func TestManifestKeptAfterARead(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(5*int(smallParams.SegmentSize())+321, 41)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	x := newHostile(t) // an honest manifest server: the genuine manifest, placement and all
	x.offer(mcid, marshalManifest(t, m))

	c := readerOf(t, x, retrieval.Config{})
	got, err := openRange(t, c, res.Root, 1000, 70_000)
	if err != nil || !bytes.Equal(got, data[1000:71_000]) {
		t.Fatalf("first read: %d bytes, %v", len(got), err)
	}
	if n := x.gets.Load(); n != 1 {
		t.Fatalf("the first read fetched the manifest %d times, want once", n)
	}
	x.reset() // from now on the network offers no manifest
	for i := range 3 {
		off := int64(i) * 50_000
		got, err := openRange(t, c, res.Root, off, 60_000)
		if err != nil || !bytes.Equal(got, data[off:off+60_000]) {
			t.Fatalf("read %d from the kept manifest: %d bytes, %v", i, len(got), err)
		}
	}
	var buf bytes.Buffer
	if _, err := c.ReadRange(t.Context(), res.Root, 7, 9, &buf); err != nil || !bytes.Equal(buf.Bytes(), data[7:16]) {
		t.Fatalf("ReadRange from the kept manifest: %q, %v", buf.Bytes(), err)
	}
	buf.Reset()
	if _, _, err := c.Get(t.Context(), res.Root, &buf, retrieval.GetOptions{}); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("Get from the kept manifest: %d bytes, %v", buf.Len(), err)
	}
	if got, err := c.Manifest(t.Context(), res.Root); err != nil || got.Root != m.Root || len(got.Placement) != len(m.Placement) {
		t.Fatalf("Manifest from the kept manifest: %v", err)
	}
	if n := x.gets.Load(); n != 1 {
		t.Fatalf("reads of a kept manifest fetched it %d more times", n-1)
	}
	// Another manifest asked for by CID is not the kept one.
	if _, err := c.ManifestOf(t.Context(), res.Root, contentCID([]byte("another manifest"))); !errors.Is(err, retrieval.ErrManifestNotFound) {
		t.Fatalf("a manifest the network does not offer, asked for by CID: %v", err)
	}

	// Without the cache every read fetches the manifest.
	x.offer(mcid, marshalManifest(t, m))
	off := readerOf(t, x, retrieval.Config{ManifestCache: -1})
	before := x.gets.Load()
	for range 3 {
		if got, err := openRange(t, off, res.Root, 0, 1000); err != nil || !bytes.Equal(got, data[:1000]) {
			t.Fatalf("read without the cache: %d bytes, %v", len(got), err)
		}
	}
	if n := x.gets.Load() - before; n != 3 {
		t.Fatalf("3 reads without the cache fetched the manifest %d times", n)
	}
}

// A stranger's manifest never enters the cache: one of another file is refused, and one with the
// genuine content (the genuine CID) but a placement naming the stranger, which serves wrong
// pieces, fails its read and is not kept, so the next Open asks the network again and reads
// with the honest manifest.
func TestManifestCacheRefusesStrangers(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	owner := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(3*int(smallParams.SegmentSize())+99, 42)
	res, m := put(t, owner, data, smallParams)
	_, other := put(t, owner, randomBytes(40_000, 43), smallParams)
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	x := newHostile(t)
	c := readerOf(t, x, retrieval.Config{})

	// The manifest of another file, under its own CID and under the genuine one.
	otherCID, _ := other.CID()
	x.offer(otherCID, marshalManifest(t, other))
	x.offer(mcid, marshalManifest(t, other))
	if _, err := openRange(t, c, res.Root, 0, 100); !errors.Is(err, retrieval.ErrManifestNotFound) {
		t.Fatalf("Open with only another file's manifest offered: %v", err)
	}

	// The genuine content, every shard placed on the stranger, which serves garbage pieces.
	x.reset()
	before := x.gets.Load()
	hostileM := *m
	hostileM.Placement = make([][]sharding.Location, len(m.Placement))
	for i := range hostileM.Placement {
		hostileM.Placement[i] = []sharding.Location{{Peer: x.h.ID().String()}}
	}
	x.offer(mcid, marshalManifest(t, &hostileM))
	x.mu.Lock()
	x.piece = bytes.Repeat([]byte{0xAA}, int(m.PieceSize))
	x.mu.Unlock()
	for i := range 2 {
		if got, err := openRange(t, c, res.Root, 0, 5000); err == nil {
			t.Fatalf("read %d with the stranger's placement returned %d bytes and no error", i, len(got))
		}
	}
	if n := x.gets.Load() - before; n != 2 {
		t.Fatalf("2 Opens fetched the stranger's manifest %d times: a failed read's manifest was kept", n)
	}

	// The honest manifest now: read, kept.
	x.offer(mcid, marshalManifest(t, m))
	for range 2 {
		if got, err := openRange(t, c, res.Root, 100, 5000); err != nil || !bytes.Equal(got, data[100:5100]) {
			t.Fatalf("read with the honest manifest: %d bytes, %v", len(got), err)
		}
	}
	if n := x.gets.Load() - before; n != 3 {
		t.Fatalf("fetched the manifest %d times, want 3 (two refused, one kept)", n)
	}
}

// A manifest holder that lists the manifest at once but is slow to send it (its node slowed
// between the two) is hedged: the manifest comes from another holder long before the slow one
// would have answered, and the slow holder, which lost past its P95, is expected to be slow.
func TestSlowManifestFetchIsHedged(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(2*int(smallParams.SegmentSize())+5, 44)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	const slowFor = 5 * time.Second
	slow, fast := newHostile(t), newHostile(t)
	for _, x := range []*hostile{slow, fast} {
		x.offer(mcid, marshalManifest(t, m))
	}
	slow.getDelay = slowFor
	fast.listDelay = 100 * time.Millisecond // the slow holder's offer comes first
	cfg := retrieval.Config{Host: p2ptest.NewHost(t), Peers: []peer.AddrInfo{slow.info(), fast.info()}}
	c, err := retrieval.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	got, err := openRange(t, c, res.Root, 10, 20_000)
	if err != nil || !bytes.Equal(got, data[10:20_010]) {
		t.Fatalf("read: %d bytes, %v", len(got), err)
	}
	if el := time.Since(t0); el >= slowFor-time.Second {
		t.Fatalf("the read took %v: it waited for the slow holder (%v)", el, slowFor)
	}
	if slow.gets.Load() != 1 || fast.gets.Load() != 1 {
		t.Fatalf("manifest fetches: %d from the slow holder, %d from the fast one; want 1 and 1 (the slow one first)", slow.gets.Load(), fast.gets.Load())
	}
	if e := c.Estimator().Estimate(slow.h.ID()); e.TTFB < c.Estimator().Estimate(fast.h.ID()).TTFB || e.TTFB < 50*time.Millisecond {
		t.Fatalf("the slow holder, hedged and cancelled, is expected to answer in %v", e.TTFB)
	}
}

// A new client's manifest answer measures the node that sent it: the answer's round trip (its dial
// not counted) seeds the node's estimate, so the read that follows fetches there without pinging
// it first.
func TestManifestAnswerSeedsTheEstimate(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(int(smallParams.SegmentSize())+5, 45)
	res, _ := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	c := newClient(t, nodes, retrieval.Config{})
	for _, e := range c.Estimator().Estimates() {
		t.Fatalf("a new client knows %s already: %+v", e.Peer, e)
	}
	if _, err := c.Manifest(t.Context(), res.Root); err != nil {
		t.Fatal(err)
	}
	seeded := 0
	for _, n := range nodes {
		e := c.Estimator().Estimate(n.ID())
		if e.RTT <= 0 {
			continue
		}
		seeded++
		if e.RTT > time.Second { // loopback
			t.Fatalf("node %s seeded with %v", n.ID(), e.RTT)
		}
	}
	if seeded == 0 {
		t.Fatal("the node that sent the manifest is not measured")
	}
}

// A stranger that offers a file's real manifest CID and sends bytes that do not decode does not
// make the client skip the same manifest offered by others: its bytes were never shown to be that
// manifest, so they say nothing of the manifest's content.
func TestJunkForARealManifestCIDIsNotHeldAgainstIt(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(int(smallParams.SegmentSize())+5, 46)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	for _, junk := range [][]byte{[]byte("not a manifest"), marshalManifest(t, m)[:40]} {
		bad, good := newHostile(t), newHostile(t)
		bad.offer(mcid, junk)
		good.offer(mcid, marshalManifest(t, m))
		good.listDelay = 100 * time.Millisecond // the stranger's offer comes first
		c, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t), Peers: []peer.AddrInfo{bad.info(), good.info()}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := openRange(t, c, res.Root, 10, 20_000)
		if err != nil || !bytes.Equal(got, data[10:20_010]) {
			t.Fatalf("read after junk offered as manifest %s: %d bytes, %v", mcid, len(got), err)
		}
		if bad.gets.Load() != 1 || good.gets.Load() != 1 {
			t.Fatalf("manifest fetches: %d from the stranger, %d from the honest holder; want 1 and 1", bad.gets.Load(), good.gets.Load())
		}
	}
}
