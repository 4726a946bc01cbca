package retrieval_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// With --replicas 2 every shard has two holders, and the first one the manifest names for each
// shard is far away (a real delay of 40 ms each way on loopback): reads measure the nodes and
// take every piece from the nearer replica, whatever the manifest's order. When the near holder
// of a shard dies, its far replica serves the shard and the file still reads back byte for byte.
func TestReadsTakeTheNearerReplica(t *testing.T) {
	p := sharding.Params{K: 2, M: 1, PieceSize: 16 << 10, ChunkSize: 256 << 10}
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(6*int(p.SegmentSize())+999, 81)
	c := newClient(t, nodes, retrieval.Config{})
	res, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: p, Replicas: 2})
	if err != nil {
		t.Fatal(err)
	}
	rp := farReplicas(t, nodes, m)
	cp, near, byID := rp.farFirst, rp.near, rp.byID
	r, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t), Peers: rp.peers})
	if err != nil {
		t.Fatal(err)
	}
	read := func(what string) *retrieval.GetStats {
		t.Helper()
		var buf bytes.Buffer
		st, err := r.Read(t.Context(), cp, &buf, retrieval.GetOptions{})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("%s: the file read back differs", what)
		}
		return st
	}
	// The reader meets the nodes: each read dials them all, pings those it never measured, and
	// measures its own fetches.
	known := func() bool {
		for _, n := range nodes {
			if !r.Estimator().Known(n.ID()) {
				return false
			}
		}
		return true
	}
	for i := 0; !known(); i++ {
		if i == 10 {
			t.Fatalf("after 10 reads the reader has not measured every node: %+v", r.Estimator().Estimates())
		}
		read("a read to meet the nodes")
		time.Sleep(100 * time.Millisecond) // the pings of the nodes it dialed
	}
	for i, locs := range m.Placement {
		f, n := r.Estimator().Estimate(peerID(t, locs[0].Peer)), r.Estimator().Estimate(peerID(t, locs[1].Peer))
		if f.TTFB <= n.TTFB {
			t.Fatalf("shard %d: the far holder is expected to answer in %v, the near one in %v", i, f.TTFB, n.TTFB)
		}
	}
	st := read("the second read")
	if err := fromNear(st, near); err != nil {
		t.Fatal(err)
	}

	// The near holder of shard 0 dies: its far replica serves shard 0.
	byID[near[0]].Close()
	st = read("the read with a near holder dead")
	from := 0
	for _, s := range st.PerSegment {
		for _, pc := range s.Pieces {
			if pc.Piece == 0 && pc.Peer == m.Placement[0][0].Peer {
				from++
			}
		}
	}
	if from == 0 && st.Decoded == 0 {
		t.Fatalf("with its near holder dead, shard 0 came from neither its far replica nor parity: %+v", st)
	}
	_ = res
}

// replicas is a file put with --replicas 2 whose first holder of every shard is far away.
type replicas struct {
	// farFirst is a copy of the manifest that names each shard's first holder at a proxy that
	// delays it 40 ms each way (an 80 ms round trip), then its near replica.
	farFirst *sharding.Manifest
	near     []string        // the near replica of each shard
	far      map[string]bool // the far holders
	peers    []peer.AddrInfo // the nodes but the far holders, as a reader's bootstrap peers
	byID     map[string]*node.Node
}

// farReplicas moves the first holder of every shard of m far away, behind a delaying proxy.
func farReplicas(t testing.TB, nodes []*node.Node, m *sharding.Manifest) replicas {
	t.Helper()
	rp := replicas{near: make([]string, len(m.Placement)), far: map[string]bool{}, byID: map[string]*node.Node{}}
	for _, n := range nodes {
		rp.byID[n.ID().String()] = n
	}
	cp := *m
	cp.Placement = make([][]sharding.Location, len(m.Placement))
	for i, locs := range m.Placement {
		if len(locs) != 2 {
			t.Fatalf("shard %d has %d holders, want 2", i, len(locs))
		}
		proxy := startDelayProxy(t, tcpAddr(t, rp.byID[locs[0].Peer]), 40*time.Millisecond)
		rp.far[locs[0].Peer] = true
		rp.near[i] = locs[1].Peer
		cp.Placement[i] = []sharding.Location{{Peer: locs[0].Peer, Addrs: []string{proxy.addr(t).String()}}, locs[1]}
	}
	rp.farFirst = &cp
	for _, n := range nodes {
		if !rp.far[n.ID().String()] {
			rp.peers = append(rp.peers, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
		}
	}
	return rp
}

// fromNear says which piece of a read came from another node than its shard's near replica.
func fromNear(st *retrieval.GetStats, near []string) error {
	for _, s := range st.PerSegment {
		for _, pc := range s.Pieces {
			if pc.Peer != near[pc.Piece] {
				return fmt.Errorf("segment %d: piece %d came from %s, not from the near replica %s: %+v", s.Segment, pc.Piece, pc.Peer, near[pc.Piece], s)
			}
		}
	}
	return nil
}

func peerID(t testing.TB, s string) peer.ID {
	t.Helper()
	id, err := peer.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A reader that measured only the near replica of every shard (as a `dstore get` leaves its
// estimates when its pings of the far holders had not come back before it saved them) reads again
// from a new host: each far holder is dialed cold and is connected some time before its ping
// answers, and in that time it must not count as fast as the typical node. Every piece of every
// read is asked of the near replicas alone, however the reads fall in the far holders' warm-up:
// the far holders answer no piece request (a far fetch cancelled by a hedge would leave the pieces
// a read used all near).
func TestReadsSkipReplicasNotYetPinged(t *testing.T) {
	p := sharding.Params{K: 2, M: 1, PieceSize: 16 << 10, ChunkSize: 256 << 10}
	var nodes []*node.Node
	regs := map[string]*prometheus.Registry{}
	for i := range 6 {
		cfg := node.Config{Repo: t.TempDir(), Metrics: prometheus.NewRegistry()}
		if i > 0 {
			cfg.Bootstrap = []peer.AddrInfo{{ID: nodes[0].ID(), Addrs: nodes[0].Host().Addrs()}}
		}
		n := nodetest.StartConfig(t, cfg)
		nodes = append(nodes, n)
		regs[n.ID().String()] = cfg.Metrics.(*prometheus.Registry)
	}
	data := randomBytes(6*int(p.SegmentSize())+999, 82)
	c := newClient(t, nodes, retrieval.Config{})
	_, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: p, Replicas: 2})
	if err != nil {
		t.Fatal(err)
	}
	rp := farReplicas(t, nodes, m)
	// nearOnly names the near replicas alone.
	nearOnly := *m
	nearOnly.Placement = make([][]sharding.Location, len(m.Placement))
	for i, locs := range m.Placement {
		nearOnly.Placement[i] = locs[1:]
	}

	// The first process measures the near replicas and keeps its estimates.
	first, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t), Peers: rp.peers})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		readBack(t, first, &nearOnly, data)
	}
	kept, err := first.Estimator().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for id := range rp.far {
		if first.Estimator().Known(peerID(t, id)) {
			t.Fatalf("the first reader knows the far holder %s", id)
		}
	}

	// The next process loads them and reads, again and again while it meets the far holders.
	est := retrieval.NewEstimator(0)
	if err := est.UnmarshalJSON(kept); err != nil {
		t.Fatal(err)
	}
	next, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t), Peers: rp.peers, Estimator: est})
	if err != nil {
		t.Fatal(err)
	}
	farPinged := func() bool {
		for id := range rp.far {
			if !est.Known(peerID(t, id)) {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(5 * time.Second)
	reads := 0
	for ; reads < 5 || !farPinged(); reads++ {
		if time.Now().After(deadline) {
			t.Fatalf("after %d reads in 5 s the far holders are not pinged: %+v", reads, est.Estimates())
		}
		if err := fromNear(readBack(t, next, rp.farFirst, data), rp.near); err != nil {
			t.Fatalf("read %d: %v; estimates %+v", reads, err, est.Estimates())
		}
		for id := range rp.far {
			if n := pieceRequests(t, regs[id]); n > 0 {
				t.Fatalf("read %d: the far holder %s was asked for %v pieces: %+v", reads, id, n, est.Estimates())
			}
		}
	}
	t.Logf("%d reads while the far holders were met", reads)
}

// pieceRequests is how many piece requests a node with the metrics reg has answered.
func pieceRequests(t testing.TB, reg *prometheus.Registry) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "dstore_node_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "protocol" && l.GetValue() == wire.ProtoGetPiece {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}
