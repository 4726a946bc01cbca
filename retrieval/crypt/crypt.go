package crypt

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// Header is how every age v1 file starts: the first line of its header.
const Header = "age-encryption.org/v1\n"

// ChunkSize is the plaintext size of one age chunk; each chunk of ciphertext is ChunkSize plus a
// 16-byte tag, and the last one may be shorter.
const ChunkSize = 64 << 10

const (
	tagSize      = 16
	encChunkSize = ChunkSize + tagSize
)

// IsEncrypted says whether a file that starts with prefix is an age file. prefix needs
// len(Header) bytes (fewer only when the whole file is shorter).
func IsEncrypted(prefix []byte) bool {
	return bytes.HasPrefix(prefix, []byte(Header))
}

// Encrypt returns a writer that encrypts what is written to it to every recipient and writes the
// ciphertext to dst. Close it to write the last chunk. The ciphertext differs every time (a new
// random file key).
func Encrypt(dst io.Writer, recipients ...Recipient) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return nil, ErrNoRecipient
	}
	rs := make([]age.Recipient, len(recipients))
	for i, r := range recipients {
		if r.r == nil {
			return nil, fmt.Errorf("%w: zero Recipient", ErrNoRecipient)
		}
		rs[i] = r.r
	}
	w, err := age.Encrypt(dst, rs...)
	if err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return w, nil
}

// EncryptedSize is the size of the ciphertext of a plaintext of size bytes, less the header
// (whose size depends on the recipients).
func EncryptedSize(size int64) int64 {
	return size + chunks(size)*tagSize
}

// chunks is the number of age chunks of a plaintext of size bytes: an empty file has one, empty.
func chunks(size int64) int64 {
	if size == 0 {
		return 1
	}
	return (size + ChunkSize - 1) / ChunkSize
}

// NewReader returns the plaintext of the age file read from src. It reads and checks the header
// now; a chunk's plaintext is returned only once the chunk is authenticated. Errors: ErrNoIdentity,
// ErrNotEncrypted, ErrWrongIdentity, ErrTampered (wrapped), or the error of src itself.
func NewReader(src io.Reader, ids ...Identity) (io.Reader, error) {
	aids, err := identities(ids)
	if err != nil {
		return nil, err
	}
	s := &trackReader{r: src}
	head := make([]byte, len(Header))
	n, err := io.ReadFull(s, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !IsEncrypted(head[:n]) {
		return nil, ErrNotEncrypted
	}
	r, err := age.Decrypt(io.MultiReader(bytes.NewReader(head), s), aids...)
	if err != nil {
		return nil, classify(err, s.failure())
	}
	return &decReader{r: r, src: s}, nil
}

// decReader turns the errors of age's reader into the package's.
type decReader struct {
	r   io.Reader
	src *trackReader
}

func (d *decReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = classify(err, d.src.failure())
	}
	return n, err
}

// classify maps an error of age to the package's: the source's own failure first (a network
// error is not tampering), then a wrong identity, and everything else as tampering.
func classify(err, srcErr error) error {
	if srcErr != nil {
		return srcErr
	}
	if errors.Is(err, ErrNoIdentity) {
		return err
	}
	var nm *age.NoIdentityMatchError
	if errors.As(err, &nm) {
		return ErrWrongIdentity
	}
	return fmt.Errorf("%w (%v)", ErrTampered, err)
}

// trackReader remembers the first error of its source other than EOF.
type trackReader struct {
	r   io.Reader
	err error
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

func (t *trackReader) failure() error { return t.err }
