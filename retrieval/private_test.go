package retrieval_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/crypt"
	"github.com/dstore-net/dstore/sharding"
)

func newIdentity(t testing.TB) crypt.Identity {
	t.Helper()
	id, err := crypt.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func putEncrypted(t testing.TB, c *retrieval.Client, data []byte, to ...crypt.Recipient) (*retrieval.PutResult, *sharding.Manifest) {
	t.Helper()
	res, m, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{
		Params: smallParams, Recipients: to, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("encrypted put of %d bytes: %v", len(data), err)
	}
	return res, m
}

// windows finds the 32-byte windows of secret in data: it returns how many offsets of data start
// one.
type windows map[uint64][]int

const window = 32

func newWindows(secret []byte) windows {
	w := make(windows, len(secret))
	for i := 0; i+window <= len(secret); i++ {
		k := binary.LittleEndian.Uint64(secret[i:])
		w[k] = append(w[k], i)
	}
	return w
}

func (w windows) count(secret, data []byte) int {
	n := 0
	for j := 0; j+window <= len(data); j++ {
		for _, i := range w[binary.LittleEndian.Uint64(data[j:])] {
			if bytes.Equal(secret[i:i+window], data[j:j+window]) {
				n++
				break
			}
		}
	}
	return n
}

// inRepos counts the windows of secret in every file under the repos.
func inRepos(t testing.TB, repos []string, secret []byte) int {
	t.Helper()
	w := newWindows(secret)
	n := 0
	for _, repo := range repos {
		err := filepath.WalkDir(repo, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n += w.count(secret, b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// TestEncryptedPutLeavesNoPlaintext stores one file encrypted and another in the clear on six
// nodes, closes them and searches their badger directories: no 32-byte window of the encrypted
// file's plaintext is anywhere, while the clear file's windows are found (the search works).
func TestEncryptedPutLeavesNoPlaintext(t *testing.T) {
	var nodes []*node.Node
	var repos []string
	var boot []peer.AddrInfo
	for i := 0; i < 6; i++ {
		repo := t.TempDir()
		nd := nodetest.Start(t, repo, boot)
		if i == 0 {
			boot = []peer.AddrInfo{{ID: nd.ID(), Addrs: nd.Host().Addrs()}}
		}
		nodes, repos = append(nodes, nd), append(repos, repo)
	}
	c := newClient(t, nodes, retrieval.Config{})
	me := newIdentity(t)
	secret := randomBytes(300<<10, 41)
	clear := randomBytes(64<<10, 42)

	res, m := putEncrypted(t, c, secret, me.Recipient())
	if !res.Encrypted {
		t.Fatal("the put result does not say the file is encrypted")
	}
	if m.Size <= int64(len(secret)) {
		t.Fatalf("stored %d bytes for %d of plaintext", m.Size, len(secret))
	}
	plain, _ := put(t, c, clear, smallParams)
	if plain.Encrypted {
		t.Fatal("a clear put is called encrypted")
	}
	// The file reads back before the nodes close.
	var got bytes.Buffer
	if _, err := newClient(t, nodes, retrieval.Config{}).ReadDecrypted(t.Context(), m, &got, []crypt.Identity{me}, retrieval.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), secret) {
		t.Fatal("the decrypted file differs")
	}
	for _, nd := range nodes {
		if err := nd.Close(); err != nil {
			t.Fatal(err)
		}
	}
	n := inRepos(t, repos, clear)
	t.Logf("windows of the clear file found in the stores: %d (of %d)", n, len(clear)-window+1)
	if n < len(clear)/2 {
		t.Fatalf("the search finds only %d windows of the file stored in the clear", n)
	}
	if n := inRepos(t, repos, secret); n != 0 {
		t.Fatalf("the nodes' stores hold %d 32-byte windows of the encrypted file's plaintext", n)
	}
}

func TestEncryptedGet(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	alice, bob, eve := newIdentity(t), newIdentity(t), newIdentity(t)
	seg := int(smallParams.SegmentSize())
	for i, size := range []int{0, 1, crypt.ChunkSize, 3*seg + 1001} {
		data := randomBytes(size, uint64(100+i))
		_, m := putEncrypted(t, c, data, alice.Recipient(), bob.Recipient())
		reader := newClient(t, nodes, retrieval.Config{})
		enc, err := reader.Encrypted(t.Context(), m)
		if err != nil || !enc {
			t.Fatalf("%d bytes: Encrypted = %v, %v", size, enc, err)
		}
		for _, tt := range []struct {
			name string
			ids  []crypt.Identity
			want error
		}{
			{"owner", []crypt.Identity{alice}, nil},
			{"second recipient", []crypt.Identity{bob}, nil},
			{"third party", []crypt.Identity{eve}, crypt.ErrWrongIdentity},
			{"no identity", nil, crypt.ErrNoIdentity},
		} {
			var out bytes.Buffer
			_, err := reader.ReadDecrypted(t.Context(), m, &out, tt.ids, retrieval.GetOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("%d bytes, %s: %v, want %v", size, tt.name, err, tt.want)
			}
			if err == nil && !bytes.Equal(out.Bytes(), data) {
				t.Fatalf("%d bytes, %s: the plaintext differs", size, tt.name)
			}
			if err != nil && out.Len() != 0 {
				t.Fatalf("%d bytes, %s: %d bytes written with %v", size, tt.name, out.Len(), err)
			}
		}
		// The ciphertext reads back as stored, the raw way.
		var raw bytes.Buffer
		if _, err := reader.Read(t.Context(), m, &raw, retrieval.GetOptions{}); err != nil || !crypt.IsEncrypted(raw.Bytes()) || int64(raw.Len()) != m.Size {
			t.Fatalf("%d bytes: raw read of %d bytes: %v", size, raw.Len(), err)
		}
	}
	// A clear file is not encrypted, and is refused by ReadDecrypted.
	_, m := put(t, c, randomBytes(1000, 7), smallParams)
	if enc, err := c.Encrypted(t.Context(), m); err != nil || enc {
		t.Fatalf("clear file: Encrypted = %v, %v", enc, err)
	}
	if _, err := c.ReadDecrypted(t.Context(), m, io.Discard, []crypt.Identity{alice}, retrieval.GetOptions{}); !errors.Is(err, crypt.ErrNotEncrypted) {
		t.Fatalf("ReadDecrypted of a clear file: %v", err)
	}
}

// TestTamperedCiphertext stores, under its own CID, an age file with flipped bytes: the CID
// verifies (the nodes hold what was put), and decryption fails instead of returning wrong
// plaintext. Tampering at rest is the CIDs' job: a flipped piece is caught before decryption.
func TestTamperedCiphertext(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	me := newIdentity(t)
	plain := randomBytes(5*crypt.ChunkSize+77, 9)
	s, err := retrieval.Seal(t.Context(), bytes.NewReader(plain), t.TempDir(), []crypt.Recipient{me.Recipient()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ct := make([]byte, s.Size())
	if _, err := s.ReadAt(ct, 0); err != nil {
		t.Fatal(err)
	}
	header := len(ct) - int(crypt.EncryptedSize(int64(len(plain))))
	for _, tt := range []struct {
		name string
		at   int
	}{
		{"header MAC", header - 3},
		{"first chunk", header + 100},
		{"third chunk", header + 2*(crypt.ChunkSize+16) + 5},
		{"last tag", len(ct) - 1},
	} {
		bad := bytes.Clone(ct)
		bad[tt.at] ^= 0x80
		_, m := put(t, c, bad, smallParams)
		var out bytes.Buffer
		_, err := c.ReadDecrypted(t.Context(), m, &out, []crypt.Identity{me}, retrieval.GetOptions{})
		if !errors.Is(err, crypt.ErrTampered) {
			t.Fatalf("%s: %v", tt.name, err)
		}
		// What was written before the error is authenticated plaintext: whole chunks before the flip.
		if !bytes.HasPrefix(plain, out.Bytes()) || out.Len()%crypt.ChunkSize != 0 || out.Len() > max(0, tt.at-header) {
			t.Fatalf("%s: %d bytes written before the error, not a prefix of whole chunks before byte %d", tt.name, out.Len(), tt.at)
		}
	}
	// At rest: a node's flipped piece byte is caught by its hash, and the file still reads.
	_, m := put(t, c, ct, smallParams)
	nodetest.CorruptPiece(t, nodes[nodeOf(t, nodes, m, 0)], m.Root, 0, 0)
	var out bytes.Buffer
	if _, err := newClient(t, nodes, retrieval.Config{}).ReadDecrypted(t.Context(), m, &out, []crypt.Identity{me}, retrieval.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), plain) {
		t.Fatal("a corrupt piece changed the plaintext")
	}
}

func TestEncryptTreeRefused(t *testing.T) {
	c := newClient(t, nil, retrieval.Config{})
	_, _, err := c.PutTree(t.Context(), &sharding.Tree{}, retrieval.PutOptions{Recipients: []crypt.Recipient{newIdentity(t).Recipient()}})
	if !errors.Is(err, retrieval.ErrEncryptTree) {
		t.Fatalf("PutTree with recipients: %v", err)
	}
}

// TestEncryptedRanges reads ranges of an encrypted file's plaintext from real nodes: across age's
// 64 KiB chunk boundaries, across segments, and at the end.
func TestEncryptedRanges(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	me, eve := newIdentity(t), newIdentity(t)
	const chunk = crypt.ChunkSize
	size := 3*int(smallParams.SegmentSize()) + 5*chunk + 999
	data := randomBytes(size, 55)
	_, m := putEncrypted(t, c, data, me.Recipient())
	reader := newClient(t, nodes, retrieval.Config{})
	if enc, err := reader.Encrypted(t.Context(), m); err != nil || !enc {
		t.Fatalf("Encrypted = %v, %v", enc, err)
	}
	plain, err := reader.OpenDecrypted(t.Context(), m, []crypt.Identity{me})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Size() != int64(size) {
		t.Fatalf("plaintext size %d, want %d", plain.Size(), size)
	}
	for _, tt := range []struct {
		name   string
		off, n int
	}{
		{"first byte", 0, 1},
		{"across the first chunk boundary", chunk - 3, 6},
		{"two boundaries", 3*chunk - 1, chunk + 2},
		{"across a segment", int(smallParams.SegmentSize()) - 100, 200},
		{"the last chunk", size - size%chunk, size % chunk},
		{"across the last boundary to the end", size - size%chunk - 10, size%chunk + 10},
		{"last byte", size - 1, 1},
		{"whole file", 0, size},
	} {
		got := make([]byte, tt.n)
		n, err := plain.ReadAt(got, int64(tt.off))
		if n != tt.n || (err != nil && !(errors.Is(err, io.EOF) && tt.off+tt.n == size)) {
			t.Fatalf("%s: ReadAt = %d, %v", tt.name, n, err)
		}
		if !bytes.Equal(got, data[tt.off:tt.off+tt.n]) {
			t.Fatalf("%s: wrong bytes", tt.name)
		}
	}
	if _, err := reader.OpenDecrypted(t.Context(), m, []crypt.Identity{eve}); !errors.Is(err, crypt.ErrWrongIdentity) {
		t.Fatalf("a third party: %v", err)
	}
}
