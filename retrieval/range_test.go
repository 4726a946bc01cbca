package retrieval_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// rangeParams cuts leaves that straddle pieces and segments: 10,000-byte leaves in 16 KiB pieces.
var rangeParams = sharding.Params{K: 4, M: 2, PieceSize: 16 << 10, ChunkSize: 10000}

// Every boundary of a byte range, read with every node up and with m = 2 data shards lost, through
// ReadRange and through the File's ReaderAt, compared with the original.
func TestReadRangeBoundaries(t *testing.T) {
	testReadRangeBoundaries(t, rangeParams)
}

// The same in stripes of 4 KiB: leaves straddle units, pieces and segments.
func TestReadRangeBoundariesStriped(t *testing.T) {
	p := rangeParams
	p.StripeSize = 4 << 10
	testReadRangeBoundaries(t, p)
}

func testReadRangeBoundaries(t *testing.T, params sharding.Params) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	ps, ss, leaf := params.PieceSize, params.SegmentSize(), params.ChunkSize
	data := randomBytes(int(3*ss+777), 21)
	size := int64(len(data))
	res, m := put(t, c, data, params)
	if want := params.WithDefaults().StripeSize; m.SegmentLayout(0).Unit != want {
		t.Fatalf("segment 0 in units of %d bytes, want %d", m.SegmentLayout(0).Unit, want)
	}

	type rng struct {
		name   string
		off, n int64
	}
	ranges := []rng{
		{"first byte", 0, 1},
		{"one byte", 12345, 1},
		{"one byte of piece 1", 25000, 1}, // its leaf, [20000, 30000), lies inside piece 1
		{"leaf end", leaf - 1, 1},
		{"leaf start", leaf, 1},
		{"across a leaf edge", leaf - 3, 6},
		{"piece end", ps - 1, 1},
		{"piece start", ps, 1},
		{"across a piece edge", ps - 5, 10},
		{"one whole piece", ps, ps},
		{"segment end", ss - 1, 1},
		{"segment start", ss, 1},
		{"across a segment edge", ss - 100, 200},
		{"two segments and a bit", ss / 2, 2*ss + 1},
		{"last segment", 3 * ss, 777},
		{"last byte", size - 1, 1},
		{"whole file", 0, size},
		{"empty", 100, 0},
	}
	check := func(t *testing.T, c *retrieval.Client, lost bool) {
		f, err := c.Open(t.Context(), res.Root)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ranges {
			var buf bytes.Buffer
			st, err := c.ReadRange(t.Context(), res.Root, r.off, r.n, &buf)
			if err != nil {
				t.Fatalf("%s (%d+%d): %v", r.name, r.off, r.n, err)
			}
			if !bytes.Equal(buf.Bytes(), data[r.off:r.off+r.n]) {
				t.Fatalf("%s (%d+%d): %d bytes that differ from the original", r.name, r.off, r.n, buf.Len())
			}
			if st.Bytes != r.n {
				t.Fatalf("%s: stats say %d bytes", r.name, st.Bytes)
			}
			// Only the leaves that hold the range are fetched: with every node up, no more bytes
			// than they hold.
			if !lost && r.n > 0 {
				fetched := int64(0)
				for _, s := range st.PerSegment {
					if len(s.Decoded) > 0 {
						continue // a node measured slow: k pieces of a column range instead
					}
					for _, p := range s.Pieces {
						fetched += p.Bytes
					}
				}
				widened := (r.off+r.n+leaf-1)/leaf*leaf - r.off/leaf*leaf
				if fetched > min(widened, size) {
					t.Fatalf("%s: fetched %d bytes for a range of %d widened to %d", r.name, fetched, r.n, widened)
				}
			}
			// Piece 1 is lost: its byte is decoded from the same small column range of k pieces.
			if lost && r.name == "one byte of piece 1" {
				if st.Decoded != 1 || len(st.PerSegment) != 1 || len(st.PerSegment[0].Pieces) != params.K {
					t.Fatalf("%s with piece 1 lost: %+v, want one segment decoded from k pieces", r.name, st)
				}
				for _, p := range st.PerSegment[0].Pieces {
					if p.Bytes > leaf {
						t.Fatalf("%s with piece 1 lost: %d bytes of piece %d fetched, more than the leaf", r.name, p.Bytes, p.Piece)
					}
				}
			}
			p := make([]byte, r.n)
			if n, err := f.ReadAt(p, r.off); err != nil || n != len(p) || !bytes.Equal(p, data[r.off:r.off+r.n]) {
				t.Fatalf("%s: ReadAt read %d bytes (%v), or they differ", r.name, n, err)
			}
		}
		// Past the end: one clear error, nothing written.
		for _, r := range []rng{{"past the end", size, 1}, {"ends past the end", size - 1, 2}, {"negative", -1, 1}} {
			var buf bytes.Buffer
			_, err := c.ReadRange(t.Context(), res.Root, r.off, r.n, &buf)
			var re *retrieval.RangeError
			if !errors.As(err, &re) || !errors.Is(err, retrieval.ErrRange) || buf.Len() != 0 {
				t.Fatalf("%s: %v, %d bytes written; want a RangeError", r.name, err, buf.Len())
			}
		}
		if n, err := f.ReadAt(make([]byte, 10), size-4); n != 4 || err != io.EOF {
			t.Fatalf("ReadAt over the end: %d, %v; want 4, EOF", n, err)
		}
		// Read and Seek: the last 1000 bytes, in small reads.
		if _, err := f.Seek(-1000, io.SeekEnd); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(io.LimitReader(f, 2000))
		if err != nil || !bytes.Equal(got, data[size-1000:]) {
			t.Fatalf("Seek and Read: %d bytes (%v), or they differ", len(got), err)
		}
	}
	t.Run("all nodes up", func(t *testing.T) {
		check(t, newClient(t, nodes, retrieval.Config{}), false)
	})
	t.Run("two data shards lost", func(t *testing.T) {
		nodes[nodeOf(t, nodes, m, 1)].Close()
		nodes[nodeOf(t, nodes, m, 2)].Close()
		check(t, newClient(t, nodes, retrieval.Config{}), true)
	})
}

// With a data shard's node down, a range of whole leaves costs the same bytes in stripes as with
// every node up (a parity piece brings the lost piece's columns), where the plain layout fetches
// k times the lost part.
func TestStripedReadAroundLostPiece(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stripe int64
		same   bool
	}{{"striped", 16 << 10, true}, {"plain", 64 << 10, false}} {
		t.Run(tc.name, func(t *testing.T) {
			params := sharding.Params{K: 4, M: 2, PieceSize: 64 << 10, ChunkSize: 64 << 10, StripeSize: tc.stripe}
			nodes := nodetest.StartNodes(t, 6)
			data := randomBytes(int(3*params.SegmentSize()), 5)
			res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, params)
			off, n := int64(64<<10), int64(128<<10) // two whole leaves, in pieces 1 and 2 of plain segment 0
			fetched := func() int64 {
				// No hedges, and every node estimated alike: on a loaded machine a hedge, or a first
				// ping slower than the others, would fetch more than the range's own bytes.
				est := retrieval.NewEstimator(0)
				for _, nd := range nodes {
					for range 5 {
						est.Observe(nd.ID(), time.Millisecond, 2*time.Millisecond, 64<<10)
					}
				}
				f, err := newClient(t, nodes, retrieval.Config{HedgeAfter: time.Minute, Estimator: est}).Open(t.Context(), res.Root)
				if err != nil {
					t.Fatal(err)
				}
				_, b := readFetched(t, f, data, off, n)
				return b
			}
			up := fetched()
			nodes[nodeOf(t, nodes, m, 1)].Close()
			down := fetched()
			t.Logf("%s: %d bytes fetched with every node up, %d with shard 1's node down", tc.name, up, down)
			if up != n {
				t.Fatalf("every node up: %d bytes fetched for %d", up, n)
			}
			if (down == up) != tc.same {
				t.Fatalf("shard 1's node down: %d bytes fetched, %d with every node up", down, up)
			}
		})
	}
}

// readFetched reads bytes [off, off+n) of f, checks them against data, and returns the read's
// stats and the bytes its piece fetches moved.
func readFetched(t testing.TB, f *retrieval.File, data []byte, off, n int64) (*retrieval.GetStats, int64) {
	t.Helper()
	var buf bytes.Buffer
	st, err := f.WriteRange(t.Context(), off, n, &buf, retrieval.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data[off:off+n]) {
		t.Fatal("the range differs from the original")
	}
	var fetched int64
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			fetched += p.Bytes
		}
	}
	return st, fetched
}
