package retrieval_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
)

// Ranges read right with a node found late (each data node in turn): its pieces are decoded from
// the others over the range they hold, and it serves none of them (but for a hedge that finds
// nothing else to ask). The node is late for real, behind a delay longer than its Late bound: a
// hedge that reaches it on a loaded machine cannot answer in time, which would rightly clear the
// bound and let the next reads take it again.
func TestRangesAroundLateNode(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomBytes(6*int(smallParams.SegmentSize())+777, 77)
	_, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	const lateBound = 500 * time.Millisecond
	// Every piece boundary of the file, then random ranges of up to three pieces.
	type rng struct{ off, n int64 }
	var ranges []rng
	r := rand.New(rand.NewPCG(1, 2))
	for b := smallParams.PieceSize; b < int64(len(data)); b += smallParams.PieceSize {
		x := 1 + r.Int64N(smallParams.PieceSize)
		ranges = append(ranges, rng{b - 1, 2}, rng{b - x, min(2*x, int64(len(data))-b+x)})
	}
	for range 40 {
		off := r.Int64N(int64(len(data)))
		ranges = append(ranges, rng{off, 1 + r.Int64N(min(int64(len(data))-off, 3*smallParams.PieceSize))})
	}
	for shard := range smallParams.K {
		late, proxy, m2, rc := behindProxy(t, nodes, m, shard, retrieval.Config{})
		f, err := rc.OpenManifest(t.Context(), m2)
		if err != nil {
			t.Fatal(err)
		}
		read := func(off, n int64) *retrieval.GetStats {
			t.Helper()
			var buf bytes.Buffer
			st, err := f.WriteRange(t.Context(), off, n, &buf, retrieval.GetOptions{})
			if err != nil {
				t.Fatalf("shard %d late, range %d+%d: %v", shard, off, n, err)
			}
			if !bytes.Equal(buf.Bytes(), data[off:off+n]) {
				t.Fatalf("shard %d late, range %d+%d: wrong bytes", shard, off, n)
			}
			return st
		}
		for range 5 { // learn the nodes while the late one is near
			for i := range int64(smallParams.K) {
				read(i*smallParams.PieceSize, 1<<10)
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
		// Found late, and late for real: its first byte comes after two delays, past the bound.
		proxy.delay.Store(int64(lateBound))
		rc.Estimator().Late(late.ID(), lateBound)
		if !rc.Estimator().Suspect(late.ID()) {
			t.Fatalf("shard %d: the node marked late is not suspect: %+v", shard, rc.Estimator().Estimate(late.ID()))
		}
		for _, g := range ranges {
			st := read(g.off, g.n)
			for _, s := range st.PerSegment {
				hedged := false
				for _, p := range s.Pieces {
					if p.Peer == late.ID().String() {
						if !p.Hedge { // a hedge may take it, as a last resort
							t.Fatalf("shard %d late, range %d+%d: the late node served piece %d of segment %d: %+v", shard, g.off, g.n, p.Piece, s.Segment, st)
						}
						hedged = true
					}
				}
				// The segment's bytes of the late piece, if it holds any, were decoded.
				segOff := int64(s.Segment) * smallParams.SegmentSize()
				lo, hi := segOff+int64(shard)*smallParams.PieceSize, segOff+int64(shard+1)*smallParams.PieceSize
				if g.off < hi && g.off+g.n > lo && !hedged && !slices.Contains(s.Decoded, shard) {
					t.Fatalf("shard %d late, range %d+%d: segment %d holds bytes of the late piece and did not decode it: %+v", shard, g.off, g.n, s.Segment, s)
				}
			}
		}
		if !rc.Estimator().Suspect(late.ID()) {
			t.Fatalf("shard %d: the late node is no longer suspect: %+v", shard, rc.Estimator().Estimate(late.ID()))
		}
	}
}
