package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/sharding"
)

// File is random access to one stored file: an io.ReaderAt, and an io.ReadSeeker with a position
// of its own. Every read fetches only the pieces, and the parts of them, that hold the bytes asked
// for, widened to leaf boundaries, and returns only bytes checked against their leaf CIDs. With a
// data piece lost it decodes just that column range from parity.
//
// ReadAt is safe for concurrent use; Read and Seek share the position and are not. The context
// given to Open bounds every ReadAt, Read and Seek (io.ReaderAt has no context of its own); use
// WriteRange to pass one per call. A File keeps the last window it read (at most readWindow
// bytes) so that small sequential reads, such as a decrypter's, fetch each leaf once.
type File struct {
	c      *Client
	ctx    context.Context
	m      *sharding.Manifest
	leaves []sharding.Leaf
	// mcid is the CID of m when Open resolved it on the network (undefined for OpenManifest):
	// the manifest cache keeps it after a read succeeds, and drops it after one fails.
	mcid cid.Cid

	mu     sync.Mutex
	winOff int64  // file offset of win
	win    []byte // the last verified window read
	pos    int64  // Read and Seek's position
}

var (
	_ io.ReaderAt   = (*File)(nil)
	_ io.ReadSeeker = (*File)(nil)
)

// readWindow is the most a File reads ahead, and keeps, for small reads: one default segment.
const readWindow = 4 << 20

// Open finds the manifest of root and returns the file it describes. ctx bounds every later read
// of the File except WriteRange's. A manifest a read of root succeeded with before is not fetched
// again (see Config.ManifestCache).
func (c *Client) Open(ctx context.Context, root cid.Cid) (*File, error) {
	if e := c.manifests.get(root, cid.Undef); e != nil {
		return &File{c: c, ctx: ctx, m: c.fromCache(ctx, e), leaves: e.leaves, mcid: e.mcid}, nil
	}
	m, mcid, err := c.manifestOf(ctx, root, cid.Undef)
	if err != nil {
		return nil, err
	}
	f, err := c.OpenManifest(ctx, m)
	if err != nil {
		return nil, err
	}
	f.mcid = mcid
	return f, nil
}

// OpenManifest returns the file that m describes (m is checked against its root CID first, as
// Manifest does).
func (c *Client) OpenManifest(ctx context.Context, m *sharding.Manifest) (*File, error) {
	leaves, err := m.Leaves()
	if err != nil {
		return nil, err
	}
	return &File{c: c, ctx: ctx, m: m, leaves: leaves}, nil
}

// Size is the file's length in bytes.
func (f *File) Size() int64 { return f.m.Size }

// Root is the file's CID.
func (f *File) Root() cid.Cid { return f.m.Root }

// Manifest is the manifest the file was opened with.
func (f *File) Manifest() *sharding.Manifest { return f.m }

// WriteRange writes the n bytes from offset off to w, streaming: memory does not grow with n. It
// fails with a *RangeError (ErrRange) when the range does not lie inside the file, before anything
// is fetched.
func (f *File) WriteRange(ctx context.Context, off, n int64, w io.Writer, opts GetOptions) (*GetStats, error) {
	if f.m.Size == 0 {
		if err := checkRange(off, n, 0); err != nil {
			return nil, err
		}
		return f.c.Read(ctx, f.m, w, opts)
	}
	return f.read(ctx, off, n, w, opts)
}

// read writes the file bytes [off, off+n) to w and tells the manifest cache how it went.
func (f *File) read(ctx context.Context, off, n int64, w io.Writer, opts GetOptions) (*GetStats, error) {
	st, err := f.c.readRange(ctx, f.m, f.leaves, off, n, w, opts)
	f.c.readWith(ctx, f.m.Root, f.mcid, f.m, f.leaves, err)
	return st, err
}

// ReadAt reads len(p) bytes from offset off, as io.ReaderAt says: fewer only at the end of the
// file (with io.EOF) or on an error.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, &RangeError{Off: off, N: int64(len(p)), Size: f.m.Size}
	}
	if off >= f.m.Size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), f.m.Size-off)
	if got := f.fromWindow(p[:n], off); got == int(n) {
		return f.eof(got, len(p))
	}
	// A small read fetches its whole leaves, up to readWindow, and keeps them for the next.
	lo, hi := sharding.LeafSpan(f.leaves, off, n)
	if lo < hi {
		wlo := f.leaves[lo].Offset
		whi := f.leaves[hi-1].Offset + f.leaves[hi-1].Size
		if whi-wlo <= readWindow {
			win, err := f.fetchWindow(wlo, whi-wlo)
			if err != nil {
				return 0, err
			}
			return f.eof(copy(p[:n], win[off-wlo:]), len(p))
		}
	}
	w := sliceWriter{buf: p[:0:n]}
	if _, err := f.read(f.ctx, off, n, &w, GetOptions{}); err != nil {
		return len(w.buf), err
	}
	return f.eof(len(w.buf), len(p))
}

func (f *File) eof(got, want int) (int, error) {
	if got < want {
		return got, io.EOF
	}
	return got, nil
}

// fromWindow copies p's bytes from the kept window if it holds them all; it returns how many.
func (f *File) fromWindow(p []byte, off int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if off >= f.winOff && off+int64(len(p)) <= f.winOff+int64(len(f.win)) {
		return copy(p, f.win[off-f.winOff:])
	}
	return 0
}

// fetchWindow reads [off, off+n), a run of whole leaves, and keeps it as the window.
func (f *File) fetchWindow(off, n int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(n))
	if _, err := f.read(f.ctx, off, n, &buf, GetOptions{}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.win, f.winOff = buf.Bytes(), off
	f.mu.Unlock()
	return buf.Bytes(), nil
}

// Read reads from the position and advances it. Sequential reads fetch readWindow bytes at a time.
func (f *File) Read(p []byte) (int, error) {
	if f.pos >= f.m.Size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := min(int64(len(p)), f.m.Size-f.pos)
	if got := f.fromWindow(p[:n], f.pos); got == 0 {
		// Read ahead: the window from the position, whole leaves, about readWindow bytes.
		ahead := max(n, min(int64(readWindow), f.m.Size-f.pos))
		lo, hi := sharding.LeafSpan(f.leaves, f.pos, ahead)
		if lo >= hi {
			return 0, fmt.Errorf("%w: no leaf holds byte %d", sharding.ErrInvalidManifest, f.pos)
		}
		wlo := f.leaves[lo].Offset
		whi := f.leaves[hi-1].Offset + f.leaves[hi-1].Size
		if _, err := f.fetchWindow(wlo, whi-wlo); err != nil {
			return 0, err
		}
	}
	got := f.fromWindow(p[:n], f.pos)
	if got == 0 {
		return 0, errors.New("retrieval: the read-ahead window does not hold the position")
	}
	f.pos += int64(got)
	return got, nil
}

// Seek sets the position for the next Read, as io.Seeker says.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.m.Size + offset
	default:
		return 0, fmt.Errorf("retrieval: seek: invalid whence %d", whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("retrieval: seek to %d, before the start of the file", abs)
	}
	f.pos = abs
	return abs, nil
}

// sliceWriter appends to buf, up to its capacity.
type sliceWriter struct{ buf []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	if len(p) > cap(w.buf)-len(w.buf) {
		return 0, io.ErrShortWrite
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}
