package retrieval

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// PieceStat describes one piece fetch whose bytes a read used.
type PieceStat struct {
	Piece   int           `json:"piece"` // index in the segment: < K data, >= K parity
	Peer    string        `json:"peer"`
	Off     int64         `json:"off"` // byte range of the piece fetched
	Bytes   int64         `json:"bytes"`
	At      time.Duration `json:"at_ns"` // when the fetch started, from the start of the segment's
	TTFB    time.Duration `json:"ttfb_ns"`
	Elapsed time.Duration `json:"elapsed_ns"`
	Hedge   bool          `json:"hedge,omitempty"` // started because another fetch was slow
}

// SegmentStats describes how one segment of a read was fetched.
type SegmentStats struct {
	Segment int         `json:"segment"`
	Pieces  []PieceStat `json:"pieces"`            // the fetches whose bytes were used
	Decoded []int       `json:"decoded,omitempty"` // data pieces rebuilt from the others
	Hedges  int         `json:"hedges,omitempty"`  // fetches started because one was slower than its P95
	// Held counts fetches past their P95 whose hedge waited because the fetches from other nodes
	// were as late (see fetchBoard): the machine, not the node, was slow.
	Held    int `json:"held,omitempty"`
	Failed  int `json:"failed,omitempty"`  // fetches that failed (node down, timeout, refused)
	Corrupt int `json:"corrupt,omitempty"` // pieces that failed their hash in the manifest or their leaves
	// TTFB is the time from the segment's start to the first byte of its first piece.
	TTFB    time.Duration `json:"ttfb_ns"`
	Elapsed time.Duration `json:"elapsed_ns"`
	// Decode is the time spent rebuilding data pieces from the others.
	Decode time.Duration `json:"decode_ns,omitempty"`
}

// colRange is the byte range [from, to) of a piece.
type colRange struct{ from, to int64 }

func (r colRange) len() int64                { return r.to - r.from }
func (r colRange) empty() bool               { return r.to <= r.from }
func (r colRange) covers(o colRange) bool    { return r.from <= o.from && o.to <= r.to && r.to > r.from }
func (r colRange) union(o colRange) colRange { return colRange{min(r.from, o.from), max(r.to, o.to)} }

// segmentJob asks for the bytes [lo, hi) of segment j (offsets inside the segment).
type segmentJob struct {
	j      int
	lo, hi int64
	// checked fetches whole pieces and checks each against its hash in the manifest before using it: the retry
	// after a leaf failed its CID, which finds the bad piece.
	checked bool
}

// segmentResult is a fetched segment: data holds the job's bytes [lo, hi), cut from buf, which
// goes back to the pool once data has been used.
type segmentResult struct {
	data []byte
	buf  []byte
	stat SegmentStats
	err  error
}

// piecePlan is the state of one piece during a segment fetch.
type piecePlan struct {
	peers    []peer.ID // sources, best first
	next     int       // next source to try
	rng      colRange  // range of the fetch in flight or done
	inflight bool
	have     bool
	peer     peer.ID // node of the fetch in flight or done
	start    time.Time
	hedged   bool // the fetch in flight already caused a hedge
	isHedge  bool
	board    *boardFetch // the fetch on the client's board
	held     bool        // its hedge waited at least once (fetchBoard.hold)
	recheck  time.Time   // when a held hedge is looked at again
	stat     PieceStat
}

// fetchDone is the answer of one piece fetch.
type fetchDone struct {
	piece   int
	peer    peer.ID
	ttfb    time.Duration
	elapsed time.Duration
	err     error
}

// bufPool recycles byte buffers of about one size.
type bufPool struct{ p sync.Pool }

func (bp *bufPool) get(n int64) []byte {
	if b, ok := bp.p.Get().(*[]byte); ok && int64(cap(*b)) >= n {
		return (*b)[:n]
	}
	return make([]byte, n)
}

func (bp *bufPool) put(b []byte) {
	if b != nil {
		bp.p.Put(&b)
	}
}

// fetchSegment returns the bytes [job.lo, job.hi) of segment job.j. It fetches only the data pieces
// that hold them, only the sub-ranges needed, from the nodes expected to answer first. When the k
// pieces expected first include parity (a data node is down or measured slow), it fetches that
// column range of k pieces instead and decodes. A fetch slower than its node's P95 estimate is
// hedged; once enough pieces have arrived the others are cancelled.
func (c *Client) fetchSegment(ctx context.Context, m *sharding.Manifest, job segmentJob) segmentResult {
	res := c.fetchSegmentOnce(ctx, m, job)
	c.met.segment(res)
	return res
}

func (c *Client) fetchSegmentOnce(ctx context.Context, m *sharding.Manifest, job segmentJob) segmentResult {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k, total := m.K, m.K+m.M
	layout := m.SegmentLayout(job.j)
	ps := layout.PieceSize
	res := segmentResult{stat: SegmentStats{Segment: job.j}}

	// The data pieces that hold the bytes, and the column range of each.
	need := make([]colRange, k)
	needed := make([]bool, k)
	u := colRange{ps, 0}
	from, to := layout.Columns(job.lo, job.hi)
	for i := range k {
		r := colRange{from[i], to[i]}
		if r.empty() {
			continue
		}
		if job.checked {
			r = colRange{0, ps}
		}
		need[i], needed[i] = r, true
		u = u.union(r)
	}

	plans := make([]piecePlan, total)
	placement := c.placement(m)
	for i := range plans {
		for _, loc := range placement[i] {
			if id, err := c.addLocation(loc); err == nil && id != c.cfg.Host.ID() {
				plans[i].peers = append(plans[i].peers, id)
			}
		}
		c.byExpected(plans[i].peers, u.len())
	}
	// Decoding rebuilds the column range of the pieces whose nodes are all down, unreachable or
	// found late (Estimator.Suspect), not of all the pieces that hold the bytes: a leaf across two
	// pieces, one of them lost, costs k times the lost part, not k whole pieces.
	lost := colRange{ps, 0}
	for i := 0; i < k; i++ {
		if needed[i] && !c.usable(plans[i].peers) {
			lost = lost.union(need[i])
		}
	}
	if !lost.empty() {
		u = lost
	}

	res.buf = c.dataBufs.get(int64(k) * ps)
	var parity []byte
	// dst is where the bytes r of piece i go: data pieces into their place in the segment, parity
	// pieces (always the column range u) side by side in a buffer of their own.
	dst := func(i int, r colRange) []byte {
		if i < k {
			return res.buf[int64(i)*ps+r.from : int64(i)*ps+r.to]
		}
		if parity == nil {
			parity = c.parityBufs.get(int64(m.M) * ps)
		}
		return parity[int64(i-k)*ps : int64(i-k)*ps+r.len()]
	}
	defer func() { c.parityBufs.put(parity) }()

	var (
		wg       sync.WaitGroup
		results  = make(chan fetchDone)
		loopDone = make(chan struct{})
		inflight int
	)
	// stop cancels the fetches still running and waits for them: none writes into the buffers
	// once it returns.
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			close(loopDone)
			cancel()
			wg.Wait()
		})
	}
	defer stop()
	// fetch asks the next untried node of piece i for the range r; false when none is left.
	fetch := func(i int, r colRange, hedge bool) bool {
		pl := &plans[i]
		if pl.inflight || pl.next >= len(pl.peers) || (i >= k && r != u) {
			return false
		}
		p := pl.peers[pl.next]
		pl.next++
		pl.rng, pl.inflight, pl.have, pl.peer, pl.start, pl.hedged, pl.isHedge = r, true, false, p, time.Now(), false, hedge
		pl.board = c.board.start(p, pl.start, pl.start.Add(max(c.est.P95(p, r.len()), c.cfg.HedgeAfter)))
		pl.held, pl.recheck = false, time.Time{}
		bf := pl.board
		inflight++
		ref := wire.PieceRef{Root: m.Root, Shard: i, Segment: job.j}
		buf := dst(i, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			ttfb, err := c.wire.GetPieceInto(ctx, p, ref, r.from, buf)
			if err == nil && job.checked && m.PieceSum(buf) != m.Segments[job.j][i] {
				err = wire.ErrCorrupt
			}
			elapsed := time.Since(t0)
			if err != nil && ctx.Err() != nil {
				// A loser, cancelled: judged against the others before it leaves the board.
				select {
				case <-loopDone:
					c.noteLoser(p, bf, ttfb, int64(len(buf)))
				default:
				}
			}
			c.board.end(bf, err == nil, t0.Add(elapsed))
			select {
			case results <- fetchDone{piece: i, peer: p, ttfb: ttfb, elapsed: elapsed, err: err}:
			case <-loopDone:
			}
		}()
		return true
	}
	// covering counts the pieces that have, or are fetching, the column range u.
	covering := func(skipSlow bool) int { // skipSlow: not counting fetches already hedged
		n := 0
		for i := range plans {
			pl := &plans[i]
			if (pl.have || (pl.inflight && !(skipSlow && pl.hedged))) && pl.rng.covers(u) {
				n++
			}
		}
		return n
	}
	// widen starts fetches of u from the pieces expected first until k pieces cover it (not
	// counting fetches already hedged as slow); it returns how many it started.
	widen := func(hedge bool) int {
		started := 0
		// Pieces not fetched yet first; a piece that holds a narrower range is asked again only
		// when no other is left.
		for _, again := range []bool{false, true} {
			for _, i := range c.piecesByCost(plans, u, k) {
				if covering(true) >= k {
					return started
				}
				pl := &plans[i]
				if pl.inflight || (pl.have && pl.rng.covers(u)) || pl.have != again {
					continue
				}
				// A hedge never dials a node marked down (that costs a dial timeout), nor asks one
				// found late: it would answer no sooner than the fetch it hedges.
				if hedge && pl.next < len(pl.peers) && (c.est.Down(pl.peers[pl.next]) || c.est.Suspect(pl.peers[pl.next])) {
					continue
				}
				if pl.have {
					pl.next = max(pl.next-1, 0) // the node that sent the narrower range
				}
				r := u
				if i < k && needed[i] {
					r = u.union(need[i]) // its own bytes too, whether or not it is decoded
				}
				if fetch(i, r, hedge) {
					started++
				}
			}
		}
		return started
	}
	haveU := func() int {
		n := 0
		for i := range plans {
			if plans[i].have && plans[i].rng.covers(u) {
				n++
			}
		}
		return n
	}
	directDone := func() bool {
		for i := 0; i < k; i++ {
			if needed[i] && !(plans[i].have && plans[i].rng.covers(need[i])) {
				return false
			}
		}
		return true
	}

	// Plan: the needed data pieces alone, or the k pieces over u expected first, decoded, when
	// that is expected to end sooner (a data node down or slow, measured).
	direct := time.Duration(0)
	for i := 0; i < k; i++ {
		if needed[i] {
			if len(plans[i].peers) == 0 {
				direct = time.Duration(1<<63 - 1)
				break
			}
			direct = max(direct, c.cost(plans[i].peers[0], need[i].len()))
		}
	}
	order := c.piecesByCost(plans, u, k)
	useDecode := false
	if len(order) >= k {
		kth := time.Duration(0)
		parityChosen := false
		for _, i := range order[:k] {
			kth = max(kth, c.cost(plans[i].peers[0], u.len()))
			parityChosen = parityChosen || i >= k || !needed[i]
		}
		// Estimates are noisy: parity is chosen only when it is clearly faster, decode's CPU time
		// included: by a quarter and by decodeMargin.
		useDecode = parityChosen && (kth+decodeTime(k, u.len()))*5/4+decodeMargin < direct
	}
	if useDecode && lost.empty() {
		// Decoded are only the columns of the needed data pieces left out of the k chosen: a
		// range across two rows of stripes, its slow piece in one of them, decodes that row. None
		// left out: they are among the k expected first, and come themselves.
		narrow := colRange{ps, 0}
		for i := 0; i < k; i++ {
			if needed[i] && !slices.Contains(order[:k], i) {
				narrow = narrow.union(need[i])
			}
		}
		u, useDecode = narrow, !narrow.empty()
	}
	if useDecode {
		// The needed pieces that u leaves out (u is the range of the lost or late ones) come
		// themselves, over u too, whatever parity costs.
		for i := 0; i < k; i++ {
			if needed[i] && !u.covers(need[i]) {
				fetch(i, u.union(need[i]), false)
			}
		}
		widen(false)
	} else {
		if lost.empty() {
			// Nothing to decode yet: a hedge or a failed fetch widens u to the range of the piece
			// it replaces, not to every needed piece's (k whole pieces for a range across two).
			u = colRange{ps, 0}
		}
		for i := 0; i < k; i++ {
			if needed[i] && !fetch(i, need[i], false) {
				u = u.union(need[i])
				widen(false)
			}
		}
	}

	hedge := time.NewTimer(time.Hour)
	defer hedge.Stop()
	var last error
	// decodable: k pieces hold the column range u, and it holds every needed piece not yet here.
	decodable := func() bool {
		if haveU() < k {
			return false
		}
		for i := 0; i < k; i++ {
			if needed[i] && !(plans[i].have && plans[i].rng.covers(need[i])) && !u.covers(need[i]) {
				return false
			}
		}
		return true
	}
	for !directDone() && !decodable() {
		lateC := c.est.lateSignal() // before the hedge times are read: a Late after it wakes the loop
		if inflight == 0 && widen(false) == 0 && (c.moreSources(ctx, m, plans) == 0 || widen(false) == 0) {
			res.err = &SegmentError{Segment: job.j, Segments: m.NumSegments(), Found: haveU(), Needed: k, Total: total, Last: last}
			return res
		}
		// The next hedge: when the first fetch in flight passes its node's P95.
		var next time.Time
		slow := -1
		for i := range plans {
			pl := &plans[i]
			if !pl.inflight || pl.hedged {
				continue
			}
			at := pl.start.Add(max(c.est.P95(pl.peer, pl.rng.len()), c.cfg.HedgeAfter))
			if pl.recheck.After(at) {
				at = pl.recheck // held: the fetches beside it were as late
			}
			if l := c.est.lateSince(pl.peer); l.After(pl.start) {
				// Another fetch from the node was found late since this one started: this one
				// is hedged now, not at its P95, held or not.
				if soon := pl.start.Add(c.cfg.HedgeAfter); soon.Before(at) {
					at = soon
				}
			}
			if slow < 0 || at.Before(next) {
				next, slow = at, i
			}
		}
		var hedgeC <-chan time.Time
		if slow >= 0 {
			hedge.Reset(time.Until(next))
			hedgeC = hedge.C
		}
		select {
		case r := <-results:
			pl := &plans[r.piece]
			pl.inflight = false
			inflight--
			if r.err != nil {
				if ctx.Err() != nil {
					res.err = ctx.Err()
					return res
				}
				last = r.err
				if errors.Is(r.err, wire.ErrCorrupt) {
					res.stat.Corrupt++
				} else {
					res.stat.Failed++
				}
				c.noteFailure(r.peer, r.err)
				c.log.Debug("piece fetch failed", "segment", job.j, "piece", r.piece, "peer", r.peer, "err", r.err)
				// Another node of the same shard, else enough other pieces to decode, over a
				// range that holds what this piece was to bring.
				if !fetch(r.piece, pl.rng, pl.isHedge) {
					if r.piece < k && needed[r.piece] {
						u = u.union(need[r.piece])
					}
					widen(false)
				}
				continue
			}
			c.est.Observe(r.peer, r.ttfb, r.elapsed, pl.rng.len())
			pl.have = true
			pl.stat = PieceStat{Piece: r.piece, Peer: r.peer.String(), Off: pl.rng.from, Bytes: pl.rng.len(), At: pl.start.Sub(start), TTFB: r.ttfb, Elapsed: r.elapsed, Hedge: pl.isHedge}
			if res.stat.TTFB == 0 || time.Since(start)-r.elapsed+r.ttfb < res.stat.TTFB {
				res.stat.TTFB = time.Since(start) - r.elapsed + r.ttfb
			}
		case <-lateC:
			continue // hedge times to read again
		case <-hedgeC:
			if pl := &plans[slow]; !c.est.lateSince(pl.peer).After(pl.start) && c.board.hold(pl.board, time.Now(), time.Now().Add(-c.cfg.HedgeAfter)) {
				// The fetches from the other nodes are as late: the machine is slow, not this
				// node, and a hedge would only add to its load. Looked at again shortly.
				if !pl.held {
					pl.held = true
					res.stat.Held++
					c.log.Debug("holding the hedge of a slow piece: the fetches from the other nodes are as late", "segment", job.j, "piece", slow, "peer", pl.peer, "ran", time.Since(pl.start))
				}
				pl.recheck = time.Now().Add(holdRecheck)
				continue
			}
			plans[slow].hedged = true
			if slow < k && needed[slow] {
				u = u.union(need[slow]) // what the slow piece was to bring, decoded instead
			}
			n := widen(true)
			res.stat.Hedges += n
			if n > 0 {
				c.log.Debug("hedged a slow piece", "segment", job.j, "piece", slow, "peer", plans[slow].peer, "extra", n)
			}
		case <-ctx.Done():
			res.err = ctx.Err()
			return res
		}
	}
	stop() // the losers stop now, before a decode writes where they would

	if directDone() {
		for i := 0; i < k; i++ {
			if needed[i] {
				res.stat.Pieces = append(res.stat.Pieces, plans[i].stat)
			}
		}
	} else {
		t0 := time.Now()
		err := c.decode(m, plans, need, needed, u, ps, res.buf, dst, &res.stat)
		res.stat.Decode = time.Since(t0)
		if err != nil {
			res.err = err
			return res
		}
	}
	if layout.Unit < ps {
		// A striped segment: its bytes in file order, gathered from the pieces.
		out := c.dataBufs.get(int64(k) * ps)
		layout.Gather(out[:job.hi-job.lo], res.buf, job.lo)
		c.dataBufs.put(res.buf)
		res.buf, res.data = out, out[:job.hi-job.lo]
	} else {
		res.data = res.buf[job.lo:job.hi]
	}
	res.stat.Elapsed = time.Since(start)
	return res
}

// dataPieces lists the data pieces that hold some of job's bytes.
func dataPieces(m *sharding.Manifest, job segmentJob) []int {
	from, to := m.SegmentLayout(job.j).Columns(job.lo, job.hi)
	var out []int
	for i := range from {
		if from[i] < to[i] {
			out = append(out, i)
		}
	}
	return out
}

// decode rebuilds the needed data pieces that did not arrive, over the column range u, from k
// pieces that hold it.
func (c *Client) decode(m *sharding.Manifest, plans []piecePlan, need []colRange, needed []bool, u colRange, ps int64, buf []byte, dst func(int, colRange) []byte, st *SegmentStats) error {
	k, total := m.K, m.K+m.M
	pieces := make([][]byte, total)
	want := make([]bool, k)
	used := 0
	for i := 0; i < total && used < k; i++ {
		if pl := &plans[i]; pl.have && pl.rng.covers(u) {
			d := dst(i, pl.rng)
			pieces[i] = d[u.from-pl.rng.from : u.to-pl.rng.from]
			st.Pieces = append(st.Pieces, pl.stat)
			used++
		}
	}
	for i := 0; i < k; i++ {
		if !needed[i] || pieces[i] != nil {
			continue
		}
		if pl := &plans[i]; pl.have && pl.rng.covers(need[i]) {
			st.Pieces = append(st.Pieces, pl.stat)
			continue
		}
		// Rebuilt in place, into its spot of the segment.
		pieces[i] = buf[int64(i)*ps+u.from : int64(i)*ps+u.from : int64(i)*ps+u.to]
		want[i] = true
		st.Decoded = append(st.Decoded, i)
	}
	if len(st.Decoded) == 0 {
		return nil
	}
	enc, err := sharding.NewErasure(m.K, m.M)
	if err != nil {
		return err
	}
	return enc.ReconstructSome(pieces, want)
}

// piecesByCost returns the pieces that still have a node to ask, expected first for the column
// range u; data pieces first among equals.
func (c *Client) piecesByCost(plans []piecePlan, u colRange, k int) []int {
	type cand struct {
		i    int
		cost time.Duration
	}
	var cs []cand
	for i := range plans {
		pl := &plans[i]
		switch {
		case pl.have || pl.inflight:
			cs = append(cs, cand{i, 0})
		case pl.next < len(pl.peers):
			cs = append(cs, cand{i, c.cost(pl.peers[pl.next], u.len())})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].cost < cs[b].cost })
	out := make([]int, len(cs))
	for j, cd := range cs {
		out[j] = cd.i
	}
	return out
}

// connectPenalty is added to the expected time of a node that is not connected: the read's
// warm-up dialed it and it has not answered, so it is far, or down and its dial can take seconds
// to fail.
const connectPenalty = time.Second

// usable says whether one of a shard's nodes is connected, not marked down and not found late.
func (c *Client) usable(ps []peer.ID) bool {
	for _, p := range ps {
		if !c.est.Down(p) && !c.est.Suspect(p) && c.cfg.Host.Network().Connectedness(p) == network.Connected {
			return true
		}
	}
	return false
}

// cost is how long a fetch of n bytes from p is expected to take, a dial included when p is not
// ready: not connected, or connected by a warm-up that has not measured it yet. Such a node's
// estimate is only the typical node's; a far node stays in that state for its dial and its first
// round trip, and must not win over a measured replica in that time.
func (c *Client) cost(p peer.ID, n int64) time.Duration {
	d := c.est.Score(p, n) // the expected time, weighed up by the node's price
	if c.cfg.Host.Network().Connectedness(p) != network.Connected || (c.warming.has(p) && !c.est.Known(p)) {
		d += connectPenalty
	}
	return d
}

// byExpected sorts the nodes of one shard by the time a fetch of n bytes is expected to take.
func (c *Client) byExpected(ps []peer.ID, n int64) {
	if len(ps) < 2 {
		return
	}
	costs := make(map[peer.ID]time.Duration, len(ps))
	for _, p := range ps {
		costs[p] = c.cost(p, n)
	}
	slices.SortStableFunc(ps, func(a, b peer.ID) int { return int(costs[a] - costs[b]) })
}

// noteFailure records a failed fetch: a node that answered (the piece missing or corrupt, or the
// node busy) is penalised; one that could not be reached or stopped answering is marked down.
func (c *Client) noteFailure(p peer.ID, err error) {
	var re *wire.RemoteError
	if errors.Is(err, wire.ErrCorrupt) || errors.As(err, &re) {
		c.est.Fail(p)
		return
	}
	c.est.MarkDown(p, c.cfg.PeerBackoff)
}

// noteLoser records a fetch cancelled because the segment had enough pieces: if it ran past its
// node's P95, the time it took so far is a sample of how slow the node is, and a lower bound of
// its next answers (Late): the next reads leave the node to parity, and the fetches from it still
// in flight elsewhere are hedged at once. Only a loser counts, not every hedge: on a loaded
// machine fetches pass their P95 often, and most of them still win. Nor does a loser whose
// fetches from other nodes were mostly as late (fetchBoard.nodeLate): the machine was slow, and a
// healthy node found late would make the next reads decode around it.
func (c *Client) noteLoser(p peer.ID, f *boardFetch, ttfb time.Duration, n int64) {
	now := time.Now()
	elapsed := now.Sub(f.start)
	if elapsed <= c.est.P95(p, n) {
		return
	}
	if !c.board.nodeLate(f, now) {
		// The fetches from the other nodes were as late: the machine was slow, not this node.
		c.log.Debug("a cancelled fetch ran past its P95 with the others: not marking its node late", "peer", p, "elapsed", elapsed)
		return
	}
	if ttfb == 0 {
		ttfb = elapsed
	}
	c.est.Observe(p, ttfb, elapsed, 0)
	c.est.Late(p, elapsed)
}

// decodeNanosPerByte is the CPU time of rebuilding data from parity, per byte of the k pieces read:
// BenchmarkReconstructRange in sharding measures it (4+2, one 1 MiB data piece lost: 3.5 GB/s of
// input on the loaded 2-core machine, 0.28 ns a byte).
const decodeNanosPerByte = 0.3

// decodeMargin is how much sooner, beyond a quarter, parity must be expected to answer for a read to
// prefer it to a data piece.
const decodeMargin = 10 * time.Millisecond

// decodeTime is the expected CPU time of decoding k pieces of n bytes.
func decodeTime(k int, n int64) time.Duration {
	return time.Duration(decodeNanosPerByte * float64(int64(k)*n))
}

// warmUpWait is how long a read waits for the nodes of its first bytes before it settles for
// any k ready nodes, and warmUpMax how long it waits in all.
const (
	warmUpWait = 100 * time.Millisecond
	warmUpMax  = time.Second
)

// warmUp dials every node of the file that is not marked down, at once, and pings each one never
// measured (seeding its estimate; a node that sent the manifest was measured by its answer): a
// node is ready once connected and measured or pinged. The read
// waits until the nodes of the data pieces its first job needs are ready or have failed; after
// warmUpWait it waits no more once k nodes are ready (enough to read around a far data node with
// parity), and it never waits more than warmUpMax. A read that started with nodes connected but
// not measured (a new client whose DHT bootstrap dialed them) would see them all alike and could
// fetch from a far node, to hedge only at its P95 guess of several hundred milliseconds; with
// fewer than k ready nodes it could pick a far one among nodes that all cost a dial. Dials and
// pings still pending go on in the background, each dial for at most DialTimeout; a failed dial
// marks its node down. Until a node is ready the reads count it as not connected (cost), and a
// node is pinged by one warm-up at a time.
func (c *Client) warmUp(ctx context.Context, m *sharding.Manifest, first segmentJob) {
	needed := make(map[peer.ID]bool)
	placement := c.placement(m)
	if first.hi > first.lo {
		for _, i := range dataPieces(m, first) {
			if i >= len(placement) {
				break
			}
			for _, loc := range placement[i] {
				if id, err := peer.Decode(loc.Peer); err == nil {
					needed[id] = true
				}
			}
		}
	}
	var nodes []peer.AddrInfo
	seen := make(map[peer.ID]bool)
	for _, locs := range placement {
		for _, loc := range locs {
			id, err := c.addLocation(loc)
			if err != nil || seen[id] || id == c.cfg.Host.ID() || c.est.Down(id) {
				continue
			}
			seen[id] = true
			nodes = append(nodes, peer.AddrInfo{ID: id})
		}
	}
	var (
		settled   = make(chan struct{}) // every needed node ready or failed
		enough    = make(chan struct{}) // k nodes ready
		wgNeeded  sync.WaitGroup
		ready     atomic.Int32
		readyOnce sync.Once
	)
	for _, ai := range nodes {
		if needed[ai.ID] {
			wgNeeded.Add(1)
		}
		// A node another read is warming up already is pinged once, by that read.
		first := c.warming.add(ai.ID)
		go func() {
			defer c.warming.done(ai.ID)
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.DialTimeout)
			defer cancel()
			err := c.cfg.Host.Connect(dctx, ai)
			if err == nil && first && !c.est.Known(ai.ID) {
				c.ping(ai.ID)
			}
			if err == nil && int(ready.Add(1)) >= m.K {
				readyOnce.Do(func() { close(enough) })
			}
			if needed[ai.ID] {
				wgNeeded.Done()
			}
			if err != nil {
				c.est.MarkDown(ai.ID, c.cfg.PeerBackoff)
			}
		}()
	}
	go func() {
		wgNeeded.Wait()
		close(settled)
	}()
	t := time.NewTimer(warmUpWait)
	defer t.Stop()
	select {
	case <-settled:
		return
	case <-t.C:
	case <-ctx.Done():
		return
	}
	t.Reset(warmUpMax - warmUpWait)
	select {
	case <-settled:
	case <-enough:
	case <-t.C:
	case <-ctx.Done():
	}
}

// pingTimeout bounds the ping that seeds a node's estimate.
const pingTimeout = 2 * time.Second

// pings is how many round trips seed an estimate: the least of them, since a loaded machine
// only ever adds to a round trip.
const pings = 3

// ping measures round trips to p with the libp2p ping protocol and seeds p's estimate with them,
// from the first one on: a far node is ready after one round trip, not after all of them.
func (c *Client) ping(p peer.ID) {
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	results := ping.Ping(ctx, c.cfg.Host, p)
	var best time.Duration
	for range pings {
		select {
		case r := <-results:
			if r.Error != nil {
				return
			}
			if best == 0 || r.RTT < best {
				best = r.RTT
				c.est.SeedRTT(p, best)
			}
			continue
		case <-ctx.Done():
		}
		return
	}
}

// warmSet holds the nodes a read's warm-up is dialing or pinging (see warmUp).
type warmSet struct {
	mu sync.Mutex
	n  map[peer.ID]int
}

// add counts one more warm-up of p and says whether it is the only one.
func (w *warmSet) add(p peer.ID) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == nil {
		w.n = make(map[peer.ID]int)
	}
	w.n[p]++
	return w.n[p] == 1
}

// done ends one warm-up of p.
func (w *warmSet) done(p peer.ID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n[p]--; w.n[p] <= 0 {
		delete(w.n, p)
	}
}

// has says whether a warm-up of p is under way.
func (w *warmSet) has(p peer.ID) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n[p] > 0
}
