package node

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/prover/field"
	"github.com/dstore-net/dstore/sharding"
)

// handler serves one request whose header is q; payload holds exactly q.Size bytes. It returns the
// response header and payload.
type handler func(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error)

// protocols are the node's protocols, as its metrics name them.
var protocols = []string{wire.ProtoStorePiece, wire.ProtoGetPiece, wire.ProtoStoreManifest, wire.ProtoGetManifest,
	wire.ProtoListManifests, wire.ProtoManifestOf, wire.ProtoTicket, wire.ProtoCommit, wire.ProtoStat, wire.ProtoSlotRoot, wire.ProtoSlotOpen, wire.ProtoScrub}

func (n *Node) registerHandlers() {
	n.handle(wire.ProtoStorePiece, wire.MaxPieceSize, n.storePiece)
	n.handle(wire.ProtoGetPiece, wire.MaxReceiptSize, n.getPiece)
	n.handle(wire.ProtoStoreManifest, wire.MaxManifestSize, n.storeManifest)
	n.handle(wire.ProtoGetManifest, 0, n.getManifest)
	n.handle(wire.ProtoListManifests, 0, n.listManifests)
	n.handle(wire.ProtoManifestOf, 0, n.manifestOf)
	n.handle(wire.ProtoTicket, wire.MaxTicketSize, n.ticket)
	n.handle(wire.ProtoCommit, wire.MaxManifestSize, n.commit)
	n.handle(wire.ProtoStat, 0, n.stat)
	n.handle(wire.ProtoSlotRoot, 0, n.slotRoot)
	n.handle(wire.ProtoSlotOpen, wire.MaxCellsSize, n.slotOpen)
	n.handle(wire.ProtoScrub, 0, n.scrubStatus)
	if n.pay != nil {
		n.handle(wire.ProtoOffer, 0, n.offerHandler)
		n.handle(wire.ProtoReceipt, wire.MaxReceiptSize, n.receiptHandler)
	}
}

// handle registers h for proto. A stream first has HeaderTimeout to send its header (at most
// wire.MaxHeaderSize bytes); only then does it take one of the request slots (MaxStreams in
// total, MaxStreamsPerPeer per peer; more are answered with wire.ErrBusy), so peers that open
// streams and send nothing hold no slot. The payload must follow at MinPayloadRate, the whole
// request ends within StreamTimeout, and it aborts when the node stops. The payload and the answer
// are reserved through the stream's scope in libp2p's resource manager (Limits) before they are
// held in memory. Errors are answered with a status code followed by a graceful close so that the
// client reads it; a stream that fails underneath (timeout, reset, write error) is reset.
func (n *Node) handle(proto string, maxPayload int64, h handler) {
	n.host.SetStreamHandler(protocolID(proto), func(s network.Stream) {
		if !n.track() {
			s.Reset()
			return
		}
		defer n.wg.Done()
		remote := s.Conn().RemotePeer()
		// Only failures are logged, at debug level: the stream's attributes are added when one is,
		// not formatted into a new logger for every stream (slog.With did, for every piece).
		debug := func(msg string, err error) {
			n.log.Debug(msg, "proto", proto, "peer", remote, "err", err)
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(withPeer(n.ctx, remote), n.cfg.StreamTimeout)
		defer cancel()
		stop := context.AfterFunc(ctx, func() { s.Reset() })
		defer stop()
		_ = s.SetWriteDeadline(start.Add(n.cfg.StreamTimeout))
		_ = s.SetReadDeadline(start.Add(min(n.cfg.HeaderTimeout, n.cfg.StreamTimeout)))

		br := bufio.NewReaderSize(s, wire.MaxHeaderSize)
		q, err := wire.ReadRequest(br)
		if err == nil && q.Size > maxPayload {
			err = fmt.Errorf("%w: payload of %d bytes, at most %d", wire.ErrTooLarge, q.Size, maxPayload)
		}
		if err != nil {
			if ctx.Err() != nil {
				s.Reset()
				return
			}
			debug("bad request", err)
			reason := "bad_request"
			if errors.Is(err, wire.ErrTooLarge) {
				reason = "too_large"
			}
			n.met.refusal(proto, reason, badRequest(err), start)
			n.fail(s, badRequest(err))
			return
		}
		release, err := n.slots.take(remote)
		if err != nil {
			debug("refusing a request", err)
			n.met.refusal(proto, "busy", err, start)
			n.fail(s, err)
			return
		}
		defer release()

		span, err := s.Scope().BeginSpan()
		if err != nil {
			err = fmt.Errorf("%w: %v", wire.ErrBusy, err)
			n.met.refusal(proto, "memory", err, start)
			n.fail(s, err)
			return
		}
		defer span.Done()
		mem := &memory{span: span}
		defer mem.done()
		ctx = context.WithValue(ctx, memoryKey{}, mem)
		if q.Size > 0 {
			if err := mem.reserve(int(q.Size)); err != nil {
				debug("refusing a payload", err)
				n.met.refusal(proto, "memory", err, start)
				n.fail(s, err)
				return
			}
			if err := n.payload.Acquire(ctx, q.Size); err != nil {
				s.Reset()
				return
			}
			defer n.payload.Release(q.Size)
			// A slow writer is cut off once its payload is late.
			late := time.Now().Add(n.cfg.HeaderTimeout + time.Duration(float64(q.Size)/float64(n.cfg.MinPayloadRate)*float64(time.Second)))
			if end := start.Add(n.cfg.StreamTimeout); late.After(end) {
				late = end
			}
			_ = s.SetReadDeadline(late)
		}
		resp, body, err := h(ctx, q, io.LimitReader(br, q.Size))
		if err == nil && len(body) > mem.answered {
			err = mem.reserve(len(body) - mem.answered) // counted late: the handler did not reserve it
		}
		if err != nil {
			if ctx.Err() != nil {
				s.Reset()
				return
			}
			debug("request failed", err)
			n.met.served(proto, storeErr(err), start, q.Size, 0)
			n.fail(s, storeErr(err))
			return
		}
		resp.Size = int64(len(body))
		if err := n.answer(s, resp, body); err != nil {
			debug("answering", err)
			s.Reset()
			return
		}
		n.met.served(proto, nil, start, q.Size, resp.Size)
		_ = s.Close()
	})
}

// fail answers err with its status code and closes the stream; it resets the stream if even the
// answer cannot be written.
func (n *Node) fail(s network.Stream, err error) {
	if werr := n.answer(s, wire.Response{Code: wire.StatusOf(err), Msg: err.Error()}, nil); werr != nil {
		s.Reset()
		return
	}
	_ = s.Close()
}

func badRequest(err error) error {
	if errors.Is(err, wire.ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: %v", wire.ErrBadRequest, err)
}

// answer writes the response header, then the body as it is (no copy into a buffer).
func (n *Node) answer(s network.Stream, resp wire.Response, body []byte) error {
	if _, err := s.Write(wire.EncodeResponse(resp)); err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	_, err := s.Write(body)
	return err
}

// storeErr maps store errors to wire errors.
func storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %v", wire.ErrNotFound, err)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("%w: %v", wire.ErrCorrupt, err)
	case errors.Is(err, store.ErrRange):
		return fmt.Errorf("%w: %v", wire.ErrBadRequest, err)
	case errors.Is(err, store.ErrFull):
		return fmt.Errorf("%w: %v", wire.ErrFull, err)
	case errors.Is(err, store.ErrExists):
		return fmt.Errorf("%w: %v", wire.ErrExists, err)
	}
	return err
}

func readAll(r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%w: payload cut short after the header: %v", wire.ErrBadRequest, err)
	}
	return buf, nil
}

// storePiece stores one piece of a shard whose manifest the node holds, for a client allowed to
// store it, once the piece matches its hash in that manifest; it answers once the piece is on disk.
func (n *Node) storePiece(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	if !q.Root.Defined() {
		return wire.Response{}, nil, fmt.Errorf("%w: no root", wire.ErrBadRequest)
	}
	if u, ok := wire.ParseUploadID(q.Root); ok {
		return n.storeStaged(ctx, u, q, payload)
	}
	m, mcid, err := n.pieceManifest(ctx, q.Root)
	if err != nil {
		return wire.Response{}, nil, err
	}
	from := peerOf(ctx)
	if err := n.mayWrite(from, q.Root, mcid, q.Shard, m.ShardSize()); err != nil {
		return wire.Response{}, nil, err
	}
	if q.Shard >= m.K+m.M || q.Segment >= m.NumSegments() {
		return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of %s: the manifest has %d shards of %d segments",
			wire.ErrBadRequest, q.Shard, q.Segment, q.Root, m.K+m.M, m.NumSegments())
	}
	if want := m.SegmentPieceSize(q.Segment); q.Size != want {
		return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of %s has %d bytes, its manifest says %d",
			wire.ErrBadRequest, q.Shard, q.Segment, q.Root, q.Size, want)
	}
	// Read where the stored value is laid out: storing copies nothing.
	pb := store.NewPieceBuffer(int(q.Size))
	if _, err := io.ReadFull(payload, pb.Data); err != nil {
		return wire.Response{}, nil, fmt.Errorf("%w: payload cut short after the header: %v", wire.ErrBadRequest, err)
	}
	// Check before acknowledging: a piece that fails the hash its manifest gives is never stored.
	sum := m.PieceSum(pb.Data)
	if want := m.Segments[q.Segment][q.Shard]; sum != want || sum != q.Sum {
		return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of %s does not match manifest %s", wire.ErrHashMismatch, q.Shard, q.Segment, q.Root, mcid)
	}
	ref := store.Ref{Root: q.Root, Shard: q.Shard, Segment: q.Segment}
	if err := n.store.PutPieceBuffer(ctx, ref, sum, pb); err != nil {
		return wire.Response{}, nil, storeErr(err)
	}
	if err := n.noteAllowed(ctx, from, m, mcid, q.Shard); err != nil {
		return wire.Response{}, nil, err
	}
	n.trees.forgetFailed(slotKey{q.Root, q.Shard}) // a repaired shard gets its tree built again
	n.announceIfWhole(ctx, m, q.Shard, q.Segment)
	return wire.Response{}, nil, nil
}

// announceSlack is how many of a shard's last segments make storing one of their pieces check
// whether the node now holds the whole shard: uploads send a shard's pieces in order, a few at once.
const announceSlack = 8

// announceIfWhole announces the shard's record on the DHT (sharding.ShardKey) once the node holds
// every piece of it, without waiting for its tree (which a node outside the market may never
// build) or the next reprovide: readers without a deal find a shard's holders there.
func (n *Node) announceIfWhole(ctx context.Context, m *sharding.Manifest, shard, segment int) {
	if segment < m.NumSegments()-announceSlack {
		return
	}
	if whole, err := n.holds(ctx, m, shard); err == nil && whole {
		n.provide(sharding.ShardKey(m.Root, shard))
	}
}

// pieceManifest returns the manifest the pieces of root are checked against, and its CID.
func (n *Node) pieceManifest(ctx context.Context, root cid.Cid) (*sharding.Manifest, cid.Cid, error) {
	if m, mcid, ok := n.manifests.get(root); ok {
		return m, mcid, nil
	}
	cids, err := n.store.ManifestCIDs(ctx, root)
	if err != nil {
		return nil, cid.Undef, err
	}
	if len(cids) == 0 {
		return nil, cid.Undef, fmt.Errorf("%w: the node holds no manifest of %s: send it before its pieces", wire.ErrBadRequest, root)
	}
	b, err := n.store.ManifestByCID(ctx, cids[0])
	if err != nil {
		return nil, cid.Undef, storeErr(err)
	}
	m, err := sharding.UnmarshalManifest(b)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("stored manifest %s: %w", cids[0], err)
	}
	n.manifests.put(root, m, cids[0])
	return m, cids[0], nil
}

// getPiece answers the bytes [Off, Off+N) of a piece (N < 0: to its end), reading and checking
// only the chunks of store.ChunkSize bytes that hold them.
func (n *Node) getPiece(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	if wire.IsUploadID(q.Root) {
		return wire.Response{}, nil, fmt.Errorf("%w: staged pieces are not served", wire.ErrNotFound)
	}
	ref := store.Ref{Root: q.Root, Shard: q.Shard, Segment: q.Segment}
	if n.scrub.isDamaged(ref) {
		return wire.Response{}, nil, fmt.Errorf("%w: piece %d/%d of %s is damaged on this node and waits for its repair", wire.ErrCorrupt, q.Shard, q.Segment, q.Root)
	}
	// Reserve the answer before reading it: the piece's header says how much the range holds.
	info, err := n.store.PieceInfo(ctx, ref)
	if err == nil && q.Off <= info.Size {
		most := info.Size - q.Off
		if q.N >= 0 {
			most = min(most, q.N)
		}
		if err = n.admitRead(ctx, q, payload, most); err == nil {
			err = reserveAnswer(ctx, int(most))
		}
	}
	if err != nil && !errors.Is(err, store.ErrCorrupt) {
		return wire.Response{}, nil, storeErr(err)
	}
	data, err := n.readPiece(ctx, ref, q.Off, q.N)
	if err != nil {
		if errors.Is(err, store.ErrCorrupt) {
			n.log.Warn("refusing to serve a corrupt piece", "root", q.Root, "shard", q.Shard, "segment", q.Segment, "err", err)
			n.reportDamaged(ref)
		}
		return wire.Response{}, nil, storeErr(err)
	}
	return wire.Response{}, data, nil
}

// readPiece reads a range of a piece for the answer of the request of ctx; within a stream its
// buffer goes back to the store's pool once the answer is written.
func (n *Node) readPiece(ctx context.Context, ref store.Ref, off, size int64) ([]byte, error) {
	m, inStream := ctx.Value(memoryKey{}).(*memory)
	if !inStream {
		data, _, err := n.store.ReadPiece(ctx, ref, off, size)
		return data, err
	}
	data, _, release, err := n.store.ReadPieceRecycled(ctx, ref, off, size)
	m.after = append(m.after, release)
	return data, err
}

// storeManifest keeps a manifest's content under its CID, write-once, and its placement beside it,
// for a client allowed to store the file's shards here.
func (n *Node) storeManifest(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	m, mcid, err := readManifest(payload, q.Size)
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, nil, n.writeManifest(ctx, peerOf(ctx), m, mcid)
}

// writeManifest keeps m (keepManifest) if from may store the file's shards here.
func (n *Node) writeManifest(ctx context.Context, from peer.ID, m *sharding.Manifest, mcid cid.Cid) error {
	if err := n.mayWrite(from, m.Root, mcid, -1, m.ShardSize()); err != nil {
		return err
	}
	return n.keepManifest(ctx, m, mcid)
}

// readManifest reads a manifest of size bytes sent by a client and computes its CID.
func readManifest(payload io.Reader, size int64) (*sharding.Manifest, cid.Cid, error) {
	b, err := readAll(payload, size)
	if err != nil {
		return nil, cid.Undef, err
	}
	m, err := sharding.UnmarshalManifest(b)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("%w: invalid manifest: %v", wire.ErrBadRequest, err)
	}
	mcid, err := m.CID()
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("%w: invalid manifest: %v", wire.ErrBadRequest, err)
	}
	return m, mcid, nil
}

// keepManifest stores m's content under mcid and its placement beside it, announces the file and
// queues the trees of the shards the node holds.
func (n *Node) keepManifest(ctx context.Context, m *sharding.Manifest, mcid cid.Cid) error {
	content, err := m.Content().Marshal()
	if err != nil {
		return err
	}
	if err := n.store.PutManifest(ctx, m.Root, mcid, content); err != nil {
		return storeErr(err)
	}
	if len(m.Placement) > 0 {
		hints, err := json.Marshal(m.Placement)
		if err != nil {
			return err
		}
		if err := n.store.PutPlacement(ctx, mcid, hints); err != nil {
			return err
		}
	}
	n.log.Info("stored a manifest", "root", m.Root, "manifest", mcid, "size", m.Size, "placement", len(m.Placement) > 0)
	n.provide(m.Root)
	if n.cfg.LazyTrees {
		for shard := range m.K + m.M {
			n.trees.forgetFailed(slotKey{m.Root, shard})
		}
	} else {
		n.queueTrees(ctx, m, true)
	}
	return nil
}

// getManifest answers the manifest whose CID is q.Root, with the placement held for it.
func (n *Node) getManifest(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	if !q.Root.Defined() {
		return wire.Response{}, nil, fmt.Errorf("%w: no manifest CID", wire.ErrBadRequest)
	}
	b, err := n.store.ManifestByCID(ctx, q.Root)
	if err != nil {
		return wire.Response{}, nil, storeErr(err)
	}
	hints, err := n.store.GetPlacement(ctx, q.Root)
	if errors.Is(err, store.ErrNotFound) {
		return wire.Response{}, b, nil
	}
	if err != nil {
		return wire.Response{}, nil, err
	}
	m, err := sharding.UnmarshalManifest(b)
	if err != nil {
		return wire.Response{}, nil, fmt.Errorf("stored manifest %s: %w", q.Root, err)
	}
	if err := json.Unmarshal(hints, &m.Placement); err != nil {
		n.log.Warn("unreadable placement hints", "manifest", q.Root, "err", err)
		return wire.Response{}, b, nil
	}
	full, err := m.Marshal()
	if err != nil {
		n.log.Warn("placement hints that do not fit their manifest", "manifest", q.Root, "err", err)
		return wire.Response{}, b, nil
	}
	return wire.Response{}, full, nil
}

// manifestOf answers the manifest held for the file root q.Root, with the placement held for it:
// a new reader's list and fetch in one round trip.
func (n *Node) manifestOf(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	cids, err := n.manifestCIDs(ctx, q.Root)
	if err != nil {
		return wire.Response{}, nil, err
	}
	q.Root = cids[0]
	return n.getManifest(ctx, q, payload)
}

// listManifests answers the CIDs of the manifests held for the file root q.Root.
func (n *Node) listManifests(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	cids, err := n.manifestCIDs(ctx, q.Root)
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, wire.EncodeManifestList(cids), nil
}

// manifestCIDs returns the CIDs of the manifests held for root, at least one, or why not.
func (n *Node) manifestCIDs(ctx context.Context, root cid.Cid) ([]cid.Cid, error) {
	if !root.Defined() {
		return nil, fmt.Errorf("%w: no root", wire.ErrBadRequest)
	}
	cids, err := n.store.ManifestCIDs(ctx, root)
	if err != nil {
		return nil, err
	}
	if len(cids) == 0 {
		return nil, fmt.Errorf("%w: no manifest of %s", wire.ErrNotFound, root)
	}
	return cids, nil
}

// ticket accepts an upload ticket for the writes its sender makes next.
func (n *Node) ticket(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	b, err := readAll(payload, q.Size)
	if err != nil {
		return wire.Response{}, nil, err
	}
	t, err := wire.DecodeTicket(b)
	if err != nil {
		return wire.Response{}, nil, badRequest(err)
	}
	if err := n.acceptTicket(ctx, peerOf(ctx), t); err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, nil, nil
}

// scrubStatus answers when the node last scrubbed shard q.Shard of q.Root and what it found.
func (n *Node) scrubStatus(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	if !q.Root.Defined() {
		return wire.Response{}, nil, fmt.Errorf("%w: no root", wire.ErrBadRequest)
	}
	info, err := n.ScrubInfo(ctx, q.Root, q.Shard)
	if err != nil {
		return wire.Response{}, nil, storeErr(err)
	}
	return wire.Response{}, wire.EncodeScrubInfo(info), nil
}

func (n *Node) stat(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	segs, size, err := n.store.Shard(ctx, q.Root, q.Shard)
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{Segments: int64(segs), Bytes: size}, nil, nil
}

// slotErr maps the errors of tree building and opening to wire errors.
func slotErr(err error) error {
	switch {
	case errors.Is(err, prover.ErrSlotTooLarge):
		return fmt.Errorf("%w: %v", wire.ErrTooLarge, err)
	case errors.Is(err, ErrPieceMismatch), errors.Is(err, prover.ErrTreeMismatch):
		return fmt.Errorf("%w: %v", wire.ErrCorrupt, err)
	}
	return storeErr(err)
}

func (n *Node) slotRoot(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	if !q.Root.Defined() {
		return wire.Response{}, nil, fmt.Errorf("%w: no root", wire.ErrBadRequest)
	}
	t, _, err := n.lookup(ctx, slotKey{q.Root, q.Shard})
	if err != nil {
		return wire.Response{}, nil, slotErr(err)
	}
	info := wire.SlotInfo{Account: n.cfg.Account}
	if t != nil {
		info.Ready, info.Root, info.Cells, info.Size = true, t.RootBytes(), t.Cells(), t.Size()
	} else {
		m, err := n.Manifest(ctx, q.Root)
		if err != nil {
			return wire.Response{}, nil, slotErr(err)
		}
		info.Size = m.ShardSize()
		info.Cells = prover.NumCells(n.cfg.Proofs, info.Size)
	}
	return wire.Response{}, wire.EncodeSlotInfo(info), nil
}

// slotOpen answers the Merkle paths of the cells asked, opening them in cell order so that each
// piece is read once.
func (n *Node) slotOpen(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	if !q.Root.Defined() {
		return wire.Response{}, nil, fmt.Errorf("%w: no root", wire.ErrBadRequest)
	}
	b, err := readAll(payload, q.Size)
	if err != nil {
		return wire.Response{}, nil, err
	}
	cells, err := wire.DecodeCells(b)
	if err != nil {
		return wire.Response{}, nil, err
	}
	t, job, err := n.lookup(ctx, slotKey{q.Root, q.Shard})
	if err != nil {
		return wire.Response{}, nil, slotErr(err)
	}
	if job != nil {
		return wire.Response{}, nil, fmt.Errorf("%w: building the tree of shard %d of %s", wire.ErrBusy, q.Shard, q.Root)
	}
	for _, c := range cells {
		if c >= t.Cells() {
			return wire.Response{}, nil, fmt.Errorf("%w: cell %d, the slot has %d", wire.ErrBadRequest, c, t.Cells())
		}
	}
	// Openings cost CPU (each rehashes 2^4 cells): at most one per core at a time, and the answer
	// reserved before it is built.
	if err := n.opens.Acquire(ctx, 1); err != nil {
		return wire.Response{}, nil, err
	}
	defer n.opens.Release(1)
	if err := reserveAnswer(ctx, 1+len(cells)*n.cfg.Proofs.MaxDepth*field.Bytes); err != nil {
		return wire.Response{}, nil, err
	}
	m, err := n.Manifest(ctx, q.Root)
	if err != nil {
		return wire.Response{}, nil, slotErr(err)
	}
	r, err := n.ShardReader(ctx, m, q.Shard)
	if err != nil {
		return wire.Response{}, nil, slotErr(err)
	}
	r.ranged = true // each opening reads the block around its cell, not whole pieces
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(cells[a], cells[b]) })
	paths := make([][]field.Element, len(cells))
	for _, i := range order {
		o, err := t.Open(ctx, r, cells[i])
		if err != nil {
			err = slotErr(fmt.Errorf("opening cell %d of shard %d of %s: %w", cells[i], q.Shard, q.Root, err))
			if errors.Is(err, wire.ErrCorrupt) {
				n.log.Warn("refusing to open a cell of a damaged shard", "root", q.Root, "shard", q.Shard, "cell", cells[i], "err", err)
			}
			return wire.Response{}, nil, err
		}
		paths[i] = o.Path
	}
	body, err := wire.EncodePaths(paths)
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, body, nil
}

type peerKey struct{}

// withPeer returns ctx carrying the remote peer of a stream; the handlers authorize writes by it.
func withPeer(ctx context.Context, p peer.ID) context.Context {
	return context.WithValue(ctx, peerKey{}, p)
}

func peerOf(ctx context.Context) peer.ID {
	p, _ := ctx.Value(peerKey{}).(peer.ID)
	return p
}

// manifestCache keeps the manifests pieces were checked against lately, parsed.
type manifestCache struct {
	mu      sync.Mutex
	entries []cachedManifest // least recently used first
}

type cachedManifest struct {
	root, mcid cid.Cid
	m          *sharding.Manifest
}

const manifestCacheSize = 16

func (c *manifestCache) get(root cid.Cid) (*sharding.Manifest, cid.Cid, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.root.Equals(root) {
			copy(c.entries[i:], c.entries[i+1:])
			c.entries[len(c.entries)-1] = e
			return e.m, e.mcid, true
		}
	}
	return nil, cid.Undef, false
}

func (c *manifestCache) put(root cid.Cid, m *sharding.Manifest, mcid cid.Cid) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= manifestCacheSize {
		c.entries = append(c.entries[:0], c.entries[1:]...)
	}
	c.entries = append(c.entries, cachedManifest{root, mcid, m})
}

func (c *manifestCache) forget(root cid.Cid) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e cachedManifest) bool { return e.root.Equals(root) })
}
