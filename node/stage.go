package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// Staged uploads. A client sends a shard's pieces while it imports the file, before the file's
// manifest exists, under an upload ID (wire.UploadID) that stands in for the root: a staging
// ticket names the upload ID as its root and manifest, and the node hashes each staged piece
// itself (sharding.PieceChunks at the upload ID's chunk size) before it keeps it under the upload
// ID. The commit (wire.ProtoCommit) brings the manifest: the node checks that the pieces staged
// for the shard are exactly the manifest's, one per segment with its size and hash, and moves
// them under the file's root without copying them (store.Badger.MoveShard). Staged pieces are
// never read out, count against the ticket's bytes, and go with their grant when the upload
// grace period ends without a commit.

// staging guards staged pieces against their commit and counts each staged shard's bytes.
type staging struct {
	commit sync.RWMutex // held for reading while a staged piece is stored, for writing by a commit

	mu    sync.Mutex
	bytes map[slotKey]int64 // bytes staged per upload ID and shard, counted since the node started
}

func newStaging() *staging { return &staging{bytes: make(map[slotKey]int64)} }

// staged returns the grant under which from may write the staged shard k now, or nil; the caller
// holds gs.mu.
func (gs *grants) staged(k slotKey, from peer.ID, now time.Time) *grant {
	for _, g := range gs.bySlot[k] {
		if g.writable(from, k.root, now) {
			return g
		}
	}
	return nil
}

// forget drops the count of a staged shard that went.
func (s *staging) forget(k slotKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.bytes, k)
}

// stagedBytes returns the bytes counted for k, from the store the first time it is asked (after
// a restart): each piece counts at least wire.StagedPieceMin. The caller holds n.staging.mu.
func (n *Node) stagedBytes(ctx context.Context, k slotKey) (int64, error) {
	if b, ok := n.staging.bytes[k]; ok {
		return b, nil
	}
	pieces, b, err := n.store.Shard(ctx, k.root, k.shard)
	if err != nil {
		return 0, err
	}
	b = max(b, int64(pieces)*wire.StagedPieceMin)
	n.staging.bytes[k] = b
	return b, nil
}

// reserveStaged counts size more bytes staged for k by from, within the bytes its grant allows;
// a client on the allow-list gets a grant of its own that goes when the grace period ends.
func (n *Node) reserveStaged(ctx context.Context, from peer.ID, k slotKey, size int64) error {
	n.staging.mu.Lock()
	defer n.staging.mu.Unlock()
	allowed := n.Allowed(from)
	now := time.Now()
	n.grants.mu.Lock()
	g := n.grants.staged(k, from, now)
	if g == nil && allowed {
		g = &grant{mcid: k.root, Uploader: from, Bytes: math.MaxInt64, Accepted: now, Allowed: true, Staged: true}
		if err := n.saveGrant(ctx, k, g); err != nil {
			n.grants.mu.Unlock()
			return err
		}
		n.grants.set(k, g)
	}
	n.grants.mu.Unlock()
	if g == nil {
		return fmt.Errorf("%w: peer %s may not stage shard %d of upload %s: it holds no upload ticket for it, or its ticket expired, and it is not on the node's allow-list",
			wire.ErrForbidden, from, k.shard, k.root)
	}
	used, err := n.stagedBytes(ctx, k)
	if err != nil {
		return err
	}
	if used+size > g.Bytes {
		return fmt.Errorf("%w: shard %d of upload %s: %d bytes staged, %d more would pass the %d its ticket allows",
			wire.ErrForbidden, k.shard, k.root, used, size, g.Bytes)
	}
	n.staging.bytes[k] = used + size
	return nil
}

// unreserveStaged gives back bytes reserveStaged counted for a piece that was not stored.
func (n *Node) unreserveStaged(k slotKey, size int64) {
	n.staging.mu.Lock()
	defer n.staging.mu.Unlock()
	if b, ok := n.staging.bytes[k]; ok {
		n.staging.bytes[k] = max(b-size, 0)
	}
}

// storeStaged stores one piece of a staged upload (see storePiece), once its bytes match the hash
// sent with them. Each piece counts at least wire.StagedPieceMin bytes against its grant, so a
// ticket's bytes bound the number of staged pieces too.
func (n *Node) storeStaged(ctx context.Context, u wire.UploadID, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	if q.Size < 1 {
		return wire.Response{}, nil, fmt.Errorf("%w: an empty piece", wire.ErrBadRequest)
	}
	from := peerOf(ctx)
	k := slotKey{q.Root, q.Shard}
	ref := store.Ref{Root: q.Root, Shard: q.Shard, Segment: q.Segment}
	if info, err := n.store.PieceInfo(ctx, ref); err == nil {
		if info.Sum != q.Sum || info.Size != q.Size {
			return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of upload %s is staged with another hash", wire.ErrExists, q.Shard, q.Segment, q.Root)
		}
		// Sent again (a replica moved to this node gets a segment from the backfill and from the
		// upload): kept already. The payload is read all the same: a stream closed with bytes
		// unread is reset over QUIC, and the client would not read the answer.
		if _, err := io.Copy(io.Discard, payload); err != nil {
			return wire.Response{}, nil, fmt.Errorf("%w: payload cut short after the header: %v", wire.ErrBadRequest, err)
		}
		return wire.Response{}, nil, n.mayStage(from, k)
	}
	charge := max(q.Size, wire.StagedPieceMin)
	if err := n.reserveStaged(ctx, from, k, charge); err != nil {
		return wire.Response{}, nil, err
	}
	stored := false
	defer func() {
		if !stored {
			n.unreserveStaged(k, charge)
		}
	}()
	pb := store.NewPieceBuffer(int(q.Size))
	if _, err := io.ReadFull(payload, pb.Data); err != nil {
		return wire.Response{}, nil, fmt.Errorf("%w: payload cut short after the header: %v", wire.ErrBadRequest, err)
	}
	hash := sharding.Manifest{PieceHash: sharding.PieceChunks, ChunkSize: u.ChunkSize}
	if sum := hash.PieceSum(pb.Data); sum != q.Sum {
		return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of upload %s", wire.ErrHashMismatch, q.Shard, q.Segment, q.Root)
	}
	// The upload may have been committed or dropped while the piece arrived.
	n.staging.commit.RLock()
	defer n.staging.commit.RUnlock()
	if err := n.mayStage(from, k); err != nil {
		return wire.Response{}, nil, err
	}
	if err := n.store.PutPieceBuffer(ctx, ref, q.Sum, pb); err != nil {
		return wire.Response{}, nil, storeErr(err)
	}
	stored = true
	return wire.Response{}, nil, nil
}

// mayStage says why from may not write to the staged shard k (its grant is gone: committed,
// dropped or never given); nil if it may.
func (n *Node) mayStage(from peer.ID, k slotKey) error {
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	if n.grants.staged(k, from, time.Now()) != nil {
		return nil
	}
	return fmt.Errorf("%w: peer %s holds no live upload of shard %d under %s", wire.ErrForbidden, from, k.shard, k.root)
}

// commit ends a staged upload of one shard (wire.ProtoCommit): the pieces staged under the upload
// ID must be, segment by segment, those the manifest names for the shard. Then the node keeps the
// manifest, holds the pieces under the file's root and the grant of the upload for the file, as
// if the pieces had been sent after the manifest. A commit sent again after it succeeded succeeds.
func (n *Node) commit(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	u, ok := wire.ParseUploadID(q.Root)
	if !ok {
		return wire.Response{}, nil, fmt.Errorf("%w: %s is not an upload ID", wire.ErrBadRequest, q.Root)
	}
	m, mcid, err := readManifest(payload, q.Size)
	if err != nil {
		return wire.Response{}, nil, err
	}
	switch {
	case q.Shard >= m.K+m.M:
		return wire.Response{}, nil, fmt.Errorf("%w: shard %d of a file of %d shards", wire.ErrBadRequest, q.Shard, m.K+m.M)
	case m.PieceHash != sharding.PieceChunks || m.ChunkSize != u.ChunkSize:
		return wire.Response{}, nil, fmt.Errorf("%w: the manifest hashes pieces in chunks of %d bytes (scheme %d), the upload's pieces were hashed in chunks of %d",
			wire.ErrBadRequest, m.ChunkSize, m.PieceHash, u.ChunkSize)
	}
	from := peerOf(ctx)
	if m.NumSegments() == 0 { // an empty file has no pieces to stage: its manifest is all there is
		return wire.Response{}, nil, n.writeManifest(ctx, from, m, mcid)
	}
	staged := slotKey{q.Root, q.Shard}
	file := slotKey{m.Root, q.Shard}

	n.staging.commit.Lock()
	defer n.staging.commit.Unlock()
	g, err := n.stagedGrant(from, staged, file, mcid, m.ShardSize())
	if err != nil {
		return wire.Response{}, nil, err
	}
	if held, err := n.store.ManifestCIDs(ctx, m.Root); err == nil && len(held) > 0 && !held[0].Equals(mcid) {
		return wire.Response{}, nil, fmt.Errorf("%w: this node holds manifest %s of %s, the commit brings %s", wire.ErrExists, held[0], m.Root, mcid)
	}
	if err := n.adoptStaged(ctx, m, staged, file); err != nil {
		return wire.Response{}, nil, err
	}
	if err := n.keepManifest(ctx, m, mcid); err != nil {
		return wire.Response{}, nil, err
	}
	// The grant moves from the upload ID to the file, with its terms and its quota.
	moved := *g
	moved.mcid, moved.Staged = mcid, false
	if moved.Allowed {
		moved.Bytes = m.ShardSize()
	}
	n.grants.mu.Lock()
	if old := n.grants.bySlot[file][g.Account]; old != nil && old != g { // the same file uploaded again
		moved.Accepted, moved.Confirmed = old.Accepted, old.Confirmed
	}
	err = n.saveGrant(ctx, file, &moved)
	if err == nil {
		n.grants.set(file, &moved)
		if err = n.store.DeleteGrant(ctx, staged.root, staged.shard, g.Account); err == nil {
			n.grants.remove(staged, g.Account)
		}
	}
	n.grants.mu.Unlock()
	if err != nil {
		return wire.Response{}, nil, err
	}
	n.staging.forget(staged)
	n.log.Info("committed a staged upload", "root", m.Root, "shard", q.Shard, "upload", q.Root, "manifest", mcid,
		"account", fmt.Sprintf("%x", g.Account))
	n.trees.forgetFailed(file)
	n.announceIfWhole(ctx, m, q.Shard, m.NumSegments()-1)
	return wire.Response{}, nil, nil
}

// stagedGrant returns the grant under which from staged the shard staged, checking that it covers
// the shard's size and that its account uploads the file's shard under no other manifest.
func (n *Node) stagedGrant(from peer.ID, staged, file slotKey, mcid cid.Cid, size int64) (*grant, error) {
	now := time.Now()
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	if g := n.grants.staged(staged, from, now); g != nil {
		if g.Bytes < size {
			return nil, fmt.Errorf("%w: the upload's ticket allows %d bytes, shard %d of %s has %d", wire.ErrForbidden, g.Bytes, file.shard, file.root, size)
		}
		if old := n.grants.bySlot[file][g.Account]; old != nil && !old.mcid.Equals(mcid) {
			return nil, fmt.Errorf("%w: account %x already uploads shard %d of %s under manifest %s", wire.ErrExists, g.Account, file.shard, file.root, old.mcid)
		}
		return g, nil
	}
	// A commit sent again: the grant has moved to the file already.
	for _, g := range n.grants.bySlot[file] {
		if g.Uploader == from && g.mcid.Equals(mcid) {
			return g, nil
		}
	}
	return nil, fmt.Errorf("%w: peer %s holds no live upload of shard %d under %s", wire.ErrForbidden, from, staged.shard, staged.root)
}

// adoptStaged puts the pieces staged for staged under the file's root, after checking that they
// are exactly the manifest's pieces of the shard, one per segment. It moves them when the node
// holds nothing of the shard yet, and otherwise copies those it lacks: pieces are write-once, so
// staged bytes never replace stored ones. With nothing staged (a commit sent again, or a file the
// node holds already), the node must hold the manifest's pieces of the shard.
func (n *Node) adoptStaged(ctx context.Context, m *sharding.Manifest, staged, file slotKey) error {
	segments := m.NumSegments()
	check := func(seg int, info store.PieceInfo) error {
		if seg >= segments {
			return fmt.Errorf("%w: piece %d of upload %s is past the manifest's %d segments", wire.ErrBadRequest, seg, staged.root, segments)
		}
		if info.Size != m.SegmentPieceSize(seg) || info.Sum != m.Segments[seg][file.shard] {
			return fmt.Errorf("%w: piece %d/%d of upload %s is not the manifest's piece", wire.ErrHashMismatch, file.shard, seg, staged.root)
		}
		return nil
	}
	count, _, err := n.store.Shard(ctx, staged.root, staged.shard)
	if err != nil {
		return storeErr(err)
	}
	if count == 0 {
		for seg := range segments {
			info, err := n.store.PieceInfo(ctx, store.Ref{Root: file.root, Shard: file.shard, Segment: seg})
			if err != nil || check(seg, info) != nil {
				return fmt.Errorf("%w: no piece of shard %d is staged under %s", wire.ErrBadRequest, file.shard, staged.root)
			}
		}
		return nil
	}
	if count > segments {
		return fmt.Errorf("%w: %d pieces of shard %d staged under %s, the manifest has %d segments", wire.ErrBadRequest, count, file.shard, staged.root, segments)
	}
	infos := make([]store.PieceInfo, segments)
	for seg := range segments {
		info, err := n.store.PieceInfo(ctx, store.Ref{Root: staged.root, Shard: staged.shard, Segment: seg})
		if err != nil { // moved already by a commit that stopped half-way, or never staged
			info, err = n.store.PieceInfo(ctx, store.Ref{Root: file.root, Shard: file.shard, Segment: seg})
		}
		if err != nil {
			return fmt.Errorf("%w: piece %d/%d is not staged under %s", wire.ErrBadRequest, file.shard, seg, staged.root)
		}
		if err := check(seg, info); err != nil {
			return err
		}
		infos[seg] = info
	}
	err = n.store.MoveShard(ctx, staged.root, file.root, file.shard, check)
	if !errors.Is(err, store.ErrExists) {
		return storeErr(err)
	}
	// The node holds pieces of the shard already, from another upload of the same file.
	for seg, info := range infos {
		ref := store.Ref{Root: file.root, Shard: file.shard, Segment: seg}
		if have, err := n.store.PieceInfo(ctx, ref); err == nil && check(seg, have) == nil {
			continue
		}
		data, err := n.store.GetPiece(ctx, store.Ref{Root: staged.root, Shard: staged.shard, Segment: seg})
		if err != nil {
			return storeErr(err)
		}
		if err := n.store.PutPiece(ctx, ref, info.Sum, data); err != nil {
			return storeErr(err)
		}
	}
	return storeErr(n.store.DeleteShard(ctx, staged.root, staged.shard))
}
