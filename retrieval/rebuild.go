package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// RebuildOptions tunes a RebuildShard.
type RebuildOptions struct {
	// Progress, if set, is called after each segment handed over.
	Progress func(done, total int)
	// Tamper, if set, may change each rebuilt piece before it is sent (tests of a hostile
	// repairer); the piece hash sent is then that of the changed bytes, under Manifest.
	Tamper func(segment int, piece []byte)
	// Manifest, if set, is the manifest sent to the new holder instead of m (tests of a hostile
	// repairer that forges piece hashes).
	Manifest *sharding.Manifest
}

// RebuildStats measures one shard rebuilt and handed over.
type RebuildStats struct {
	Shard    int    `json:"shard"`
	To       string `json:"to"`
	Segments int    `json:"segments"`
	// Fetched counts the bytes of the pieces read from other holders (K pieces per segment);
	// Stored the bytes of the rebuilt shard sent to the new holder.
	Fetched  int64         `json:"fetched"`
	Stored   int64         `json:"stored"`
	ShardLen int64         `json:"shardBytes"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

// rebuiltPiece is one segment's piece of the shard, ready to send.
type rebuiltPiece struct {
	segment int
	data    []byte
	sum     [32]byte
}

// encodeBufs recycles the buffers a repair encodes a segment's parity in.
var encodeBufs bufPool

// rebuildAhead is how many segments RebuildShard holds at once: fetched and rebuilt, or being
// stored on the new holder (Config.UploadPipeline of them at a time).
const rebuildAhead = 4

// RebuildShard rebuilds shard of the file m describes, segment by segment from K other pieces of
// each segment (Reed-Solomon through sharding.Erasure), and hands it to node to: its upload
// ticket (with Config.Signer), the manifest, then each piece, checked against the manifest's hash
// before it leaves. Segments are fetched while the pieces rebuilt before them are stored,
// Config.UploadPipeline pieces at a time so that the new holder commits several with one disk
// sync; at most rebuildAhead (4) segments are held at once, so memory stays at a few segments.
// Pieces are write-once and a piece written again with the same bytes is accepted, so a repair
// broken off (either side restarted) is finished by running it again; the node drops a shard
// never confirmed after its upload grace.
func (c *Client) RebuildShard(ctx context.Context, m *sharding.Manifest, shard int, target peer.AddrInfo, opts RebuildOptions) (*RebuildStats, error) {
	to := target.ID
	c.cfg.Host.Peerstore().AddAddrs(to, target.Addrs, time.Hour)
	if shard < 0 || shard >= m.K+m.M {
		return nil, fmt.Errorf("%w: shard %d of %d", sharding.ErrSegmentRange, shard, m.K+m.M)
	}
	start := time.Now()
	sent := m
	if opts.Manifest != nil {
		sent = opts.Manifest
	}
	if err := c.openShard(ctx, sent, shard, to); err != nil {
		return nil, fmt.Errorf("handing shard %d to %s: %w", shard, to, err)
	}
	enc, err := sharding.NewErasure(m.K, m.M)
	if err != nil {
		return nil, err
	}
	st := &RebuildStats{Shard: shard, To: to.String(), Segments: m.NumSegments(), ShardLen: m.ShardSize()}
	// A slot is taken per segment before it is fetched and given back once its piece is stored.
	n := m.NumSegments()
	rebuilt := make([]chan rebuiltPiece, n)
	for j := range rebuilt {
		rebuilt[j] = make(chan rebuiltPiece, 1)
	}
	slots := make(chan struct{}, rebuildAhead)
	var fetched, stored, done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for j := range n {
			select {
			case slots <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			g.Go(func() error {
				p, f, err := c.rebuildPiece(gctx, m, enc, shard, j)
				fetched.Add(f)
				if err != nil {
					return err
				}
				if opts.Tamper != nil {
					opts.Tamper(j, p.data)
					p.sum = m.PieceSum(p.data)
				}
				rebuilt[j] <- p // buffered: never blocks
				return nil
			})
		}
		return nil
	})
	// The pieces go to the new holder in segment order, UploadPipeline at a time.
	ordered := make(chan rebuiltPiece)
	g.Go(func() error {
		defer close(ordered)
		for j := range n {
			var p rebuiltPiece
			select {
			case p = <-rebuilt[j]:
			case <-gctx.Done():
				return gctx.Err()
			}
			select {
			case ordered <- p:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range c.cfg.UploadPipeline {
		g.Go(func() error {
			for p := range ordered {
				ref := wire.PieceRef{Root: m.Root, Shard: shard, Segment: p.segment}
				if err := c.wire.StorePiece(gctx, to, ref, p.sum, p.data); err != nil {
					return fmt.Errorf("handing piece %d of shard %d to %s: %w", p.segment, shard, to, err)
				}
				stored.Add(int64(len(p.data)))
				<-slots
				if d := done.Add(1); opts.Progress != nil {
					opts.Progress(int(d), st.Segments)
				}
			}
			return nil
		})
	}
	err = g.Wait()
	st.Fetched, st.Stored = fetched.Load(), stored.Load()
	if err != nil {
		return st, err
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// openShard sends node to the upload ticket of shard (with a Signer) and the manifest's content.
func (c *Client) openShard(ctx context.Context, m *sharding.Manifest, shard int, to peer.ID) error {
	content, err := m.Content().Marshal()
	if err != nil {
		return err
	}
	mcid, err := m.CID()
	if err != nil {
		return err
	}
	if s := c.cfg.Signer; s != nil {
		t := wire.Ticket{Account: s.Account(), Root: m.Root, Manifest: mcid, Shard: shard, Node: to, Uploader: c.cfg.Host.ID(),
			Size: m.ShardSize(), Expiry: time.Now().Add(c.cfg.TicketLifetime).Unix()}
		if t.Sig, err = s.SignTicket(t.SigningBytes()); err != nil {
			return fmt.Errorf("signing the upload ticket: %w", err)
		}
		if err := c.wire.SendTicket(ctx, to, t); err != nil {
			return err
		}
	}
	return c.wire.StoreManifest(ctx, to, content)
}

// rebuildPiece fetches segment j's data (K pieces, parity standing in for lost ones) and encodes
// shard's piece from it, which must hash to the manifest's value. The pieces fetched are not
// hashed one by one: the rebuilt piece's hash covers them, since a wrong byte in any of them makes
// it wrong. Only when it fails is the segment fetched again with each piece checked against its
// own hash, which finds the bad one.
func (c *Client) rebuildPiece(ctx context.Context, m *sharding.Manifest, enc *sharding.Erasure, shard, j int) (rebuiltPiece, int64, error) {
	p, fetched, err := c.rebuildPieceFrom(ctx, m, enc, shard, j, false)
	if errors.Is(err, ErrRebuild) {
		c.log.Info("a rebuilt piece failed its hash, fetching its segment again as checked pieces", "root", m.Root, "shard", shard, "segment", j)
		var again int64
		p, again, err = c.rebuildPieceFrom(ctx, m, enc, shard, j, true)
		fetched += again
	}
	return p, fetched, err
}

// rebuildPieceFrom is one attempt of rebuildPiece; checked checks each piece fetched.
func (c *Client) rebuildPieceFrom(ctx context.Context, m *sharding.Manifest, enc *sharding.Erasure, shard, j int, checked bool) (rebuiltPiece, int64, error) {
	length := m.SegmentLength(j)
	res := c.fetchSegment(ctx, m, segmentJob{j: j, lo: 0, hi: length, checked: checked})
	defer c.dataBufs.put(res.buf)
	var fetched int64
	for _, p := range res.stat.Pieces {
		fetched += p.Bytes
	}
	if res.err != nil {
		return rebuiltPiece{}, fetched, res.err
	}
	layout := m.SegmentLayout(j)
	ps := layout.PieceSize
	k := int64(m.K)
	out := rebuiltPiece{segment: j, data: make([]byte, ps)}
	// The data pieces in their layout, zero padded, as the upload encoded them.
	buf := encodeBufs.get((k + int64(m.M)) * ps)
	defer encodeBufs.put(buf)
	clear(buf[:k*ps])
	layout.Scatter(buf, 0, res.data)
	if int64(shard) < k {
		copy(out.data, buf[int64(shard)*ps:])
	} else {
		pieces, err := enc.EncodeBuffer(buf, int(ps))
		if err != nil {
			return rebuiltPiece{}, fetched, err
		}
		copy(out.data, pieces[shard])
	}
	out.sum = m.PieceSum(out.data)
	if out.sum != m.Segments[j][shard] {
		return rebuiltPiece{}, fetched, fmt.Errorf("%w: piece %d of shard %d", ErrRebuild, j, shard)
	}
	return out, fetched, nil
}

// Host is the libp2p host the client dials from.
func (c *Client) Host() host.Host { return c.cfg.Host }
