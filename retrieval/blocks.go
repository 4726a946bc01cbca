package retrieval

import (
	"context"
	"fmt"

	"github.com/dstore-net/dstore/sharding"
)

// Segment returns the data bytes of segment j of the upload m describes: the K data pieces from
// the nearest nodes (parity for lost or slow ones), each checked against its hash in m. The
// caller checks the leaves it cuts from them against their CIDs.
func (c *Client) Segment(ctx context.Context, m *sharding.Manifest, j int) ([]byte, error) {
	return c.segment(ctx, m, j, true)
}

// SegmentUnchecked is Segment without the pieces' hash checks, as a read fetches them: a
// lying node's bytes come through, so the caller must check every leaf it cuts from them against
// its CID, and call Segment for the segment when one fails.
func (c *Client) SegmentUnchecked(ctx context.Context, m *sharding.Manifest, j int) ([]byte, error) {
	return c.segment(ctx, m, j, false)
}

// segment fetches the data bytes of segment j of m, each piece checked against its hash in m when
// checked is set.
func (c *Client) segment(ctx context.Context, m *sharding.Manifest, j int, checked bool) ([]byte, error) {
	if n := m.NumSegments(); j < 0 || j >= n {
		return nil, fmt.Errorf("%w: segment %d of %d", sharding.ErrSegmentRange, j, n)
	}
	res := c.fetchSegment(ctx, m, segmentJob{j: j, lo: 0, hi: m.SegmentLength(j), checked: checked})
	if res.err != nil {
		return nil, res.err
	}
	return res.data, nil // res.buf is not given back to the pool: the caller keeps the bytes
}
