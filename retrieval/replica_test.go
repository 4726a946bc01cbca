package retrieval_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
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
	byID := map[string]*node.Node{}
	for _, n := range nodes {
		byID[n.ID().String()] = n
	}
	// The reader's copy of the manifest names each shard's first holder at a delaying proxy only.
	far := map[string]bool{}
	near := make([]string, len(m.Placement))
	cp := *m
	cp.Placement = make([][]sharding.Location, len(m.Placement))
	for i, locs := range m.Placement {
		if len(locs) != 2 {
			t.Fatalf("shard %d has %d holders, want 2", i, len(locs))
		}
		proxy := startDelayProxy(t, tcpAddr(t, byID[locs[0].Peer]), 40*time.Millisecond)
		far[locs[0].Peer] = true
		near[i] = locs[1].Peer
		cp.Placement[i] = []sharding.Location{{Peer: locs[0].Peer, Addrs: []string{proxy.addr(t).String()}}, locs[1]}
	}
	var peers []peer.AddrInfo
	for _, n := range nodes {
		if !far[n.ID().String()] {
			peers = append(peers, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
		}
	}
	r, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t), Peers: peers})
	if err != nil {
		t.Fatal(err)
	}
	read := func(what string) *retrieval.GetStats {
		t.Helper()
		var buf bytes.Buffer
		st, err := r.Read(t.Context(), &cp, &buf, retrieval.GetOptions{})
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
	for _, s := range st.PerSegment {
		for _, pc := range s.Pieces {
			if pc.Peer != near[pc.Piece] {
				t.Fatalf("segment %d: piece %d came from %s, not from the near replica %s: %+v", s.Segment, pc.Piece, pc.Peer, near[pc.Piece], s)
			}
		}
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

func peerID(t testing.TB, s string) peer.ID {
	t.Helper()
	id, err := peer.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
