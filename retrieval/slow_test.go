package retrieval_test

import (
	"bytes"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// delayProxy forwards TCP connections to a node and holds every chunk for delay in each direction:
// a node far away, on loopback. The delay can change while connections are open.
type delayProxy struct {
	ln    net.Listener
	to    string
	delay atomic.Int64 // nanoseconds
	wg    sync.WaitGroup
}

func startDelayProxy(t testing.TB, to string, delay time.Duration) *delayProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &delayProxy{ln: ln, to: to}
	p.delay.Store(int64(delay))
	var conns []net.Conn
	var mu sync.Mutex
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, d)
			mu.Unlock()
			p.wg.Add(2)
			go func() { defer p.wg.Done(); p.pipe(d, c) }()
			go func() { defer p.wg.Done(); p.pipe(c, d) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		p.wg.Wait()
	})
	return p
}

// pipe copies src to dst, each chunk delayed: a reader stamps chunks, a writer sends each when due.
func (p *delayProxy) pipe(dst, src net.Conn) {
	type chunk struct {
		due time.Time
		b   []byte
	}
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		for {
			b := make([]byte, 64<<10)
			n, err := src.Read(b)
			if n > 0 {
				q <- chunk{time.Now().Add(time.Duration(p.delay.Load())), b[:n]}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		time.Sleep(time.Until(c.due))
		if _, err := dst.Write(c.b); err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
	for range q { // let the reader end
	}
}

// addr is the proxy's address as a multiaddr.
func (p *delayProxy) addr(t testing.TB) ma.Multiaddr {
	a, err := manet.FromNetAddr(p.ln.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func tcpAddr(t testing.TB, n *node.Node) string {
	t.Helper()
	for _, a := range n.Host().Addrs() {
		if _, err := a.ValueForProtocol(ma.P_TCP); err == nil {
			na, err := manet.ToNetAddr(a)
			if err == nil {
				return na.String()
			}
		}
	}
	t.Fatalf("node %s has no TCP address", n.ID())
	return ""
}

// behind returns a copy of m in which the node of shard i is reachable only at addr, and a
// client host that knows the other nodes and that address alone.
func behind(t testing.TB, m *sharding.Manifest, nodes []*node.Node, shard int, addr ma.Multiaddr) (*sharding.Manifest, host.Host, []peer.AddrInfo) {
	t.Helper()
	cp := *m
	cp.Placement = make([][]sharding.Location, len(m.Placement))
	for i, locs := range m.Placement {
		cp.Placement[i] = append([]sharding.Location(nil), locs...)
	}
	id := m.Placement[shard][0].Peer
	cp.Placement[shard][0] = sharding.Location{Peer: id, Addrs: []string{addr.String()}}
	var peers []peer.AddrInfo
	for _, n := range nodes {
		if n.ID().String() != id {
			peers = append(peers, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
		}
	}
	return &cp, p2ptest.NewHost(t), peers
}

// behindProxy puts the node of shard i behind a delay proxy, no delay yet, and returns it, the
// proxy, the manifest that names the proxy's address for it and a client of cfg that knows it
// there (cfg's Host and Peers are behind's).
func behindProxy(t testing.TB, nodes []*node.Node, m *sharding.Manifest, shard int, cfg retrieval.Config) (*node.Node, *delayProxy, *sharding.Manifest, *retrieval.Client) {
	t.Helper()
	n := nodes[nodeOf(t, nodes, m, shard)]
	proxy := startDelayProxy(t, tcpAddr(t, n), 0)
	var m2 *sharding.Manifest
	m2, cfg.Host, cfg.Peers = behind(t, m, nodes, shard, proxy.addr(t))
	c, err := retrieval.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n, proxy, m2, c
}

// farClient puts the node of m's shard behind a real delay of 150 ms each way and returns it, m
// placed there, and a client whose estimator already knows the node as far.
func farClient(t testing.TB, nodes []*node.Node, m *sharding.Manifest, shard int) (*node.Node, *sharding.Manifest, *retrieval.Client, *retrieval.Estimator) {
	t.Helper()
	far := nodes[nodeOf(t, nodes, m, shard)]
	proxy := startDelayProxy(t, tcpAddr(t, far), 150*time.Millisecond)
	m2, h, peers := behind(t, m, nodes, shard, proxy.addr(t))
	est := retrieval.NewEstimator(0)
	for range 5 {
		est.Observe(far.ID(), 300*time.Millisecond, 310*time.Millisecond, 16<<10)
	}
	c, err := retrieval.New(retrieval.Config{Host: h, Peers: peers, Estimator: est})
	if err != nil {
		t.Fatal(err)
	}
	return far, m2, c, est
}

// A data shard's node far away (a real delay of 150 ms each way, and an estimate that says so):
// every segment is read from the near nodes, the far node's piece decoded from parity.
func TestNearestKPrefersParityOverASlowDataNode(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(6*int(smallParams.SegmentSize())+5000, 31)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	far, m2, c, est := farClient(t, nodes, m, 1)
	st := readBack(t, c, m2, data)
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Piece == 1 {
				t.Fatalf("segment %d fetched piece 1 from the far node: %+v", s.Segment, s)
			}
		}
		if len(s.Decoded) == 0 && m.SegmentLength(s.Segment) > m.SegmentPieceSize(s.Segment) {
			t.Fatalf("segment %d holds bytes of piece 1 but decoded nothing: %+v", s.Segment, s)
		}
	}
	if e := est.Estimate(far.ID()); e.TTFB < 100*time.Millisecond {
		t.Fatalf("the far node's estimate fell to %v", e.TTFB)
	}
	_ = res
}

// A node that answered fast becomes slow (its delay raised to 400 ms): its fetches pass their P95
// estimate and are hedged, the read ends with the right bytes, and the hedges are counted.
func TestSlowPieceIsHedged(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(8*int(smallParams.SegmentSize()), 32)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	// The node answered fast so far: the fastest of all, so every segment's nearest k take its
	// data piece. (Learning it from real reads is at the mercy of the machine's load: a loaded
	// machine makes the proxied node look slower than parity, and the reads decode around it.)
	est := retrieval.NewEstimator(0)
	slow, proxy, m2, c := behindProxy(t, nodes, m, 0, retrieval.Config{Estimator: est})
	for range 20 {
		for _, n := range nodes {
			ttfb := 2 * time.Millisecond
			if n == slow {
				ttfb = time.Millisecond
			}
			est.Observe(n.ID(), ttfb, ttfb+time.Millisecond, 16<<10)
		}
	}
	// Connected while near: the slowness comes after the dial, in the middle of its fetches.
	for _, n := range nodes {
		ai := peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()}
		if n == slow {
			ai.Addrs = []ma.Multiaddr{proxy.addr(t)}
		}
		if err := c.Host().Connect(t.Context(), ai); err != nil {
			t.Fatal(err)
		}
	}
	e := est.Estimate(slow.ID())
	delay := 400 * time.Millisecond
	proxy.delay.Store(int64(delay))
	st := readBack(t, c, m2, data)
	if st.Hedged == 0 {
		t.Fatalf("no hedge with the node of piece 0 %v away (its P95 was %v): %+v", delay, e.TTFBP95, st)
	}
	// The node's slowness is learnt: it is now expected to be slow.
	if after := est.Estimate(slow.ID()); after.TTFB <= e.TTFB {
		t.Fatalf("the slow node is still expected to answer in %v (%v before)", after.TTFB, e.TTFB)
	}
}

// blackHole accepts TCP connections and never answers: a dead node whose dials time out. It
// counts the connections.
func blackHole(t testing.TB) (ma.Multiaddr, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var conns []net.Conn
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go io.Copy(io.Discard, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	a, err := manet.FromNetAddr(ln.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return a, &n
}

// A dead node whose dials time out costs one dial per process: later reads, and later segments,
// do not dial it again (the swarm's own dial backoff is cleared between reads, so only the
// client's marking can keep them away).
func TestDeadNodeDialedOncePerProcess(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(4*int(smallParams.SegmentSize())+100, 33)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	dead := nodes[nodeOf(t, nodes, m, 2)]
	dead.Close()
	hole, dials := blackHole(t)
	m2, h, peers := behind(t, m, nodes, 2, hole)
	c, err := retrieval.New(retrieval.Config{Host: h, Peers: peers, DialTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var buf bytes.Buffer
		st, err := c.Read(t.Context(), m2, &buf, retrieval.GetOptions{})
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("read %d: wrong bytes", i)
		}
		if i == 0 {
			// The first read may have started before the dial failed; wait for it to fail.
			deadline := time.Now().Add(10 * time.Second)
			for !c.Estimator().Down(dead.ID()) && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if !c.Estimator().Down(dead.ID()) {
				t.Fatal("the dead node is not marked down after its dial timed out")
			}
		} else if st.FailedFetches != 0 {
			t.Fatalf("read %d: %d fetches failed: the dead node was asked again", i, st.FailedFetches)
		}
		h.Network().(*swarm.Swarm).Backoff().Clear(dead.ID())
	}
	if n := dials.Load(); n != 1 {
		t.Fatalf("the dead node was dialed %d times, want once", n)
	}
}

// The machine slow, not a node: every node's answers held back together, well past their P95 (as
// when the client's host stalls). The fetches pass their P95 together, and none is hedged: a hedge
// would only add load, and the nodes it asks are as slow.
func TestNoHedgeWhenEveryNodeIsSlow(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(4*int(smallParams.SegmentSize()), 36)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	m2 := *m
	m2.Placement = make([][]sharding.Location, len(m.Placement))
	var proxies []*delayProxy
	for i, locs := range m.Placement {
		n := nodes[nodeOf(t, nodes, m, i)]
		p := startDelayProxy(t, tcpAddr(t, n), 0)
		proxies = append(proxies, p)
		m2.Placement[i] = []sharding.Location{{Peer: locs[0].Peer, Addrs: []string{p.addr(t).String()}}}
	}
	c, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t)})
	if err != nil {
		t.Fatal(err)
	}
	read := func() *retrieval.GetStats { return readBack(t, c, &m2, data) }
	for range 3 { // learn the nodes while they are near
		read()
	}
	// Every answer held back past every node's P95 of a whole piece.
	delay := 150 * time.Millisecond
	for _, n := range nodes {
		delay = max(delay, c.Estimator().P95(n.ID(), smallParams.PieceSize))
	}
	for _, p := range proxies {
		p.delay.Store(int64(delay))
	}
	st := read()
	if st.HedgesHeld == 0 {
		t.Fatalf("no fetch passed its P95 with every node %v away: %+v", delay, st)
	}
	if st.Hedged != 0 {
		t.Fatalf("%d hedges with every node %v away (%d held): %+v", st.Hedged, delay, st.HedgesHeld, st)
	}
}

// A node that answered fast becomes slow while a read needs a leaf across its piece and the next
// one: the hedge decodes the slow piece's part of the leaf alone, so each hedge fetch asks for that
// column range, not for the union of both pieces' ranges (k times a whole piece, for a leaf across
// two).
func TestHedgeDecodesOnlyTheSlowPiecesRange(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	// Leaves of 24 KiB in pieces of 64 KiB: the leaf at 48 KiB ends 8 KiB into piece 1.
	params := sharding.Params{K: 4, M: 2, PieceSize: 64 << 10, ChunkSize: 24 << 10}
	data := randomBytes(2*int(params.SegmentSize()), 38)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, params)
	slow, proxy, m2, c := behindProxy(t, nodes, m, 0, retrieval.Config{})
	f, err := c.OpenManifest(t.Context(), m2)
	if err != nil {
		t.Fatal(err)
	}
	const off, n = 50 << 10, 20 << 10 // in the leaf [48 KiB, 72 KiB)
	read := func() *retrieval.GetStats {
		t.Helper()
		st, _ := readFetched(t, f, data, off, n)
		return st
	}
	for range 5 { // learn the nodes while the slow one is near
		read()
	}
	e := c.Estimator().Estimate(slow.ID())
	delay := max(400*time.Millisecond, 2*e.TTFBP95)
	proxy.delay.Store(int64(delay))
	st := read()
	if st.Hedged == 0 {
		t.Fatalf("no hedge with the node of piece 0 %v away (its P95 was %v): %+v", delay, e.TTFBP95, st)
	}
	// The slow piece's part of the leaf: [48 KiB, 64 KiB) of piece 0.
	lost := struct{ from, to int64 }{48 << 10, params.PieceSize}
	hedges := 0
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if !p.Hedge {
				continue
			}
			hedges++
			if p.Off != lost.from || p.Off+p.Bytes != lost.to {
				t.Errorf("hedge of piece %d fetched bytes %d-%d, want the slow piece's part %d-%d", p.Piece, p.Off, p.Off+p.Bytes, lost.from, lost.to)
			}
		}
	}
	if hedges == 0 {
		t.Fatalf("no hedge fetch among the pieces used: %+v", st)
	}
}

// A range across two rows of stripes whose far data piece holds bytes of one row only: the read
// decodes that row from parity and fetches the other row's bytes themselves, not both rows of k
// pieces.
func TestNearestKDecodesOnlyTheFarPiecesRow(t *testing.T) {
	params := sharding.Params{K: 4, M: 2, ChunkSize: 16 << 10, PieceSize: 64 << 10} // stripes of a leaf
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(int(2*params.SegmentSize()), 37)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, params)
	if m.StripeSize != params.ChunkSize {
		t.Fatalf("stripe size %d, want a leaf (%d)", m.StripeSize, params.ChunkSize)
	}
	_, m2, c, _ := farClient(t, nodes, m, 1)
	// Leaves 2-5 of segment 0: pieces 2 and 3 in row 0, pieces 0 and 1 in row 1. The first leaf
	// comes alone (16 KiB of piece 2); the rest decodes row 1 from k pieces (64 KiB) and fetches
	// piece 3's row 0 beside it (16 KiB): 96 KiB, where decoding both rows costs 144 KiB.
	off, n := int64(2*params.ChunkSize), int64(4*params.ChunkSize)
	// With m2, which names the proxy: the nodes' manifest names the far node's own address.
	f, err := c.OpenManifest(t.Context(), m2)
	if err != nil {
		t.Fatal(err)
	}
	st, fetched := readFetched(t, f, data, off, n)
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Piece == 1 {
				t.Fatalf("segment %d fetched piece 1 from the far node: %+v", s.Segment, s)
			}
		}
	}
	if want := int64(96 << 10); fetched > want {
		t.Fatalf("%d KiB fetched for a %d KiB range around the far piece, want at most %d KiB: %+v", fetched>>10, n>>10, want>>10, st.PerSegment)
	}
}
