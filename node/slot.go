package node

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/sharding"
)

// ShardReader reads one shard of a file from a store as the byte stream the proof system commits
// to: its pieces in segment order. It implements prover.Slot. It keeps one piece in memory, and
// checks each piece it loads against the manifest's length and SHA-256 for it. It is safe for
// concurrent reads (prover.Commit reads from all cores); they take turns.
type ShardReader struct {
	ctx    context.Context
	st     store.Pieces
	m      *sharding.Manifest
	shard  int
	starts []int64 // starts[j] = offset of segment j's piece in the shard

	mu      sync.Mutex // guards cur and curData
	cur     int        // segment whose piece is cached, -1 if none
	curData []byte
}

// NewShardReader returns a reader of shard of the file m describes.
func NewShardReader(ctx context.Context, st store.Pieces, m *sharding.Manifest, shard int) (*ShardReader, error) {
	if shard < 0 || shard >= m.K+m.M {
		return nil, fmt.Errorf("%w: shard %d, the file has %d", ErrShardRange, shard, m.K+m.M)
	}
	r := &ShardReader{ctx: ctx, st: st, m: m, shard: shard, cur: -1}
	var off int64
	for j := 0; j < m.NumSegments(); j++ {
		r.starts = append(r.starts, off)
		off += m.SegmentPieceSize(j)
	}
	r.starts = append(r.starts, off)
	return r, nil
}

// Size is the shard's length in bytes.
func (r *ShardReader) Size() int64 { return r.starts[len(r.starts)-1] }

// ReadAt reads len(p) bytes from offset off, piece by piece.
func (r *ShardReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= r.Size() {
			return n, io.EOF
		}
		j := r.segmentAt(pos)
		if j != r.cur {
			data, err := r.st.GetPiece(r.ctx, store.Ref{Root: r.m.Root, Shard: r.shard, Segment: j})
			if err != nil {
				return n, err
			}
			if int64(len(data)) != r.starts[j+1]-r.starts[j] || sha256.Sum256(data) != r.m.Segments[j][r.shard] {
				return n, fmt.Errorf("%w: shard %d, segment %d", ErrPieceMismatch, r.shard, j)
			}
			r.cur, r.curData = j, data
		}
		n += copy(p[n:], r.curData[pos-r.starts[j]:])
	}
	return n, nil
}

func (r *ShardReader) segmentAt(pos int64) int {
	lo, hi := 0, len(r.starts)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if r.starts[mid] <= pos {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
