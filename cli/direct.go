package cli

import (
	"errors"
	"io"
	"os"
	"sync"
	"unsafe"
)

// directBlock is the size and alignment of a direct write: the largest logical block size of
// the disks direct I/O is used on.
const directBlock = 4096

// directChunk is the size of each write to the disk; two chunks are held, one filling while the
// other is written.
const directChunk = 4 << 20

// directWriter writes a new file sequentially around the page cache (O_DIRECT where the system
// and the file system allow it): every byte written through the page cache costs the kernel a
// page to allocate, fill and later write back, which on a small machine costs more CPU than
// fetching and verifying the byte. Bytes are gathered into aligned chunks, and each full chunk is
// written by a goroutine of its own while the next one fills. Where direct I/O is refused, it
// writes through the page cache as any file does. Close writes the tail and leaves the file open.
type directWriter struct {
	f      *os.File
	direct bool // writes go around the page cache
	cur    []byte
	full   chan []byte // chunks to write
	free   chan []byte // chunks written
	done   chan struct{}
	mu     sync.Mutex
	err    error // the first write error, set by the writer goroutine
	closed bool
}

// newDirectWriter returns a writer of f, a new empty file open for writing, that writes around
// the page cache where it can.
func newDirectWriter(f *os.File) *directWriter {
	w := &directWriter{f: f, direct: setDirect(f, true) == nil, full: make(chan []byte, 1), free: make(chan []byte, 2), done: make(chan struct{})}
	for range 2 {
		w.free <- alignedBuffer(directChunk)[:0]
	}
	w.cur = <-w.free
	go w.run()
	return w
}

// alignedBuffer returns n bytes whose address is a multiple of directBlock.
func alignedBuffer(n int) []byte {
	b := make([]byte, n+directBlock)
	off := int(-uintptr(unsafe.Pointer(&b[0])) & (directBlock - 1))
	return b[off : off+n : off+n]
}

// run writes the full chunks in order until full is closed.
func (w *directWriter) run() {
	defer close(w.done)
	var err error
	for b := range w.full {
		if err == nil {
			if err = w.write(b); err != nil {
				w.mu.Lock()
				w.err = err
				w.mu.Unlock()
			}
		}
		w.free <- b[:0]
	}
}

// write writes b, whole direct blocks unless it is the file's tail, at the end of the file.
func (w *directWriter) write(b []byte) error {
	if w.direct && len(b)%directBlock != 0 {
		// The tail: through the page cache, which takes any length.
		if err := setDirect(w.f, false); err != nil {
			return err
		}
		w.direct = false
	}
	_, err := w.f.Write(b)
	if err != nil && w.direct && isInvalid(err) {
		// A file system that takes O_DIRECT when opening but not when writing: nothing was
		// written, so write through the page cache from here on.
		if serr := setDirect(w.f, false); serr != nil {
			return err
		}
		w.direct = false
		_, err = w.f.Write(b)
	}
	return err
}

// Write gathers p into chunks; it reports a write error of an earlier chunk.
func (w *directWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, os.ErrClosed
	}
	n := len(p)
	for len(p) > 0 {
		k := copy(w.cur[len(w.cur):cap(w.cur)], p)
		w.cur = w.cur[:len(w.cur)+k]
		p = p[k:]
		if len(w.cur) == cap(w.cur) {
			w.full <- w.cur
			w.cur = <-w.free
			if err := w.firstErr(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// firstErr is the first error of the writer goroutine.
func (w *directWriter) firstErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close writes what is gathered and waits until every chunk is written; the file stays open.
func (w *directWriter) Close() error {
	if w.closed {
		return w.firstErr()
	}
	w.closed = true
	if len(w.cur) > 0 {
		w.full <- w.cur
	}
	close(w.full)
	<-w.done
	return w.firstErr()
}

func isInvalid(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe) && isEINVAL(pe.Err)
}

var _ io.WriteCloser = (*directWriter)(nil)
