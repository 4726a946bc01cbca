package retrieval_test

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
)

// Ranges read right with a node found late (each data node in turn): its pieces are decoded from
// the others over the range they hold, and it serves none of them while it is suspect (but for a
// hedge that finds nothing else to ask).
func TestRangesAroundLateNode(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(6*int(smallParams.SegmentSize())+777, 77)
	c := newClient(t, nodes, retrieval.Config{})
	_, m := put(t, c, data, smallParams)
	r := rand.New(rand.NewPCG(1, 2))
	for shard := range smallParams.K {
		late := nodes[nodeOf(t, nodes, m, shard)].ID()
		rc := newClient(t, nodes, retrieval.Config{})
		for range 10 { // learn the nodes
			var buf bytes.Buffer
			if _, err := rc.ReadRange(t.Context(), m.Root, 0, 1<<10, &buf); err != nil {
				t.Fatal(err)
			}
		}
		// The other data nodes measured slower than the parity nodes: a decode then takes parity
		// pieces first, and must still fetch the other data piece a range needs.
		for i := range smallParams.K {
			if i != shard {
				for range 20 {
					rc.Estimator().Observe(nodes[nodeOf(t, nodes, m, i)].ID(), 20*time.Millisecond, 21*time.Millisecond, 16<<10)
				}
			}
		}
		rc.Estimator().Late(late, time.Second)
		for range 40 {
			off := r.Int64N(int64(len(data)))
			n := 1 + r.Int64N(min(int64(len(data))-off, 3*smallParams.PieceSize))
			var buf bytes.Buffer
			st, err := rc.ReadRange(t.Context(), m.Root, off, n, &buf)
			if err != nil {
				t.Fatalf("shard %d late, range %d+%d: %v", shard, off, n, err)
			}
			if !bytes.Equal(buf.Bytes(), data[off:off+n]) {
				t.Fatalf("shard %d late, range %d+%d: wrong bytes", shard, off, n)
			}
			for _, s := range st.PerSegment {
				for _, p := range s.Pieces {
					if p.Peer == late.String() && !p.Hedge { // a hedge may take it, as a last resort
						t.Fatalf("shard %d late, range %d+%d: the late node served piece %d of segment %d: %+v", shard, off, n, p.Piece, s.Segment, st)
					}
				}
			}
		}
	}
}
