package cli

import (
	"bytes"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/devnet/devnettest"
	"github.com/dstore-net/dstore/retrieval"
)

// netnsPut stores a file of size random bytes on the devnet in home (pieces of pieceSize) and
// returns its root, its bytes, and the devnet index of each shard's node.
func netnsPut(t *testing.T, d *devnet.Devnet, home string, size int64, pieceSize string) (cid.Cid, []byte, []int) {
	t.Helper()
	src, _ := writeFile(t, t.TempDir(), "f", size, 42)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "--json", "put", "--piece-size", pieceSize, src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	res := devnettest.ParsePut(t, out)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	return res.Root, data, res.Holders(t, d.File(), 0)
}

// netnsClient is a fresh read client in this process (the root namespace) that knows the devnet's
// nodes: it has measured none of them.
func netnsClient(t *testing.T, d *devnet.Devnet) *retrieval.Client {
	t.Helper()
	peers, err := d.File().AddrInfos()
	if err != nil {
		t.Fatal(err)
	}
	env, err := dialNetwork(t.Context(), "", peers, nil, nil, nil) // reads only
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.close)
	return env.client
}

// timedRead reads the whole file and checks it against want.
func timedRead(t *testing.T, c *retrieval.Client, root cid.Cid, want []byte, w io.Writer) (*retrieval.GetStats, time.Duration) {
	t.Helper()
	var buf bytes.Buffer
	if w == nil {
		w = &buf
	} else {
		w = io.MultiWriter(&buf, w)
	}
	t0 := time.Now()
	st, err := c.ReadRange(t.Context(), root, 0, int64(len(want)), w)
	el := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatal("the file read back differs")
	}
	return st, el
}

// servedBy counts the pieces of a read that node peerID served.
func servedBy(st *retrieval.GetStats, peerID string) int {
	n := 0
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Peer == peerID {
				n++
			}
		}
	}
	return n
}

// TestNetnsFarDataShardReadsParity: with the node of data shard 0 200 ms away (a 400 ms round trip)
// and the others 2 ms, a client that has measured no node reads the other data pieces and a parity
// piece, decodes, and finishes near the near nodes' time. The client reads once its DHT bootstrap
// has connected it to every node, the far one too, as a client started a while before its read is:
// connected is not measured, and a read that took the far node for as near as the others would
// wait for it until its hedge.
func TestNetnsFarDataShardReadsParity(t *testing.T) {
	d, home := startNetnsDevnet(t, 6, []time.Duration{2 * time.Millisecond}, nil)
	// 4 segments of 4 x 256 KiB.
	root, want, holders := netnsPut(t, d, home, 4<<20, "262144")
	// connected returns a new client once it is connected to every node.
	connected := func() *retrieval.Client {
		c := netnsClient(t, d)
		for _, n := range d.File().Nodes {
			id, err := peer.Decode(n.PeerID)
			if err != nil {
				t.Fatal(err)
			}
			for end := time.Now().Add(10 * time.Second); c.Host().Network().Connectedness(id) != network.Connected; {
				if time.Now().After(end) {
					t.Fatalf("the client did not connect to node %d in 10 s", n.Index)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		return c
	}

	_, near := timedRead(t, connected(), root, want, nil)
	far := holders[0]
	if err := d.SetDelay(far, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	st, el := timedRead(t, connected(), root, want, nil)
	t.Logf("all near: %v; data shard 0's node 200 ms away: %v, %d of %d segments decoded, %d hedges",
		near, el, st.Decoded, st.Segments, st.Hedged)
	if n := servedBy(st, d.File().Nodes[far].PeerID); n > 0 {
		t.Errorf("the node 200 ms away served %d pieces", n)
	}
	if st.Decoded != st.Segments {
		t.Errorf("%d of %d segments decoded from parity, want all", st.Decoded, st.Segments)
	}
	// A fetch from the far node takes a 400 ms round trip to its first byte, and is hedged only
	// after its P95 (600 ms for a node never measured): a read that waited on it even once takes
	// about 600 ms more than the near nodes' read. The margin below is half that, plus the near
	// read's own time again for a loaded machine.
	if el > 2*near+300*time.Millisecond {
		t.Errorf("the read took %v, the near nodes' read %v", el, near)
		for _, s := range st.PerSegment {
			t.Logf("segment %d: first byte after %v, %v in all, decoded %v, %d hedges", s.Segment, s.TTFB, s.Elapsed, s.Decoded, s.Hedges)
		}
	}
}

// TestNetnsSlowedNodeIsHedged: a data shard's node is slowed (1 s each way) while a read runs; the
// read hedges its pieces with parity and ends close to the fast nodes' time.
func TestNetnsSlowedNodeIsHedged(t *testing.T) {
	d, home := startNetnsDevnet(t, 6, []time.Duration{2 * time.Millisecond}, nil)
	// 16 segments of 4 x 128 KiB.
	root, want, holders := netnsPut(t, d, home, 8<<20, "131072")
	c := netnsClient(t, d)
	// Two reads with every node fast: the first teaches the client its nodes, the second is the
	// fast nodes' time.
	timedRead(t, c, root, want, nil)
	_, fast := timedRead(t, c, root, want, nil)

	slow := holders[1]
	// Slowed once the read has written its first bytes.
	var once sync.Once
	trigger := writerFunc(func(p []byte) (int, error) {
		once.Do(func() {
			if err := d.SetDelay(slow, time.Second); err != nil {
				t.Error(err)
			}
			time.Sleep(50 * time.Millisecond) // the relay reads its delay file every 20 ms
		})
		return len(p), nil
	})
	st, el := timedRead(t, c, root, want, trigger)
	t.Logf("fast nodes: %v; shard 1's node slowed to 1 s mid-read: %v, %d hedges, %d segments decoded",
		fast, el, st.Hedged, st.Decoded)
	if st.Hedged == 0 {
		t.Error("no fetch was hedged")
	}
	// Waiting on the slowed node even once would take a 2 s round trip.
	if el > fast+time.Second {
		t.Errorf("the read took %v, the fast nodes' read %v", el, fast)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
