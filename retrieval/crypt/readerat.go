package crypt

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"filippo.io/age"
)

// window bounds the ciphertext one source read fetches: 16 chunks, about 1 MiB.
const window = 16 * encChunkSize

// headRead is how much of the start of the file NewReaderAt reads at once for the header.
const headRead = 4 << 10

// ReaderAt reads any byte range of the plaintext of an age file from an io.ReaderAt of its
// ciphertext, reading only the chunks that hold the range. Calls are serialised.
type ReaderAt struct {
	mu      sync.Mutex
	dec     io.ReaderAt // age's DecryptReaderAt, reading through v
	v       *view
	size    int64 // ciphertext
	plain   int64
	payload int64 // offset of the first chunk in the ciphertext
}

// NewReaderAt opens the age file of size bytes that src holds. It reads the header and the final
// chunk (which authenticates the plaintext size) now, each in one read of src, and returns
// ErrNoIdentity, ErrNotEncrypted, ErrWrongIdentity, ErrTampered (wrapped) or the error of src.
func NewReaderAt(src io.ReaderAt, size int64, ids ...Identity) (*ReaderAt, error) {
	aids, err := identities(ids)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("crypt: negative size %d", size)
	}
	v := &view{src: src}
	head, err := v.fetch(0, min(size, headRead))
	if err != nil {
		return nil, err
	}
	if !IsEncrypted(head) {
		return nil, ErrNotEncrypted
	}
	v.keep(0, 0, head)
	// The final chunk lies in the last encChunkSize bytes.
	if tailOff := max(0, size-encChunkSize); int64(len(head)) < size {
		tail, err := v.fetch(tailOff, size-tailOff)
		if err != nil {
			return nil, err
		}
		v.keep(1, tailOff, tail)
	}
	dec, plain, err := age.DecryptReaderAt(v, size, aids...)
	if err != nil {
		return nil, classify(err, v.failure())
	}
	r := &ReaderAt{dec: dec, v: v, size: size, plain: plain, payload: size - EncryptedSize(plain)}
	v.spans[0], v.spans[1] = span{}, span{}
	return r, nil
}

// Size is the size of the plaintext.
func (r *ReaderAt) Size() int64 { return r.plain }

// ReadAt reads len(p) bytes of the plaintext at off. It reads the ciphertext chunks that hold
// them, up to about 1 MiB at a time, each chunk authenticated before its plaintext is copied.
func (r *ReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("crypt: negative offset %d", off)
	}
	if off >= r.plain {
		return 0, io.EOF
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for len(p) > 0 && off < r.plain {
		first := off / ChunkSize
		k := min(int64(len(p)), (first+window/encChunkSize)*ChunkSize-off, r.plain-off)
		last := (off + k - 1) / ChunkSize
		cs := r.payload + first*encChunkSize
		ce := min(r.payload+(last+1)*encChunkSize, r.size)
		if !r.v.covers(2, cs, ce) {
			buf, err := r.v.fetchInto(r.v.spans[2].buf[:0], cs, ce-cs)
			if err != nil {
				return n, err
			}
			r.v.keep(2, cs, buf)
		}
		r.v.reset()
		m, err := r.dec.ReadAt(p[:k], off)
		n += m
		off += int64(m)
		p = p[m:]
		if err != nil && !(errors.Is(err, io.EOF) && int64(m) == k) {
			return n, classify(err, r.v.failure())
		}
	}
	if off >= r.plain {
		return n, io.EOF
	}
	return n, nil
}

// span is ciphertext already read.
type span struct {
	off int64
	buf []byte
}

// view is the source as age's reader sees it: served from the spans read ahead, else from src.
type view struct {
	src   io.ReaderAt
	spans [3]span // header, final chunk, the current range
	mu    sync.Mutex
	err   error // the source's first failure since it was last cleared
}

func (v *view) keep(i int, off int64, b []byte) { v.spans[i] = span{off: off, buf: b} }

func (v *view) covers(i int, off, end int64) bool {
	s := v.spans[i]
	return off >= s.off && end <= s.off+int64(len(s.buf)) && len(s.buf) > 0
}

func (v *view) fetch(off, n int64) ([]byte, error) {
	return v.fetchInto(nil, off, n)
}

// fetchInto reads n bytes at off into buf's storage.
func (v *view) fetchInto(buf []byte, off, n int64) ([]byte, error) {
	if int64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	m, err := v.src.ReadAt(buf, off)
	if m == len(buf) {
		return buf, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w (the ciphertext ends at %d, before its declared size)", ErrTampered, off+int64(m))
	}
	return nil, err
}

func (v *view) ReadAt(p []byte, off int64) (int, error) {
	end := off + int64(len(p))
	for _, s := range v.spans {
		if len(s.buf) > 0 && off >= s.off && end <= s.off+int64(len(s.buf)) {
			return copy(p, s.buf[off-s.off:]), nil
		}
	}
	n, err := v.src.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		v.mu.Lock()
		if v.err == nil {
			v.err = err
		}
		v.mu.Unlock()
	}
	return n, err
}

func (v *view) reset() {
	v.mu.Lock()
	v.err = nil
	v.mu.Unlock()
}

func (v *view) failure() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.err
}
