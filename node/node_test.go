package node_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

func client(t *testing.T, nodes ...*node.Node) (*wire.Client, func() peer.ID) {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for _, n := range nodes {
		h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	}
	return wire.NewClient(h, wire.WithTimeout(10*time.Second)), h.ID
}

// upload stores a small file's pieces and manifest on n, everything on one node.
func upload(t *testing.T, c *wire.Client, n *node.Node, data []byte) *sharding.Manifest {
	t.Helper()
	p := sharding.Params{K: 2, M: 1, PieceSize: 4096}
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), p, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range segs {
		for i, piece := range s.Pieces {
			if err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, s.Hashes[i], piece); err != nil {
				t.Fatal(err)
			}
		}
	}
	m.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range m.K + m.M {
		m.Placement[i] = []sharding.Location{{Peer: n.ID().String()}}
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StoreManifest(t.Context(), n.ID(), b); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPiecesManifestsAndErrors(t *testing.T) {
	nodes := nodetest.StartNodes(t, 1)
	n := nodes[0]
	c, _ := client(t, n)
	ctx := t.Context()
	data := bytes.Repeat([]byte("dstore node "), 2000)
	m := upload(t, c, n, data)
	ref := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 0}

	got, err := c.GetPiece(ctx, n.ID(), ref, 0, -1)
	if err != nil || sha256.Sum256(got) != m.Segments[0][0] {
		t.Fatalf("whole piece: %v", err)
	}
	part, err := c.GetPiece(ctx, n.ID(), ref, 100, 50)
	if err != nil || !bytes.Equal(part, got[100:150]) {
		t.Fatalf("range: %v", err)
	}
	if _, err := c.GetPiece(ctx, n.ID(), ref, int64(len(got))+1, 1); !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("offset past the end: %v", err)
	}
	b, err := c.GetManifest(ctx, n.ID(), m.Root)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := sharding.UnmarshalManifest(b); err != nil || !back.Root.Equals(m.Root) {
		t.Fatalf("manifest: %v", err)
	}
	st, err := c.Stat(ctx, n.ID(), m.Root, 1)
	if err != nil || st.Segments != m.NumSegments() {
		t.Fatalf("stat: %+v %v", st, err)
	}

	unknown := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	if _, err := c.GetManifest(ctx, n.ID(), unknown); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown root: %v", err)
	}
	if _, err := c.GetPiece(ctx, n.ID(), wire.PieceRef{Root: unknown}, 0, -1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown piece: %v", err)
	}
	// A piece that does not match its checksum is refused and not stored.
	bad := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 99}
	if err := c.StorePiece(ctx, n.ID(), bad, [32]byte{1}, []byte("x")); !errors.Is(err, wire.ErrHashMismatch) || !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("wrong checksum: %v", err)
	}
	if _, err := c.GetPiece(ctx, n.ID(), bad, 0, -1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("refused piece was stored: %v", err)
	}
	// Garbage manifests are refused.
	if err := c.StoreManifest(ctx, n.ID(), []byte("not a manifest")); !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("garbage manifest: %v", err)
	}
	// A piece corrupted on disk is never served.
	nodetest.CorruptPiece(t, n, m.Root, 0, 0)
	if _, err := c.GetPiece(ctx, n.ID(), ref, 0, -1); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("corrupt piece: %v", err)
	}
}

func TestGarbageOnTheWire(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	for _, msg := range [][]byte{{}, {9, 9, 9}, {1, 0xff, 0xff, 0xff, 0xff, 0x0f}, bytes.Repeat([]byte{0xff}, 4096)} {
		s, err := h.NewStream(t.Context(), n.ID(), protocol.ID(wire.ProtoStorePiece))
		if err != nil {
			t.Fatal(err)
		}
		s.SetDeadline(time.Now().Add(5 * time.Second))
		s.Write(msg)
		s.CloseWrite()
		var buf [512]byte
		s.Read(buf[:])
		s.Close()
	}
	// The node still serves.
	c, _ := client(t, n)
	upload(t, c, n, []byte("still alive"))
}

func TestRestartKeepsPiecesIdentityAndPorts(t *testing.T) {
	repo := t.TempDir()
	n, err := node.New(node.Config{Repo: repo})
	if err != nil {
		t.Fatal(err)
	}
	id, addrs := n.ID(), n.Host().Addrs()
	c, _ := client(t, n)
	m := upload(t, c, n, bytes.Repeat([]byte("restart"), 3000))
	n.Close()

	n2, err := node.New(node.Config{Repo: repo})
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if n2.ID() != id {
		t.Fatalf("identity changed: %s -> %s", id, n2.ID())
	}
	if a, b := addrs[0].String(), n2.Host().Addrs(); len(b) == 0 || !hasAddr(b, a) {
		t.Fatalf("address %s not kept: %v", a, b)
	}
	c2, _ := client(t, n2)
	got, err := c2.GetPiece(t.Context(), n2.ID(), wire.PieceRef{Root: m.Root, Shard: 2, Segment: 0}, 0, -1)
	if err != nil || sha256.Sum256(got) != m.Segments[0][2] {
		t.Fatalf("piece after restart: %v", err)
	}
}

func hasAddr[T interface{ String() string }](as []T, want string) bool {
	for _, a := range as {
		if a.String() == want {
			return true
		}
	}
	return false
}

func TestProvidersFoundOnTheDHT(t *testing.T) {
	nodes := nodetest.StartNodes(t, 4)
	c, _ := client(t, nodes...)
	m := upload(t, c, nodes[2], []byte("find me on the DHT"))

	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	kad, err := node.NewDHT(t.Context(), h, false, []peer.AddrInfo{{ID: nodes[0].ID(), Addrs: nodes[0].Host().Addrs()}})
	if err != nil {
		t.Fatal(err)
	}
	defer kad.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		for ai := range kad.FindProvidersAsync(ctx, m.Root, 5) {
			if ai.ID == nodes[2].ID() {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the provider of the root was not found on the DHT")
}

func TestShardReaderConcatenatesPieces(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	c, _ := client(t, n)
	data := bytes.Repeat([]byte("0123456789abcdef"), 5000) // several segments of 2x4096 bytes
	m := upload(t, c, n, data)
	for shard := 0; shard < m.K+m.M; shard++ {
		var want []byte
		for j := 0; j < m.NumSegments(); j++ {
			p, err := n.Store().GetPiece(t.Context(), store.Ref{Root: m.Root, Shard: shard, Segment: j})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, p...)
		}
		r, err := node.NewShardReader(t.Context(), n.Store(), m, shard)
		if err != nil {
			t.Fatal(err)
		}
		if r.Size() != int64(len(want)) {
			t.Fatalf("shard %d: size %d, want %d", shard, r.Size(), len(want))
		}
		// Reads that straddle piece boundaries, at odd offsets.
		for _, off := range []int64{0, 1, 4095, 4096, 4097, int64(len(want)) - 10} {
			buf := make([]byte, min(5000, int64(len(want))-off))
			if _, err := r.ReadAt(buf, off); err != nil {
				t.Fatalf("shard %d at %d: %v", shard, off, err)
			}
			if !bytes.Equal(buf, want[off:off+int64(len(buf))]) {
				t.Fatalf("shard %d at %d: wrong bytes", shard, off)
			}
		}
	}
	if _, err := node.NewShardReader(t.Context(), n.Store(), m, 99); err == nil {
		t.Fatal("shard 99 accepted")
	}
}
