package node_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

func client(t *testing.T, nodes ...*node.Node) (*wire.Client, func() peer.ID) {
	t.Helper()
	h := p2ptest.NewHost(t, p2ptest.Knowing(nodes...))
	nodetest.Allow(h.ID(), nodes...)
	return wire.NewClient(h, wire.WithTimeout(10*time.Second)), h.ID
}

// testSharding cuts the test files: 2+1 shards of 4 KiB pieces.
var testSharding = sharding.Params{K: 2, M: 1, PieceSize: 4096}

// upload stores a small file's pieces and manifest on n, everything on one node.
func upload(t *testing.T, c *wire.Client, n *node.Node, data []byte) *sharding.Manifest {
	t.Helper()
	m := uploadPieces(t, c, n, data, func(int, int) bool { return true })
	storeManifest(t, c, n, m)
	return m
}

// uploadPieces stores the manifest of data, without placement, then the pieces that
// keep(shard, segment) selects on n, and returns the manifest.
func uploadPieces(t *testing.T, c *wire.Client, n *node.Node, data []byte, keep func(shard, segment int) bool) *sharding.Manifest {
	t.Helper()
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), testSharding, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StoreManifest(t.Context(), n.ID(), b); err != nil {
		t.Fatal(err)
	}
	for _, s := range segs {
		for i, piece := range s.Pieces {
			if !keep(i, s.Index) {
				continue
			}
			if err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, s.Hashes[i], piece); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m
}

// storeManifest stores m on n, naming n as the holder of every shard.
func storeManifest(t *testing.T, c *wire.Client, n *node.Node, m *sharding.Manifest) {
	t.Helper()
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
	if err != nil || m.PieceSum(got) != m.Segments[0][0] {
		t.Fatalf("whole piece: %v", err)
	}
	part, err := c.GetPiece(ctx, n.ID(), ref, 100, 50)
	if err != nil || !bytes.Equal(part, got[100:150]) {
		t.Fatalf("range: %v", err)
	}
	if _, err := c.GetPiece(ctx, n.ID(), ref, int64(len(got))+1, 1); !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("offset past the end: %v", err)
	}
	mcid, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	if cids, err := c.ListManifests(ctx, n.ID(), m.Root); err != nil || len(cids) != 1 || !cids[0].Equals(mcid) {
		t.Fatalf("manifests of the root: %v, %v; want [%s]", cids, err, mcid)
	}
	b, err := c.GetManifest(ctx, n.ID(), mcid)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := sharding.UnmarshalManifest(b); err != nil || !back.Root.Equals(m.Root) || back.CheckPlacement() != nil {
		t.Fatalf("manifest: %v", err)
	}
	if of, _, err := c.ManifestOf(ctx, n.ID(), m.Root); err != nil || !bytes.Equal(of, b) {
		t.Fatalf("the manifest of the root: %d bytes, %v; want the %d of its manifest", len(of), err, len(b))
	}
	st, err := c.Stat(ctx, n.ID(), m.Root, 1)
	if err != nil || st.Segments != m.NumSegments() {
		t.Fatalf("stat: %+v %v", st, err)
	}

	unknown := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	if _, err := c.GetManifest(ctx, n.ID(), unknown); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown manifest: %v", err)
	}
	if _, err := c.ListManifests(ctx, n.ID(), unknown); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown root: %v", err)
	}
	if _, _, err := c.ManifestOf(ctx, n.ID(), unknown); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("the manifest of an unknown root: %v", err)
	}
	if _, err := c.GetPiece(ctx, n.ID(), wire.PieceRef{Root: unknown}, 0, -1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown piece: %v", err)
	}
	// A piece that does not match its manifest's hash is refused and not stored, even with a
	// checksum that matches its bytes.
	other := bytes.Repeat([]byte{'x'}, len(got))
	if err := c.StorePiece(ctx, n.ID(), ref, sha256.Sum256(other), other); !errors.Is(err, wire.ErrHashMismatch) || !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("wrong piece: %v", err)
	}
	if again, err := c.GetPiece(ctx, n.ID(), ref, 0, -1); err != nil || !bytes.Equal(again, got) {
		t.Fatalf("the piece after a refused overwrite: %v", err)
	}
	// A piece outside the manifest, or of another size than the manifest says, is refused.
	for _, r := range []wire.PieceRef{{Root: m.Root, Shard: 0, Segment: 99}, {Root: m.Root, Shard: 3, Segment: 0}} {
		if err := c.StorePiece(ctx, n.ID(), r, sha256.Sum256(got), got); !errors.Is(err, wire.ErrBadRequest) {
			t.Fatalf("piece %v: %v", r, err)
		}
	}
	if err := c.StorePiece(ctx, n.ID(), ref, sha256.Sum256(got[1:]), got[1:]); !errors.Is(err, wire.ErrBadRequest) {
		t.Fatalf("short piece: %v", err)
	}
	// Storing the same piece again is a no-op that succeeds.
	if err := c.StorePiece(ctx, n.ID(), ref, m.PieceSum(got), got); err != nil {
		t.Fatalf("the same piece again: %v", err)
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

// rawExchange writes b on a new stream of proto to n and returns the node's answer, decoded.
func rawExchange(t *testing.T, h host.Host, n *node.Node, proto string, b []byte) (wire.Response, error) {
	t.Helper()
	s, err := h.NewStream(t.Context(), n.ID(), protocol.ID(proto))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = s.Write(b)
	_ = s.CloseWrite()
	return wire.ReadResponse(bufio.NewReader(s))
}

func TestGarbageOnTheWire(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	h := p2ptest.NewHost(t, p2ptest.Knowing(n))
	root := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	header := func(q wire.Request) []byte { return wire.EncodeRequest(q) }
	tests := []struct {
		name  string
		proto string
		msg   []byte
		want  error
	}{
		{"empty", wire.ProtoStorePiece, nil, wire.ErrBadRequest},
		{"unknown version", wire.ProtoStorePiece, []byte{9, 9, 9}, wire.ErrBadRequest},
		{"huge root length", wire.ProtoGetPiece, []byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}, wire.ErrTooLarge},
		{"all ones", wire.ProtoGetManifest, bytes.Repeat([]byte{0xff}, 4096), wire.ErrBadRequest},
		{"root not a CID", wire.ProtoGetManifest, []byte{1, 3, 0xde, 0xad, 0xbe}, wire.ErrBadRequest},
		{"shard out of range", wire.ProtoStat, append([]byte{1, byte(len(root.Bytes()))}, append(root.Bytes(), 0x80, 0x04)...), wire.ErrTooLarge},
		{"piece over the limit", wire.ProtoStorePiece, header(wire.Request{Root: root, Size: wire.MaxPieceSize + 1}), wire.ErrTooLarge},
		{"payload on a read beyond a receipt", wire.ProtoGetPiece, header(wire.Request{Root: root, Size: wire.MaxReceiptSize + 1}), wire.ErrTooLarge},
		{"payload cut short", wire.ProtoStorePiece, append(header(wire.Request{Root: root, Size: 1000}), "short"...), wire.ErrBadRequest},
		{"piece without a root", wire.ProtoStorePiece, append(header(wire.Request{Size: 1}), 'x'), wire.ErrBadRequest},
		{"manifest not a manifest", wire.ProtoStoreManifest, append(header(wire.Request{Size: 4}), "junk"...), wire.ErrBadRequest},
		{"range past the end", wire.ProtoGetPiece, header(wire.Request{Root: root, Off: 5, N: 1}), wire.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := rawExchange(t, h, n, tt.proto, tt.msg)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if got := (&wire.RemoteError{Code: resp.Code, Msg: resp.Msg}); !errors.Is(got, tt.want) {
				t.Fatalf("answer %d %q, want %v", resp.Code, resp.Msg, tt.want)
			}
			if resp.Msg == "" {
				t.Fatal("the answer does not say what is wrong")
			}
		})
	}
	// The node still serves.
	c, _ := client(t, n)
	upload(t, c, n, []byte("still alive"))
}

func TestStreamLimitAndDeadline(t *testing.T) {
	// The stalled stream holds the slot for StreamTimeout: long enough that a poll on a loaded
	// machine (CI runs packages side by side on 2 cores) still finds it held.
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), MaxStreams: 1, StreamTimeout: 4 * time.Second})
	h := p2ptest.NewHost(t, p2ptest.Knowing(n))
	root := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")

	// A client that announces a payload and never sends it holds the only slot...
	stallStream := func() network.Stream {
		s, err := h.NewStream(t.Context(), n.ID(), protocol.ID(wire.ProtoStoreManifest))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Reset() })
		if _, err := s.Write(wire.EncodeRequest(wire.Request{Root: root, Size: 100})); err != nil {
			t.Fatal(err)
		}
		return s
	}
	stall := stallStream()
	// ...so other requests are refused as busy until the node's deadline frees it.
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	busy, refused := false, 0
	for range 500 {
		_, err := c.GetManifest(t.Context(), n.ID(), root)
		if errors.Is(err, wire.ErrBusy) {
			busy = true
			break
		}
		if !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("while a stream stalls: %v", err)
		}
		// The stalled header may not have arrived yet, or it arrived while this poll held the
		// slot and was itself refused as busy: then it has an answer, and a new one stalls.
		_ = stall.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		if _, err := stall.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
			if refused++; refused > 20 {
				t.Fatalf("the stalled stream was answered %d times (%v)", refused, err)
			}
			t.Logf("the stalled header came while a poll held the slot (%v); stalling again", err)
			stall.Reset()
			stall = stallStream()
		}
	}
	if !busy {
		t.Fatal("a second request was served beyond MaxStreams")
	}
	// The stalled stream is reset at the node's deadline, and the node serves again.
	_ = stall.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.ReadAll(stall); err == nil {
		t.Fatal("the stalled stream ended cleanly, want a reset")
	}
	for {
		_, err := c.GetManifest(t.Context(), n.ID(), root)
		if errors.Is(err, wire.ErrNotFound) {
			break
		}
		if !errors.Is(err, wire.ErrBusy) {
			t.Fatalf("after the deadline: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
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
	if err != nil || m.PieceSum(got) != m.Segments[0][2] {
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

	h := p2ptest.NewHost(t)
	kad, err := p2p.NewDHT(t.Context(), h, false, []peer.AddrInfo{{ID: nodes[0].ID(), Addrs: nodes[0].Host().Addrs()}})
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
		if held, err := n.Store().ShardSize(t.Context(), m.Root, shard); err != nil || held != r.Size() {
			t.Fatalf("shard %d: store holds %d bytes (%v), the manifest says %d", shard, held, err, r.Size())
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
	if _, err := node.NewShardReader(t.Context(), n.Store(), m, 99); !errors.Is(err, node.ErrShardRange) {
		t.Fatalf("shard 99: %v", err)
	}
	// A piece damaged on disk fails the read instead of feeding the prover wrong bytes.
	nodetest.CorruptPiece(t, n, m.Root, 1, 1)
	r, err := node.NewShardReader(t.Context(), n.Store(), m, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 4096+5); !errors.Is(err, store.ErrCorrupt) { // segment 1
		t.Fatalf("reading a corrupt piece: %v", err)
	}
}

// BenchmarkPiece measures storing and reading 1 MiB pieces on one node over loopback; every
// stored piece is synced to disk before the node answers.
func BenchmarkPiece(b *testing.B) {
	n := nodetest.StartNodes(b, 1)[0]
	h := p2ptest.NewHost(b, p2ptest.Knowing(n))
	n.Allow(h.ID())
	c := wire.NewClient(h)
	// One shard of 512 pieces of 1 MiB, all alike: the file repeats one piece.
	piece := bytes.Repeat([]byte("benchmark piece "), 1<<16)
	const segments = 512
	m, err := sharding.Import(b.Context(), io.LimitReader(repeatReader(piece), segments<<20), sharding.Params{K: 1, M: 0, PieceSize: 1 << 20}, nil)
	if err != nil {
		b.Fatal(err)
	}
	mb, err := m.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	if err := c.StoreManifest(b.Context(), n.ID(), mb); err != nil {
		b.Fatal(err)
	}
	root, sum := m.Root, m.PieceSum(piece)
	b.Run("store", func(b *testing.B) {
		b.SetBytes(int64(len(piece)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := c.StorePiece(b.Context(), n.ID(), wire.PieceRef{Root: root, Segment: i % segments}, sum, piece); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		b.SetBytes(int64(len(piece)))
		b.ReportAllocs()
		for b.Loop() {
			got, err := c.GetPiece(b.Context(), n.ID(), wire.PieceRef{Root: root}, 0, -1)
			if err != nil || len(got) != len(piece) {
				b.Fatal(len(got), err)
			}
		}
	})
}

func TestLargestPiece(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	c, _ := client(t, n)
	piece := make([]byte, wire.MaxPieceSize)
	for i := range piece {
		piece[i] = byte(i * 7)
	}
	// A file of two pieces of MaxPieceSize, one shard.
	m, err := sharding.Import(t.Context(), io.LimitReader(repeatReader(piece), 2*wire.MaxPieceSize), sharding.Params{K: 1, M: 0, PieceSize: wire.MaxPieceSize}, nil)
	if err != nil {
		t.Fatal(err)
	}
	storeManifest(t, c, n, m)
	ref := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 1}
	if err := c.StorePiece(t.Context(), n.ID(), ref, m.PieceSum(piece), piece); err != nil {
		t.Fatalf("a piece of MaxPieceSize: %v", err)
	}
	tail, err := c.GetPiece(t.Context(), n.ID(), ref, wire.MaxPieceSize-100, -1)
	if err != nil || !bytes.Equal(tail, piece[wire.MaxPieceSize-100:]) {
		t.Fatalf("the last 100 bytes: %d bytes, %v", len(tail), err)
	}
	over := append(piece, 0)
	if err := c.StorePiece(t.Context(), n.ID(), ref, sha256.Sum256(over), over); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("a piece over MaxPieceSize: %v", err)
	}
}

func TestAnnounceReplacesListenAddrs(t *testing.T) {
	const outer = "/ip4/198.18.200.2/tcp/4001"
	n, err := node.New(node.Config{Repo: t.TempDir(), Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Announce: []string{outer}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if got := n.Host().Addrs(); len(got) != 1 || got[0].String() != outer {
		t.Fatalf("announced %v, want only %s", got, outer)
	}
	if _, err := node.New(node.Config{Repo: t.TempDir(), Announce: []string{"not an address"}}); err == nil {
		t.Fatal("a malformed announce address was accepted")
	}
}

// repeatReader reads b over and over.
func repeatReader(b []byte) io.Reader { return &repeat{b: b} }

type repeat struct {
	b   []byte
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}
