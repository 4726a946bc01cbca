package node

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// DefaultScrubRate is the bytes per second the background scrub reads when Config.ScrubRate is
// zero: 8 MiB/s checks 725 GB a day.
const DefaultScrubRate = 8 << 20

// A damaged piece whose repair failed is tried again after scrubRetry, doubling after each
// failure up to scrubRetryMax.
const (
	scrubRetry    = time.Second
	scrubRetryMax = 5 * time.Minute
)

// retry is when a damaged piece's repair is tried next, and the wait after the next failure.
type retry struct {
	at   time.Time
	wait time.Duration
}

// HoldersFunc finds the nodes that hold shard of the file root, for the in-place repair of a piece
// of another shard of that file. The node skips itself and checks every byte it is sent.
type HoldersFunc func(ctx context.Context, root cid.Cid, shard int) ([]peer.AddrInfo, error)

// ScrubStats counts what the background scrub did since the node started.
type ScrubStats struct {
	Bytes    int64 // bytes of pieces checked
	Damaged  int64 // pieces found corrupt or missing
	Repaired int64 // pieces repaired in place
	Failed   int64 // repair attempts that failed (retried after 1 s, doubling up to 5 minutes)
	Refused  int64 // pieces a holder sent during a repair that failed their hash in the manifest
	Pending  int   // pieces damaged and not repaired yet: not served meanwhile
}

// scrubber is the node's background scrub: its counters, the pieces it found damaged, and
// what it wants repaired first.
type scrubber struct {
	bytes, damaged, repaired, failed, refused atomic.Int64

	mu      sync.Mutex
	pending map[store.Ref]retry // damaged pieces not repaired yet, and when to try again
	wake    chan struct{}

	next time.Time // pacing: when the bytes checked so far are allowed at the rate

	metrics []prometheus.Collector
	reg     prometheus.Registerer
}

func newScrubber(reg prometheus.Registerer) (*scrubber, error) {
	s := &scrubber{pending: make(map[store.Ref]retry), wake: make(chan struct{}, 1), reg: reg}
	if reg == nil {
		return s, nil
	}
	counter := func(name, help string, v *atomic.Int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	for _, c := range []prometheus.Collector{
		counter("dstore_scrub_bytes_total", "Bytes of stored pieces the background scrub checked against their chunk sums.", &s.bytes),
		counter("dstore_scrub_damaged_total", "Pieces the scrub (or a read) found corrupt or missing.", &s.damaged),
		counter("dstore_scrub_repaired_total", "Damaged pieces repaired in place from k other holders.", &s.repaired),
		counter("dstore_scrub_repair_failures_total", "Repair attempts that failed (retried after 1 s, doubling up to 5 minutes).", &s.failed),
		counter("dstore_scrub_refused_total", "Pieces a holder sent during a repair that failed their hash in the manifest.", &s.refused),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_scrub_pending_pieces", Help: "Pieces damaged and not repaired yet (not served meanwhile)."},
			func() float64 { return float64(s.pendingCount()) }),
	} {
		if err := reg.Register(c); err != nil {
			s.unregister()
			return nil, fmt.Errorf("node: registering the scrub metrics: %w", err)
		}
		s.metrics = append(s.metrics, c)
	}
	return s, nil
}

func (s *scrubber) unregister() {
	for _, c := range s.metrics {
		s.reg.Unregister(c)
	}
	s.metrics = nil
}

func (s *scrubber) pendingCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// isDamaged reports whether ref waits for its repair.
func (s *scrubber) isDamaged(ref store.Ref) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[ref]
	return ok
}

// mark records ref as damaged, to be repaired at once; false if it was known already.
func (s *scrubber) mark(ref store.Ref) bool {
	s.mu.Lock()
	_, known := s.pending[ref]
	if !known {
		s.pending[ref] = retry{wait: scrubRetry}
		s.damaged.Add(1)
	}
	s.mu.Unlock()
	if !known {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return !known
}

// due returns the damaged pieces whose repair is due, and how long until the next one is.
func (s *scrubber) due(now time.Time) ([]store.Ref, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Ref
	wait := time.Duration(-1)
	for ref, r := range s.pending {
		if !r.at.After(now) {
			out = append(out, ref)
		} else if d := r.at.Sub(now); wait < 0 || d < wait {
			wait = d
		}
	}
	return out, wait
}

func (s *scrubber) settle(ref store.Ref, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.pending[ref]
	if !ok {
		return
	}
	if err == nil {
		delete(s.pending, ref)
		s.repaired.Add(1)
		return
	}
	s.failed.Add(1)
	s.pending[ref] = retry{at: time.Now().Add(r.wait), wait: min(2*r.wait, scrubRetryMax)}
}

func (s *scrubber) forget(root cid.Cid, shard int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ref := range s.pending {
		if ref.Root.Equals(root) && ref.Shard == shard {
			delete(s.pending, ref)
		}
	}
}

func (s *scrubber) damagedIn(root cid.Cid, shard int) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n uint32
	for ref := range s.pending {
		if ref.Root.Equals(root) && ref.Shard == shard {
			n++
		}
	}
	return n
}

// ScrubStats returns what the background scrub did since the node started.
func (n *Node) ScrubStats() ScrubStats {
	s := n.scrub
	return ScrubStats{Bytes: s.bytes.Load(), Damaged: s.damaged.Load(), Repaired: s.repaired.Load(),
		Failed: s.failed.Load(), Refused: s.refused.Load(), Pending: s.pendingCount()}
}

// scrubRecord is what the node keeps per shard about its scrubs.
type scrubRecord struct {
	last     time.Time // end of the last complete pass over the shard
	whole    bool      // every piece of the shard was there: a missing one is damage
	repaired uint32    // pieces repaired in place, ever
}

// record layout: version 1 (1) | last Unix nanoseconds (8) | whole (1) | repaired (4).
const scrubRecordSize = 1 + 8 + 1 + 4

func (r scrubRecord) marshal() []byte {
	b := []byte{1}
	b = binary.BigEndian.AppendUint64(b, uint64(r.last.UnixNano()))
	if r.whole {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return binary.BigEndian.AppendUint32(b, r.repaired)
}

func (n *Node) scrubRecord(ctx context.Context, root cid.Cid, shard int) (scrubRecord, bool, error) {
	b, err := n.store.GetScrub(ctx, root, shard)
	if errors.Is(err, store.ErrNotFound) {
		return scrubRecord{}, false, nil
	}
	if err != nil {
		return scrubRecord{}, false, err
	}
	if len(b) != scrubRecordSize || b[0] != 1 || b[9] > 1 {
		n.log.Warn("an unreadable scrub record, scrubbing the shard again", "root", root, "shard", shard)
		return scrubRecord{}, false, nil
	}
	return scrubRecord{last: time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9]))), whole: b[9] == 1,
		repaired: binary.BigEndian.Uint32(b[10:])}, true, nil
}

// ScrubInfo reports the node's scrubs of shard of root: ErrNotHeld if the node holds no piece
// of it and never scrubbed it.
func (n *Node) ScrubInfo(ctx context.Context, root cid.Cid, shard int) (wire.ScrubInfo, error) {
	rec, ok, err := n.scrubRecord(ctx, root, shard)
	if err != nil {
		return wire.ScrubInfo{}, err
	}
	if !ok {
		segs, _, err := n.store.Shard(ctx, root, shard)
		if err != nil {
			return wire.ScrubInfo{}, err
		}
		if segs == 0 {
			return wire.ScrubInfo{}, fmt.Errorf("shard %d of %s: %w", shard, root, ErrNotHeld)
		}
	}
	return wire.ScrubInfo{Last: rec.last, Damaged: n.scrub.damagedIn(root, shard), Repaired: rec.repaired}, nil
}

// runScrub is the node's background scrub: it checks every piece of every shard whose last scrub
// is ScrubInterval old, at ScrubRate bytes per second, and repairs in place what it finds damaged
// (or what a read reported), until the node closes.
func (n *Node) runScrub() {
	defer n.wg.Done()
	ctx := n.ctx
	for {
		wait := n.repairDue(ctx)
		if n.cfg.ScrubRate > 0 {
			n.scrubPass(ctx)
			wait = min(wait, n.cfg.ScrubInterval, time.Minute) // new shards come in meanwhile
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-n.scrub.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// repairDue repairs the damaged pieces whose turn it is; it returns how long until the next is due.
func (n *Node) repairDue(ctx context.Context) time.Duration {
	refs, _ := n.scrub.due(time.Now())
	for _, ref := range refs {
		if ctx.Err() != nil {
			return time.Minute
		}
		err := n.repairPiece(ctx, ref)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("repairing a damaged piece failed, trying again later", "root", ref.Root, "shard", ref.Shard, "segment", ref.Segment, "err", err)
		}
		n.scrub.settle(ref, err)
	}
	if _, next := n.scrub.due(time.Now()); next >= 0 {
		return next
	}
	return time.Hour
}

// scrubPass scrubs every shard the node holds whose last scrub is ScrubInterval old.
func (n *Node) scrubPass(ctx context.Context) {
	roots, err := n.store.Roots(ctx)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("listing the roots to scrub", "err", err)
		}
		return
	}
	for _, root := range roots {
		m, err := n.Manifest(ctx, root)
		if err != nil {
			if ctx.Err() == nil {
				n.log.Warn("reading a manifest to scrub its shards", "root", root, "err", err)
			}
			continue
		}
		for shard := range m.K + m.M {
			if ctx.Err() != nil {
				return
			}
			rec, _, err := n.scrubRecord(ctx, root, shard)
			if err != nil || time.Since(rec.last) < n.cfg.ScrubInterval {
				continue
			}
			if err := n.scrubShard(ctx, m, shard, rec); err != nil && ctx.Err() == nil {
				n.log.Warn("scrubbing a shard", "root", root, "shard", shard, "err", err)
			}
		}
	}
}

// scrubShard checks every piece of one shard against its chunk sums and the manifest, at the
// scrub rate, and repairs the damaged ones; a shard of which it holds nothing is skipped.
func (n *Node) scrubShard(ctx context.Context, m *sharding.Manifest, shard int, rec scrubRecord) error {
	segs, _, err := n.store.Shard(ctx, m.Root, shard)
	if err != nil || segs == 0 {
		return err
	}
	if !rec.whole { // a shard with a tree was whole when the tree was built
		rec.whole, _ = n.store.HasTree(ctx, m.Root, shard)
	}
	whole := true
	var damaged []store.Ref
	for j := range m.NumSegments() {
		ref := store.Ref{Root: m.Root, Shard: shard, Segment: j}
		info, err := n.store.CheckPiece(ctx, ref)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, store.ErrNotFound):
			whole = false
			if rec.whole { // the shard was whole: a piece went missing
				damaged = append(damaged, ref)
			}
			continue
		case err == nil && (info.Sum != m.Segments[j][shard] || info.Size != m.SegmentPieceSize(j)):
			err = fmt.Errorf("%w: segment %d", ErrPieceMismatch, j)
			fallthrough
		case err != nil:
			damaged = append(damaged, ref)
			n.log.Warn("scrub found a damaged piece", "root", m.Root, "shard", shard, "segment", j, "err", err)
		}
		n.scrub.bytes.Add(info.Size)
		if err := n.pace(ctx, info.Size); err != nil {
			return err
		}
	}
	for _, ref := range damaged {
		if n.scrub.mark(ref) {
			err := n.repairPiece(ctx, ref)
			if err != nil && ctx.Err() == nil {
				n.log.Warn("repairing a damaged piece failed, trying again later", "root", ref.Root, "shard", ref.Shard, "segment", ref.Segment, "err", err)
			}
			n.scrub.settle(ref, err)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	rec, _, err = n.scrubRecord(ctx, m.Root, shard) // repairs counted meanwhile
	if err != nil {
		return err
	}
	rec.last = time.Now()
	rec.whole = rec.whole || whole
	if n.scrub.damagedIn(m.Root, shard) > 0 {
		rec.whole = true // what was there is the shard: the repair brings back the rest
	}
	return n.store.PutScrub(ctx, m.Root, shard, rec.marshal())
}

// pace waits until size more bytes are within the scrub rate.
func (n *Node) pace(ctx context.Context, size int64) error {
	now := time.Now()
	s := n.scrub
	if s.next.Before(now) {
		s.next = now
	}
	s.next = s.next.Add(time.Duration(float64(size) / float64(n.cfg.ScrubRate) * float64(time.Second)))
	if d := s.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// reportDamaged queues a piece a read found corrupt for its repair; until then it is not served.
func (n *Node) reportDamaged(ref store.Ref) {
	if n.scrub.mark(ref) {
		n.log.Warn("a read found a damaged piece: repairing it", "root", ref.Root, "shard", ref.Shard, "segment", ref.Segment)
	}
}

// repairPiece rebuilds one damaged or missing piece from K other pieces of its segment (those the
// node holds itself, then those of other holders, each checked against its hash in the manifest),
// re-encodes it and stores it in place; the store takes it only if it hashes to the manifest's
// value, so the slot's root does not change.
func (n *Node) repairPiece(ctx context.Context, ref store.Ref) error {
	m, err := n.Manifest(ctx, ref.Root)
	if err != nil {
		return err
	}
	if ref.Shard >= m.K+m.M || ref.Segment >= m.NumSegments() {
		return fmt.Errorf("%w: piece %d/%d of %s", ErrShardRange, ref.Shard, ref.Segment, ref.Root)
	}
	if info, err := n.store.CheckPiece(ctx, ref); err == nil && info.Sum == m.Segments[ref.Segment][ref.Shard] {
		return nil // repaired meanwhile (by a client storing it again)
	}
	code, err := sharding.NewErasure(m.K, m.M)
	if err != nil {
		return err
	}
	size := m.SegmentPieceSize(ref.Segment)
	pieces := make([][]byte, m.K+m.M)
	have := 0
	// The node's own pieces of other shards first: no network.
	for i := 0; i < m.K+m.M && have < m.K; i++ {
		if i == ref.Shard {
			continue
		}
		data, err := n.store.GetPiece(ctx, store.Ref{Root: ref.Root, Shard: i, Segment: ref.Segment})
		if err == nil && int64(len(data)) == size && m.PieceSum(data) == m.Segments[ref.Segment][i] {
			pieces[i] = data
			have++
		}
	}
	client := wire.NewClient(n.host, wire.WithTimeout(min(n.cfg.StreamTimeout, 30*time.Second)))
	var errs []error
	for i := 0; i < m.K+m.M && have < m.K; i++ {
		if i == ref.Shard || pieces[i] != nil {
			continue
		}
		holders, err := n.holders(ctx, ref.Root, i)
		if err != nil {
			errs = append(errs, fmt.Errorf("holders of shard %d: %w", i, err))
			continue
		}
		for _, h := range holders {
			if h.ID == n.host.ID() {
				continue
			}
			n.host.Peerstore().AddAddrs(h.ID, h.Addrs, peerstore.TempAddrTTL)
			data, err := client.GetPiece(ctx, h.ID, wire.PieceRef{Root: ref.Root, Shard: i, Segment: ref.Segment}, 0, -1)
			if err != nil {
				errs = append(errs, fmt.Errorf("piece %d from %s: %w", i, h.ID, err))
				continue
			}
			if int64(len(data)) != size || m.PieceSum(data) != m.Segments[ref.Segment][i] {
				n.scrub.refused.Add(1)
				n.log.Warn("a holder sent a piece that fails its hash in the manifest: refused", "peer", h.ID, "root", ref.Root, "shard", i, "segment", ref.Segment)
				errs = append(errs, fmt.Errorf("piece %d from %s: %w", i, h.ID, ErrPieceMismatch))
				continue
			}
			pieces[i] = data
			have++
			break
		}
	}
	if have < m.K {
		return fmt.Errorf("repairing piece %d/%d of %s: %d of the %d pieces needed: %w", ref.Shard, ref.Segment, ref.Root, have, m.K, errors.Join(errs...))
	}
	if err := code.Reconstruct(pieces); err != nil {
		return fmt.Errorf("repairing piece %d/%d of %s: %w", ref.Shard, ref.Segment, ref.Root, err)
	}
	want := m.Segments[ref.Segment][ref.Shard]
	if seg, _, err := n.store.Shard(ctx, ref.Root, ref.Shard); err != nil || seg == 0 {
		return fmt.Errorf("repairing piece %d/%d of %s: the shard was dropped meanwhile", ref.Shard, ref.Segment, ref.Root)
	}
	if err := n.store.RepairPiece(ctx, ref, want, pieces[ref.Shard], m.PieceSum); err != nil {
		return fmt.Errorf("repairing piece %d/%d of %s: %w", ref.Shard, ref.Segment, ref.Root, err)
	}
	rec, _, err := n.scrubRecord(ctx, ref.Root, ref.Shard)
	if err == nil {
		rec.repaired++
		err = n.store.PutScrub(ctx, ref.Root, ref.Shard, rec.marshal())
	}
	if err != nil {
		n.log.Warn("counting a repair", "err", err)
	}
	n.trees.forgetFailed(slotKey{ref.Root, ref.Shard}) // a tree that failed on the damage is built again
	n.log.Info("repaired a piece in place", "root", ref.Root, "shard", ref.Shard, "segment", ref.Segment, "bytes", size)
	return nil
}

// holders finds the holders of shard of root, without duplicates: those Config.Holders names
// (the holders of record on chain, when the CLI wires them), then the providers of the shard's
// record on the DHT (sharding.ShardKey, announced by every holder whose tree is built), then the
// placement kept beside the file's manifest, a hint.
func (n *Node) holders(ctx context.Context, root cid.Cid, shard int) ([]peer.AddrInfo, error) {
	var out []peer.AddrInfo
	seen := make(map[peer.ID]bool)
	add := func(ais ...peer.AddrInfo) {
		for _, ai := range ais {
			if !seen[ai.ID] {
				seen[ai.ID] = true
				out = append(out, ai)
			}
		}
	}
	var errs []error
	if n.cfg.Holders != nil {
		ais, err := n.cfg.Holders(ctx, root, shard)
		if err != nil {
			errs = append(errs, err)
		}
		add(ais...)
	}
	if n.dht != nil {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		for ai := range n.dht.FindProvidersAsync(dctx, sharding.ShardKey(root, shard), 8) {
			add(ai)
		}
		cancel()
	}
	hints, err := n.placementHolders(ctx, root, shard)
	if err != nil {
		errs = append(errs, err)
	}
	add(hints...)
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// placementHolders reads the holders of shard of root from the placement kept beside its manifest.
func (n *Node) placementHolders(ctx context.Context, root cid.Cid, shard int) ([]peer.AddrInfo, error) {
	cids, err := n.store.ManifestCIDs(ctx, root)
	if err != nil || len(cids) == 0 {
		return nil, fmt.Errorf("manifest of %s: %w", root, ErrNotHeld)
	}
	b, err := n.store.GetPlacement(ctx, cids[0])
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("placement of %s: %w", root, err)
	}
	var placement [][]sharding.Location
	if err := json.Unmarshal(b, &placement); err != nil {
		return nil, fmt.Errorf("placement of %s: %w", root, err)
	}
	if shard >= len(placement) {
		return nil, nil
	}
	return LocationAddrs(placement[shard]), nil
}

// LocationAddrs turns a shard's locations (a manifest's placement, or its holders of record) into
// peers to dial: malformed peer IDs and addresses are left out, and addresses lose any /p2p part.
func LocationAddrs(locs []sharding.Location) []peer.AddrInfo {
	var out []peer.AddrInfo
	for _, l := range locs {
		id, err := peer.Decode(l.Peer)
		if err != nil {
			continue
		}
		ai := peer.AddrInfo{ID: id}
		for _, a := range l.Addrs {
			if addr, err := ma.NewMultiaddr(a); err == nil {
				if transport, _ := peer.SplitAddr(addr); transport != nil {
					ai.Addrs = append(ai.Addrs, transport)
				}
			}
		}
		out = append(out, ai)
	}
	return out
}
