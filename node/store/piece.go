package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// The value of a piece: a fixed header, one CRC-32C per chunk, then the piece's bytes.
//
//	magic "dsp2" (4) | header sum (32) | piece sum (32) | size (4, big endian) | chunk shift (1)
//	| chunk sums (4 each, CRC-32C, ceil(size / chunk size) of them) | data (size)
//
// The header sum is the SHA-256 of the piece sum, size and chunk shift: a damaged header is
// caught without reading anything else. A damaged chunk sum fails against its chunk. So a read of
// bytes [off, off+n) checks the 73-byte header, the sums of the chunks the range touches and
// those chunks, and reads nothing else of the piece: badger's value log is mmapped, and
// Item.Value hands out a slice of the mapping without copying it.
//
// The chunk sums guard against the disk, not against a sender: the piece's bytes were checked
// against its SHA-256 (the piece sum, the manifest's) before they were stored, and the reader
// checks every byte against its leaf CID. A CRC-32C catches every burst of up to 32 flipped bits and any other
// damage but one in 2^32, and costs a tenth of a SHA-256, so neither storing a piece nor serving
// it hashes its bytes with SHA-256 a second time. Values written with "dsp1" (a SHA-256 per chunk)
// and values from before chunk sums are still read.
const (
	// ChunkSize is the unit a piece is checked in: a read checks every chunk it touches.
	ChunkSize  = 1 << chunkShift
	chunkShift = 14 // 16 KiB

	pieceMagic    = "dsp2" // chunk sums are CRC-32C
	pieceMagicSHA = "dsp1" // chunk sums are SHA-256
	headerLen     = 4 + 32 + 32 + 4 + 1
	sumLen        = 4 // a chunk sum of "dsp2"
	sumLenSHA     = sha256.Size
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// PieceInfo describes a stored piece, from its header.
type PieceInfo struct {
	Sum  [32]byte // the SHA-256 of the whole piece, as stored with it
	Size int64
}

// PieceBuffer holds a piece's bytes where its stored value is laid out, so that storing them
// (Badger.PutPieceBuffer) copies nothing: read the piece into Data, then store it.
type PieceBuffer struct {
	value  []byte
	Data   []byte  // the piece's bytes, at the end of value, or in a buffer for its shard's file
	pooled *[]byte // the buffer of Data, recycled once the piece is stored
}

// NewPieceBuffer returns a buffer for a piece of size bytes.
func NewPieceBuffer(size int) PieceBuffer {
	if size >= PieceFileMin {
		data, pooled := writeBuffer(size) // for its shard's file
		return PieceBuffer{Data: data, pooled: pooled}
	}
	off := headerLen + numChunks(int64(size), chunkShift)*sumLen
	v := make([]byte, off+size)
	return PieceBuffer{value: v, Data: v[off:]}
}

// seal writes the header, with the caller's piece sum, and the chunk sums in front of Data and
// returns the value to store.
func (pb PieceBuffer) seal(sum [32]byte) []byte {
	v, data := pb.value, pb.Data
	chunks := numChunks(int64(len(data)), chunkShift)
	copy(v, pieceMagic)
	copy(v[36:68], sum[:])
	binary.BigEndian.PutUint32(v[68:72], uint32(len(data)))
	v[72] = chunkShift
	hs := sha256.Sum256(v[36:headerLen])
	copy(v[4:36], hs[:])
	table := v[headerLen : headerLen+chunks*sumLen]
	for i := range chunks {
		lo := i << chunkShift
		binary.BigEndian.PutUint32(table[i*sumLen:], crc32.Checksum(data[lo:min(lo+ChunkSize, len(data))], castagnoli))
	}
	return v
}

// encodePiece returns the value stored for a piece: its header, chunk sums and bytes. The piece
// sum is the caller's; the chunk sums are computed here.
func encodePiece(sum [32]byte, data []byte) []byte {
	pb := NewPieceBuffer(len(data))
	copy(pb.Data, data)
	return pb.seal(sum)
}

func numChunks(size int64, shift uint8) int {
	return int((size + 1<<shift - 1) >> shift)
}

// pieceValue is a parsed value; data and table are slices of the value, nothing is copied.
type pieceValue struct {
	info   PieceInfo
	shift  uint8
	table  []byte // chunk sums
	sha    bool   // the chunk sums are SHA-256 ("dsp1"), not CRC-32C
	file   bool   // the bytes are in the shard's file at off ("dsp3"); data is nil
	off    int64
	data   []byte
	legacy bool // sum and bytes only, as stored before chunk sums: checked whole
}

// parsePiece checks the header of v and slices it; it reads nothing past the header.
func parsePiece(v []byte) (pieceValue, error) {
	var p pieceValue
	if len(v) >= headerLenFile && string(v[:4]) == pieceMagicFile {
		return parseFileIndex(v)
	}
	if len(v) < headerLen || (string(v[:4]) != pieceMagic && string(v[:4]) != pieceMagicSHA) {
		// A value from before chunk sums: the piece's SHA-256 and its bytes.
		if len(v) < sumLenSHA {
			return p, fmt.Errorf("%w: a value of %d bytes", ErrCorrupt, len(v))
		}
		p.info.Sum = [32]byte(v[:sumLenSHA])
		p.data = v[sumLenSHA:]
		p.info.Size = int64(len(p.data))
		p.legacy = true
		return p, nil
	}
	if sha256.Sum256(v[36:headerLen]) != [32]byte(v[4:36]) {
		return p, fmt.Errorf("%w: its header fails its SHA-256", ErrCorrupt)
	}
	p.info.Sum = [32]byte(v[36:68])
	p.info.Size = int64(binary.BigEndian.Uint32(v[68:72]))
	p.shift = v[72]
	if p.shift < 6 || p.shift > 30 {
		return p, fmt.Errorf("%w: chunk shift %d", ErrCorrupt, p.shift)
	}
	p.sha = string(v[:4]) == pieceMagicSHA
	tableLen := int64(numChunks(p.info.Size, p.shift)) * int64(p.sumLen())
	if int64(len(v)) != headerLen+tableLen+p.info.Size {
		return p, fmt.Errorf("%w: a value of %d bytes for a piece of %d", ErrCorrupt, len(v), p.info.Size)
	}
	p.table = v[headerLen : headerLen+tableLen]
	p.data = v[headerLen+tableLen:]
	return p, nil
}

// parseFileIndex checks the header of the index of a piece kept in its shard's file and slices it.
func parseFileIndex(v []byte) (pieceValue, error) {
	var p pieceValue
	if sha256.Sum256(v[36:headerLenFile]) != [32]byte(v[4:36]) {
		return p, fmt.Errorf("%w: its header fails its SHA-256", ErrCorrupt)
	}
	p.file = true
	p.info.Sum = [32]byte(v[36:68])
	p.info.Size = int64(binary.BigEndian.Uint32(v[68:72]))
	p.shift = v[72]
	off := binary.BigEndian.Uint64(v[73:81])
	if p.shift < 12 || p.shift > 30 || off%fileBlock != 0 || off > 1<<62 {
		return p, fmt.Errorf("%w: chunk shift %d, offset %d", ErrCorrupt, p.shift, off)
	}
	p.off = int64(off)
	tableLen := int64(numChunks(p.info.Size, p.shift)) * sumLen
	if int64(len(v)) != headerLenFile+tableLen {
		return p, fmt.Errorf("%w: an index of %d bytes for a piece of %d", ErrCorrupt, len(v), p.info.Size)
	}
	p.table = v[headerLenFile:]
	return p, nil
}

// checkData verifies the bytes [lo, hi) of a piece kept in its file: data holds the piece's
// bytes [base, base+len(data)), whole chunks from base up to hi's chunk end.
func (p pieceValue) checkData(data []byte, base, lo, hi int64) error {
	for i := lo >> p.shift; i <= (hi-1)>>p.shift; i++ {
		c := data[i<<p.shift-base : min((i+1)<<p.shift, p.info.Size)-base]
		if !p.chunkOK(c, i) {
			return fmt.Errorf("%w: chunk %d", ErrCorrupt, i)
		}
	}
	return nil
}

// check verifies the bytes [lo, hi) of the piece: the chunks they touch, or the whole piece for a
// legacy value.
func (p pieceValue) check(lo, hi int64) error {
	if hi <= lo {
		return nil
	}
	if p.legacy {
		if sha256.Sum256(p.data) != p.info.Sum {
			return ErrCorrupt
		}
		return nil
	}
	for i := lo >> p.shift; i <= (hi-1)>>p.shift; i++ {
		c := p.data[i<<p.shift : min((i+1)<<p.shift, p.info.Size)]
		if !p.chunkOK(c, i) {
			return fmt.Errorf("%w: chunk %d", ErrCorrupt, i)
		}
	}
	return nil
}

// sumLen is the length of one chunk sum of the value.
func (p pieceValue) sumLen() int {
	if p.sha {
		return sumLenSHA
	}
	return sumLen
}

// chunkOK says whether chunk i, c, matches its sum.
func (p pieceValue) chunkOK(c []byte, i int64) bool {
	if p.sha {
		return sha256.Sum256(c) == [32]byte(p.table[i*sumLenSHA:(i+1)*sumLenSHA])
	}
	return crc32.Checksum(c, castagnoli) == binary.BigEndian.Uint32(p.table[i*sumLen:])
}

// span returns the bytes [off, off+n) of a piece of size bytes as [lo, hi); n < 0 means to the end.
func span(off, n, size int64) (lo, hi int64, err error) {
	if off < 0 || off > size {
		return 0, 0, fmt.Errorf("%w: offset %d of a piece of %d bytes", ErrRange, off, size)
	}
	hi = size
	if n >= 0 && n < size-off {
		hi = off + n
	}
	return off, hi, nil
}
