package wire

import (
	"encoding/binary"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/sharding"
)

// identityCID is a raw CID whose identity multihash holds d.
func identityCID(t testing.TB, d []byte) cid.Cid {
	h, err := mh.Sum(d, mh.IDENTITY, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}

func TestUploadID(t *testing.T) {
	u, err := NewUploadID(256 << 10)
	if err != nil {
		t.Fatal(err)
	}
	back, ok := ParseUploadID(u.CID())
	if !ok || back != u {
		t.Fatalf("%s parsed as %+v, %v", u, back, ok)
	}
	if again, _ := NewUploadID(256 << 10); again.Nonce == u.Nonce {
		t.Fatal("two upload IDs share a nonce")
	}
	digest := func(chunk uint64, extra ...byte) []byte {
		d := append([]byte(uploadMagic), u.Nonce[:]...)
		return append(binary.AppendUvarint(d, chunk), extra...)
	}
	padded := append([]byte(uploadMagic), u.Nonce[:]...)
	padded = append(padded, 0x80, 0x00) // the uvarint 0 in two bytes
	tests := []struct {
		name string
		c    cid.Cid
	}{
		{"a file root", testRoot},
		{"a manifest", testManifest},
		{"undefined", cid.Undef},
		{"another magic", identityCID(t, append([]byte("dsu2"), digest(1)[4:]...))},
		{"short nonce", identityCID(t, []byte(uploadMagic+"short"))},
		{"chunk size 0", identityCID(t, digest(0))},
		{"chunk size past the limit", identityCID(t, digest(uint64(sharding.MaxChunkSize)+1))},
		{"bytes after the chunk size", identityCID(t, digest(1024, 7))},
		{"a padded chunk size", identityCID(t, padded)},
		{"dag-pb codec", cid.NewCidV1(cid.DagProtobuf, u.CID().Hash())},
	}
	for _, tt := range tests {
		if _, ok := ParseUploadID(tt.c); ok {
			t.Errorf("%s: parsed as an upload ID", tt.name)
		}
	}
	for _, size := range []int64{0, -1, sharding.MaxChunkSize + 1} {
		if _, err := NewUploadID(size); err == nil {
			t.Errorf("an upload ID with chunk size %d", size)
		}
	}
}

func FuzzParseUploadID(f *testing.F) {
	u, _ := NewUploadID(1 << 20)
	f.Add(u.CID().Bytes())
	f.Add(testRoot.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := cid.Cast(b)
		if err != nil {
			return
		}
		u, ok := ParseUploadID(c)
		if !ok {
			return
		}
		if !u.CID().Equals(c) || u.ChunkSize < 1 || u.ChunkSize > sharding.MaxChunkSize {
			t.Fatalf("%s parsed as %+v", c, u)
		}
	})
}
