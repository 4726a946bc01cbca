package retrieval_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// smallParams makes several segments out of a few hundred KiB.
var smallParams = sharding.Params{K: 4, M: 2, PieceSize: 16 << 10, ChunkSize: 256 << 10}

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// newClient starts a client on loopback that knows nodes and that every node allows.
var newClient = retrievaltest.NewClient[*node.Node]

func put(t testing.TB, c *retrieval.Client, data []byte, p sharding.Params) (*retrieval.PutResult, *sharding.Manifest) {
	t.Helper()
	res, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: p})
	if err != nil {
		t.Fatalf("put %d bytes: %v", len(data), err)
	}
	return res, m
}

func get(t testing.TB, c *retrieval.Client, res *retrieval.PutResult) ([]byte, *retrieval.GetStats, error) {
	t.Helper()
	var buf bytes.Buffer
	_, st, err := c.Get(t.Context(), res.Root, &buf, retrieval.GetOptions{})
	return buf.Bytes(), st, err
}

// readBack reads the file of m with c and fails the test unless it reads exactly want.
func readBack(t testing.TB, c *retrieval.Client, m *sharding.Manifest, want []byte) *retrieval.GetStats {
	t.Helper()
	var buf bytes.Buffer
	st, err := c.Read(t.Context(), m, &buf, retrieval.GetOptions{})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatal("the file read back differs")
	}
	return st
}

// nodeOf returns the node holding shard i.
func nodeOf(t testing.TB, nodes []*node.Node, m *sharding.Manifest, shard int) int {
	t.Helper()
	for j, n := range nodes {
		if n.ID().String() == m.Placement[shard][0].Peer {
			return j
		}
	}
	t.Fatalf("no node holds shard %d", shard)
	return -1
}

func TestPutGetSizes(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	seg := int(smallParams.SegmentSize())
	chunk := int(smallParams.ChunkSize)
	tests := []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"one byte", 1},
		{"chunk-1", chunk - 1},
		{"chunk", chunk},
		{"chunk+1", chunk + 1},
		{"segment-1", seg - 1},
		{"several segments", 5*seg + 777},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := randomBytes(tt.size, uint64(i))
			res, m := put(t, c, data, smallParams)
			want, err := sharding.RootCID(t.Context(), bytes.NewReader(data), smallParams.ChunkSize)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Root.Equals(want) {
				t.Fatalf("root %s, want %s", res.Root, want)
			}
			if len(m.Placement) != 6 {
				t.Fatalf("placement of %d shards", len(m.Placement))
			}
			got, st, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes that differ from the %d stored", len(got), len(data))
			}
			if st.FailedFetches != 0 || st.CorruptPieces != 0 {
				t.Fatalf("every node up, yet %d fetches failed and %d pieces were corrupt", st.FailedFetches, st.CorruptPieces)
			}
		})
	}
}

func TestGetWithNodesDown(t *testing.T) {
	data := randomBytes(3*int(smallParams.SegmentSize())+100, 7)
	// Every pair of shards may go: any m = 2 dead nodes leave the file readable.
	for a := 0; a < 6; a++ {
		for b := a + 1; b < 6; b++ {
			if a != 0 && b != 5 { // a spread of pairs keeps the test short: data+data, data+parity, parity+parity
				continue
			}
			nodes := nodetest.StartNodes(t, 6)
			c := newClient(t, nodes, retrieval.Config{HedgeAfter: 200 * time.Millisecond})
			res, m := put(t, c, data, smallParams)
			nodes[nodeOf(t, nodes, m, a)].Close()
			nodes[nodeOf(t, nodes, m, b)].Close()
			got, st, err := get(t, newClient(t, nodes, retrieval.Config{HedgeAfter: 200 * time.Millisecond}), res)
			if err != nil {
				t.Fatalf("shards %d and %d down: %v", a, b, err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("shards %d and %d down: wrong bytes", a, b)
			}
			if want := segmentsTouching(m, a); a < 4 && st.Decoded != want {
				t.Fatalf("shards %d and %d down: decoded %d segments, %d hold bytes of data piece %d", a, b, st.Decoded, want, a)
			}
		}
	}
}

// A read dials every node of the file first and starts each segment with pieces of connected
// nodes: with two data nodes down, no fetch goes to them and none has to be hedged.
func TestReadStartsWithConnectedNodes(t *testing.T) {
	data := randomBytes(3*int(smallParams.SegmentSize())+100, 8)
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	res, m := put(t, c, data, smallParams)
	nodes[nodeOf(t, nodes, m, 0)].Close()
	nodes[nodeOf(t, nodes, m, 1)].Close()
	got, st, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("wrong bytes")
	}
	if st.FailedFetches != 0 || st.Decoded != m.NumSegments() {
		t.Fatalf("stats %+v: want every segment decoded from the live nodes, no failed fetch", st)
	}
}

func TestGetFailsClearlyWithTooFewShards(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(2*int(smallParams.SegmentSize()), 3)
	res, m := put(t, c, data, smallParams)
	for shard := 0; shard < 3; shard++ {
		nodes[nodeOf(t, nodes, m, shard)].Close()
	}
	got, _, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	var se *retrieval.SegmentError
	if !errors.As(err, &se) || !errors.Is(err, retrieval.ErrNotEnoughShards) {
		t.Fatalf("got %v, want a SegmentError", err)
	}
	if se.Segment != 0 || se.Found != 3 || se.Needed != 4 || se.Total != 6 {
		t.Fatalf("error %+v", se)
	}
	if len(got) != 0 {
		t.Fatalf("wrote %d bytes of a file that cannot be read", len(got))
	}
}

// A corrupt piece that a read fetches is refused by its node, counted, and decoded around: the read
// returns the file's bytes, and the node repairs the piece.
func TestCorruptPieceIsDetected(t *testing.T) {
	// Neither a scrub nor a slot tree reads the piece before the read does: either would find it
	// corrupt and have it repaired first.
	nodes := nodetest.StartNodesConfig(t, 6, node.Config{ScrubRate: -1, LazyTrees: true})
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(2*int(smallParams.SegmentSize())+5, 9)
	res, m := put(t, c, data, smallParams)
	// Flip a byte of shard 1, segment 0 on the node's disk.
	n := nodes[nodeOf(t, nodes, m, 1)]
	nodetest.CorruptPiece(t, n, res.Root, 1, 0)
	// The read must ask for the corrupt piece: a client left to itself may decode around it (its
	// node dialed or pinged last on a loaded machine looks far, or a parity piece asked for as a
	// hedge arrives before the node's refusal). This one is connected to every node, has measured
	// them alike, and does not hedge, so the first segment starts with its data pieces.
	est := retrieval.NewEstimator(0)
	for _, n := range nodes {
		est.SeedRTT(n.ID(), time.Millisecond)
	}
	reader := newClient(t, nodes, retrieval.Config{Estimator: est, HedgeAfter: time.Hour})
	for _, n := range nodes {
		if err := reader.Host().Connect(t.Context(), peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()}); err != nil {
			t.Fatal(err)
		}
	}
	got, st, err := get(t, reader, res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("wrong bytes after a corrupt piece")
	}
	if st.CorruptPieces != 1 || st.FailedFetches != 0 || !slices.Contains(st.PerSegment[0].Decoded, 1) {
		t.Fatalf("want the corrupt piece refused once and decoded: %+v", st)
	}
	// The node found the piece corrupt as it read it for the client, and repaired it in place from
	// the other holders; status shows it, and the file has its whole margin again.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, reps, err := c.Status(t.Context(), res.Root)
		if err != nil {
			t.Fatal(err)
		}
		var holder retrieval.ReplicaStatus
		for _, r := range reps {
			if r.Shard == 1 {
				holder = r
			}
		}
		h := retrieval.Health(m, reps, nil)
		if holder.Live && holder.Repaired == 1 && holder.Damaged == 0 && h.Live == m.K+m.M && h.Margin == m.M {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no repair in status: %+v, %+v", holder, h)
		}
		time.Sleep(50 * time.Millisecond)
	}
	got, st, err = get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil || !bytes.Equal(got, data) || st.CorruptPieces+st.FailedFetches != 0 {
		t.Fatalf("after the repair: %v, %+v", err, st)
	}
}

// A node that dies mid-upload hands its shard to a spare node: one the client connected to at the
// start, or one it finds when the node dies (a dial slow at the start on a loaded machine, a node
// met since).
// countingReader counts the bytes read through ReadAt.
type countingReader struct {
	r    io.ReaderAt
	read atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.read.Add(int64(n))
	return n, err
}

// A put reads its file once: the pieces go to their nodes while the file is imported, and the
// commit brings the manifest; the file reads back whole.
func TestPutReadsTheFileOnce(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(7*int(smallParams.SegmentSize())+1234, 12)
	src := &countingReader{r: bytes.NewReader(data)}
	res, _, err := c.Put(t.Context(), src, int64(len(data)), retrieval.PutOptions{Params: smallParams})
	if err != nil {
		t.Fatal(err)
	}
	if got := src.read.Load(); got != int64(len(data)) {
		t.Fatalf("the put read %d bytes of a file of %d", got, len(data))
	}
	got, _, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("the file read back differs")
	}
}

func TestNodeDiesMidUpload(t *testing.T) {
	tests := []struct {
		name string
		// late: the client knows only the six nodes it needs when the upload starts, and
		// connects to the seventh before the node of shard 0 dies.
		late bool
	}{
		{name: "spare from the start"},
		{name: "spare met during the upload", late: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 7 nodes for 6 shards: one spare takes over the shard of the node that dies.
			nodes := nodetest.StartNodes(t, 7)
			known, spare := nodes, nodes[6]
			if tt.late {
				known = nodes[:6]
			}
			c := newClient(t, known, retrieval.Config{})
			spare.Allow(c.Host().ID())
			data := randomBytes(8*int(smallParams.SegmentSize()), 11)
			var (
				mu       sync.Mutex
				holder0  peer.ID
				victim   *node.Node
				killOnce sync.Once
				met      error
			)
			res, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{
				Params: smallParams,
				Placed: func(shard int, p peer.ID) {
					mu.Lock()
					defer mu.Unlock()
					if shard == 0 && holder0 == "" {
						holder0 = p
					}
				},
				Progress: func(done int64) {
					if done < int64(len(data))/3 {
						return
					}
					killOnce.Do(func() {
						mu.Lock()
						defer mu.Unlock()
						if tt.late {
							met = c.Host().Connect(t.Context(), peer.AddrInfo{ID: spare.ID(), Addrs: spare.Host().Addrs()})
						}
						for _, n := range nodes {
							if n.ID() == holder0 {
								victim = n
								n.Close()
							}
						}
					})
				},
			})
			if met != nil {
				t.Fatalf("connecting to the spare: %v", met)
			}
			if err != nil {
				t.Fatalf("put with a node dying: %v", err)
			}
			if victim == nil {
				t.Fatal("the node of shard 0 was never killed")
			}
			if res.Moved != 1 {
				t.Fatalf("%d shards moved, want 1", res.Moved)
			}
			for _, locs := range m.Placement {
				if locs[0].Peer == victim.ID().String() {
					t.Fatalf("the dead node %s is still in the placement", victim.ID())
				}
			}
			if tt.late && m.Placement[0][0].Peer != spare.ID().String() {
				t.Fatalf("shard 0 went to %s, not to the spare %s", m.Placement[0][0].Peer, spare.ID())
			}
			var live []*node.Node
			for _, n := range nodes {
				if n != victim {
					live = append(live, n)
				}
			}
			got, _, err := get(t, newClient(t, live, retrieval.Config{}), res)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Fatal("wrong bytes")
			}
			_, reps, err := newClient(t, live, retrieval.Config{}).Status(t.Context(), res.Root)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reps {
				if r.Segments != m.NumSegments() {
					t.Fatalf("shard %d on %s holds %d of %d segments", r.Shard, r.Peer, r.Segments, m.NumSegments())
				}
			}
		})
	}
}

// segmentsTouching counts the segments in which data piece i holds file bytes.
func segmentsTouching(m *sharding.Manifest, i int) int {
	n := 0
	for j := range m.NumSegments() {
		if m.SegmentLength(j) > int64(i)*m.SegmentPieceSize(j) {
			n++
		}
	}
	return n
}

func TestManifestErrors(t *testing.T) {
	nodes := nodetest.StartNodes(t, 2)
	c := newClient(t, nodes, retrieval.Config{})
	unknown, err := sharding.RootCID(t.Context(), bytes.NewReader([]byte("never stored")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Manifest(t.Context(), unknown); !errors.Is(err, retrieval.ErrManifestNotFound) {
		t.Fatalf("unknown root: %v", err)
	}
}
