package retrieval

import (
	"context"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/sharding"
)

// GetOptions tunes one read.
type GetOptions struct {
	// Progress, if set, is called with the number of verified bytes written so far.
	Progress func(done int64)
}

// GetStats describes a finished read.
type GetStats struct {
	Bytes         int64 `json:"bytes"`
	Segments      int   `json:"segments"`
	Decoded       int   `json:"decoded"`        // segments rebuilt from parity
	CorruptPieces int   `json:"corrupt_pieces"` // pieces that failed their SHA-256 and were fetched elsewhere
	FailedFetches int   `json:"failed_fetches"` // piece fetches that failed (node down, timeout, refused)
	Hedged        int   `json:"hedged"`         // extra fetches started because a node was slow
}

// Get writes the file with the given root CID to w, in order, every byte checked against its leaf CID
// before it is written.
func (c *Client) Get(ctx context.Context, root cid.Cid, w io.Writer, opts GetOptions) (*sharding.Manifest, *GetStats, error) {
	m, err := c.Manifest(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	st, err := c.Read(ctx, m, w, opts)
	return m, st, err
}

// segmentResult is a fetched segment, or why it could not be fetched.
type segmentResult struct {
	data    []byte
	decoded bool
	corrupt int
	failed  int
	hedged  int
	err     error
}

// Read writes the file that m describes to w. Segments are fetched ReadAhead at a time; leaves are
// checked against their CIDs and only verified bytes are written.
func (c *Client) Read(ctx context.Context, m *sharding.Manifest, w io.Writer, opts GetOptions) (*GetStats, error) {
	verifier, err := sharding.NewLeafVerifier(m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.warmUp(ctx, m)

	n := m.NumSegments()
	// The producer starts segment fetches in order and queues their result channels; the queue's
	// capacity bounds how many segments are in flight.
	order := make(chan chan segmentResult, c.cfg.ReadAhead)
	go func() {
		defer close(order)
		for j := 0; j < n; j++ {
			ch := make(chan segmentResult, 1)
			select {
			case order <- ch:
			case <-ctx.Done():
				return
			}
			go func() { ch <- c.fetchSegment(ctx, m, j) }()
		}
	}()

	st := &GetStats{Segments: n}
	var (
		pending []byte // unverified tail: bytes of a leaf that continues in the next segment
		written int64
	)
	for j := 0; j < n; j++ {
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
			return st, res.err
		}
		st.CorruptPieces += res.corrupt
		st.FailedFetches += res.failed
		st.Hedged += res.hedged
		if res.decoded {
			st.Decoded++
		}
		if _, err := verifier.Write(res.data); err != nil {
			return st, err
		}
		// Only bytes of leaves the verifier has checked are written; the tail of a leaf that
		// continues in the next segment waits in pending. Bytes are copied only into that tail.
		emit := verifier.Verified() - written
		fromPending := min(emit, int64(len(pending)))
		fromData := emit - fromPending
		if _, err := w.Write(pending[:fromPending]); err != nil {
			return st, fmt.Errorf("writing the output: %w", err)
		}
		if _, err := w.Write(res.data[:fromData]); err != nil {
			return st, fmt.Errorf("writing the output: %w", err)
		}
		written += emit
		pending = append(pending[:copy(pending, pending[fromPending:])], res.data[fromData:]...)
		st.Bytes = written
		if opts.Progress != nil {
			opts.Progress(written)
		}
	}
	if err := verifier.Close(); err != nil {
		return st, err
	}
	if written != m.Size {
		return st, fmt.Errorf("read %d bytes of %d", written, m.Size)
	}
	return st, nil
}
