package retrieval_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// addrInfos lists the nodes as peers to dial.
func addrInfos(nodes ...*node.Node) []peer.AddrInfo {
	var out []peer.AddrInfo
	for _, n := range nodes {
		out = append(out, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
	}
	return out
}

// A shard moved to a node the manifest does not name, its old holder gone and m more holders
// with it, so that the placement alone leaves fewer than k shards: a reader that joins the DHT
// (retrieval.Dial) finds the new holder by the shard's provider record, reads the file byte for
// byte, and takes the moved shard's pieces from it. A reader with the placement alone cannot.
func TestMovedShardFoundOnTheDHT(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(5*int(smallParams.SegmentSize())+777, 71)
	res, m := put(t, c, data, smallParams)
	const moved = 1
	spare := nodetest.Start(t, t.TempDir(), addrInfos(nodes[nodeOf(t, nodes, m, 2)]))
	spare.Allow(c.Host().ID())
	if _, err := c.RebuildShard(t.Context(), m, moved, spare.Host().Peerstore().PeerInfo(spare.ID()), retrieval.RebuildOptions{}); err != nil {
		t.Fatal(err)
	}
	// The old holder and the holders of the parity shards go: shards 0, 2 and 3 are left where
	// the manifest says, one fewer than k.
	var live []*node.Node
	for j, n := range nodes {
		if j == nodeOf(t, nodes, m, moved) || j == nodeOf(t, nodes, m, 4) || j == nodeOf(t, nodes, m, 5) {
			n.Close()
		} else {
			live = append(live, n)
		}
	}
	retrievaltest.WaitRecord(t, addrInfos(live...), m, moved, spare.ID())

	// The control: the placement alone does not hold k shards.
	if _, _, err := get(t, newClient(t, live, retrieval.Config{DialTimeout: time.Second}), res); err == nil {
		t.Fatal("a reader without the DHT read the file: the test shows nothing")
	}

	t0 := time.Now()
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	r, closeR, err := retrieval.Dial(t.Context(), key, addrInfos(live...), retrieval.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeR()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var buf bytes.Buffer
	_, st, err := r.Get(ctx, res.Root, &buf, retrieval.GetOptions{})
	if err != nil {
		t.Fatalf("read with shard %d moved: %v", moved, err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("the file read back differs")
	}
	t.Logf("read with the moved shard in %v", time.Since(t0))
	from := 0
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Piece == moved && p.Peer == spare.ID().String() {
				from++
			}
		}
	}
	if from != m.NumSegments() {
		t.Fatalf("the new holder served piece %d of %d segments of %d", moved, from, m.NumSegments())
	}
}

// blockedHolders is a resolver that answers only once released: a DHT or chain that does not answer.
type blockedHolders struct {
	release chan struct{}
	asked   chan struct{}
	once    sync.Once
}

// Holders answers once released, whatever its context says.
func (b *blockedHolders) Holders(_ context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	b.once.Do(func() { close(b.asked) })
	<-b.release
	return make([][]sharding.Location, m.K+m.M), nil
}

// A resolver of holders that does not answer never holds up a read whose nodes are up: Get, a
// range read and a segment read all finish while the lookup they started is still waiting.
func TestUnansweredHoldersDoNotHoldUpReads(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(3*int(smallParams.SegmentSize())+55, 72)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	holders := &blockedHolders{release: make(chan struct{}), asked: make(chan struct{})}
	defer close(holders.release)
	c := newClient(t, nodes, retrieval.Config{Holders: holders})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var buf bytes.Buffer
	if _, _, err := c.Get(ctx, res.Root, &buf, retrieval.GetOptions{}); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("get while the holders are not answered: %v", err)
	}
	buf.Reset()
	if _, err := c.ReadRange(ctx, res.Root, 100, 5000, &buf); err != nil || !bytes.Equal(buf.Bytes(), data[100:5100]) {
		t.Fatalf("range read while the holders are not answered: %v", err)
	}
	if seg, err := c.Segment(ctx, m, 1); err != nil || !bytes.Equal(seg, data[smallParams.SegmentSize():2*smallParams.SegmentSize()]) {
		t.Fatalf("segment read while the holders are not answered: %v", err)
	}
	select {
	case <-holders.asked:
	default:
		t.Fatal("the reads never asked for the holders of record")
	}
}
