package store

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node/store/internal/raw"
)

// The hooks of package storetest, through node/store/internal/raw: tests damage what a Badger
// holds without the database or its keys being exported.
func init() {
	raw.Update = func(s any, root cid.Cid, shard, segment int, f func([]byte) []byte) error {
		b, key, err := rawKey(s, root, shard, segment)
		if err != nil {
			return err
		}
		return b.db.Update(func(txn *badger.Txn) error {
			it, err := txn.Get(key)
			if err != nil {
				return err
			}
			v, err := it.ValueCopy(nil)
			if err != nil {
				return err
			}
			if p, err := parsePiece(v); err == nil && p.file && segment >= 0 {
				// f sees the index followed by the piece's bytes, as if they were one value.
				data, _, err := b.files.read(root, shard, p.off, 0, p.info.Size, false)
				if err != nil {
					return err
				}
				n := len(v)
				if v = f(append(v, data...)); v == nil {
					return txn.Delete(key)
				}
				if len(v) > n {
					if err := b.files.writeAt(root, shard, v[n:], p.off); err != nil {
						return err
					}
				}
				return txn.Set(key, v[:min(n, len(v))])
			}
			if v = f(v); v == nil {
				return txn.Delete(key)
			}
			return txn.Set(key, v)
		})
	}
	raw.Version = func(s any, root cid.Cid, shard, segment int) (v uint64, err error) {
		b, key, err := rawKey(s, root, shard, segment)
		if err != nil {
			return 0, err
		}
		err = b.db.View(func(txn *badger.Txn) error {
			it, err := txn.Get(key)
			if err == nil {
				v = it.Version()
			}
			return err
		})
		return v, err
	}
}

func rawKey(s any, root cid.Cid, shard, segment int) (*Badger, []byte, error) {
	b, ok := s.(*Badger)
	if !ok {
		return nil, nil, fmt.Errorf("store: %T is not a *Badger", s)
	}
	if segment < 0 {
		return b, treeKey(root, shard), nil
	}
	return b, pieceKey(Ref{Root: root, Shard: shard, Segment: segment}), nil
}
