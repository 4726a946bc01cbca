package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/sharding"
)

// GetOptions tunes one read.
type GetOptions struct {
	// Progress, if set, is called with the number of verified bytes written so far.
	Progress func(done int64)
	// Manifest, if defined, is the CID of the manifest to read with (from a storage request on
	// chain, or given by the user); otherwise every manifest the network offers is a candidate.
	Manifest cid.Cid
	// Prefer are manifest CIDs to try before the others the network offers (the manifests the
	// file's storage requests on chain name); ignored when Manifest is defined.
	Prefer []cid.Cid
	// Resolved, if set, is called with each candidate manifest before it is read with.
	Resolved func(m *sharding.Manifest)
}

// GetStats describes a finished read.
type GetStats struct {
	Bytes         int64 `json:"bytes"`
	Segments      int   `json:"segments"`
	Decoded       int   `json:"decoded"`        // segments in which data was rebuilt from parity
	CorruptPieces int   `json:"corrupt_pieces"` // pieces that failed their hash in the manifest and were fetched elsewhere
	FailedFetches int   `json:"failed_fetches"` // piece fetches that failed (node down, timeout, refused)
	Hedged        int   `json:"hedged"`         // extra fetches started because one was slower than its node's P95
	// HedgesHeld counts fetches past their node's P95 whose hedge waited because the fetches from
	// other nodes were as late (the machine was slow, not the node).
	HedgesHeld int `json:"hedges_held,omitempty"`
	// Retried counts segments fetched again as whole pieces, each checked against its hash,
	// because a leaf failed its CID.
	Retried int `json:"retried,omitempty"`
	// TTFB is the time from the call to the first byte written.
	TTFB time.Duration `json:"ttfb_ns"`
	// PerSegment says, for every segment, which node served each piece, which pieces were decoded
	// and the hedges.
	PerSegment []SegmentStats `json:"per_segment,omitempty"`
}

func (st *GetStats) add(s SegmentStats) {
	st.FailedFetches += s.Failed
	st.CorruptPieces += s.Corrupt
	st.Hedged += s.Hedges
	st.HedgesHeld += s.Held
	if n := len(st.PerSegment); n > 0 && st.PerSegment[n-1].Segment == s.Segment {
		// The rest of a segment whose first leaf was fetched on its own: one segment still.
		last := &st.PerSegment[n-1]
		if len(last.Decoded) == 0 && len(s.Decoded) > 0 {
			st.Decoded++
		}
	pieces:
		for _, p := range s.Pieces {
			for i := range last.Pieces {
				if q := &last.Pieces[i]; q.Piece == p.Piece && q.Peer == p.Peer && q.Off+q.Bytes == p.Off {
					q.Bytes += p.Bytes
					q.Elapsed = max(q.Elapsed, p.Elapsed)
					continue pieces
				}
			}
			last.Pieces = append(last.Pieces, p)
		}
		for _, d := range s.Decoded {
			if !slices.Contains(last.Decoded, d) {
				last.Decoded = append(last.Decoded, d)
			}
		}
		last.Hedges += s.Hedges
		last.Held += s.Held
		last.Failed += s.Failed
		last.Corrupt += s.Corrupt
		last.Elapsed = max(last.Elapsed, s.Elapsed)
		last.Decode += s.Decode
		return
	}
	st.Segments++
	if len(s.Decoded) > 0 {
		st.Decoded++
	}
	st.PerSegment = append(st.PerSegment, s)
}

// Get writes the file with the given root CID to w, in order, every byte checked against its leaf CID
// before it is written. It reads with the first manifest of root that works (see GetOptions.Manifest).
func (c *Client) Get(ctx context.Context, root cid.Cid, w io.Writer, opts GetOptions) (*sharding.Manifest, *GetStats, error) {
	return c.get(ctx, root, w, opts)
}

// Read writes the file that m describes to w. Segments are fetched ReadAhead at a time; leaves are
// checked against their CIDs and only verified bytes are written.
func (c *Client) Read(ctx context.Context, m *sharding.Manifest, w io.Writer, opts GetOptions) (*GetStats, error) {
	if err := m.CheckPlacement(); err != nil {
		return nil, err
	}
	if m.Size == 0 {
		v, err := sharding.NewLeafVerifier(m)
		if err != nil {
			return nil, err
		}
		return &GetStats{}, v.Close()
	}
	leaves, err := m.Leaves()
	if err != nil {
		return nil, err
	}
	return c.readRange(ctx, m, leaves, 0, m.Size, w, opts)
}

// ReadRange writes the n bytes of the file root from offset off to w. It fetches only the pieces
// that hold them, and only the parts of those pieces, widened to leaf boundaries so that every byte
// is checked against its leaf CID before it is written. A range that does not lie inside the file
// fails with a *RangeError (ErrRange) before anything is fetched.
func (c *Client) ReadRange(ctx context.Context, root cid.Cid, off, n int64, w io.Writer) (*GetStats, error) {
	f, err := c.Open(ctx, root)
	if err != nil {
		return nil, err
	}
	return f.WriteRange(ctx, off, n, w, GetOptions{})
}

// checkRange says whether [off, off+n) lies inside a file of size bytes.
func checkRange(off, n, size int64) error {
	if off < 0 || n < 0 || off > size || n > size-off {
		return &RangeError{Off: off, N: n, Size: size}
	}
	return nil
}

// readRange writes the file bytes [off, off+n) to w; leaves are m's.
func (c *Client) readRange(ctx context.Context, m *sharding.Manifest, leaves []sharding.Leaf, off, n int64, w io.Writer, opts GetOptions) (*GetStats, error) {
	start := time.Now()
	if err := checkRange(off, n, m.Size); err != nil {
		return nil, err
	}
	st := &GetStats{}
	if n == 0 {
		return st, nil
	}
	// Widen to the leaves that hold the range: only whole leaves can be checked.
	lo, hi := sharding.LeafSpan(leaves, off, n)
	if lo >= hi {
		return st, fmt.Errorf("%w: no leaf holds bytes %d-%d", sharding.ErrInvalidManifest, off, off+n-1)
	}
	wlo, whi := leaves[lo].Offset, leaves[hi-1].Offset+leaves[hi-1].Size
	ss := m.SegmentSize()
	s0, s1 := int(wlo/ss), int((whi-1)/ss)
	job := func(j int) segmentJob {
		base := int64(j) * ss
		return segmentJob{j: j, lo: max(wlo, base) - base, hi: min(whi, base+m.SegmentLength(j)) - base}
	}

	jobs := make([]segmentJob, 0, s1-s0+2)
	for j := s0; j <= s1; j++ {
		jobs = append(jobs, job(j))
	}
	// The first byte waits for its leaf alone, from the node of the piece holding it: the rest of
	// its segment is a job of its own, fetched at the same time. Not when no node of that piece
	// can serve it now: the leaf is decoded from k pieces, the ones the rest of the segment needs.
	end := leaves[lo].Offset + leaves[lo].Size - int64(s0)*ss
	split := end < jobs[0].hi
	firstJob := jobs[0]
	if split {
		firstJob.hi = end
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.warmUp(ctx, m, firstJob)
	if split && c.servable(m, dataPieces(m, firstJob)) {
		rest := jobs[0]
		rest.lo, jobs[0].hi = end, end
		jobs = slices.Insert(jobs, 1, rest)
	}

	// The producer starts segment fetches in order and queues their result channels; the queue's
	// capacity bounds how many segments are in flight.
	order := make(chan chan segmentResult, c.cfg.ReadAhead)
	go func() {
		defer close(order)
		for _, jb := range jobs {
			ch := make(chan segmentResult, 1)
			select {
			case order <- ch:
			case <-ctx.Done():
				return
			}
			go func() { ch <- c.fetchSegment(ctx, m, jb) }()
		}
	}()
	// Buffers of segments not consumed go back to the pool when the read ends early.
	defer func() {
		cancel()
		for ch := range order {
			c.dataBufs.put((<-ch).buf)
		}
	}()

	sink := &rangeSink{w: w, off: off, end: off + n, written: off, pendOff: wlo, ver: sharding.NewLeafRangeVerifier(leaves, lo, hi), st: st, start: start, progress: opts.Progress}
	for _, jb := range jobs {
		var res segmentResult
		select {
		case ch, ok := <-order:
			if !ok {
				return st, ctx.Err()
			}
			res = <-ch
		case <-ctx.Done():
			return st, ctx.Err()
		}
		if res.err != nil {
			c.dataBufs.put(res.buf)
			return st, res.err
		}
		st.add(res.stat)
		err := sink.feed(res.data)
		var le *sharding.LeafError
		if errors.As(err, &le) {
			// A piece was corrupt, or a parity piece decoded into wrong bytes: fetch the bytes from
			// the bad leaf on again as whole pieces, each checked against its hash in the manifest.
			dataEnd := int64(jb.j)*ss + jb.hi
			err = c.recoverLeaf(ctx, m, leaves, le, hi, dataEnd, sink)
		}
		c.dataBufs.put(res.buf)
		if err != nil {
			return st, err
		}
	}
	if err := sink.ver.Close(); err != nil {
		return st, err
	}
	if sink.written != off+n {
		return st, fmt.Errorf("read %d bytes of %d", sink.written-off, n)
	}
	return st, nil
}

// servable says whether a node of each of the data pieces of m can serve it now: connected, not
// down and not found late.
func (c *Client) servable(m *sharding.Manifest, pieces []int) bool {
	pl := c.placement(m)
	for _, i := range pieces {
		var ps []peer.ID
		if i < len(pl) {
			for _, loc := range pl[i] {
				if id, err := c.addLocation(loc); err == nil && id != c.cfg.Host.ID() {
					ps = append(ps, id)
				}
			}
		}
		if !c.usable(ps) {
			return false
		}
	}
	return true
}

// recoverLeaf refetches the bytes from the leaf that failed its CID to dataEnd with whole, checked
// pieces and feeds them to a new verifier that starts at that leaf.
func (c *Client) recoverLeaf(ctx context.Context, m *sharding.Manifest, leaves []sharding.Leaf, le *sharding.LeafError, hi int, dataEnd int64, sink *rangeSink) error {
	if sink.emitUpTo(le.Offset); sink.err != nil {
		return sink.err
	}
	c.log.Debug("leaf failed its CID, fetching its segments again as checked pieces", "leaf", le.Index, "offset", le.Offset)
	ss := m.SegmentSize()
	sink.ver = sharding.NewLeafRangeVerifier(leaves, le.Index, hi)
	sink.pending, sink.pendOff = sink.pending[:0], le.Offset
	for pos := le.Offset; pos < dataEnd; {
		j := int(pos / ss)
		base := int64(j) * ss
		res := c.fetchSegment(ctx, m, segmentJob{j: j, lo: pos - base, hi: min(dataEnd, base+m.SegmentLength(j)) - base, checked: true})
		if res.err != nil {
			c.dataBufs.put(res.buf)
			return res.err
		}
		sink.st.Retried++
		sink.st.FailedFetches += res.stat.Failed
		sink.st.CorruptPieces += res.stat.Corrupt
		if len(res.stat.Decoded) > 0 {
			sink.st.Decoded++
		}
		err := sink.feed(res.data)
		pos += int64(len(res.data))
		c.dataBufs.put(res.buf)
		if err != nil {
			return fmt.Errorf("bytes %d-%d fail their leaf CID even from pieces that match their hashes (the manifest does not describe the file): %w", le.Offset, le.Offset+le.Size-1, err)
		}
	}
	return nil
}

// rangeSink checks a run of leaves and writes the verified bytes that lie in [off, end) to w.
type rangeSink struct {
	w        io.Writer
	off, end int64
	written  int64 // next file offset owed to w
	ver      *sharding.LeafVerifier
	pendOff  int64  // file offset of pending
	pending  []byte // bytes fed but not verified yet: a leaf that continues in the next segment
	st       *GetStats
	start    time.Time
	progress func(int64)
	err      error
	data     []byte // the bytes of a feed that failed, from file offset dataOff
	dataOff  int64
}

// feed checks the next bytes of the run and writes what is verified. On a *sharding.LeafError the
// bytes before the bad leaf are still owed (emitUpTo).
func (s *rangeSink) feed(data []byte) error {
	pos := s.pendOff + int64(len(s.pending))
	if _, err := s.ver.Write(data); err != nil {
		s.data, s.dataOff = data, pos
		return err
	}
	v := s.ver.Verified()
	s.emit(s.pending, s.pendOff, v)
	s.emit(data, pos, v)
	if s.err != nil {
		return s.err
	}
	// Keep the unverified tail, [v, pos+len(data)), for the next call.
	keep := s.pending[:0]
	if v < pos {
		keep = s.pending[:copy(s.pending, s.pending[v-s.pendOff:])]
	}
	s.pending = append(keep, data[max(v-pos, 0):]...)
	s.pendOff = v
	return nil
}

// emitUpTo writes the bytes before v after a failed feed (the verifier accepted them).
func (s *rangeSink) emitUpTo(v int64) {
	s.emit(s.pending, s.pendOff, v)
	s.emit(s.data, s.dataOff, v)
	s.data = nil
}

// emit writes the part of b (file bytes from bOff) that lies before v and in [written, end).
func (s *rangeSink) emit(b []byte, bOff, v int64) {
	from, to := max(bOff, s.written), min(bOff+int64(len(b)), v, s.end)
	if to <= from || s.err != nil {
		return
	}
	if _, err := s.w.Write(b[from-bOff : to-bOff]); err != nil {
		s.err = fmt.Errorf("writing the output: %w", err)
		return
	}
	if s.written == s.off {
		s.st.TTFB = time.Since(s.start)
	}
	s.written = to
	s.st.Bytes = to - s.off
	if s.progress != nil {
		s.progress(s.st.Bytes)
	}
}
