package node_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/storetest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// spread stores the pieces of data on nodes, shard i on nodes[i], with a placement naming them
// (and their addresses, unless noAddrs).
func spread(t *testing.T, c *wire.Client, nodes []*node.Node, data []byte, noAddrs ...bool) (*sharding.Manifest, []sharding.Segment) {
	t.Helper()
	m, segs := importFile(t, data)
	place(t, c, nodes, m, segs, len(noAddrs) > 0 && noAddrs[0])
	return m, segs
}

// place stores the manifest m and the pieces segs on nodes, as spread does.
func place(t *testing.T, c *wire.Client, nodes []*node.Node, m *sharding.Manifest, segs []sharding.Segment, noAddrs bool) {
	t.Helper()
	m.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range m.Placement {
		n := nodes[i%len(nodes)]
		l := sharding.Location{Peer: n.ID().String()}
		for _, a := range n.Host().Addrs() {
			if !noAddrs {
				l.Addrs = append(l.Addrs, a.String())
			}
		}
		m.Placement[i] = []sharding.Location{l}
	}
	for _, n := range nodes {
		if err := c.StoreManifest(t.Context(), n.ID(), marshal(t, m)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range segs {
		for i, piece := range s.Pieces {
			ref := wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}
			if err := c.StorePiece(t.Context(), nodes[i%len(nodes)].ID(), ref, s.Hashes[i], piece); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// withSHA256 rewrites m and segs as a build before sharding.PieceChunks made them: each piece
// hash the SHA-256 of the whole piece.
func withSHA256(m *sharding.Manifest, segs []sharding.Segment) {
	m.PieceHash = sharding.PieceSHA256
	for j, s := range segs {
		for i, pc := range s.Pieces {
			s.Hashes[i] = sha256.Sum256(pc)
			m.Segments[j][i] = s.Hashes[i]
		}
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// waitUntil polls cond every 20 ms until it holds or 30 s pass.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A piece a read finds corrupt is refused with a clear error, repaired in place from the other
// holders (the re-encoded piece hashes to the manifest's), and served again: under both piece
// hash schemes, so that files stored by older builds still heal.
func TestCorruptPieceIsRepairedAfterARead(t *testing.T) {
	for _, tt := range []struct {
		name   string
		sha256 bool
	}{
		{"chunk hashes", false},
		{"SHA-256 piece hashes of an older build", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			nodes := nodetest.StartNodes(t, 3)
			c, _ := client(t, nodes...)
			m, segs := importFile(t, randomBytes(t, 20_000))
			if tt.sha256 {
				withSHA256(m, segs)
			}
			place(t, c, nodes, m, segs, false)
			ref := wire.PieceRef{Root: m.Root, Shard: 2, Segment: 1} // a parity piece
			nodetest.CorruptPiece(t, nodes[2], m.Root, ref.Shard, ref.Segment)
			if _, err := c.GetPiece(t.Context(), nodes[2].ID(), ref, 0, -1); !errors.Is(err, wire.ErrCorrupt) {
				t.Fatalf("reading the corrupt piece: %v, want ErrCorrupt", err)
			}
			waitUntil(t, "the repair", func() bool { return nodes[2].ScrubStats().Repaired == 1 })
			got, err := c.GetPiece(t.Context(), nodes[2].ID(), ref, 0, -1)
			if err != nil || !bytes.Equal(got, segs[1].Pieces[2]) {
				t.Fatalf("after the repair: %d bytes, %v", len(got), err)
			}
			info, err := c.Scrub(t.Context(), nodes[2].ID(), m.Root, 2)
			if err != nil || info.Repaired != 1 || info.Damaged != 0 {
				t.Fatalf("scrub answer %+v, %v", info, err)
			}
			if _, err := c.Scrub(t.Context(), nodes[2].ID(), m.Root, 0); !errors.Is(err, wire.ErrNotFound) {
				t.Fatalf("scrub answer for a shard the node does not hold: %v, want ErrNotFound", err)
			}
		})
	}
}

// After a restart the background scrub checks every piece at its rate, finds a corrupt piece
// and a missing one, and repairs both in place; the shard then reads back byte for byte.
func TestScrubFindsAndRepairsAfterRestart(t *testing.T) {
	nodes := nodetest.StartNodes(t, 3)
	c, _ := client(t, nodes...)
	m, segs := spread(t, c, nodes, randomBytes(t, 200_000)) // 25 segments of 2 x 4 KiB
	// The shard is whole, as its tree shows.
	if _, err := nodes[0].SlotTree(t.Context(), m.Root, 0); err != nil {
		t.Fatal(err)
	}
	n := nodes[0]
	nodetest.CorruptPiece(t, n, m.Root, 0, 3)
	storetest.DeletePiece(t, n.Store(), store.Ref{Root: m.Root, Shard: 0, Segment: 7})
	cfg := n.Config()
	cfg.ScrubRate = 256 << 10
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n = nodetest.StartConfig(t, cfg)
	waitUntil(t, "the scrub's repairs", func() bool { return n.ScrubStats().Repaired == 2 })
	took := time.Since(start)
	waitUntil(t, "the end of the pass", func() bool {
		info, err := n.ScrubInfo(t.Context(), m.Root, 0)
		return err == nil && !info.Last.IsZero()
	})
	st := n.ScrubStats()
	pass := time.Since(start)
	t.Logf("restart to both pieces repaired: %v; pass over %d bytes in %v: %.0f KiB/s at --scrub-rate %d KiB/s",
		took.Round(time.Millisecond), st.Bytes, pass.Round(time.Millisecond), float64(st.Bytes)/1024/pass.Seconds(), cfg.ScrubRate>>10)
	if st.Damaged != 2 || st.Failed != 0 || st.Pending != 0 || st.Bytes != m.ShardSize()-4096 { // all but the missing piece
		t.Fatalf("scrub stats %+v, want 2 damaged and repaired, %d bytes checked", st, m.ShardSize()-4096)
	}
	r, err := node.NewShardReader(t.Context(), n.Store(), m, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, r.Size())
	if _, err := r.ReadAt(got, 0); err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, s := range segs {
		want = append(want, s.Pieces[0]...)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the repaired shard differs from the one stored")
	}
}

// hostileHolder answers every piece request with bytes of the right length that are not the piece.
func hostileHolder(t *testing.T) peer.AddrInfo {
	t.Helper()
	h := p2ptest.NewHost(t)
	var served atomic.Int64
	h.SetStreamHandler(wire.ProtoGetPiece, func(s network.Stream) {
		defer s.Close()
		q, err := wire.ReadRequest(bufio.NewReader(s))
		if err != nil {
			s.Reset()
			return
		}
		size := q.N
		if size < 0 {
			size = 4096
		}
		body := bytes.Repeat([]byte{0xee}, int(size))
		served.Add(1)
		_, _ = s.Write(wire.EncodeResponse(wire.Response{Size: int64(len(body))}))
		_, _ = s.Write(body)
	})
	return peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}
}

// A holder that hands over wrong bytes during an in-place repair is refused: with only hostile
// holders the piece stays damaged (refused to readers, nothing else stored over it); once an
// honest holder is found the repair succeeds.
func TestHostileHolderDuringRepair(t *testing.T) {
	var holders atomic.Pointer[map[int][]peer.AddrInfo]
	find := func(_ context.Context, _ cid.Cid, shard int) ([]peer.AddrInfo, error) {
		return (*holders.Load())[shard], nil
	}
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Holders: find})
	others := nodetest.StartNodes(t, 2)
	nodes := []*node.Node{n, others[0], others[1]}
	c, _ := client(t, nodes...)
	// The placement names the honest holders without their addresses, and n, which shares no DHT
	// with them, cannot find them: only the holders its resolver names are reachable.
	m, segs := spread(t, c, nodes, randomBytes(t, 40_000), true) // 5 segments
	info := func(x *node.Node) peer.AddrInfo { return peer.AddrInfo{ID: x.ID(), Addrs: x.Host().Addrs()} }
	evil1, evil2 := hostileHolder(t), hostileHolder(t)
	holders.Store(&map[int][]peer.AddrInfo{1: {evil1}, 2: {evil2}})

	nodetest.CorruptPiece(t, n, m.Root, 0, 2)
	ref := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 2}
	if _, err := c.GetPiece(t.Context(), n.ID(), ref, 0, -1); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("reading the corrupt piece: %v", err)
	}
	waitUntil(t, "the refused repair", func() bool { return n.ScrubStats().Failed >= 1 })
	if st := n.ScrubStats(); st.Refused < 2 || st.Repaired != 0 || st.Pending != 1 {
		t.Fatalf("after hostile holders only: %+v", st)
	}
	if _, err := c.GetPiece(t.Context(), n.ID(), ref, 0, -1); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("a damaged piece was served: %v", err)
	}
	if _, err := n.Store().CheckPiece(t.Context(), store.Ref{Root: m.Root, Shard: 0, Segment: 2}); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("the hostile bytes changed the stored piece: %v", err)
	}
	// Honest holders behind the hostile ones: their pieces are taken, the hostile ones refused.
	holders.Store(&map[int][]peer.AddrInfo{1: {evil1, info(nodes[1])}, 2: {evil2, info(nodes[2])}})
	nodetest.CorruptPiece(t, n, m.Root, 0, 4)
	if _, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: 0, Segment: 4}, 0, -1); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("reading the second corrupt piece: %v", err)
	}
	waitUntil(t, "the repair from the honest holder", func() bool { return n.ScrubStats().Repaired >= 1 })
	got, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: 0, Segment: 4}, 0, -1)
	if err != nil || !bytes.Equal(got, segs[4].Pieces[0]) {
		t.Fatalf("after the repair: %d bytes, %v", len(got), err)
	}
	// The first piece is retried (after 1 s, then 2 s, ...) and now repaired too.
	waitUntil(t, "the retried repair", func() bool { return n.ScrubStats().Repaired == 2 })
	if got, err := c.GetPiece(t.Context(), n.ID(), ref, 0, -1); err != nil || !bytes.Equal(got, segs[2].Pieces[0]) {
		t.Fatalf("the retried piece: %d bytes, %v", len(got), err)
	}
}

// BenchmarkScrub measures the background scrub of one node holding a 32 MiB shard, restarted with
// a damaged piece at the end of the shard: the rate its pass achieves against ScrubRate (rate/flag,
// which pacing keeps at or below 1), and the time from the restart to the piece repaired in place.
//
//	go test -run '^$' -bench BenchmarkScrub -benchtime 1x ./node/
func BenchmarkScrub(b *testing.B) {
	for _, rate := range []int64{4 << 20, 16 << 20, 1 << 40} {
		name := fmt.Sprintf("rate=%dMiB", rate>>20)
		if rate == 1<<40 {
			name = "rate=unbounded"
		}
		b.Run(name, func(b *testing.B) {
			var nodes []*node.Node
			for range 3 {
				nodes = append(nodes, nodetest.StartConfig(b, node.Config{Repo: b.TempDir(), LazyTrees: true}))
			}
			h := p2ptest.NewHost(b, p2ptest.Knowing(nodes...))
			nodetest.Allow(h.ID(), nodes...)
			c := wire.NewClient(h, wire.WithTimeout(time.Minute))
			data := make([]byte, 64<<20)
			if _, err := rand.Read(data); err != nil {
				b.Fatal(err)
			}
			var segs []sharding.Segment
			m, err := sharding.Import(b.Context(), bytes.NewReader(data), sharding.Params{K: 2, M: 1, PieceSize: 1 << 20}, func(s sharding.Segment) error {
				segs = append(segs, s)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			m.Placement = make([][]sharding.Location, 3)
			for i, n := range nodes {
				l := sharding.Location{Peer: n.ID().String()}
				for _, a := range n.Host().Addrs() {
					l.Addrs = append(l.Addrs, a.String())
				}
				m.Placement[i] = []sharding.Location{l}
			}
			mb, err := m.Marshal()
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range nodes {
				if err := c.StoreManifest(b.Context(), n.ID(), mb); err != nil {
					b.Fatal(err)
				}
			}
			for _, s := range segs {
				for i, piece := range s.Pieces {
					if err := c.StorePiece(b.Context(), nodes[i].ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, s.Hashes[i], piece); err != nil {
						b.Fatal(err)
					}
				}
			}
			last := m.NumSegments() - 1
			b.SetBytes(m.ShardSize())
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				n := nodes[0]
				nodetest.CorruptPiece(b, n, m.Root, 0, last)
				cfg := n.Config()
				cfg.ScrubRate, cfg.ScrubInterval = rate, time.Nanosecond
				if err := n.Close(); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				n = nodetest.StartConfig(b, cfg)
				nodes[0] = n
				for n.ScrubStats().Repaired == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				repaired := time.Since(start)
				st := n.ScrubStats()
				b.ReportMetric(repaired.Seconds(), "s-to-repair")
				achieved := float64(st.Bytes) / repaired.Seconds()
				b.ReportMetric(achieved/(1<<20), "MiB/s-scrubbed")
				if rate < 1<<40 {
					b.ReportMetric(achieved/float64(rate), "rate/flag")
				}
			}
		})
	}
}
