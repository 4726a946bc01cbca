package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
)

// Ref names a piece.
type Ref struct {
	Root    cid.Cid
	Shard   int
	Segment int
}

// Pieces keeps the pieces of shards.
type Pieces interface {
	// PutPiece stores data under ref with its SHA-256 sum, which the caller has checked; a store
	// over its quota refuses it with ErrFull.
	PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error
	// GetPiece returns a piece after checking it against what was stored (ErrCorrupt if not).
	GetPiece(ctx context.Context, ref Ref) ([]byte, error)
	// ReadPiece returns the bytes [off, off+n) of a piece (n < 0: to its end) and its header,
	// checking only the chunks of ChunkSize bytes that hold the range (ErrCorrupt if one fails);
	// it reads nothing else of the piece. An offset past the piece's end is ErrRange.
	ReadPiece(ctx context.Context, ref Ref, off, n int64) ([]byte, PieceInfo, error)
	// Shard reports how many pieces of a shard the store holds and their total size.
	Shard(ctx context.Context, root cid.Cid, shard int) (segments int, bytes int64, err error)
	// HasShard reports whether the store holds the piece of every segment in [0, segments) of a
	// shard, without reading them.
	HasShard(ctx context.Context, root cid.Cid, shard, segments int) (bool, error)
}

// Manifests keeps manifests by root CID.
type Manifests interface {
	PutManifest(ctx context.Context, root cid.Cid, manifest []byte) error
	GetManifest(ctx context.Context, root cid.Cid) ([]byte, error)
	// Roots lists the roots of every manifest held.
	Roots(ctx context.Context) ([]cid.Cid, error)
}

// Trees keeps the proof system's Merkle tree of each shard, as prover.Tree.MarshalBinary writes
// it; the store does not interpret the bytes.
type Trees interface {
	PutTree(ctx context.Context, root cid.Cid, shard int, tree []byte) error
	// GetTree returns a tree, ErrNotFound if the store holds none for the shard.
	GetTree(ctx context.Context, root cid.Cid, shard int) ([]byte, error)
	// HasTree reports whether the store holds a tree for the shard, without reading it.
	HasTree(ctx context.Context, root cid.Cid, shard int) (bool, error)
}

// Store is what a node keeps: pieces, manifests and trees.
type Store interface {
	Pieces
	Manifests
	Trees
	Close() error
}

// Badger is a Store on badger v4.
type Badger struct {
	db   *badger.DB
	max  int64        // bytes of pieces and manifests beyond which writes are refused; 0: no limit
	used atomic.Int64 // bytes of keys and values held
}

var _ Store = (*Badger)(nil)

// Option configures a Badger store.
type Option func(*Badger)

// WithMaxBytes sets the store's quota: a piece or manifest that would take the store's usage past
// max bytes is refused with ErrFull, and nothing stored is touched. Trees, which the node derives
// from what it accepted, are counted but never refused. Zero means no limit.
func WithMaxBytes(max int64) Option { return func(b *Badger) { b.max = max } }

// OpenBadger opens (or creates) a badger store in dir. It counts the bytes already held, reading
// the first bytes of every value once.
func OpenBadger(dir string, opts ...Option) (*Badger, error) {
	bopts := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithMemTableSize(16 << 20).
		WithBlockCacheSize(16 << 20).
		WithValueThreshold(1 << 10).
		WithValueLogFileSize(256 << 20)
	db, err := badger.Open(bopts)
	if err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	b := &Badger{db: db}
	for _, o := range opts {
		o(b)
	}
	if err := b.count(); err != nil {
		db.Close()
		return nil, fmt.Errorf("counting the bytes held in %s: %w", dir, err)
	}
	return b, nil
}

// count sets the usage to the bytes of every key and value held. Value reads the length from the
// value log's mapping without touching the value's bytes.
func (b *Badger) count() error {
	var used int64
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if err := item.Value(func(v []byte) error {
				used += int64(len(item.Key()) + len(v))
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	b.used.Store(used)
	return err
}

// Usage reports the bytes the store holds (keys and values; badger's own overhead and garbage
// not yet collected are not counted) and its quota (0: none).
func (b *Badger) Usage() (used, max int64) { return b.used.Load(), b.max }

// put sets key to value and counts it in the usage; with quota, a value that would take the usage
// past the maximum is refused with ErrFull. Replacing a value counts the difference.
func (b *Badger) put(key, value []byte, quota bool) error {
	size := int64(len(key) + len(value))
	if used := b.used.Add(size); quota && b.max > 0 && used > b.max {
		b.used.Add(-size)
		return fmt.Errorf("%w: %d of %d bytes used, %d more asked", ErrFull, used-size, b.max, size)
	}
	var old int64
	update := func(txn *badger.Txn) error {
		old = 0
		it, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(key, value)
		}
		if err != nil {
			return err
		}
		if err := it.Value(func(v []byte) error {
			old = int64(len(key) + len(v))
			return nil
		}); err != nil {
			return err
		}
		return txn.Set(key, value)
	}
	err := b.db.Update(update)
	for attempt := 0; errors.Is(err, badger.ErrConflict) && attempt < 3; attempt++ {
		err = b.db.Update(update) // the same key written at the same time: read it again
	}
	if err != nil {
		b.used.Add(-size)
		return err
	}
	b.used.Add(-old)
	return nil
}

// DB returns the underlying database (tests use it to damage pieces on purpose).
func (b *Badger) DB() *badger.DB { return b.db }

// PieceKey is the key of a piece: "p" root shard(2) segment(4).
func PieceKey(ref Ref) []byte {
	k := append([]byte("p"), ref.Root.Bytes()...)
	k = binary.BigEndian.AppendUint16(k, uint16(ref.Shard))
	return binary.BigEndian.AppendUint32(k, uint32(ref.Segment))
}

func shardPrefix(root cid.Cid, shard int) []byte {
	k := append([]byte("p"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

func manifestKey(root cid.Cid) []byte { return append([]byte("m"), root.Bytes()...) }

// TreeKey is the key of the tree of a shard: "t" root shard(2).
func TreeKey(root cid.Cid, shard int) []byte {
	k := append([]byte("t"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

// PutPiece implements Store. The value is laid out as piece.go describes: a header, the
// SHA-256 of every ChunkSize bytes, then the bytes.
func (b *Badger) PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(PieceKey(ref), encodePiece(sum, data), true)
}

// GetPiece implements Store.
func (b *Badger) GetPiece(ctx context.Context, ref Ref) ([]byte, error) {
	data, _, err := b.ReadPiece(ctx, ref, 0, -1)
	return data, err
}

// ReadPiece implements Store. It reads the piece's header, the sums of the chunks the range
// touches and those chunks from the value log's mapping, and copies out the range only.
func (b *Badger) ReadPiece(ctx context.Context, ref Ref, off, n int64) ([]byte, PieceInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, PieceInfo{}, err
	}
	var out []byte
	var info PieceInfo
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(PieceKey(ref))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			p, err := parsePiece(v)
			if err != nil {
				return err
			}
			info = p.info
			lo, hi, err := span(off, n, p.info.Size)
			if err != nil {
				return err
			}
			if err := p.check(lo, hi); err != nil {
				return err
			}
			out = append(make([]byte, 0, hi-lo), p.data[lo:hi]...)
			return nil
		})
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, err)
	}
	return out, info, err
}

// PieceInfo returns the header of a piece (its SHA-256 and size), checked, without reading the
// piece's bytes.
func (b *Badger) PieceInfo(ctx context.Context, ref Ref) (PieceInfo, error) {
	_, info, err := b.ReadPiece(ctx, ref, 0, 0)
	return info, err
}

// PutManifest implements Store.
func (b *Badger) PutManifest(ctx context.Context, root cid.Cid, manifest []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(manifestKey(root), manifest, true)
}

// GetManifest implements Store.
func (b *Badger) GetManifest(ctx context.Context, root cid.Cid) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(manifestKey(root))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("manifest of %s: %w", root, ErrNotFound)
		}
		if err != nil {
			return err
		}
		out, err = it.ValueCopy(nil)
		return err
	})
	return out, err
}

// Shard implements Store.
func (b *Badger) Shard(ctx context.Context, root cid.Cid, shard int) (int, int64, error) {
	segs, size := 0, int64(0)
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = shardPrefix(root, shard)
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			// ValueSize is approximate for values kept in the value log: read the size from the
			// piece's header, which touches its first bytes only.
			if err := it.Item().Value(func(v []byte) error {
				p, err := parsePiece(v)
				size += p.info.Size
				return err
			}); err != nil {
				return err
			}
			segs++
		}
		return nil
	})
	return segs, size, err
}

// HasShard implements Store. It walks the keys of the shard's pieces only.
func (b *Badger) HasShard(ctx context.Context, root cid.Cid, shard, segments int) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	held := 0
	prefix := shardPrefix(root, shard)
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if len(k) != len(prefix)+4 {
				continue
			}
			// Keys come in segment order and each segment once, so counting the ones below
			// segments is enough; a stray piece past the end does not count.
			if int64(binary.BigEndian.Uint32(k[len(prefix):])) < int64(segments) {
				held++
			}
		}
		return nil
	})
	return err == nil && held == segments, err
}

// ShardSize is the number of bytes of shard held: the length of the slot the proof system reads.
func (b *Badger) ShardSize(ctx context.Context, root cid.Cid, shard int) (int64, error) {
	_, n, err := b.Shard(ctx, root, shard)
	return n, err
}

// Roots implements Store.
func (b *Badger) Roots(ctx context.Context) ([]cid.Cid, error) {
	var out []cid.Cid
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = []byte("m")
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			c, err := cid.Cast(it.Item().Key()[1:])
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return ctx.Err()
	})
	return out, err
}

// PutTree implements Store.
func (b *Badger) PutTree(ctx context.Context, root cid.Cid, shard int, tree []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(TreeKey(root, shard), tree, false)
}

// GetTree implements Store.
func (b *Badger) GetTree(ctx context.Context, root cid.Cid, shard int) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(TreeKey(root, shard))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("tree of %s/%d: %w", root, shard, ErrNotFound)
		}
		if err != nil {
			return err
		}
		out, err = it.ValueCopy(nil)
		return err
	})
	return out, err
}

// HasTree implements Store.
func (b *Badger) HasTree(ctx context.Context, root cid.Cid, shard int) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	err := b.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(TreeKey(root, shard))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Close implements Store.
func (b *Badger) Close() error { return b.db.Close() }
