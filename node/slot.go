package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/sharding"
)

// ShardReader reads one shard of a file from a store as the byte stream the proof system commits
// to: its pieces in segment order. It implements prover.Slot. It keeps one piece in memory, and
// checks each piece it loads against the manifest's length and SHA-256 for it (the SHA-256 the
// piece was stored with; the store checks the bytes against it chunk by chunk). It is safe for
// concurrent reads (prover.Commit reads from all cores); they take turns.
//
// A ranged reader (openings, which read a few KiB around each cell) reads only the bytes asked
// and the chunks that hold them, never a whole piece.
type ShardReader struct {
	ctx     context.Context
	st      store.Pieces
	m       *sharding.Manifest
	shard   int
	starts  []int64         // starts[j] = offset of segment j's piece in the shard
	ranged  bool            // read the bytes asked only, not whole pieces
	damaged func(store.Ref) // told of every piece found damaged, if set

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

// ShardReader returns a reader of shard of the file m describes, from the node's store, that
// hands every piece it finds damaged to the node's repair (the piece is not served meanwhile).
func (n *Node) ShardReader(ctx context.Context, m *sharding.Manifest, shard int) (*ShardReader, error) {
	r, err := NewShardReader(ctx, n.store, m, shard)
	if err != nil {
		return nil, err
	}
	r.damaged = n.reportDamaged
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
		if r.ranged {
			want := min(int64(len(p)-n), r.starts[j+1]-pos)
			data, err := r.load(j, pos-r.starts[j], want)
			if err != nil {
				return n, err
			}
			n += copy(p[n:], data)
			continue
		}
		if j != r.cur {
			data, err := r.load(j, 0, -1)
			if err != nil {
				return n, err
			}
			r.cur, r.curData = j, data
		}
		n += copy(p[n:], r.curData[pos-r.starts[j]:])
	}
	return n, nil
}

// load reads bytes [off, off+want) of the piece of segment j (want < 0: to its end), checking the
// piece's size and SHA-256 against the manifest's.
func (r *ShardReader) load(j int, off, want int64) ([]byte, error) {
	ref := store.Ref{Root: r.m.Root, Shard: r.shard, Segment: j}
	data, info, err := r.st.ReadPiece(r.ctx, ref, off, want)
	if err != nil {
		if errors.Is(err, store.ErrCorrupt) && r.damaged != nil {
			r.damaged(ref)
		}
		return nil, err
	}
	size := r.starts[j+1] - r.starts[j]
	if info.Size != size || info.Sum != r.m.Segments[j][r.shard] || (want >= 0 && int64(len(data)) != want) {
		if r.damaged != nil {
			r.damaged(ref)
		}
		return nil, fmt.Errorf("%w: shard %d, segment %d", ErrPieceMismatch, r.shard, j)
	}
	return data, nil
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
