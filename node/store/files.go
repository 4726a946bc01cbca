package store

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/ipfs/go-cid"
)

// Pieces of PieceFileMin bytes or more keep their bytes in a file of their shard, not in badger:
// badger's value log is written through a memory mapping, and every page of it the kernel maps
// in for a write is allocated, zeroed and written back, which costs more CPU than receiving and
// checking the piece. A shard's file is append-only: each piece is written at the file's end,
// around the page cache (O_DIRECT where the file system allows it), in whole 4 KiB blocks, and
// synced before its index is committed to badger; the index (the piece's value, "dsp3") is its
// header, its place in the file and its chunk sums:
//
//	magic "dsp3" (4) | header sum (32) | piece sum (32) | size (4) | chunk shift (1) | offset (8)
//	| chunk sums (4 each, CRC-32C)
//
// The header sum covers the piece sum, size, chunk shift and offset. A piece written again (a
// repair) goes to the file's end and its index moves there; the shard's file goes when the shard
// is deleted, or takes another root's name when the shard moves to it (Badger.MoveShard). A read checks the header and the chunks it touches, as for a value kept in badger.
const (
	// PieceFileMin is the size from which a piece's bytes go to its shard's file.
	PieceFileMin = 128 << 10

	pieceMagicFile = "dsp3"
	headerLenFile  = headerLen + 8
	fileBlock      = 4096 // the alignment of every write and read of a shard file
)

// pieceFiles are the shard files of a store, in dir.
type pieceFiles struct {
	dir  string
	mu   sync.Mutex
	ends map[string]int64 // the next offset to write in each shard file seen
}

func (f *pieceFiles) name(root cid.Cid, shard int) string {
	return filepath.Join(f.dir, fmt.Sprintf("%s.%d", root, shard))
}

// alignedBuffer returns n bytes, zeroed, whose address is a multiple of fileBlock and whose
// capacity is n rounded up to fileBlock.
func alignedBuffer(n int) []byte {
	c := roundUp(n, fileBlock)
	b := make([]byte, c+fileBlock)
	off := int(-uintptr(unsafe.Pointer(&b[0])) & (fileBlock - 1))
	return b[off : off+n : off+c]
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }

// writeBufs recycles the aligned buffers that pieces are received into and written from, by
// powers of two from PieceFileMin up to 16 MiB: a node receiving pieces neither zeroes a new
// buffer for each nor makes its heap grow and shrink with them.
var writeBufs [8]sync.Pool

// writeClass is the index in writeBufs of the buffers that hold n bytes, -1 if none does.
func writeClass(n int) int {
	for c := range writeBufs {
		if n <= PieceFileMin<<c {
			return c
		}
	}
	return -1
}

// writeBuffer returns n bytes whose address is a multiple of fileBlock and whose capacity is n
// rounded up to fileBlock; its bytes are not zeroed. Give back the handle with
// releaseWriteBuffer once the bytes are written (a nil handle is not pooled).
func writeBuffer(n int) ([]byte, *[]byte) {
	c := writeClass(n)
	if c < 0 {
		return alignedBuffer(n), nil
	}
	b, ok := writeBufs[c].Get().(*[]byte)
	if !ok {
		nb := alignedBuffer(PieceFileMin << c)
		b = &nb
	}
	return (*b)[:n:roundUp(n, fileBlock)], b
}

// releaseWriteBuffer gives back the handle of a buffer of writeBuffer; nothing may use the
// buffer afterwards.
func releaseWriteBuffer(h *[]byte) {
	if h != nil {
		writeBufs[writeClass(len(*h))].Put(h)
	}
}

// open opens a shard file for direct I/O, or for ordinary I/O where the file system refuses it.
func openDirect(name string, flag int) (*os.File, bool, error) {
	if oDirect != 0 {
		f, err := os.OpenFile(name, flag|oDirect, 0o600)
		if err == nil {
			return f, true, nil
		}
		if !errors.Is(err, errInvalid) {
			return nil, false, err
		}
	}
	f, err := os.OpenFile(name, flag, 0o600)
	return f, false, err
}

// write appends data (aligned as alignedBuffer returns it; the padding up to its capacity is
// written too) to the file of shard, syncs it, and returns its offset.
func (f *pieceFiles) write(root cid.Cid, shard int, data []byte) (int64, error) {
	name := f.name(root, shard)
	block := data[:cap(data)]
	f.mu.Lock()
	end, seen := f.ends[name]
	created := false
	if !seen {
		st, err := os.Stat(name)
		switch {
		case err == nil:
			end = int64(roundUp(int(st.Size()), fileBlock))
		case errors.Is(err, os.ErrNotExist):
			created = true
		default:
			f.mu.Unlock()
			return 0, err
		}
	}
	f.ends[name] = end + int64(len(block))
	f.mu.Unlock()

	fh, direct, err := openDirect(name, os.O_WRONLY|os.O_CREATE)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	_, err = fh.WriteAt(block, end)
	if err != nil && direct && errors.Is(err, errInvalid) {
		// Direct I/O taken when opening but not when writing: write through the page cache.
		if fh2, err2 := os.OpenFile(name, os.O_WRONLY, 0o600); err2 == nil {
			defer fh2.Close()
			fh = fh2
			_, err = fh.WriteAt(block, end)
		}
	}
	if err == nil {
		err = fh.Sync()
	}
	if err == nil && created {
		err = syncDir(f.dir)
	}
	if err != nil {
		return 0, fmt.Errorf("writing the file of shard %d of %s: %w", shard, root, err)
	}
	return end, nil
}

// read returns the bytes [lo, hi) of the piece at off in the file of shard, read in whole
// aligned blocks, and, with recycle, the handle of its buffer of writeBuffer; the slice returned
// may share its array with more bytes of the piece.
func (f *pieceFiles) read(root cid.Cid, shard int, off, lo, hi int64, recycle bool) ([]byte, *[]byte, error) {
	alo := (off + lo) / fileBlock * fileBlock
	ahi := int64(roundUp(int(off+hi), fileBlock))
	fh, direct, err := openDirect(f.name(root, shard), os.O_RDONLY)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("%w: the file of shard %d is missing", ErrCorrupt, shard)
	}
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	var buf []byte
	var pooled *[]byte
	if recycle {
		buf, pooled = writeBuffer(int(ahi - alo))
	} else {
		buf = alignedBuffer(int(ahi - alo))
	}
	buf = buf[:cap(buf)] // whole blocks
	n, err := fh.ReadAt(buf, alo)
	if err != nil && direct && errors.Is(err, errInvalid) {
		if fh2, err2 := os.Open(f.name(root, shard)); err2 == nil {
			defer fh2.Close()
			n, err = fh2.ReadAt(buf, alo)
		}
	}
	if err != nil && !(errors.Is(err, io.EOF) && int64(n) >= off+hi-alo) {
		releaseWriteBuffer(pooled)
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("%w: the file of shard %d ends before the piece", ErrCorrupt, shard)
		}
		return nil, nil, err
	}
	return buf[off+lo-alo : off+hi-alo], pooled, nil
}

// writeAt overwrites bytes of a shard file through the page cache (storetest's damage).
func (f *pieceFiles) writeAt(root cid.Cid, shard int, b []byte, off int64) error {
	fh, err := os.OpenFile(f.name(root, shard), os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer fh.Close()
	if _, err := fh.WriteAt(b, off); err != nil {
		return err
	}
	return fh.Sync()
}

// remove deletes the file of shard.
func (f *pieceFiles) remove(root cid.Cid, shard int) error {
	name := f.name(root, shard)
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.ends, name)
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// link gives the file of shard under from its name under to as well, for a move of the shard,
// and syncs the directory; there is nothing to link if from has no file. A file already named
// for to is kept if it is the same file (a move done again); another file there is left over if
// stale says that no piece of to indexes it, and is replaced, and refused with ErrExists if not.
// A write under to afterwards finds the file's end again.
func (f *pieceFiles) link(from, to cid.Cid, shard int, stale bool) error {
	src, dst := f.name(from, shard), f.name(to, shard)
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.ends, dst)
	st, err := os.Stat(src)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch held, err := os.Stat(dst); {
	case err == nil && os.SameFile(st, held):
		return syncDir(f.dir) // linked before a crash: make sure the name is durable
	case err == nil && !stale:
		return fmt.Errorf("%w: the file of shard %d of %s is another file", ErrExists, shard, to)
	case err == nil:
		if err := os.Remove(dst); err != nil {
			return err
		}
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	if err := os.Link(src, dst); err != nil {
		return err
	}
	return syncDir(f.dir)
}

// unlink removes the name of the file of shard under root, once the file has another, and syncs
// the directory.
func (f *pieceFiles) unlink(root cid.Cid, shard int) error {
	if err := f.remove(root, shard); err != nil {
		return err
	}
	return syncDir(f.dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// fileIndex returns the index value of a piece whose bytes, data, are at off in its shard's file.
func fileIndex(sum [32]byte, data []byte, off int64) []byte {
	chunks := numChunks(int64(len(data)), chunkShift)
	v := make([]byte, headerLenFile+chunks*sumLen)
	copy(v, pieceMagicFile)
	copy(v[36:68], sum[:])
	binary.BigEndian.PutUint32(v[68:72], uint32(len(data)))
	v[72] = chunkShift
	binary.BigEndian.PutUint64(v[73:81], uint64(off))
	hs := sha256.Sum256(v[36:headerLenFile])
	copy(v[4:36], hs[:])
	table := v[headerLenFile:]
	for i := range chunks {
		lo := i << chunkShift
		binary.BigEndian.PutUint32(table[i*sumLen:], crc32.Checksum(data[lo:min(lo+ChunkSize, len(data))], castagnoli))
	}
	return v
}
