package node_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// stagedSharding cuts the staging tests' files into pieces large enough to live in their shard's
// file on the node, not in badger.
var stagedSharding = sharding.Params{K: 2, M: 1, ChunkSize: 64 << 10, PieceSize: 256 << 10}

// stagingTicket returns a ticket of tk's account for shard of the staged upload u of a file cut
// as m, valid for an hour.
func (tk *ticketing) stagingTicket(t *testing.T, u wire.UploadID, m *sharding.Manifest, shard int) wire.Ticket {
	t.Helper()
	id := u.CID()
	return sign(t, tk.signer, wire.Ticket{Account: tk.signer.Account(), Root: id, Manifest: id, Shard: shard, Node: tk.n.ID(),
		Uploader: tk.h.ID(), Size: wire.StagedShardBytes(m), Expiry: time.Now().Add(time.Hour).Unix()})
}

// stage sends the pieces of shards under the upload ID u, as a one-pass upload does.
func stage(t *testing.T, c *wire.Client, n *node.Node, u wire.UploadID, segs []sharding.Segment, shards ...int) error {
	t.Helper()
	for _, s := range segs {
		for _, i := range shards {
			if err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: u.CID(), Shard: i, Segment: s.Index}, s.Hashes[i], s.Pieces[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// placedOn returns m with every shard placed on n.
func placedOn(m *sharding.Manifest, n *node.Node) *sharding.Manifest {
	placed := *m
	placed.Placement = make([][]sharding.Location, m.K+m.M)
	for i := range placed.Placement {
		placed.Placement[i] = []sharding.Location{{Peer: n.ID().String()}}
	}
	return &placed
}

func newUploadID(t *testing.T, m *sharding.Manifest) wire.UploadID {
	t.Helper()
	u, err := wire.NewUploadID(m.ChunkSize)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A staged upload: the node takes a shard's pieces under an upload ID before the manifest exists,
// serves none of them, and after the commit holds them under the file's root with the manifest and
// the ticket's terms, as if they had been sent after the manifest; the commit sent again succeeds.
func TestStagedUploadCommits(t *testing.T) {
	data := randomBytes(t, 1300<<10) // 3 segments, the last one short
	m, segs := importFileWith(t, data, stagedSharding)
	tk := newTicketing(t, node.Config{})
	tk.c = wire.NewClient(tk.h, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	u := newUploadID(t, m)
	for shard := range m.K + m.M {
		if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, u, m, shard)); err != nil {
			t.Fatal(err)
		}
	}
	if err := stage(t, tk.c, tk.n, u, segs, 0, 1, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.c.GetPiece(ctx, tk.n.ID(), wire.PieceRef{Root: u.CID(), Shard: 0, Segment: 0}, 0, -1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("reading a staged piece: %v, want ErrNotFound", err)
	}
	if _, err := tk.c.GetPiece(ctx, tk.n.ID(), wire.PieceRef{Root: m.Root, Shard: 0, Segment: 0}, 0, -1); err == nil {
		t.Fatal("a piece is served under the file's root before the commit")
	}
	placed := placedOn(m, tk.n)
	for shard := range m.K + m.M {
		if err := tk.c.Commit(ctx, tk.n.ID(), u, shard, marshal(t, placed)); err != nil {
			t.Fatalf("commit of shard %d: %v", shard, err)
		}
		info, ok := tk.n.Accepted(ctx, m.Root, shard)
		if mcid, _ := m.CID(); !ok || info.Payer != tk.signer.Account() || !info.Manifest.Equals(mcid) || info.Bytes != m.ShardSize() {
			t.Fatalf("shard %d after its commit: accepted %v, %+v", shard, ok, info)
		}
	}
	checkHolds(t, tk.c, tk.n, m, segs)
	if err := tk.c.Commit(ctx, tk.n.ID(), u, 1, marshal(t, placed)); err != nil {
		t.Fatalf("the commit sent again: %v", err)
	}
	// The same file put again by the same account, after a storage request confirmed shard 0: the
	// node keeps its pieces, and the shard stays confirmed.
	if err := tk.n.Confirm(ctx, m.Root, 0); err != nil {
		t.Fatal(err)
	}
	again := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, again, m, 0)); err != nil {
		t.Fatal(err)
	}
	if err := stage(t, tk.c, tk.n, again, segs, 0); err != nil {
		t.Fatal(err)
	}
	if err := tk.c.Commit(ctx, tk.n.ID(), again, 0, marshal(t, placed)); err != nil {
		t.Fatalf("committing the same file again: %v", err)
	}
	if info, ok := tk.n.Accepted(ctx, m.Root, 0); !ok || !info.Confirmed {
		t.Fatalf("shard 0 after the same file's second upload: accepted %v, %+v", ok, info)
	}
	if segments, _, err := tk.n.Store().Shard(ctx, again.CID(), 0); err != nil || segments != 0 {
		t.Fatalf("%d staged pieces left after the second commit: %v", segments, err)
	}
	n := nodetest.Restart(t, tk.n, nil)
	tk.h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Hour)
	tk.n = n
	checkHolds(t, tk.c, n, m, segs)
	if _, ok := n.Accepted(ctx, m.Root, 2); !ok {
		t.Fatal("the committed grant is gone after a restart")
	}
}

// A client on the allow-list stages and commits without a ticket; its shard is kept as the
// allow-list's.
func TestStagedUploadFromTheAllowList(t *testing.T) {
	n := nodetest.StartNodes(t, 1)[0]
	c, _ := client(t, n)
	m, segs := importFileWith(t, randomBytes(t, 700<<10), stagedSharding)
	u := newUploadID(t, m)
	if err := stage(t, c, n, u, segs, 0, 1, 2); err != nil {
		t.Fatal(err)
	}
	for shard := range m.K + m.M {
		if err := c.Commit(t.Context(), n.ID(), u, shard, marshal(t, m)); err != nil {
			t.Fatal(err)
		}
		if info, ok := n.Accepted(t.Context(), m.Root, shard); !ok || !info.Confirmed || info.Bytes != m.ShardSize() {
			t.Fatalf("shard %d: accepted %v, %+v", shard, ok, info)
		}
	}
	for _, s := range segs {
		for i, want := range s.Pieces {
			got, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: i, Segment: s.Index}, 0, -1)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("piece %d/%d: %v", i, s.Index, err)
			}
		}
	}
}

// Attacks on staging. A node holds a file; strangers and a paying account with a ticket of its own
// try to write through staged uploads: without a ticket, under another uploader's upload ID, with
// bytes that fail their hash, past their ticket's bytes, and by committing the stored file's
// manifest (or another cut of its root) over staged junk. Every attempt is refused and the stored
// file stays whole; the honest staged upload, attacked in between, still commits.
func TestStagingAttacksAreRefused(t *testing.T) {
	ctx := t.Context()
	tk := newTicketing(t, node.Config{})
	tk.c = wire.NewClient(tk.h, wire.WithTimeout(10*time.Second))
	// The stored file, uploaded through a staged upload of the owner.
	storedData := randomBytes(t, 900<<10)
	stored, storedSegs := importFileWith(t, storedData, stagedSharding)
	su := newUploadID(t, stored)
	for shard := range 3 {
		if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, su, stored, shard)); err != nil {
			t.Fatal(err)
		}
	}
	if err := stage(t, tk.c, tk.n, su, storedSegs, 0, 1, 2); err != nil {
		t.Fatal(err)
	}
	for shard := range 3 {
		if err := tk.c.Commit(ctx, tk.n.ID(), su, shard, marshal(t, placedOn(stored, tk.n))); err != nil {
			t.Fatal(err)
		}
	}

	// The owner's next upload, staged on shard 0 only so far.
	m, segs := importFileWith(t, randomBytes(t, 900<<10), stagedSharding)
	u := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, u, m, 0)); err != nil {
		t.Fatal(err)
	}

	// A stranger with no ticket, and one that uses the owner's upload ID.
	sh := p2ptest.NewHost(t, p2ptest.Knowing(tk.n))
	stranger := wire.NewClient(sh, wire.WithTimeout(10*time.Second))
	if err := stage(t, stranger, tk.n, newUploadID(t, m), segs, 0); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("staging without a ticket: %v, want ErrForbidden", err)
	}
	junk := randomBytes(t, len(segs[0].Pieces[0]))
	junkSeg := sharding.Segment{Index: 0, Pieces: [][]byte{junk}, Hashes: [][32]byte{m.PieceSum(junk)}}
	if err := stage(t, stranger, tk.n, u, []sharding.Segment{junkSeg}, 0); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("staging under the owner's upload ID: %v, want ErrForbidden", err)
	}
	if err := stranger.Commit(ctx, tk.n.ID(), u, 0, marshal(t, m)); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("committing the owner's upload: %v, want ErrForbidden", err)
	}

	// The owner's own mistakes: bytes that fail their hash, and more bytes than the ticket allows
	// (under an upload of its own).
	bad := sharding.Segment{Index: 0, Pieces: [][]byte{junk}, Hashes: [][32]byte{segs[0].Hashes[0]}}
	if err := stage(t, tk.c, tk.n, u, []sharding.Segment{bad}, 0); !errors.Is(err, wire.ErrHashMismatch) {
		t.Fatalf("a staged piece that fails its hash: %v, want ErrHashMismatch", err)
	}
	greedy := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, greedy, m, 0)); err != nil {
		t.Fatal(err)
	}
	extra := sharding.Segment{Pieces: [][]byte{junk}, Hashes: [][32]byte{m.PieceSum(junk)}}
	for i := range 3 {
		extra.Index = 40 + i
		if err := stage(t, tk.c, tk.n, greedy, []sharding.Segment{extra}, 0); err != nil {
			if !errors.Is(err, wire.ErrForbidden) {
				t.Fatalf("staging past the ticket's bytes: %v, want ErrForbidden", err)
			}
			break
		}
		if i == 2 {
			t.Fatal("the node staged more than its ticket's bytes")
		}
	}
	// Tiny pieces count StagedPieceMin bytes each: the ticket bounds how many the node keeps.
	tiny := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, tiny, m, 0)); err != nil {
		t.Fatal(err)
	}
	kept := 0
	for i := range 1000 {
		b := randomBytes(t, 64)
		err := stage(t, tk.c, tk.n, tiny, []sharding.Segment{{Index: i, Pieces: [][]byte{b}, Hashes: [][32]byte{m.PieceSum(b)}}}, 0)
		if errors.Is(err, wire.ErrForbidden) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kept++
	}
	if most := int(wire.StagedShardBytes(m) / wire.StagedPieceMin); kept > most {
		t.Fatalf("the node kept %d pieces of 64 bytes under a ticket that allows %d", kept, most)
	}

	// A paying attacker with a ticket of its own stages junk and commits the stored file's
	// manifest, then another cut of its root: refused, the stored file is intact.
	attacker := &ticketing{n: tk.n, signer: newSigner(t), h: sh}
	attacker.c = stranger
	au := newUploadID(t, stored)
	if err := stranger.SendTicket(ctx, tk.n.ID(), attacker.stagingTicket(t, au, stored, 1)); err != nil {
		t.Fatal(err)
	}
	var junkSegs []sharding.Segment
	for _, s := range storedSegs {
		j := randomBytes(t, len(s.Pieces[1]))
		junkSegs = append(junkSegs, sharding.Segment{Index: s.Index, Pieces: [][]byte{nil, j}, Hashes: [][32]byte{{}, stored.PieceSum(j)}})
	}
	if err := stage(t, stranger, tk.n, au, junkSegs, 1); err != nil {
		t.Fatal(err)
	}
	if err := stranger.Commit(ctx, tk.n.ID(), au, 1, marshal(t, stored)); !errors.Is(err, wire.ErrHashMismatch) {
		t.Fatalf("committing junk as the stored file: %v, want ErrHashMismatch", err)
	}
	other, _ := importFileWith(t, storedData, sharding.Params{K: 2, M: 2, ChunkSize: stagedSharding.ChunkSize, PieceSize: stagedSharding.PieceSize})
	if err := stranger.Commit(ctx, tk.n.ID(), au, 1, marshal(t, other)); !errors.Is(err, wire.ErrExists) {
		t.Fatalf("committing another manifest of the stored root: %v, want ErrExists", err)
	}
	if info, _ := tk.n.Accepted(ctx, stored.Root, 1); info.Payer != tk.signer.Account() {
		t.Fatalf("the stored shard's grant is %x's after the attack", info.Payer)
	}
	checkHolds(t, tk.c, tk.n, stored, storedSegs)

	// Through all of it the owner's upload stays whole: a commit with the wrong manifest is refused,
	// the right one succeeds once every piece is staged.
	if err := stage(t, tk.c, tk.n, u, segs, 0); err != nil {
		t.Fatal(err)
	}
	if err := tk.c.Commit(ctx, tk.n.ID(), u, 0, marshal(t, stored)); !errors.Is(err, wire.ErrHashMismatch) {
		t.Fatalf("the owner's staged pieces committed as another file: %v, want ErrHashMismatch", err)
	}
	if err := tk.c.Commit(ctx, tk.n.ID(), u, 0, marshal(t, m)); err != nil {
		t.Fatalf("the owner's commit after the attacks: %v", err)
	}
	for _, s := range segs {
		got, err := tk.c.GetPiece(ctx, tk.n.ID(), wire.PieceRef{Root: m.Root, Shard: 0, Segment: s.Index}, 0, -1)
		if err != nil || !bytes.Equal(got, s.Pieces[0]) {
			t.Fatalf("the owner's piece 0/%d after the commit: %v", s.Index, err)
		}
	}
	checkHolds(t, tk.c, tk.n, stored, storedSegs)
}

// A staged upload never committed goes when the upload grace period ends, with its bytes'
// claim on the account's quota.
func TestUncommittedStagingIsDropped(t *testing.T) {
	m, segs := importFileWith(t, randomBytes(t, 700<<10), stagedSharding)
	tk := newTicketing(t, node.Config{UploadGrace: 2 * time.Second, UploadQuota: m.ShardSize()})
	tk.c = wire.NewClient(tk.h, wire.WithTimeout(10*time.Second))
	ctx := t.Context()
	u := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, u, m, 0)); err != nil {
		t.Fatal(err)
	}
	if err := stage(t, tk.c, tk.n, u, segs, 0); err != nil {
		t.Fatal(err)
	}
	next := newUploadID(t, m)
	if err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, next, m, 0)); !errors.Is(err, wire.ErrQuota) {
		t.Fatalf("a second ticket while the first one's bytes are staged: %v, want ErrQuota", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := tk.c.SendTicket(ctx, tk.n.ID(), tk.stagingTicket(t, next, m, 0))
		if err == nil {
			break
		}
		if !errors.Is(err, wire.ErrQuota) || time.Now().After(deadline) {
			t.Fatalf("a ticket 30 s after a grace period of 2 s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := tk.c.Commit(ctx, tk.n.ID(), u, 0, marshal(t, m)); !errors.Is(err, wire.ErrForbidden) {
		t.Fatalf("committing a dropped upload: %v, want ErrForbidden", err)
	}
	if segments, _, err := tk.n.Store().Shard(ctx, u.CID(), 0); err != nil || segments != 0 {
		t.Fatalf("%d staged pieces left after the drop: %v", segments, err)
	}
}
