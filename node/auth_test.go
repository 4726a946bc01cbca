package node_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// importFile cuts data as the node tests do and returns the manifest with every segment.
func importFile(t *testing.T, data []byte) (*sharding.Manifest, []sharding.Segment) {
	t.Helper()
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), testSharding, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, segs
}

func marshal(t *testing.T, m *sharding.Manifest) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkHolds asserts that n still serves every piece of m, each equal to segs's.
func checkHolds(t *testing.T, c *wire.Client, n *node.Node, m *sharding.Manifest, segs []sharding.Segment) {
	t.Helper()
	for _, s := range segs {
		for i, want := range s.Pieces {
			got, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, 0, -1)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("piece %d/%d after the attack: %v", i, s.Index, err)
			}
		}
	}
	mcid, _ := m.CID()
	b, err := c.GetManifest(t.Context(), n.ID(), mcid)
	if err != nil {
		t.Fatalf("manifest after the attack: %v", err)
	}
	back, err := sharding.UnmarshalManifest(b)
	if err != nil || back.CheckPlacement() != nil || back.Placement[0][0].Peer != n.ID().String() {
		t.Fatalf("manifest after the attack: %v, placement %v", err, back.Placement)
	}
}

// A stranger (fresh identity, no ticket, not on the allow-list) writes over every key of a stored
// file, with bytes that match the checksums it sends, and sends manifests of the file's root: every
// write is refused as forbidden, and the file is intact.
func TestStrangerWritesAreRefused(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	owner, _ := client(t, n)
	data := bytes.Repeat([]byte("precious bytes "), 3000)
	m, segs := importFile(t, data)
	upload(t, owner, n, data)

	sh := p2ptest.NewHost(t, p2ptest.Knowing(n))
	stranger := wire.NewClient(sh, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	refused := 0
	for _, s := range segs {
		for i, piece := range s.Pieces {
			evil := bytes.Repeat([]byte{0xee}, len(piece))
			err := stranger.StorePiece(ctx, n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, sha256.Sum256(evil), evil)
			if !errors.Is(err, wire.ErrForbidden) {
				t.Fatalf("stranger's piece %d/%d: %v, want ErrForbidden", i, s.Index, err)
			}
			refused++
		}
	}
	// The genuine manifest with a placement pointing elsewhere, and manifests of the same root cut
	// otherwise: all refused.
	moved := *m
	moved.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range moved.Placement {
		moved.Placement[i] = []sharding.Location{{Peer: sh.ID().String()}}
	}
	other, _ := importFileWith(t, data, sharding.Params{K: 1, M: 1, PieceSize: 8192})
	for name, b := range map[string][]byte{"placement": marshal(t, &moved), "other cut": marshal(t, other)} {
		if err := stranger.StoreManifest(ctx, n.ID(), b); !errors.Is(err, wire.ErrForbidden) {
			t.Fatalf("stranger's manifest (%s): %v, want ErrForbidden", name, err)
		}
		refused++
	}
	// A ticket to a node without a chain is refused too.
	if err := stranger.SendTicket(ctx, n.ID(), wire.Ticket{Root: m.Root, Manifest: m.Root, Node: n.ID(), Uploader: sh.ID(),
		Size: 1, Expiry: time.Now().Add(time.Hour).Unix(), Sig: make([]byte, 65)}); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("ticket to a node without a chain: %v", err)
	}
	t.Logf("%d writes of a stranger refused", refused)
	checkHolds(t, owner, n, m, segs)
}

func importFileWith(t *testing.T, data []byte, p sharding.Params) (*sharding.Manifest, []sharding.Segment) {
	t.Helper()
	var segs []sharding.Segment
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), p, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, segs
}

// An authorized client cannot replace what is stored: other bytes for a piece, and a manifest of the
// same root cut otherwise, are refused; the same bytes again succeed.
func TestAuthorizedWritesAreWriteOnce(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	c, _ := client(t, n)
	ctx := t.Context()
	data := bytes.Repeat([]byte("write once "), 3000)
	m, segs := importFile(t, data)
	upload(t, c, n, data)

	piece := segs[0].Pieces[1]
	evil := bytes.Repeat([]byte{0xee}, len(piece))
	ref := wire.PieceRef{Root: m.Root, Shard: 1, Segment: 0}
	if err := c.StorePiece(ctx, n.ID(), ref, sha256.Sum256(evil), evil); !errors.Is(err, wire.ErrHashMismatch) {
		t.Fatalf("other bytes: %v, want ErrHashMismatch", err)
	}
	if err := c.StorePiece(ctx, n.ID(), ref, m.PieceSum(piece), piece); err != nil {
		t.Fatalf("the same piece again: %v", err)
	}
	other, _ := importFileWith(t, data, sharding.Params{K: 1, M: 1, PieceSize: 8192})
	if err := c.StoreManifest(ctx, n.ID(), marshal(t, other)); !errors.Is(err, wire.ErrExists) {
		t.Fatalf("a second manifest of the root: %v, want ErrExists", err)
	}
	// The same manifest again, with its placement, is a no-op that succeeds.
	storeManifest(t, c, n, m)
	checkHolds(t, c, n, m, segs)
}

// ticketing is a node that takes tickets (no allow-list), and a funded-or-not account that signs them.
type ticketing struct {
	n      *node.Node
	signer chain.TicketSigner
	h      host.Host
	c      *wire.Client
}

func newTicketing(t *testing.T, cfg node.Config) *ticketing {
	t.Helper()
	cfg.Repo = t.TempDir()
	cfg.Tickets = chain.TicketVerifier{}
	n := nodetest.StartConfig(t, cfg)
	return &ticketing{n: n, signer: newSigner(t), h: p2ptest.NewHost(t, p2ptest.Knowing(n))}
}

func newSigner(t *testing.T) chain.TicketSigner {
	t.Helper()
	key, err := chain.LoadOrCreateKey(filepath.Join(t.TempDir(), "eth.key"))
	if err != nil {
		t.Fatal(err)
	}
	return chain.TicketSigner{Key: key}
}

// ticket returns a ticket of tk's account for shard of m on tk's node, valid for an hour.
func (tk *ticketing) ticket(t *testing.T, m *sharding.Manifest, shard int) wire.Ticket {
	t.Helper()
	mcid, _ := m.CID()
	tt := wire.Ticket{Account: tk.signer.Account(), Root: m.Root, Manifest: mcid, Shard: shard, Node: tk.n.ID(),
		Uploader: tk.h.ID(), Size: m.ShardSize(), Expiry: time.Now().Add(time.Hour).Unix()}
	return sign(t, tk.signer, tt)
}

func sign(t *testing.T, s chain.TicketSigner, tt wire.Ticket) wire.Ticket {
	t.Helper()
	sig, err := s.SignTicket(tt.SigningBytes())
	if err != nil {
		t.Fatal(err)
	}
	tt.Sig = sig
	return tt
}

// uploadShards sends the manifest of m, then the pieces of shards, over c.
func uploadShards(t *testing.T, c *wire.Client, n *node.Node, m *sharding.Manifest, segs []sharding.Segment, shards ...int) error {
	t.Helper()
	if err := c.StoreManifest(t.Context(), n.ID(), marshal(t, m)); err != nil {
		return err
	}
	for _, s := range segs {
		for _, i := range shards {
			if err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, s.Hashes[i], s.Pieces[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Upload tickets: each forged or misused one is refused; a valid one lets its uploader store its
// shard and no other, and the node reports what it accepted until a confirmation on chain.
func TestTickets(t *testing.T) {
	m, segs := importFile(t, bytes.Repeat([]byte("paid bytes! "), 3000))
	tk := newTicketing(t, node.Config{UploadQuota: 2 * m.ShardSize()})
	tk.c = wire.NewClient(tk.h, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	other := newSigner(t)
	good := tk.ticket(t, m, 0)
	expired := good
	expired.Expiry = time.Now().Add(-time.Minute).Unix()
	wrongSig := good
	wrongSig.Shard = 1 // signed for shard 0
	otherSigner := good
	otherSigner.Sig = sign(t, other, good).Sig // signed by another account than the one it names
	badSig := good
	badSig.Sig = bytes.Repeat([]byte{7}, 65)
	tests := []struct {
		name string
		t    wire.Ticket
		want error
	}{
		{"another node", func() wire.Ticket { x := good; x.Node = tk.h.ID(); return sign(t, tk.signer, x) }(), wire.ErrForbidden},
		{"another uploader", func() wire.Ticket { x := good; x.Uploader = tk.n.ID(); return sign(t, tk.signer, x) }(), wire.ErrForbidden},
		{"expired", sign(t, tk.signer, expired), wire.ErrForbidden},
		{"altered after signing", wrongSig, wire.ErrForbidden},
		{"signed by another account", otherSigner, wire.ErrForbidden},
		{"not a signature", badSig, wire.ErrForbidden},
		{"over the quota", func() wire.Ticket { x := good; x.Size = 3 * m.ShardSize(); return sign(t, tk.signer, x) }(), wire.ErrQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tk.c.SendTicket(ctx, tk.n.ID(), tt.t); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	if _, ok := tk.n.Accepted(ctx, m.Root, 0); ok {
		t.Fatal("a refused ticket was accepted")
	}
	// Without a valid ticket, nothing is stored.
	if err := uploadShards(t, tk.c, tk.n, m, segs, 0); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("upload without a ticket: %v", err)
	}
	if err := tk.c.SendTicket(ctx, tk.n.ID(), good); err != nil {
		t.Fatal(err)
	}
	if err := uploadShards(t, tk.c, tk.n, m, segs, 0); err != nil {
		t.Fatalf("upload with a ticket: %v", err)
	}
	// The ticket covers shard 0 only, and its uploader only.
	if err := uploadShards(t, tk.c, tk.n, m, segs, 1); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("a shard the ticket does not name: %v", err)
	}
	thief := wire.NewClient(p2ptest.NewHost(t, p2ptest.Knowing(tk.n)), wire.WithTimeout(10*time.Second))
	if err := thief.SendTicket(ctx, tk.n.ID(), good); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("a ticket replayed by another peer: %v", err)
	}
	if err := uploadShards(t, thief, tk.n, m, segs, 0); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("another peer's writes: %v", err)
	}
	mcid, _ := m.CID()
	info, ok := tk.n.Accepted(ctx, m.Root, 0)
	if !ok || info.Payer != tk.signer.Account() || !info.Manifest.Equals(mcid) || info.Bytes != m.ShardSize() || info.Confirmed {
		t.Fatalf("accepted: %+v, %v", info, ok)
	}
	// The quota counts the unconfirmed bytes: a second ticket of the same size fits, a third not.
	m2, _ := importFile(t, bytes.Repeat([]byte("second file "), 3000))
	m3, _ := importFile(t, bytes.Repeat([]byte("third file! "), 3000))
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.ticket(t, m2, 0)); err != nil {
		t.Fatalf("second ticket within the quota: %v", err)
	}
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.ticket(t, m3, 0)); !errors.Is(err, wire.ErrQuota) {
		t.Fatalf("third ticket over the quota: %v", err)
	}
	// A confirmation on chain releases the quota.
	if err := tk.n.Confirm(ctx, m.Root, 0); err != nil {
		t.Fatal(err)
	}
	if info, ok := tk.n.Accepted(ctx, m.Root, 0); !ok || !info.Confirmed {
		t.Fatalf("after Confirm: %+v, %v", info, ok)
	}
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.ticket(t, m3, 0)); err != nil {
		t.Fatalf("third ticket once the first is confirmed: %v", err)
	}
	if err := tk.n.Confirm(ctx, m.Root, 5); !errors.Is(err, node.ErrNotHeld) {
		t.Fatalf("confirming a shard never uploaded: %v", err)
	}
}

// Bytes under a ticket that no storage request confirms are dropped after the grace period;
// confirmed ones stay, also across a restart.
func TestUnconfirmedUploadsAreDropped(t *testing.T) {
	data := bytes.Repeat([]byte("grace "), 5000)
	m, segs := importFile(t, data)
	tk := newTicketing(t, node.Config{UploadGrace: 2 * time.Second})
	tk.c = wire.NewClient(tk.h, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	for _, shard := range []int{0, 1} {
		if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.ticket(t, m, shard)); err != nil {
			t.Fatal(err)
		}
	}
	if err := uploadShards(t, tk.c, tk.n, m, segs, 0, 1); err != nil {
		t.Fatal(err)
	}
	if err := tk.n.Confirm(ctx, m.Root, 1); err != nil {
		t.Fatal(err)
	}
	ref0 := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 0}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := tk.c.GetPiece(ctx, tk.n.ID(), ref0, 0, -1)
		if errors.Is(err, wire.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("shard 0 still served 30 s after a grace period of 2 s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, ok := tk.n.Accepted(ctx, m.Root, 0); ok {
		t.Fatal("the dropped shard is still accepted")
	}
	n := nodetest.Restart(t, tk.n, nil)
	tk.h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	if info, ok := n.Accepted(ctx, m.Root, 1); !ok || !info.Confirmed {
		t.Fatalf("the confirmed shard after a restart: %+v, %v", info, ok)
	}
	for _, s := range segs {
		got, err := tk.c.GetPiece(ctx, n.ID(), wire.PieceRef{Root: m.Root, Shard: 1, Segment: s.Index}, 0, -1)
		if err != nil || !bytes.Equal(got, s.Pieces[1]) {
			t.Fatalf("confirmed piece 1/%d: %v", s.Index, err)
		}
	}
	if cids, err := tk.c.ListManifests(ctx, n.ID(), m.Root); err != nil || len(cids) != 1 {
		t.Fatalf("the manifest of the kept shard: %v, %v", cids, err)
	}
}

// The allow-list comes from the config and from REPO/allow; a client on it stores without a
// ticket, and the node reports the shard as accepted and confirmed.
func TestAllowList(t *testing.T) {
	h := p2ptest.NewHost(t)
	repo := t.TempDir()
	if err := writeFile(filepath.Join(repo, node.AllowFile), "# the devnet client\n"+h.ID().String()+"\n"); err != nil {
		t.Fatal(err)
	}
	n := nodetest.StartConfig(t, node.Config{Repo: repo})
	h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	if !n.Allowed(h.ID()) {
		t.Fatal("the peer in REPO/allow is not allowed")
	}
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	m, segs := importFile(t, []byte("allowed client"))
	if err := uploadShards(t, c, n, m, segs, 0, 2); err != nil {
		t.Fatal(err)
	}
	info, ok := n.Accepted(t.Context(), m.Root, 2)
	if !ok || info.Payer != ([20]byte{}) || !info.Confirmed || info.Bytes != m.ShardSize() {
		t.Fatalf("accepted: %+v, %v", info, ok)
	}
	bad := t.TempDir()
	if err := writeFile(filepath.Join(bad, node.AllowFile), "not-a-peer-id\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := node.New(node.Config{Repo: bad}); err == nil {
		t.Fatal("a malformed allow file was accepted")
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
