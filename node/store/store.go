package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	// over its quota refuses it with ErrFull. Pieces are write-once: ErrExists if ref holds a piece
	// of another sum. The same piece again succeeds (and repairs the stored bytes if they no longer
	// match their sum). It returns once the piece is durable on disk.
	PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error
	// GetPiece returns a piece after checking it against what was stored (ErrCorrupt if not).
	GetPiece(ctx context.Context, ref Ref) ([]byte, error)
	// ReadPiece returns the bytes [off, off+n) of a piece (n < 0: to its end) and its header,
	// checking only the chunks of ChunkSize bytes that hold the range (ErrCorrupt if one fails);
	// it reads nothing else of the piece. An offset past the piece's end is ErrRange.
	ReadPiece(ctx context.Context, ref Ref, off, n int64) ([]byte, PieceInfo, error)
	// Shard reports how many pieces of a shard the store holds and their total size; a piece
	// whose header is damaged counts with no bytes.
	Shard(ctx context.Context, root cid.Cid, shard int) (segments int, bytes int64, err error)
	// HasShard reports whether the store holds the piece of every segment in [0, segments) of a
	// shard, without reading them.
	HasShard(ctx context.Context, root cid.Cid, shard, segments int) (bool, error)
	// DeleteShard drops every piece of a shard, its tree and its scrub record (and the record of
	// a move of the shard to another root that did not finish).
	DeleteShard(ctx context.Context, root cid.Cid, shard int) error
	// MoveShard moves every piece of shard from root from to root to, without copying the bytes
	// it can leave in place, once check has approved each of them (its segment and its header:
	// sum and size). It stops at the first error check returns, or at a piece whose header is
	// damaged (ErrCorrupt), and then has changed nothing. ErrExists if the store holds any piece
	// of shard under to (other than those an unfinished move of the shard from from put there),
	// and ErrNotFound if it holds none under from: nothing is changed then either. The tree and
	// scrub record kept for the shard under from are dropped. A move interrupted by a crash
	// leaves each piece readable under from or under to, and MoveShard called again with the
	// same roots completes it: check then sees the pieces already under to as well, and a call
	// that names another root for to is ErrExists. Once it has returned nil, from holds nothing
	// of the shard and a call again is ErrNotFound.
	MoveShard(ctx context.Context, from, to cid.Cid, shard int, check func(segment int, info PieceInfo) error) error
}

// Repairs lets a node check its pieces and mend them in place.
type Repairs interface {
	// CheckPiece checks every chunk of a piece against the sums it was stored with, without
	// copying it, and returns its header: ErrCorrupt if a chunk fails, ErrNotFound if the piece
	// is missing.
	CheckPiece(ctx context.Context, ref Ref) (PieceInfo, error)
	// RepairPiece stores data under ref in place of a damaged or missing piece, only if sum(data)
	// is want (the piece's hash in the file's manifest, sum the manifest's piece hash):
	// ErrMismatch otherwise, and ErrExists if ref holds an intact-headed piece of another sum.
	// Nothing stored is touched when it refuses. It returns once the piece is durable on disk.
	RepairPiece(ctx context.Context, ref Ref, want [32]byte, data []byte, sum func([]byte) [32]byte) error
	// PutScrub keeps the scrub record of a shard (the node encodes it); GetScrub returns it,
	// ErrNotFound if there is none.
	PutScrub(ctx context.Context, root cid.Cid, shard int, v []byte) error
	GetScrub(ctx context.Context, root cid.Cid, shard int) ([]byte, error)
}

// Manifests keeps manifests by their own CID, indexed by the root CID of their file, and the
// placement hints beside them. Contents are write-once.
type Manifests interface {
	// PutManifest keeps content, the marshaled content of a manifest of root, under its CID mcid.
	// The same bytes again succeed and change nothing. ErrExists if mcid holds other bytes, or if
	// root already has a manifest of another CID: pieces are keyed by root, so a second way of
	// cutting one file would collide with the first.
	PutManifest(ctx context.Context, root, mcid cid.Cid, content []byte) error
	// GetManifest returns the content of the manifest held for root.
	GetManifest(ctx context.Context, root cid.Cid) ([]byte, error)
	// ManifestByCID returns the content of manifest mcid.
	ManifestByCID(ctx context.Context, mcid cid.Cid) ([]byte, error)
	// ManifestCIDs lists the manifests held for root.
	ManifestCIDs(ctx context.Context, root cid.Cid) ([]cid.Cid, error)
	// PutPlacement replaces the placement hints kept beside manifest mcid; GetPlacement returns
	// them, ErrNotFound if there are none. The store does not interpret them.
	PutPlacement(ctx context.Context, mcid cid.Cid, placement []byte) error
	GetPlacement(ctx context.Context, mcid cid.Cid) ([]byte, error)
	// DeleteManifests drops every manifest of root and its placement.
	DeleteManifests(ctx context.Context, root cid.Cid) error
	// Roots lists the roots of every manifest held.
	Roots(ctx context.Context) ([]cid.Cid, error)
}

// Grants keeps the node's upload grants: per root, shard and paying account, an opaque value
// (node encodes it).
type Grants interface {
	PutGrant(ctx context.Context, root cid.Cid, shard int, account [20]byte, v []byte) error
	DeleteGrant(ctx context.Context, root cid.Cid, shard int, account [20]byte) error
	// Grants calls fn with every grant held.
	Grants(ctx context.Context, fn func(root cid.Cid, shard int, account [20]byte, v []byte) error) error
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

// Store is what a node keeps: pieces, manifests, trees and upload grants.
type Store interface {
	Pieces
	Manifests
	Trees
	Grants
	Repairs
	Close() error
}

// Badger is a Store on badger v4.
type Badger struct {
	db      *badger.DB
	files   *pieceFiles  // the bytes of pieces of fileMin bytes or more
	fileMin int          // PieceFileMin; tests lower it
	moveMax int          // pieces moved per transaction, moveBatchPieces; tests lower it
	max     int64        // bytes of pieces and manifests beyond which writes are refused; 0: no limit
	used    atomic.Int64 // bytes of keys and values held
	pieces  atomic.Int64 // pieces held

	// moveHook, if set, is called after each step of a move; an error stops the move there, as
	// a crash would (tests).
	moveHook func(step string) error
}

var _ Store = (*Badger)(nil)

// Option configures a Badger store.
type Option func(*Badger)

// WithMaxBytes sets the store's quota: a piece or manifest that would take the store's usage past
// max bytes is refused with ErrFull, and nothing stored is touched. Trees, which the node derives
// from what it accepted, are counted but never refused. Zero means no limit.
func WithMaxBytes(max int64) Option { return func(b *Badger) { b.max = max } }

// OpenBadger opens (or creates) a badger store in dir. It counts the bytes already held, reading
// the first bytes of every value once. Every write is synced to disk before it returns (badger
// groups the syncs of concurrent writes).
func OpenBadger(dir string, opts ...Option) (*Badger, error) {
	bopts := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithMemTableSize(16 << 20).
		WithBlockCacheSize(16 << 20).
		WithValueThreshold(1 << 10).
		WithValueLogFileSize(256 << 20).
		WithSyncWrites(true)
	if err := sealValueLog(dir); err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	db, err := badger.Open(bopts)
	if err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	b := &Badger{db: db, files: &pieceFiles{dir: filepath.Join(dir, "pieces"), ends: make(map[string]int64)}, fileMin: PieceFileMin, moveMax: moveBatchPieces}
	if err := os.MkdirAll(b.files.dir, 0o700); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	for _, o := range opts {
		o(b)
	}
	if err := b.count(); err != nil {
		db.Close()
		return nil, fmt.Errorf("counting the bytes held in %s: %w", dir, err)
	}
	return b, nil
}

// sealValueLog keeps badger from truncating its last value log file where a byte of it went bad.
// Badger, when it opens, reads the value log file it wrote last up to the first entry that fails
// its checksum and cuts the file there, taken for a write torn by a crash: one flipped byte on
// disk would lose every value written after it. An empty file numbered after the last one becomes
// the file badger checks (and deletes once it is not the last); the older files stay whole, and a
// damaged value in them is caught by its piece's chunk sums and repaired by the node's scrub.
// A write torn by a crash is no loss either: badger writes the value log before the key that
// points into it, so nothing points to a torn entry.
func sealValueLog(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.vlog"))
	if err != nil || len(files) == 0 {
		return err
	}
	last := uint64(0)
	for _, f := range files {
		id, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(f), ".vlog"), 10, 32)
		if err != nil {
			return fmt.Errorf("value log file %s: %w", f, err)
		}
		last = max(last, id)
	}
	if last+1 > math.MaxUint32 {
		return nil
	}
	// A value log file starts with its header: the encryption key's ID (0: none) and a random
	// 12-byte IV.
	header := make([]byte, 8+12)
	if _, err := rand.Read(header[8:]); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%06d.vlog", last+1)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(header); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// count sets the usage to the bytes of every key and value held. Value reads the length from the
// value log's mapping without touching the value's bytes.
func (b *Badger) count() error {
	var used, pieces int64
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.Key()[0] == 'p' {
				pieces++
			}
			if err := item.Value(func(v []byte) error {
				used += int64(len(item.Key())) + valueSize(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	b.used.Store(used)
	b.pieces.Store(pieces)
	return err
}

// Pieces is the number of pieces the store holds.
func (b *Badger) Pieces() int64 { return b.pieces.Load() }

// Usage reports the bytes the store holds (keys and values; badger's own overhead and garbage
// not yet collected are not counted) and its quota (0: none).
func (b *Badger) Usage() (used, max int64) { return b.used.Load(), b.max }

// put sets key to value and counts it in the usage; with quota, a value that would take the usage
// past the maximum is refused with ErrFull. Replacing a value counts the difference.
func (b *Badger) put(key, value []byte, quota bool) error {
	return b.putIf(key, value, quota, nil)
}

// valueSize is the bytes a value holds: its own, and those of the piece it indexes in a shard file.
func valueSize(v []byte) int64 {
	if len(v) >= headerLenFile && string(v[:4]) == pieceMagicFile {
		return int64(len(v)) + int64(binary.BigEndian.Uint32(v[68:72]))
	}
	return int64(len(v))
}

// errSame ends a write that finds the same value already stored: nothing to do.
var errSame = errors.New("the same value is stored")

// putIf is put, asking check first about the value key holds, if any: an error of check ends the
// write, errSame as a success.
func (b *Badger) putIf(key, value []byte, quota bool, check func(old []byte) error) error {
	size := int64(len(key)) + valueSize(value)
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
			old = int64(len(key)) + valueSize(v)
			if check != nil {
				return check(v)
			}
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
		if errors.Is(err, errSame) {
			return nil
		}
		return err
	}
	b.used.Add(-old)
	return nil
}

// update runs fn in a read-write transaction, again if a concurrent one wrote what fn read.
func (b *Badger) update(fn func(txn *badger.Txn) error) error {
	var err error
	for range 5 {
		if err = b.db.Update(fn); !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return err
}

// deleteKeys deletes keys and takes their bytes off the usage.
func (b *Badger) deleteKeys(keys [][]byte) error {
	var freed int64
	err := b.update(func(txn *badger.Txn) error {
		freed = 0
		for _, k := range keys {
			it, err := txn.Get(k)
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := it.Value(func(v []byte) error { // ValueSize is approximate in the value log
				freed += int64(len(k)) + valueSize(v)
				return nil
			}); err != nil {
				return err
			}
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		b.used.Add(-freed)
	}
	return err
}

// pieceKey is the key of a piece: "p" root shard(2) segment(4).
func pieceKey(ref Ref) []byte {
	k := append([]byte("p"), ref.Root.Bytes()...)
	k = binary.BigEndian.AppendUint16(k, uint16(ref.Shard))
	return binary.BigEndian.AppendUint32(k, uint32(ref.Segment))
}

func shardPrefix(root cid.Cid, shard int) []byte {
	k := append([]byte("p"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

// Manifest keys: "M" mcid holds the content, "R" root mcid indexes it, "H" mcid holds the placement.
func manifestKey(mcid cid.Cid) []byte { return append([]byte("M"), mcid.Bytes()...) }

func rootIndexPrefix(root cid.Cid) []byte {
	b := root.Bytes()
	return append(append([]byte("R"), byte(len(b))), b...)
}

func rootIndexKey(root, mcid cid.Cid) []byte { return append(rootIndexPrefix(root), mcid.Bytes()...) }

func placementKey(mcid cid.Cid) []byte { return append([]byte("H"), mcid.Bytes()...) }

// grantKey is "g" root shard(2) account(20).
func grantKey(root cid.Cid, shard int, account [20]byte) []byte {
	b := root.Bytes()
	k := append(append([]byte("g"), byte(len(b))), b...)
	k = binary.BigEndian.AppendUint16(k, uint16(shard))
	return append(k, account[:]...)
}

// treeKey is the key of the tree of a shard: "t" root shard(2).
func treeKey(root cid.Cid, shard int) []byte {
	k := append([]byte("t"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

// scrubKey is the key of the scrub record of a shard: "s" root shard(2).
func scrubKey(root cid.Cid, shard int) []byte {
	k := append([]byte("s"), root.Bytes()...)
	return binary.BigEndian.AppendUint16(k, uint16(shard))
}

// PutPiece implements Store. The value is laid out as piece.go describes: a header, the
// CRC-32C of every ChunkSize bytes, then the bytes.
func (b *Badger) PutPiece(ctx context.Context, ref Ref, sum [32]byte, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(data) >= b.fileMin {
		buf, pooled := writeBuffer(len(data))
		defer releaseWriteBuffer(pooled)
		copy(buf, data)
		return b.putPieceFile(ref, sum, buf)
	}
	return b.putPiece(ref, sum, encodePiece(sum, data))
}

// PutPieceBuffer is PutPiece for bytes read into a PieceBuffer: nothing is copied. pb must not be
// used afterwards.
func (b *Badger) PutPieceBuffer(ctx context.Context, ref Ref, sum [32]byte, pb PieceBuffer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if pb.value == nil {
		defer releaseWriteBuffer(pb.pooled)
		return b.putPieceFile(ref, sum, pb.Data)
	}
	return b.putPiece(ref, sum, pb.seal(sum))
}

// putPieceFile stores a piece whose bytes, data (as alignedBuffer returns it), go to its shard's
// file: unless the same piece is stored intact already, the bytes are appended to the file and
// synced, then the index is committed.
func (b *Badger) putPieceFile(ref Ref, sum [32]byte, data []byte) error {
	p, err := b.stored(ref)
	switch {
	case err == nil && p.info.Sum != sum:
		return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrExists)
	case err == nil && b.intact(ref, p):
		return nil
	}
	// Refuse before writing what the quota would refuse after.
	if size := int64(len(data)); b.max > 0 && b.used.Load()+size > b.max {
		return fmt.Errorf("%w: %d of %d bytes used, %d more asked", ErrFull, b.used.Load(), b.max, size)
	}
	off, err := b.files.write(ref.Root, ref.Shard, data)
	if err != nil {
		return err
	}
	return b.putPiece(ref, sum, fileIndex(sum, data, off))
}

// stored returns the parsed value of a piece (its table copied), ErrNotFound if there is none.
func (b *Badger) stored(ref Ref) (pieceValue, error) {
	var p pieceValue
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(pieceKey(ref))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		v, err := it.ValueCopy(nil)
		if err != nil {
			return err
		}
		p, err = parsePiece(v)
		return err
	})
	return p, err
}

// intact says whether every chunk of a stored piece matches its sum.
func (b *Badger) intact(ref Ref, p pieceValue) bool {
	if !p.file {
		return p.check(0, p.info.Size) == nil
	}
	_, pooled, err := b.fileBytes(ref, p, 0, p.info.Size, true)
	releaseWriteBuffer(pooled)
	return err == nil
}

// fileBytes reads the bytes [lo, hi) of a piece kept in its shard's file, checking the chunks
// they touch. The buffer may go back to the pool with releaseWriteBuffer(handle).
func (b *Badger) fileBytes(ref Ref, p pieceValue, lo, hi int64, recycle bool) ([]byte, *[]byte, error) {
	if hi <= lo {
		return []byte{}, nil, nil
	}
	clo := lo >> p.shift << p.shift
	chi := min(((hi-1)>>p.shift+1)<<p.shift, p.info.Size)
	data, pooled, err := b.files.read(ref.Root, ref.Shard, p.off, clo, chi, recycle)
	if err != nil {
		return nil, nil, err
	}
	if err := p.checkData(data, clo, lo, hi); err != nil {
		releaseWriteBuffer(pooled)
		return nil, nil, err
	}
	return data[lo-clo : hi-clo], pooled, nil
}

func (b *Badger) putPiece(ref Ref, sum [32]byte, value []byte) error {
	existed := false
	err := b.putIf(pieceKey(ref), value, true, func(old []byte) error {
		existed = true
		p, err := parsePiece(old)
		if err != nil {
			return nil // the stored value is damaged: write the piece again
		}
		if p.info.Sum != sum {
			return ErrExists
		}
		if string(value[:4]) == pieceMagicFile && !bytes.Equal(old, value) {
			return nil // the bytes were just written to the shard's file: index them
		}
		if p.file || p.check(0, p.info.Size) == nil {
			return errSame
		}
		return nil // the stored bytes are damaged: write the piece again
	})
	if errors.Is(err, ErrExists) {
		return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, err)
	}
	if err == nil && !existed {
		b.pieces.Add(1)
	}
	return err
}

// GetPiece implements Store.
func (b *Badger) GetPiece(ctx context.Context, ref Ref) ([]byte, error) {
	data, _, err := b.ReadPiece(ctx, ref, 0, -1)
	return data, err
}

// ReadPiece implements Store. It reads the piece's header, the sums of the chunks the range
// touches and those chunks from the value log's mapping, and copies out the range only.
func (b *Badger) ReadPiece(ctx context.Context, ref Ref, off, n int64) ([]byte, PieceInfo, error) {
	data, info, _, err := b.readPiece(ctx, ref, off, n, false)
	return data, info, err
}

// ReadPieceRecycled is ReadPiece for a caller that is done with the bytes when it calls release
// (and must call it once, also after an error): their buffer then serves a later read or write.
func (b *Badger) ReadPieceRecycled(ctx context.Context, ref Ref, off, n int64) (data []byte, info PieceInfo, release func(), err error) {
	data, info, pooled, err := b.readPiece(ctx, ref, off, n, true)
	return data, info, func() { releaseWriteBuffer(pooled) }, err
}

func (b *Badger) readPiece(ctx context.Context, ref Ref, off, n int64, recycle bool) ([]byte, PieceInfo, *[]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, PieceInfo{}, nil, err
	}
	var pooled *[]byte
	var out []byte
	var info PieceInfo
	var file pieceValue // a piece kept in its shard's file, read once the transaction is done
	var lo, hi int64
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(pieceKey(ref))
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
			if lo, hi, err = span(off, n, p.info.Size); err != nil {
				return err
			}
			if p.file {
				p.table = bytes.Clone(p.table)
				file = p
				return nil
			}
			if err := p.check(lo, hi); err != nil {
				return err
			}
			out = append(make([]byte, 0, hi-lo), p.data[lo:hi]...)
			return nil
		})
	})
	if err == nil && file.file {
		out, pooled, err = b.fileBytes(ref, file, lo, hi, recycle)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, err)
	}
	return out, info, pooled, err
}

// PieceInfo returns the header of a piece (its SHA-256 and size), checked, without reading the
// piece's bytes.
func (b *Badger) PieceInfo(ctx context.Context, ref Ref) (PieceInfo, error) {
	_, info, err := b.ReadPiece(ctx, ref, 0, 0)
	return info, err
}

// PutManifest implements Store.
func (b *Badger) PutManifest(ctx context.Context, root, mcid cid.Cid, content []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	size := int64(len(manifestKey(mcid)) + len(content) + len(rootIndexKey(root, mcid)))
	if used := b.used.Add(size); b.max > 0 && used > b.max {
		b.used.Add(-size)
		return fmt.Errorf("%w: %d of %d bytes used, %d more asked", ErrFull, used-size, b.max, size)
	}
	stored := false
	err := b.update(func(txn *badger.Txn) error {
		stored = false
		held, err := manifestCIDs(txn, root)
		if err != nil {
			return err
		}
		for _, h := range held {
			if !h.Equals(mcid) {
				return fmt.Errorf("manifest %s of %s: %w: the node holds manifest %s of that root, and a root's pieces fit one way of cutting it", mcid, root, ErrExists, h)
			}
		}
		it, err := txn.Get(manifestKey(mcid))
		if err == nil {
			return it.Value(func(v []byte) error {
				if !bytes.Equal(v, content) {
					return fmt.Errorf("manifest %s: %w", mcid, ErrExists)
				}
				return txn.Set(rootIndexKey(root, mcid), nil)
			})
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		if err := txn.Set(manifestKey(mcid), content); err != nil {
			return err
		}
		stored = true
		return txn.Set(rootIndexKey(root, mcid), nil)
	})
	if err != nil || !stored {
		b.used.Add(-size) // refused, or held already
	}
	return err
}

func manifestCIDs(txn *badger.Txn, root cid.Cid) ([]cid.Cid, error) {
	prefix := rootIndexPrefix(root)
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = prefix
	it := txn.NewIterator(opts)
	defer it.Close()
	var out []cid.Cid
	for it.Rewind(); it.Valid(); it.Next() {
		c, err := cid.Cast(it.Item().Key()[len(prefix):])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ManifestCIDs implements Store.
func (b *Badger) ManifestCIDs(ctx context.Context, root cid.Cid) ([]cid.Cid, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []cid.Cid
	err := b.db.View(func(txn *badger.Txn) (err error) {
		out, err = manifestCIDs(txn, root)
		return err
	})
	return out, err
}

// GetManifest implements Store.
func (b *Badger) GetManifest(ctx context.Context, root cid.Cid) ([]byte, error) {
	cids, err := b.ManifestCIDs(ctx, root)
	if err != nil {
		return nil, err
	}
	if len(cids) == 0 {
		return nil, fmt.Errorf("manifest of %s: %w", root, ErrNotFound)
	}
	return b.ManifestByCID(ctx, cids[0])
}

// ManifestByCID implements Store.
func (b *Badger) ManifestByCID(ctx context.Context, mcid cid.Cid) ([]byte, error) {
	return b.get(ctx, manifestKey(mcid), "manifest "+mcid.String())
}

// PutPlacement implements Store.
func (b *Badger) PutPlacement(ctx context.Context, mcid cid.Cid, placement []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(placementKey(mcid), placement, true)
}

// GetPlacement implements Store.
func (b *Badger) GetPlacement(ctx context.Context, mcid cid.Cid) ([]byte, error) {
	return b.get(ctx, placementKey(mcid), "placement of "+mcid.String())
}

// DeleteManifests implements Store.
func (b *Badger) DeleteManifests(ctx context.Context, root cid.Cid) error {
	cids, err := b.ManifestCIDs(ctx, root)
	if err != nil {
		return err
	}
	var keys [][]byte
	for _, c := range cids {
		keys = append(keys, manifestKey(c), placementKey(c), rootIndexKey(root, c))
	}
	return b.deleteKeys(keys)
}

// get reads the value of key, ErrNotFound naming what if there is none.
func (b *Badger) get(ctx context.Context, key []byte, what string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("%s: %w", what, ErrNotFound)
		}
		if err != nil {
			return err
		}
		out, err = it.ValueCopy(nil)
		return err
	})
	return out, err
}

// PutGrant implements Store.
func (b *Badger) PutGrant(ctx context.Context, root cid.Cid, shard int, account [20]byte, v []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(grantKey(root, shard, account), v, false)
}

// DeleteGrant implements Store.
func (b *Badger) DeleteGrant(ctx context.Context, root cid.Cid, shard int, account [20]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.deleteKeys([][]byte{grantKey(root, shard, account)})
}

// Grants implements Store.
func (b *Badger) Grants(ctx context.Context, fn func(root cid.Cid, shard int, account [20]byte, v []byte) error) error {
	return b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte("g")
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if len(k) < 2 || len(k) != 2+int(k[1])+2+20 {
				continue
			}
			root, err := cid.Cast(k[2 : 2+int(k[1])])
			if err != nil {
				continue
			}
			rest := k[2+int(k[1]):]
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if err := fn(root, int(binary.BigEndian.Uint16(rest)), [20]byte(rest[2:]), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteShard implements Store.
func (b *Badger) DeleteShard(ctx context.Context, root cid.Cid, shard int) error {
	var keys [][]byte
	err := b.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = shardPrefix(root, shard)
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	pieces := int64(len(keys))
	keys = append(keys, treeKey(root, shard), scrubKey(root, shard), moveKey(root, shard))
	for len(keys) > 0 { // in transactions of a bounded size
		n := min(len(keys), 1000)
		if err := b.deleteKeys(keys[:n]); err != nil {
			return err
		}
		gone := min(int64(n), pieces)
		b.pieces.Add(-gone)
		pieces -= gone
		keys = keys[n:]
	}
	return b.files.remove(root, shard)
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
				if p, err := parsePiece(v); err == nil { // a damaged header counts no bytes
					size += p.info.Size
				}
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
		opts.Prefix = []byte("R")
		it := txn.NewIterator(opts)
		defer it.Close()
		var last cid.Cid
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(k) < 2 || len(k) < 2+int(k[1]) {
				continue
			}
			c, err := cid.Cast(k[2 : 2+int(k[1])])
			if err != nil {
				return err
			}
			if !c.Equals(last) {
				out = append(out, c)
				last = c
			}
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
	return b.put(treeKey(root, shard), tree, false)
}

// GetTree implements Store.
func (b *Badger) GetTree(ctx context.Context, root cid.Cid, shard int) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(treeKey(root, shard))
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
		_, err := txn.Get(treeKey(root, shard))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// CheckPiece implements Store. It reads the piece from badger's mapping of the value log and
// hashes it chunk by chunk; nothing is copied.
func (b *Badger) CheckPiece(ctx context.Context, ref Ref) (PieceInfo, error) {
	if err := ctx.Err(); err != nil {
		return PieceInfo{}, err
	}
	var info PieceInfo
	var file pieceValue
	err := b.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(pieceKey(ref))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
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
			if p.file {
				p.table = bytes.Clone(p.table)
				file = p
				return nil
			}
			return p.check(0, p.info.Size)
		})
	})
	if err == nil && file.file {
		var pooled *[]byte
		_, pooled, err = b.fileBytes(ref, file, 0, file.info.Size, true)
		releaseWriteBuffer(pooled)
	}
	if err != nil {
		err = fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, err)
	}
	return info, err
}

// RepairPiece implements Store.
func (b *Badger) RepairPiece(ctx context.Context, ref Ref, want [32]byte, data []byte, sum func([]byte) [32]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if sum(data) != want {
		return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrMismatch)
	}
	value := encodePiece(want, data)
	if len(data) >= b.fileMin {
		// Refuse another intact piece before writing anything.
		if p, err := b.stored(ref); err == nil && p.info.Sum != want && (!p.legacy || b.intact(ref, p)) {
			return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, ErrExists)
		}
		buf, pooled := writeBuffer(len(data))
		defer releaseWriteBuffer(pooled)
		copy(buf, data)
		off, err := b.files.write(ref.Root, ref.Shard, buf)
		if err != nil {
			return err
		}
		value = fileIndex(want, buf, off)
	}
	err := b.putIf(pieceKey(ref), value, false, func(old []byte) error {
		p, err := parsePiece(old)
		if err != nil {
			return nil // the header is damaged: the manifest's sum decides
		}
		if p.file {
			// Checked outside badger's transaction: the bytes are in the shard's file.
			p.table = bytes.Clone(p.table)
		}
		intact := b.intact(ref, p)
		switch {
		case p.info.Sum != want && (intact || !p.legacy):
			return ErrExists // another piece, intact: pieces are write-once
		case intact:
			return errSame
		}
		return nil // the stored bytes are damaged: the manifest's sum decides
	})
	if errors.Is(err, ErrExists) {
		return fmt.Errorf("piece %s/%d/%d: %w", ref.Root, ref.Shard, ref.Segment, err)
	}
	return err
}

// PutScrub implements Store.
func (b *Badger) PutScrub(ctx context.Context, root cid.Cid, shard int, v []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.put(scrubKey(root, shard), v, false)
}

// GetScrub implements Store.
func (b *Badger) GetScrub(ctx context.Context, root cid.Cid, shard int) ([]byte, error) {
	return b.get(ctx, scrubKey(root, shard), fmt.Sprintf("scrub record of %s/%d", root, shard))
}

// Close implements Store.
func (b *Badger) Close() error { return b.db.Close() }
