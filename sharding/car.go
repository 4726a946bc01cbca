package sharding

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-car/v2"
	"github.com/multiformats/go-varint"
)

// ErrBadCAR reports a CAR this package does not store: malformed, a block that does not match its
// CID, a CID other than CIDv1 sha2-256 of a known codec, or a root it does not hold.
var ErrBadCAR = errors.New("bad CAR")

// ImportCAR reads the CAR (v1 or v2) at path and returns its DAGs as a Tree to store unchanged:
// the non-raw blocks (dag-pb, dag-cbor, dag-json) for the manifest, the raw blocks as the stream,
// read from the CAR file itself. Every block is checked against its CID first; a block that
// does not match, or an unsupported CID, refuses the whole CAR. The first root names the upload,
// and must be in the CAR. Duplicate blocks are kept once.
func ImportCAR(ctx context.Context, path string) (*Tree, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br, err := car.NewBlockReader(f, car.MaxAllowedSectionSize(MaxBlockSize+256))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCAR, err)
	}
	if len(br.Roots) == 0 {
		return nil, fmt.Errorf("%w: it names no root", ErrBadCAR)
	}
	t := &Tree{Root: br.Roots[0], ChunkSize: DefaultChunkSize}
	if err := checkBlockCID(t.Root); err != nil {
		return nil, fmt.Errorf("%w: root: %v", ErrBadCAR, err)
	}
	seen := map[string]bool{}
	buf := make([]byte, 0, 1<<20)
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		md, err := br.SkipNext()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: block %d: %v", ErrBadCAR, n, err)
		}
		c := md.Cid
		if err := checkBlockCID(c); err != nil {
			return nil, fmt.Errorf("%w: block %d: %v", ErrBadCAR, n, err)
		}
		if md.Size > MaxBlockSize {
			return nil, fmt.Errorf("%w: block %d (%s) has %d bytes, at most %d", ErrBadCAR, n, c, md.Size, MaxBlockSize)
		}
		cidLen := uint64(c.ByteLen())
		dataOff := int64(md.SourceOffset + uint64(varint.UvarintSize(md.Size+cidLen)) + cidLen)
		buf = buf[:md.Size]
		if _, err := f.ReadAt(buf, dataOff); err != nil {
			return nil, fmt.Errorf("%w: block %d: %v", ErrBadCAR, n, err)
		}
		if !hashesTo(buf, c) {
			return nil, fmt.Errorf("%w: block %d does not match its CID %s", ErrBadCAR, n, c)
		}
		if seen[c.KeyString()] {
			continue
		}
		seen[c.KeyString()] = true
		if len(seen) > MaxLeaves {
			return nil, fmt.Errorf("%w: more than %d blocks", ErrBadCAR, MaxLeaves)
		}
		if c.Type() == cid.Raw {
			t.Stream = append(t.Stream, Leaf{Offset: t.Size, Size: int64(md.Size), CID: c})
			t.Files = append(t.Files, TreeFile{Path: path, Offset: t.Size, Size: int64(md.Size), FileOffset: dataOff})
			t.Size += int64(md.Size)
			continue
		}
		b := Block{CID: c, Data: append([]byte(nil), buf...)}
		if c.Equals(t.Root) {
			t.Blocks = append([]Block{b}, t.Blocks...)
		} else {
			t.Blocks = append(t.Blocks, b)
		}
	}
	if !seen[t.Root.KeyString()] {
		return nil, fmt.Errorf("%w: the root %s is not in it", ErrBadCAR, t.Root)
	}
	return t, nil
}

// hashesTo says whether b is the content of the sha2-256 CID c.
func hashesTo(b []byte, c cid.Cid) bool {
	sum, err := c.Prefix().Sum(b)
	return err == nil && sum.Equals(c)
}

// CheckCAR reads a CAR (v1 or v2) stream to its end and returns how many blocks it holds. It fails
// with ErrBadCAR when the stream is malformed or broken off, or a block does not match its CID: a
// writer that tees its output through CheckCAR knows the CAR it wrote is whole.
func CheckCAR(r io.Reader) (int, error) {
	br, err := car.NewBlockReader(r, car.MaxAllowedSectionSize(MaxBlockSize+256))
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrBadCAR, err)
	}
	for n := 0; ; n++ {
		b, err := br.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%w: block %d: %v", ErrBadCAR, n, err)
		}
		if !hashesTo(b.RawData(), b.Cid()) {
			return n, fmt.Errorf("%w: block %d does not match its CID %s", ErrBadCAR, n, b.Cid())
		}
	}
}
