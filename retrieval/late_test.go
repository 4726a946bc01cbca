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

// A range across a late data node's piece and the next piece: the next piece is fetched over its
// own part only, and the late piece's part comes from the k other pieces (both parity pieces
// among them), so that no node carries more than its part of the range.
func TestLatePieceDecodedBesideItsNeighbour(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	p := smallParams
	p.PieceSize, p.ChunkSize = 64<<10, 16<<10
	data := randomBytes(3*int(p.SegmentSize()), 78)
	c := newClient(t, nodes, retrieval.Config{})
	_, m := put(t, c, data, p)
	rc := newClient(t, nodes, retrieval.Config{})
	for range 5 { // learn the nodes
		if _, err := rc.ReadRange(t.Context(), m.Root, 0, 1<<10, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	late := nodes[nodeOf(t, nodes, m, 0)].ID()
	rc.Estimator().Late(late, time.Second)
	// Segment 1, piece 0 from 40 KiB to its end, piece 1 to 24 KiB: widened to the 16 KiB leaves,
	// piece 0's [32, 64) KiB and piece 1's [0, 32) KiB.
	off := p.SegmentSize() + 40<<10
	var buf bytes.Buffer
	st, err := rc.ReadRange(t.Context(), m.Root, off, 48<<10, &buf)
	if err != nil || !bytes.Equal(buf.Bytes(), data[off:off+48<<10]) {
		t.Fatalf("read: %d bytes, %v", buf.Len(), err)
	}
	if st.Hedged > 0 {
		t.Skipf("a fetch was hedged (a loaded machine): the plan is not what was read: %+v", st)
	}
	// The first leaf is a job of its own (piece 0's [32, 48) KiB, from 4 other pieces); the rest,
	// piece 0's [48, 64) KiB from pieces 2 to 5, and piece 1's [0, 32) KiB from piece 1 alone.
	// Asked for both, piece 1 would bring 64 KiB.
	for _, s := range st.PerSegment {
		for _, pc := range s.Pieces {
			if pc.Peer == late.String() {
				t.Fatalf("the late node served piece %d: %+v", pc.Piece, st)
			}
			if pc.Bytes > 32<<10 {
				t.Fatalf("piece %d brought %d bytes, more than its part of the range: %+v", pc.Piece, pc.Bytes, st)
			}
		}
	}
	if st.Decoded == 0 {
		t.Fatalf("nothing decoded: %+v", st)
	}
}
