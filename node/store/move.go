package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
)

// A move of a shard from one root to another goes in steps, each durable before the next, so
// that a crash between two leaves every piece under one of the roots and a second call can tell
// its own half-done move from a root that held pieces before:
//
//  1. the move record, "v" from shard(2) -> to, is committed;
//  2. the shard's file gets its name under to as well (a hard link; its bytes stay where they are);
//  3. the index values move from the keys of from to those of to, in transactions of at most
//     moveBatchPieces pieces (Badger.moveMax) and moveBatchBytes bytes of values;
//  4. the file's name under from goes;
//  5. the move record, and the tree and scrub record of the shard under from, go in one
//     transaction.
//
// The index of a piece in its shard's file holds its offset, not its root, so its value moves
// unchanged. A piece kept in badger moves with its value, which badger writes again.
const (
	moveBatchPieces = 1000     // 2000 entries of at most ~1.2 KiB, within badger's 2.4 MiB batch
	moveBatchBytes  = 16 << 20 // bytes of values held in memory by one transaction
)

// moveKey is the key of the record of a move of shard of root: "v" root shard(2).
func moveKey(root cid.Cid, shard int) []byte {
	k := append([]byte("v"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

// heldPiece is the header of a piece found under a shard's prefix.
type heldPiece struct {
	segment int
	info    PieceInfo
	err     error // the header is damaged
}

// shardPieces lists the pieces of shard of root, in segment order, reading their headers.
func shardPieces(txn *badger.Txn, root cid.Cid, shard int) ([]heldPiece, error) {
	prefix := shardPrefix(root, shard)
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = prefix
	it := txn.NewIterator(opts)
	defer it.Close()
	var out []heldPiece
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if len(k) != len(prefix)+4 {
			continue
		}
		h := heldPiece{segment: int(binary.BigEndian.Uint32(k[len(prefix):]))}
		if err := it.Item().Value(func(v []byte) error {
			p, err := parsePiece(v)
			h.info, h.err = p.info, err
			return nil
		}); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// MoveShard implements Pieces. The bytes of pieces kept in the shard's file are not copied: the
// file is renamed (linked under to, then unlinked under from) and the index values, which do not
// name their root, move to the keys of to unchanged. Pieces below PieceFileMin are kept in badger
// and are written again under their new keys. Once it starts changing the store it goes to the
// end of the move whatever ctx says, so that a cancelled commit leaves no half-moved shard.
func (b *Badger) MoveShard(ctx context.Context, from, to cid.Cid, shard int, check func(segment int, info PieceInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if from.Equals(to) {
		return fmt.Errorf("moving shard %d of %s to the same root: %w", shard, to, ErrExists)
	}
	var staged, held []heldPiece
	var moving []byte // the root of a move of the shard that did not finish
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(moveKey(from, shard))
		switch {
		case err == nil:
			moving, err = it.ValueCopy(nil)
		case errors.Is(err, badger.ErrKeyNotFound):
			err = nil
		}
		if err != nil {
			return err
		}
		if staged, err = shardPieces(txn, from, shard); err != nil {
			return err
		}
		held, err = shardPieces(txn, to, shard)
		return err
	})
	if err != nil {
		return fmt.Errorf("moving shard %d of %s to %s: %w", shard, from, to, err)
	}
	resume := moving != nil
	switch {
	case resume && string(moving) != string(to.Bytes()):
		return fmt.Errorf("moving shard %d of %s to %s: %w: a move of it to another root did not finish", shard, from, to, ErrExists)
	case len(staged) == 0 && !resume:
		return fmt.Errorf("shard %d of %s: %w", shard, from, ErrNotFound)
	case len(held) > 0 && !resume:
		return fmt.Errorf("moving shard %d of %s: shard %d of %s: %w", shard, from, shard, to, ErrExists)
	}
	if err := checkMove(from, to, shard, staged, held, check); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.moveSteps(from, to, shard, staged, len(held) == 0, resume); err != nil {
		return fmt.Errorf("moving shard %d of %s to %s: %w", shard, from, to, err)
	}
	return nil
}

// checkMove asks check about every piece of a move in segment order: those under from, and those
// under to that a move done again finds there. A segment under both roots is not one shard's
// pieces split by a move: ErrExists.
func checkMove(from, to cid.Cid, shard int, staged, held []heldPiece, check func(segment int, info PieceInfo) error) error {
	for len(staged) > 0 || len(held) > 0 {
		root, h := from, heldPiece{}
		switch {
		case len(held) == 0 || len(staged) > 0 && staged[0].segment < held[0].segment:
			h, staged = staged[0], staged[1:]
		case len(staged) == 0 || held[0].segment < staged[0].segment:
			root, h, held = to, held[0], held[1:]
		default:
			return fmt.Errorf("moving piece %s/%d/%d: %s holds that segment: %w", from, shard, held[0].segment, to, ErrExists)
		}
		err := h.err
		if err == nil {
			err = check(h.segment, h.info)
		}
		if err != nil {
			return fmt.Errorf("moving piece %s/%d/%d: %w", root, shard, h.segment, err)
		}
	}
	return nil
}

// moveSteps makes the changes of a move, in the order the comment on moveBatchPieces gives; fresh says
// that to holds no piece of the shard (a file under its name is then left over), resume that the
// move record is there already.
func (b *Badger) moveSteps(from, to cid.Cid, shard int, staged []heldPiece, fresh, resume bool) error {
	if !resume {
		if err := b.put(moveKey(from, shard), to.Bytes(), false); err != nil {
			return err
		}
	}
	if err := b.step("recorded"); err != nil {
		return err
	}
	if err := b.files.link(from, to, shard, fresh); err != nil {
		return err
	}
	if err := b.step("linked"); err != nil {
		return err
	}
	for len(staged) > 0 {
		n, err := b.moveBatch(from, to, shard, staged)
		if err != nil {
			return err
		}
		staged = staged[n:]
		if err := b.step("batch"); err != nil {
			return err
		}
	}
	if err := b.files.unlink(from, shard); err != nil {
		return err
	}
	if err := b.step("unlinked"); err != nil {
		return err
	}
	return b.deleteKeys([][]byte{moveKey(from, shard), treeKey(from, shard), scrubKey(from, shard)})
}

// step lets a test stop a move after one of its steps, as a crash would.
func (b *Badger) step(name string) error {
	if b.moveHook == nil {
		return nil
	}
	return b.moveHook(name)
}

// moveBatch moves the first pieces of staged still under from to the keys of to, in one
// transaction, and returns how many of staged it went through. A piece under to's key is never
// replaced: ErrExists.
func (b *Badger) moveBatch(from, to cid.Cid, shard int, staged []heldPiece) (int, error) {
	var n int
	var grown int64 // the keys of to and from may differ in length
	err := b.update(func(txn *badger.Txn) error {
		n, grown = 0, 0
		values := 0
		for n < len(staged) && n < b.moveMax && values < moveBatchBytes {
			seg := staged[n].segment
			n++
			src, dst := pieceKey(Ref{Root: from, Shard: shard, Segment: seg}), pieceKey(Ref{Root: to, Shard: shard, Segment: seg})
			it, err := txn.Get(src)
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			switch _, err := txn.Get(dst); {
			case err == nil:
				return fmt.Errorf("piece %s/%d/%d: %w", to, shard, seg, ErrExists)
			case !errors.Is(err, badger.ErrKeyNotFound):
				return err
			}
			v, err := it.ValueCopy(nil)
			if err != nil {
				return err
			}
			values += len(v)
			if err := txn.Set(dst, v); err != nil {
				return err
			}
			if err := txn.Delete(src); err != nil {
				return err
			}
			grown += int64(len(dst) - len(src))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	b.used.Add(grown)
	return n, nil
}
