package retrieval

import (
	"context"
	"crypto/sha256"
	"errors"
	"sort"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// pieceResult is the answer of one piece fetch.
type pieceResult struct {
	piece int
	peer  peer.ID
	data  []byte
	err   error
}

// shardSource tracks which nodes of one shard a segment fetch has not tried yet.
type shardSource struct {
	peers []peer.ID
	next  int
}

// fetchSegment returns the data bytes of segment j: the K data pieces from the nearest nodes in
// parallel, another replica or a parity piece for every piece that fails or is corrupt, and a parity
// piece as a hedge when a piece is slower than HedgeAfter. It decodes only when a data piece is
// missing.
func (c *Client) fetchSegment(ctx context.Context, m *sharding.Manifest, j int) segmentResult {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k, total := m.K, m.K+m.M
	sources := make([]shardSource, total)
	for i := 0; i < total; i++ {
		for _, loc := range m.Placement[i] {
			id, err := c.addLocation(loc)
			if err != nil || c.isFailed(id) {
				continue
			}
			sources[i].peers = append(sources[i].peers, id)
		}
		c.byLatency(sources[i].peers)
	}
	// Nodes that failed recently go last rather than nowhere: they may be back.
	for i := 0; i < total; i++ {
		for _, loc := range m.Placement[i] {
			if id, err := peer.Decode(loc.Peer); err == nil && c.isFailed(id) {
				sources[i].peers = append(sources[i].peers, id)
			}
		}
	}

	var res segmentResult
	pieces := make([][]byte, total)
	results := make(chan pieceResult, total*2)
	inflight := 0
	started := make([]bool, total) // a piece index whose fetch chain has begun
	// fetch asks the next untried node of shard i; false when none is left.
	fetch := func(i int) bool {
		src := &sources[i]
		if src.next >= len(src.peers) {
			return false
		}
		p := src.peers[src.next]
		src.next++
		started[i] = true
		inflight++
		ref := wire.PieceRef{Root: m.Root, Shard: i, Segment: j}
		go func() {
			data, err := c.wire.GetPiece(ctx, p, ref, 0, -1)
			results <- pieceResult{piece: i, peer: p, data: data, err: err}
		}()
		return true
	}
	// Pieces whose node is connected come first, data before parity within each group: a node
	// that is not connected may be down, and its dial can take seconds to fail.
	order := make([]int, total)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return c.reachable(sources[order[a]].peers) && !c.reachable(sources[order[b]].peers)
	})
	// startSpare begins a fetch of a piece not yet asked for, in that order; false when none is left.
	startSpare := func() bool {
		for _, i := range order {
			if !started[i] && fetch(i) {
				return true
			}
		}
		return false
	}
	for range k {
		startSpare()
	}
	hedge := time.NewTimer(c.cfg.HedgeAfter)
	defer hedge.Stop()
	have := 0
	var last error
	for have < k {
		if inflight == 0 {
			return segmentResult{err: &SegmentError{Segment: j, Segments: m.NumSegments(), Found: have, Needed: k, Total: total, Last: last}}
		}
		select {
		case r := <-results:
			inflight--
			if r.err == nil && sha256.Sum256(r.data) != m.Segments[j][r.piece] {
				r.err = wire.ErrCorrupt
			}
			if r.err != nil {
				if ctx.Err() != nil {
					return segmentResult{err: ctx.Err()}
				}
				last = r.err
				if errors.Is(r.err, wire.ErrCorrupt) {
					res.corrupt++
				} else {
					res.failed++
				}
				// A node that is down is skipped for a while; one that answered (a corrupt or
				// missing piece, or busy serving its stream limit) is not.
				if !errors.Is(r.err, wire.ErrCorrupt) && !errors.Is(r.err, wire.ErrNotFound) && !errors.Is(r.err, wire.ErrBusy) {
					c.markFailed(r.peer)
				}
				c.log.Debug("piece fetch failed", "segment", j, "piece", r.piece, "peer", r.peer, "err", r.err)
				// Another replica of the same shard, else any piece not yet asked for.
				if !fetch(r.piece) {
					startSpare()
				}
				continue
			}
			if pieces[r.piece] == nil {
				pieces[r.piece] = r.data
				have++
			}
		case <-hedge.C:
			if startSpare() {
				res.hedged++
			}
			hedge.Reset(c.cfg.HedgeAfter)
		case <-ctx.Done():
			return segmentResult{err: ctx.Err()}
		}
	}
	cancel() // stop the fetches still running

	missing := false
	for i := 0; i < k; i++ {
		if pieces[i] == nil {
			missing = true
		}
	}
	if missing {
		enc, err := sharding.NewErasure(m.K, m.M)
		if err != nil {
			return segmentResult{err: err}
		}
		if err := enc.ReconstructData(pieces); err != nil {
			return segmentResult{err: err}
		}
		res.decoded = true
	}
	length := m.SegmentLength(j)
	ps := m.SegmentPieceSize(j)
	res.data = make([]byte, 0, length)
	for i := 0; i < k && int64(len(res.data)) < length; i++ {
		take := min(ps, length-int64(len(res.data)))
		res.data = append(res.data, pieces[i][:take]...)
	}
	return res
}

// reachable says whether the first node of a shard's list is connected.
func (c *Client) reachable(peers []peer.ID) bool {
	return len(peers) > 0 && c.cfg.Host.Network().Connectedness(peers[0]) == network.Connected
}

// warmUpWait bounds how long a read waits for its first connections to the file's nodes.
const warmUpWait = 100 * time.Millisecond

// warmUp dials every node of the file at once and waits until each has connected or failed, or
// warmUpWait: the first segments then start with the nodes that answered. Dials still pending
// go on in the background, each for at most dialTimeout.
func (c *Client) warmUp(ctx context.Context, m *sharding.Manifest) {
	var nodes []peer.AddrInfo
	seen := make(map[peer.ID]bool)
	for _, locs := range m.Placement {
		for _, loc := range locs {
			id, err := c.addLocation(loc)
			if err != nil || seen[id] || id == c.cfg.Host.ID() {
				continue
			}
			seen[id] = true
			nodes = append(nodes, peer.AddrInfo{ID: id})
		}
	}
	done := c.dialAll(ctx, nodes)
	t := time.NewTimer(warmUpWait)
	defer t.Stop()
	for range nodes {
		select {
		case <-done:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
