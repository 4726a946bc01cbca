package crypt_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dstore-net/dstore/retrieval/crypt"
)

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func newIdentity(t testing.TB) crypt.Identity {
	t.Helper()
	id, err := crypt.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func encrypt(t testing.TB, plain []byte, to ...crypt.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := crypt.Encrypt(&buf, to...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decryptAll(src []byte, ids ...crypt.Identity) ([]byte, error) {
	r, err := crypt.NewReader(bytes.NewReader(src), ids...)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// readAllPartial returns what the stream returned before its error.
func readAllPartial(src []byte, ids ...crypt.Identity) ([]byte, error) {
	r, err := crypt.NewReader(bytes.NewReader(src), ids...)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func decryptAllAt(src []byte, ids ...crypt.Identity) ([]byte, error) {
	r, err := crypt.NewReaderAt(bytes.NewReader(src), int64(len(src)), ids...)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
	if err != nil {
		return nil, err
	}
	return b, nil
}

const chunk = crypt.ChunkSize

var sizes = []int{0, 1, chunk - 1, chunk, chunk + 1, 2 * chunk, 3*chunk + 5, 20*chunk + 333}

func TestRoundTrip(t *testing.T) {
	id := newIdentity(t)
	for i, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			plain := randomBytes(size, uint64(i))
			ct := encrypt(t, plain, id.Recipient())
			if !crypt.IsEncrypted(ct) {
				t.Fatalf("ciphertext does not start with %q", crypt.Header)
			}
			if want := crypt.EncryptedSize(int64(size)); int64(len(ct)) <= want || int64(len(ct)) > want+400 {
				t.Fatalf("ciphertext of %d bytes for %d of payload", len(ct), want)
			}
			if bytes.Contains(ct, plain[:min(size, 32)]) && size >= 32 {
				t.Fatal("the ciphertext contains the plaintext")
			}
			for name, dec := range map[string]func([]byte, ...crypt.Identity) ([]byte, error){"stream": decryptAll, "readerAt": decryptAllAt} {
				got, err := dec(ct, id)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatalf("%s: %d bytes back that differ from the %d encrypted", name, len(got), size)
				}
			}
			if again := encrypt(t, plain, id.Recipient()); bytes.Equal(again, ct) {
				t.Fatal("two encryptions gave the same ciphertext")
			}
		})
	}
}

// countingReaderAt records the byte ranges read from it.
type countingReaderAt struct {
	r     io.ReaderAt
	mu    sync.Mutex
	reads [][2]int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.mu.Lock()
	c.reads = append(c.reads, [2]int64{off, off + int64(len(p))})
	c.mu.Unlock()
	return c.r.ReadAt(p, off)
}

func (c *countingReaderAt) take() [][2]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reads
	c.reads = nil
	return r
}

func TestRanges(t *testing.T) {
	id := newIdentity(t)
	const size = 40*chunk + 1234
	plain := randomBytes(size, 1)
	ct := encrypt(t, plain, id.Recipient())
	src := &countingReaderAt{r: bytes.NewReader(ct)}
	r, err := crypt.NewReaderAt(src, int64(len(ct)), id)
	if err != nil {
		t.Fatal(err)
	}
	if opened := src.take(); len(opened) > 2 {
		t.Fatalf("opening read the source %d times (%v), want the header and the final chunk in one read each", len(opened), opened)
	}
	if r.Size() != size {
		t.Fatalf("plaintext size %d, want %d", r.Size(), size)
	}
	payload := int64(len(ct)) - crypt.EncryptedSize(size)
	tests := []struct {
		name   string
		off, n int64
	}{
		{"first byte", 0, 1},
		{"one byte inside", 1000, 1},
		{"last byte of chunk 0", chunk - 1, 1},
		{"first byte of chunk 1", chunk, 1},
		{"across one boundary", chunk - 10, 20},
		{"across two boundaries", 2*chunk - 1, chunk + 2},
		{"exactly one chunk", 5 * chunk, chunk},
		{"more than a window", 3*chunk + 17, 25 * chunk},
		{"the last chunk", 40 * chunk, 1234},
		{"last byte", size - 1, 1},
		{"the end, across the last boundary", 40*chunk - 5, 1239},
		{"whole file", 0, size},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src.take()
			got := make([]byte, tt.n)
			n, err := r.ReadAt(got, tt.off)
			if int64(n) != tt.n || (err != nil && !(errors.Is(err, io.EOF) && tt.off+tt.n == size)) {
				t.Fatalf("ReadAt(%d, %d) = %d, %v", tt.n, tt.off, n, err)
			}
			if !bytes.Equal(got, plain[tt.off:tt.off+tt.n]) {
				t.Fatal("wrong bytes")
			}
			// Only the chunks that hold the range were read (the last one may be cached).
			lo := payload + tt.off/chunk*(chunk+16)
			hi := min(payload+((tt.off+tt.n-1)/chunk+1)*(chunk+16), int64(len(ct)))
			var read int64
			for _, rd := range src.take() {
				if rd[0] < lo || rd[1] > hi {
					t.Fatalf("read ciphertext [%d, %d) outside the chunks [%d, %d) of the range", rd[0], rd[1], lo, hi)
				}
				read += rd[1] - rd[0]
			}
			if read > hi-lo {
				t.Fatalf("read %d bytes of ciphertext for %d bytes of chunks", read, hi-lo)
			}
		})
	}
	t.Run("past the end", func(t *testing.T) {
		if n, err := r.ReadAt(make([]byte, 1), size); n != 0 || !errors.Is(err, io.EOF) {
			t.Fatalf("ReadAt at the end = %d, %v", n, err)
		}
		if n, err := r.ReadAt(make([]byte, 10), size-3); n != 3 || !errors.Is(err, io.EOF) {
			t.Fatalf("ReadAt over the end = %d, %v", n, err)
		}
	})
}

func TestRecipients(t *testing.T) {
	alice, bob, eve := newIdentity(t), newIdentity(t), newIdentity(t)
	plain := randomBytes(3*chunk+7, 2)
	ct := encrypt(t, plain, alice.Recipient(), bob.Recipient())
	for _, tt := range []struct {
		name string
		ids  []crypt.Identity
		want error
	}{
		{"first recipient", []crypt.Identity{alice}, nil},
		{"second recipient", []crypt.Identity{bob}, nil},
		{"third party", []crypt.Identity{eve}, crypt.ErrWrongIdentity},
		{"third party among others", []crypt.Identity{eve, bob}, nil},
		{"no identity", nil, crypt.ErrNoIdentity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for name, dec := range map[string]func([]byte, ...crypt.Identity) ([]byte, error){"stream": decryptAll, "readerAt": decryptAllAt} {
				got, err := dec(ct, tt.ids...)
				if !errors.Is(err, tt.want) {
					t.Fatalf("%s: error %v, want %v", name, err, tt.want)
				}
				if err == nil && !bytes.Equal(got, plain) {
					t.Fatalf("%s: wrong plaintext", name)
				}
				if err != nil && got != nil {
					t.Fatalf("%s: plaintext returned with %v", name, err)
				}
			}
		})
	}
	if _, err := crypt.Encrypt(io.Discard); !errors.Is(err, crypt.ErrNoRecipient) {
		t.Fatalf("Encrypt to nobody: %v", err)
	}
}

func TestNotEncrypted(t *testing.T) {
	id := newIdentity(t)
	for _, b := range [][]byte{nil, []byte("age"), randomBytes(1000, 3), []byte("age-encryption.org/v2\n")} {
		if crypt.IsEncrypted(b) {
			t.Fatalf("%q is taken for an age file", b[:min(len(b), 22)])
		}
		if _, err := decryptAll(b, id); !errors.Is(err, crypt.ErrNotEncrypted) {
			t.Fatalf("stream: %v", err)
		}
		if _, err := decryptAllAt(b, id); !errors.Is(err, crypt.ErrNotEncrypted) {
			t.Fatalf("readerAt: %v", err)
		}
	}
}

// TestTampering flips bytes all over a ciphertext, truncates and extends it: every decryption,
// of the whole file and of ranges, is an error and never returns a byte of wrong plaintext.
func TestTampering(t *testing.T) {
	id := newIdentity(t)
	plain := randomBytes(3*chunk+100, 4)
	ct := encrypt(t, plain, id.Recipient())
	header := len(ct) - int(crypt.EncryptedSize(int64(len(plain))))
	var cases []struct {
		name string
		ct   []byte
	}
	flip := func(i int) {
		b := bytes.Clone(ct)
		b[i] ^= 0x01
		cases = append(cases, struct {
			name string
			ct   []byte
		}{fmt.Sprintf("flip byte %d", i), b})
	}
	for i := len(crypt.Header); i < header; i++ { // every header byte after the version line
		flip(i)
	}
	for i := header; i < len(ct); i += 4099 {
		flip(i)
	}
	for _, i := range []int{header + chunk + 16 - 1, header + chunk + 16, len(ct) - 1, len(ct) - 17} {
		flip(i)
	}
	for _, n := range []int{len(ct) - 1, len(ct) - 16, header + 2*(chunk+16), header + chunk + 16, header + 5} {
		cases = append(cases, struct {
			name string
			ct   []byte
		}{fmt.Sprintf("truncated to %d", n), ct[:n]})
	}
	cases = append(cases, struct {
		name string
		ct   []byte
	}{"one byte appended", append(bytes.Clone(ct), 0)})
	for _, tc := range cases {
		// The stream returns authenticated chunks only: a prefix of the plaintext, then the error.
		got, err := readAllPartial(tc.ct, id)
		if err == nil || !bytes.HasPrefix(plain, got) || len(got)%chunk != 0 {
			t.Fatalf("%s: stream decryption gave %d bytes (a prefix: %v), error %v", tc.name, len(got), bytes.HasPrefix(plain, got), err)
		}
		if !errors.Is(err, crypt.ErrTampered) && !errors.Is(err, crypt.ErrWrongIdentity) {
			t.Fatalf("%s: stream: %v", tc.name, err)
		}
		// Ranges: either an error, or exactly the right bytes (a range whose chunks are intact).
		r, err := crypt.NewReaderAt(bytes.NewReader(tc.ct), int64(len(tc.ct)), id)
		if err != nil {
			if !errors.Is(err, crypt.ErrTampered) && !errors.Is(err, crypt.ErrWrongIdentity) {
				t.Fatalf("%s: NewReaderAt: %v", tc.name, err)
			}
			continue
		}
		failed := false
		for off := int64(0); off < r.Size(); off += chunk / 2 {
			buf := make([]byte, chunk)
			n, err := r.ReadAt(buf, off)
			if !bytes.Equal(buf[:n], plain[off:off+int64(n)]) {
				t.Fatalf("%s: range at %d returned wrong plaintext", tc.name, off)
			}
			if err != nil && !errors.Is(err, io.EOF) {
				if !errors.Is(err, crypt.ErrTampered) {
					t.Fatalf("%s: range at %d: %v", tc.name, off, err)
				}
				failed = true
			}
		}
		if !failed {
			t.Fatalf("%s: every range read back without error", tc.name)
		}
	}
}

// failingReaderAt fails every read past a point, as a network would.
type failingReaderAt struct {
	r     io.ReaderAt
	after int64
	err   error
}

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.after && off < f.after+4096 {
		return 0, f.err
	}
	return f.r.ReadAt(p, off)
}

// A source that fails is reported as its own error, not as tampering.
func TestSourceError(t *testing.T) {
	id := newIdentity(t)
	plain := randomBytes(5*chunk, 5)
	ct := encrypt(t, plain, id.Recipient())
	boom := errors.New("node unreachable")
	r, err := crypt.NewReaderAt(failingReaderAt{bytes.NewReader(ct), 2 * chunk, boom}, int64(len(ct)), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 0); err != nil {
		t.Fatalf("a range before the failure: %v", err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 2*chunk); !errors.Is(err, boom) || errors.Is(err, crypt.ErrTampered) {
		t.Fatalf("a range over the failure: %v", err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 4*chunk); err != nil {
		t.Fatalf("a range after the failure: %v", err)
	}
	sr := io.MultiReader(bytes.NewReader(ct[:2*chunk]), iotestErr{boom})
	dec, err := crypt.NewReader(sr, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(dec); !errors.Is(err, boom) {
		t.Fatalf("stream over the failure: %v", err)
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestKeys(t *testing.T) {
	id := newIdentity(t)
	path := filepath.Join(t.TempDir(), "keys", "me.agekey")
	if err := crypt.WriteIdentityFile(path, id); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("identity file mode %v, want 0600", st.Mode().Perm())
	}
	if err := crypt.WriteIdentityFile(path, newIdentity(t)); !errors.Is(err, os.ErrExist) {
		t.Fatalf("a second write over the file: %v", err)
	}
	ids, err := crypt.ReadIdentityFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0].String() != id.String() || ids[0].Recipient().String() != id.Recipient().String() {
		t.Fatal("the identity read back differs")
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "# public key: "+id.Recipient().String()) {
		t.Fatalf("the file does not name its public key:\n%s", b)
	}
	r, err := crypt.ParseRecipient(" " + id.Recipient().String() + "\n")
	if err != nil || r.String() != id.Recipient().String() {
		t.Fatalf("ParseRecipient: %v", err)
	}
	for _, bad := range []string{"", "age1", "hello", id.String(), id.Recipient().String() + "\nage1x"} {
		_, err := crypt.ParseRecipient(bad)
		if !errors.Is(err, crypt.ErrBadKey) {
			t.Fatalf("ParseRecipient(%q): %v", bad, err)
		}
		if strings.Contains(err.Error(), "AGE-SECRET") {
			t.Fatalf("the error repeats a secret key: %v", err)
		}
	}
	if _, err := crypt.ParseIdentities(strings.NewReader(id.Recipient().String())); !errors.Is(err, crypt.ErrBadKey) {
		t.Fatalf("ParseIdentities of a recipient: %v", err)
	}
}
