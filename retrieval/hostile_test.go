package retrieval_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// hostile is a libp2p host that speaks the read protocols of a storage node and answers what the
// test sets: it lists manifests for any root, serves their bytes, and serves piece bytes.
type hostile struct {
	h         host.Host
	mu        sync.Mutex
	manifests map[string][]byte // by manifest CID (key string), what to serve
	order     []cid.Cid
	piece     []byte // served for every piece asked, nil: not found
	gets      atomic.Int64
	// listDelay and getDelay hold the answers to manifest lists and manifest fetches.
	listDelay, getDelay time.Duration
	serve               func(proto string, answer func(q wire.Request) ([]byte, bool))
}

// speakManifestOf makes the host answer wire.ProtoManifestOf too, with the first manifest it
// offers, as a node of this build does; without it the host is an older node that only lists.
func (x *hostile) speakManifestOf() {
	x.serve(wire.ProtoManifestOf, func(wire.Request) ([]byte, bool) {
		x.gets.Add(1)
		x.mu.Lock()
		defer x.mu.Unlock()
		if len(x.order) == 0 {
			return nil, false
		}
		return x.manifests[x.order[0].KeyString()], true
	})
}

func newHostile(t testing.TB) *hostile {
	t.Helper()
	h := p2ptest.NewHost(t)
	x := &hostile{h: h, manifests: map[string][]byte{}}
	serve := func(proto string, answer func(q wire.Request) ([]byte, bool)) {
		h.SetStreamHandler(protocol.ID(proto), func(s network.Stream) {
			defer s.Close()
			_ = s.SetDeadline(time.Now().Add(10 * time.Second))
			q, err := wire.ReadRequest(bufio.NewReader(s))
			if err != nil {
				s.Reset()
				return
			}
			body, ok := answer(q)
			resp := wire.Response{Size: int64(len(body))}
			if !ok {
				resp = wire.Response{Code: wire.StatusOf(wire.ErrNotFound), Msg: "not found"}
				body = nil
			}
			_, _ = s.Write(append(wire.EncodeResponse(resp), body...))
		})
	}
	serve(wire.ProtoListManifests, func(wire.Request) ([]byte, bool) {
		x.mu.Lock()
		order, d := x.order, x.listDelay
		x.mu.Unlock()
		time.Sleep(d)
		return wire.EncodeManifestList(order), len(order) > 0
	})
	serve(wire.ProtoGetManifest, func(q wire.Request) ([]byte, bool) {
		x.gets.Add(1)
		x.mu.Lock()
		b, ok := x.manifests[q.Root.KeyString()]
		d := x.getDelay
		x.mu.Unlock()
		time.Sleep(d)
		return b, ok
	})
	x.serve = serve
	serve(wire.ProtoGetPiece, func(q wire.Request) ([]byte, bool) {
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.piece == nil {
			return nil, false
		}
		end := int64(len(x.piece))
		if q.N >= 0 {
			end = min(end, q.Off+q.N)
		}
		if q.Off > end {
			return nil, false
		}
		return x.piece[q.Off:end], true
	})
	return x
}

// offer makes the host list mcid and serve b for it.
func (x *hostile) offer(mcid cid.Cid, b []byte) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.manifests[mcid.KeyString()]; !ok {
		x.order = append(x.order, mcid)
	}
	x.manifests[mcid.KeyString()] = b
}

func (x *hostile) reset() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.manifests, x.order, x.piece = map[string][]byte{}, nil, nil
}

func (x *hostile) info() peer.AddrInfo { return peer.AddrInfo{ID: x.h.ID(), Addrs: x.h.Addrs()} }

// contentCID is the CID a reader computes for manifest bytes b: the manifest's CID if b decodes,
// else the raw CID of b.
func contentCID(b []byte) cid.Cid {
	if m, err := sharding.UnmarshalManifest(b); err == nil {
		if c, err := m.CID(); err == nil {
			return c
		}
	}
	h, _ := mh.Sum(b, mh.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, h)
}

func marshalManifest(t testing.TB, m *sharding.Manifest) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A stranger speaks the store protocols to every node of a stored file, over every key of the file:
// every write is refused, and the file reads back byte for byte.
func TestStrangerCannotOverwriteAFile(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(300_000, 8)
	res, m := put(t, c, data, smallParams)

	stranger := p2ptest.NewHost(t, p2ptest.Knowing(nodes...))
	w := wire.NewClient(stranger, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	refused := 0
	for i, locs := range m.Placement {
		holder, _ := peer.Decode(locs[0].Peer)
		for j := range m.NumSegments() {
			evil := bytes.Repeat([]byte{0xee}, int(m.SegmentPieceSize(j)))
			err := w.StorePiece(ctx, holder, wire.PieceRef{Root: m.Root, Shard: i, Segment: j}, sha256.Sum256(evil), evil)
			if !errors.Is(err, wire.ErrForbidden) {
				t.Fatalf("piece %d/%d: %v, want ErrForbidden", i, j, err)
			}
			refused++
		}
	}
	// The genuine manifest with a placement naming the stranger, and a manifest of the same root
	// with other piece hashes, on every node.
	moved := *m
	moved.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range moved.Placement {
		moved.Placement[i] = []sharding.Location{{Peer: stranger.ID().String()}}
	}
	forged := *m.Content()
	forged.Segments = append([][][32]byte(nil), m.Segments...)
	forged.Segments[0] = append([][32]byte(nil), m.Segments[0]...)
	forged.Segments[0][0] = [32]byte{0xee}
	for _, n := range nodes {
		for name, b := range map[string][]byte{"moved": marshalManifest(t, &moved), "forged": marshalManifest(t, &forged)} {
			if err := w.StoreManifest(ctx, n.ID(), b); !errors.Is(err, wire.ErrForbidden) {
				t.Fatalf("manifest %s on %s: %v, want ErrForbidden", name, n.ID(), err)
			}
			refused++
		}
	}
	t.Logf("%d writes of a stranger refused", refused)
	got, _, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the file after the attack: %d bytes, %v", len(got), err)
	}
}

// Hostile nodes offer manifests for the file's root that have no placement, are the manifest of
// another file, have wrong piece hashes, or are not manifests at all, listed (as an older node
// does) or sent at once (wire.ProtoManifestOf). The reader skips each, reads the file with the
// genuine one, and never panics.
func TestHostileManifestsAreSkipped(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	owner := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(300_000, 9)
	res, m := put(t, owner, data, smallParams)
	_, other := put(t, owner, randomBytes(50_000, 10), smallParams)

	noPlacement := marshalManifest(t, m.Content()) // the genuine content: the genuine CID
	badHashes := *m
	badHashes.Segments = make([][][32]byte, len(m.Segments))
	for j := range m.Segments {
		badHashes.Segments[j] = make([][32]byte, len(m.Segments[j]))
		for i := range m.Segments[j] {
			badHashes.Segments[j][i] = sha256.Sum256([]byte{byte(i), byte(j)})
		}
	}
	garbage := []byte("DSTM this is not a manifest")
	var hostiles []*hostile
	for i, b := range [][]byte{noPlacement, marshalManifest(t, other), marshalManifest(t, &badHashes), garbage, noPlacement, marshalManifest(t, &badHashes), garbage} {
		x := newHostile(t)
		if i >= 4 { // the same attacks from nodes that send the manifest of a root at once
			x.speakManifestOf()
		}
		x.offer(contentCID(b), b)
		if bytes.Equal(b, garbage) {
			x.offer(contentCID(noPlacement), garbage) // garbage under the genuine CID
		}
		hostiles = append(hostiles, x)
	}
	// The reader knows the hostile nodes first, and the honest ones after them.
	var first []peer.AddrInfo
	for _, x := range hostiles {
		first = append(first, x.info())
	}
	reader := retrievaltest.NewStranger(t, nodes, retrieval.Config{Peers: first})
	var buf bytes.Buffer
	if _, _, err := reader.Get(t.Context(), res.Root, &buf, retrieval.GetOptions{}); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("read among hostile manifests: %d bytes, %v", buf.Len(), err)
	}
	asked := 0
	for _, x := range hostiles {
		asked += int(x.gets.Load())
	}
	if asked == 0 {
		t.Fatal("no hostile manifest was even fetched: the test shows nothing")
	}
	// Named explicitly, a manifest with wrong piece hashes never yields other bytes: the leaves are
	// checked against their CIDs (the read fails, or returns the genuine file), and never panics.
	badCID, _ := badHashes.CID()
	reader2 := retrievaltest.NewStranger(t, nodes, retrieval.Config{Host: reader.Host(), Peers: first})
	var out bytes.Buffer
	if _, _, err := reader2.Get(t.Context(), res.Root, &out, retrieval.GetOptions{Manifest: badCID}); err == nil && !bytes.Equal(out.Bytes(), data) {
		t.Fatal("a manifest with wrong piece hashes read other bytes")
	}
	// A manifest without placement handed to Read is an error, not an index out of range.
	if _, err := reader.Read(t.Context(), m.Content(), &bytes.Buffer{}, retrieval.GetOptions{}); !errors.Is(err, sharding.ErrNoPlacement) {
		t.Fatalf("read without placement: %v", err)
	}
}

// FuzzHostileRead serves fuzzed manifest bytes and piece bytes from a hostile node and reads the
// file through it with the real client: whatever comes from the network, the client returns,
// never panics.
func FuzzHostileRead(f *testing.F) {
	x := newHostile(f)
	x.speakManifestOf()
	// A valid manifest whose shards all live on the hostile node, as the seed.
	data := randomBytes(5000, 11)
	m, err := sharding.Import(context.Background(), bytes.NewReader(data), sharding.Params{K: 2, M: 1, PieceSize: 1024, ChunkSize: 2048}, nil)
	if err != nil {
		f.Fatal(err)
	}
	m.Placement = [][]sharding.Location{{{Peer: x.h.ID().String()}}, {{Peer: x.h.ID().String()}}, {{Peer: x.h.ID().String()}}}
	seed := marshalManifest(f, m)
	f.Add(seed, data[:1024])
	f.Add(seed, []byte{})
	f.Add(marshalManifest(f, m.Content()), data[:1024])
	f.Add([]byte("DSTM"), []byte("x"))
	h := p2ptest.NewHost(f)
	f.Fuzz(func(t *testing.T, manifest, piece []byte) {
		x.reset()
		x.offer(contentCID(manifest), manifest)
		x.mu.Lock()
		x.piece = piece
		x.mu.Unlock()
		root := m.Root
		if back, err := sharding.UnmarshalManifest(manifest); err == nil {
			root = back.Root
		}
		c, err := retrieval.New(retrieval.Config{Host: h, Peers: []peer.AddrInfo{x.info()}, HedgeAfter: 50 * time.Millisecond,
			PeerBackoff: time.Nanosecond, Wire: []wire.ClientOption{wire.WithTimeout(2 * time.Second)}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		var buf bytes.Buffer
		_, _, err = c.Get(ctx, root, &buf, retrieval.GetOptions{})
		if err == nil && !bytes.Equal(buf.Bytes(), data) {
			// Only the genuine file verifies against its root.
			if got, _ := sharding.RootCID(ctx, bytes.NewReader(buf.Bytes()), 2048); !got.Equals(root) {
				t.Fatalf("read %d bytes that do not hash to %s", buf.Len(), root)
			}
		}
	})
}

// With tickets: nodes that take no client without a ticket store a file for a client that signs
// one per node and shard with its chain account, and report the account as its payer; a client
// without an account is refused by every node.
func TestPutWithTickets(t *testing.T) {
	var nodes []*node.Node
	for range 6 {
		nodes = append(nodes, nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Tickets: chain.TicketVerifier{}}))
	}
	key, err := chain.LoadOrCreateKey(filepath.Join(t.TempDir(), "client.key"))
	if err != nil {
		t.Fatal(err)
	}
	signer := chain.TicketSigner{Key: key}
	unsigned := retrievaltest.NewStranger(t, nodes, retrieval.Config{})
	data := randomBytes(200_000, 12)
	if _, _, err := unsigned.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: smallParams}); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("put without tickets: %v, want ErrForbidden", err)
	}
	c := retrievaltest.NewStranger(t, nodes, retrieval.Config{Signer: signer})
	res, m := put(t, c, data, smallParams)
	mcid, _ := m.CID()
	for i, locs := range m.Placement {
		n := nodes[nodeOf(t, nodes, m, i)]
		info, ok := n.Accepted(t.Context(), m.Root, i)
		if !ok || info.Payer != signer.Account() || !info.Manifest.Equals(mcid) || info.Confirmed {
			t.Fatalf("shard %d on %s: %+v, %v", i, locs[0].Peer, info, ok)
		}
	}
	got, _, err := get(t, unsigned, res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read: %v", err)
	}
}

// A node that refuses every staged piece as not matching its hash (the client hashed the bytes it
// sends, so only a faulty or lying node finds another hash) does not stop the upload: its shard
// moves to a spare node, and the file reads back whole.
func TestPutMovesAShardOffANodeThatRefusesItsPieces(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	known, spare := nodes[:5], nodes[5]
	x := newHostile(t)
	c := newClient(t, known, retrieval.Config{Peers: []peer.AddrInfo{x.info()}})
	spare.Allow(c.Host().ID())
	var (
		refused atomic.Int64
		mu      sync.Mutex
		met     error
		once    sync.Once
	)
	x.h.SetStreamHandler(protocol.ID(wire.ProtoStorePiece), func(s network.Stream) {
		defer s.Close()
		br := bufio.NewReader(s)
		q, err := wire.ReadRequest(br)
		if err == nil { // the whole piece, as a node reads it before it hashes it
			_, err = io.Copy(io.Discard, io.LimitReader(br, q.Size))
		}
		if err != nil {
			s.Reset()
			return
		}
		// The spare becomes known only now: the upload must look for it.
		once.Do(func() {
			err := c.Host().Connect(t.Context(), peer.AddrInfo{ID: spare.ID(), Addrs: spare.Host().Addrs()})
			mu.Lock()
			met = err
			mu.Unlock()
		})
		refused.Add(1)
		_, _ = s.Write(wire.EncodeResponse(wire.Response{Code: wire.StatusOf(wire.ErrHashMismatch), Msg: "not the hash sent"}))
	})
	data := randomBytes(6*int(smallParams.SegmentSize())+99, 13)
	res, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: smallParams})
	mu.Lock()
	defer mu.Unlock()
	if met != nil {
		t.Fatalf("connecting to the spare: %v", met)
	}
	if err != nil {
		t.Fatalf("put with a node refusing its pieces: %v", err)
	}
	if refused.Load() == 0 {
		t.Fatal("the refusing node was never given a shard")
	}
	if res.Moved != 1 {
		t.Fatalf("%d shards moved, want 1", res.Moved)
	}
	for i, locs := range m.Placement {
		if locs[0].Peer == x.h.ID().String() {
			t.Fatalf("shard %d is placed on the refusing node", i)
		}
	}
	got, _, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
}
