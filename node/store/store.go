package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

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
	// PutPiece stores data under ref with its SHA-256 sum; it is not checked here.
	PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error
	// GetPiece returns a piece after checking it against its stored SHA-256 (ErrCorrupt if not).
	GetPiece(ctx context.Context, ref Ref) ([]byte, error)
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
type Badger struct{ db *badger.DB }

var _ Store = (*Badger)(nil)

// OpenBadger opens (or creates) a badger store in dir.
func OpenBadger(dir string) (*Badger, error) {
	opts := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithMemTableSize(16 << 20).
		WithBlockCacheSize(16 << 20).
		WithValueThreshold(1 << 10).
		WithValueLogFileSize(256 << 20)
	db, err := badger.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	return &Badger{db: db}, nil
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

// PutPiece implements Store. The value is the SHA-256 followed by the bytes.
func (b *Badger) PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v := make([]byte, 0, 32+len(data))
	v = append(append(v, sum[:]...), data...)
	return b.db.Update(func(txn *badger.Txn) error { return txn.Set(PieceKey(ref), v) })
}

// GetPiece implements Store.
func (b *Badger) GetPiece(ctx context.Context, ref Ref) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(PieceKey(ref))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrNotFound)
		}
		if err != nil {
			return err
		}
		v, err := it.ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(v) < 32 || sha256.Sum256(v[32:]) != [32]byte(v[:32]) {
			return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrCorrupt)
		}
		out = v[32:]
		return nil
	})
	return out, err
}

// PutManifest implements Store.
func (b *Badger) PutManifest(ctx context.Context, root cid.Cid, manifest []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.db.Update(func(txn *badger.Txn) error { return txn.Set(manifestKey(root), manifest) })
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
			// ValueSize is approximate for values kept in the value log: read the length.
			if err := it.Item().Value(func(v []byte) error {
				size += int64(len(v)) - 32
				return nil
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
	return b.db.Update(func(txn *badger.Txn) error { return txn.Set(TreeKey(root, shard), tree) })
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
