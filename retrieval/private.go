package retrieval

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/dstore-net/dstore/retrieval/crypt"
	"github.com/dstore-net/dstore/sharding"
)

// Sealed is a file encrypted for upload: its ciphertext in a temporary file that is unlinked as
// soon as it is made, so nothing is left on disk even if the process dies. It is an io.ReaderAt
// of the ciphertext, to give to Put and MakeDeal. Close releases it.
type Sealed struct {
	f     *os.File
	size  int64
	plain int64
}

// Seal encrypts size bytes of src to recipients into a temporary file in dir (the OS's temporary
// directory when dir is ""), streaming: memory does not grow with the file. progress, if set, is
// called with the plaintext bytes encrypted so far.
func Seal(ctx context.Context, src io.Reader, dir string, recipients []crypt.Recipient, progress func(int64)) (*Sealed, error) {
	if len(recipients) == 0 {
		return nil, crypt.ErrNoRecipient
	}
	f, err := os.CreateTemp(dir, ".dstore-sealed-*")
	if err != nil {
		return nil, fmt.Errorf("creating the temporary file for the ciphertext: %w", err)
	}
	// Unlinked at once: the open file stays readable, and no crash leaves the ciphertext behind.
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	s := &Sealed{f: f}
	if err := s.fill(ctx, src, recipients, progress); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sealed) fill(ctx context.Context, src io.Reader, recipients []crypt.Recipient, progress func(int64)) error {
	w, err := crypt.Encrypt(s.f, recipients...)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return fmt.Errorf("writing the ciphertext: %w", err)
			}
			s.plain += int64(n)
			if progress != nil {
				progress(s.plain)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("reading the file to encrypt: %w", rerr)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing the ciphertext: %w", err)
	}
	st, err := s.f.Stat()
	if err != nil {
		return err
	}
	s.size = st.Size()
	return nil
}

// ReadAt reads the ciphertext.
func (s *Sealed) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

// Size is the size of the ciphertext: what Put stores.
func (s *Sealed) Size() int64 { return s.size }

// PlainSize is the size of the plaintext.
func (s *Sealed) PlainSize() int64 { return s.plain }

// Close releases the ciphertext.
func (s *Sealed) Close() error { return s.f.Close() }

// putSealed encrypts src to opts.Recipients into a temporary file, uploads the ciphertext and
// releases it.
func (c *Client) putSealed(ctx context.Context, src io.ReaderAt, size int64, opts PutOptions) (*PutResult, *sharding.Manifest, error) {
	s, err := Seal(ctx, io.NewSectionReader(src, 0, size), opts.TempDir, opts.Recipients, nil)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	opts.Recipients = nil
	return c.Put(ctx, s, s.Size(), opts)
}

// headReader keeps the first bytes of an age header's length read through it, so that an upload
// tells a ciphertext without reading its file again.
type headReader struct {
	r    io.Reader
	head []byte
}

func (h *headReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if k := min(n, len(crypt.Header)-len(h.head)); k > 0 {
		h.head = append(h.head, p[:k]...)
	}
	return n, err
}

// encrypted says whether the bytes read so far start with an age header.
func (h *headReader) encrypted() bool { return crypt.IsEncrypted(h.head) }

// Encrypted says whether the file m describes is encrypted (starts with an age header). It reads
// and verifies the first leaf only. A directory tree (a version 2 manifest) is never encrypted.
func (c *Client) Encrypted(ctx context.Context, m *sharding.Manifest) (bool, error) {
	if m.Version != sharding.ManifestVersion || m.Size == 0 {
		return false, nil
	}
	f, err := c.OpenManifest(ctx, m)
	if err != nil {
		return false, err
	}
	head := make([]byte, min(m.Size, int64(len(crypt.Header))))
	if _, err := f.WriteRange(ctx, 0, int64(len(head)), &sliceWriter{buf: head[:0]}, GetOptions{}); err != nil {
		return false, err
	}
	return crypt.IsEncrypted(head), nil
}

// OpenDecrypted returns random access to the plaintext of the encrypted file m describes,
// decrypting with the first of ids that is a recipient. It reads the header and the final chunk
// now; each ReadAt then reads only the ciphertext chunks that hold its range (through a File, so
// every byte is checked against its leaf CID), and authenticates each before copying from it.
// ctx bounds every later read. Errors as ReadDecrypted's.
func (c *Client) OpenDecrypted(ctx context.Context, m *sharding.Manifest, ids []crypt.Identity) (*crypt.ReaderAt, error) {
	if len(ids) == 0 {
		return nil, crypt.ErrNoIdentity
	}
	if m.Version != sharding.ManifestVersion {
		return nil, fmt.Errorf("%w: it is a directory tree", crypt.ErrNotEncrypted)
	}
	f, err := c.OpenManifest(ctx, m)
	if err != nil {
		return nil, err
	}
	return crypt.NewReaderAt(f, f.Size(), ids...)
}

// ReadDecrypted writes the plaintext of the encrypted file m describes to w, decrypting with the
// first of ids that is a recipient. Every byte is checked against its leaf CID, and every chunk
// is authenticated before its plaintext is written. Errors: crypt.ErrNotEncrypted,
// crypt.ErrWrongIdentity, crypt.ErrTampered, crypt.ErrNoIdentity, or the read's own. The stats
// count ciphertext bytes.
func (c *Client) ReadDecrypted(ctx context.Context, m *sharding.Manifest, w io.Writer, ids []crypt.Identity, opts GetOptions) (*GetStats, error) {
	if len(ids) == 0 {
		return nil, crypt.ErrNoIdentity
	}
	if m.Version != sharding.ManifestVersion {
		return nil, fmt.Errorf("%w: it is a directory tree", crypt.ErrNotEncrypted)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	type result struct {
		st  *GetStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := c.Read(ctx, m, pw, opts)
		pw.CloseWithError(err)
		done <- result{st, err}
	}()
	finish := func(err error) (*GetStats, error) {
		cancel()
		pr.CloseWithError(err)
		r := <-done
		if err == nil && r.err != nil {
			err = r.err
		}
		return r.st, err
	}
	dec, err := crypt.NewReader(pr, ids...)
	if err != nil {
		return finish(err)
	}
	if _, err := io.CopyBuffer(onlyWriter{w}, dec, make([]byte, 1<<20)); err != nil {
		return finish(err)
	}
	return finish(nil)
}

// onlyWriter hides a writer's ReadFrom, so that CopyBuffer uses its buffer.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }
