package sharding_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/sharding"
	"github.com/ipfs/go-cid"
)

var testParams = sharding.Params{K: 4, M: 2, ChunkSize: 1000, PieceSize: 1024}

// placed imports data and fills placement and slot roots as an upload would.
func placed(t testing.TB, data []byte) *sharding.Manifest {
	t.Helper()
	m, _ := importAll(t, data, testParams)
	for i := 0; i < m.K+m.M; i++ {
		m.Placement = append(m.Placement, []sharding.Location{{Peer: "12D3KooWpeer" + string(rune('a'+i)), Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}}})
		m.SlotRoots = append(m.SlotRoots, bytes.Repeat([]byte{byte(i)}, 32))
	}
	return m
}

// encodeRaw writes m in the manifest's wire format without validating it, to build bad inputs.
func encodeRaw(m *sharding.Manifest, nseg int) []byte {
	b := []byte("DSTM")
	v := m.Version
	if m.PieceHash == sharding.PieceChunks {
		v += 4
	}
	b = binary.AppendUvarint(b, uint64(v))
	bs := func(v []byte) { b = binary.AppendUvarint(b, uint64(len(v))); b = append(b, v...) }
	bs(m.Root.Bytes())
	for _, v := range []int64{m.Size, m.ChunkSize, int64(m.K), int64(m.M), m.PieceSize, int64(nseg)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, s := range m.Segments {
		for _, h := range s {
			b = append(b, h[:]...)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.DAG)))
	for _, n := range m.DAG {
		bs(n)
	}
	b = binary.AppendUvarint(b, uint64(len(m.Placement)))
	for _, locs := range m.Placement {
		b = binary.AppendUvarint(b, uint64(len(locs)))
		for _, l := range locs {
			bs([]byte(l.Peer))
			b = binary.AppendUvarint(b, uint64(len(l.Addrs)))
			for _, a := range l.Addrs {
				bs([]byte(a))
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.SlotRoots)))
	for _, r := range m.SlotRoots {
		bs(r)
	}
	return b
}

func TestManifestRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 999, 5000, 200 * 1000} {
		m := placed(t, randomBytes(size, 7))
		b, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if raw := encodeRaw(m, m.NumSegments()); !bytes.Equal(raw, b) {
			t.Fatalf("size %d: Marshal differs from the documented layout", size)
		}
		got, err := sharding.UnmarshalManifest(b)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		b2, err := got.Marshal()
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("size %d: re-encoding differs (%v)", size, err)
		}
		c1, _ := m.CID()
		c2, _ := got.CID()
		if !c1.Equals(c2) || c1.Type() != cid.Raw {
			t.Fatalf("manifest CIDs %s and %s", c1, c2)
		}
		if got.Root != m.Root || got.Size != m.Size || len(got.Placement) != 6 {
			t.Fatal("fields lost in the round trip")
		}
		if got.Placement[5][0].Peer != m.Placement[5][0].Peer || got.Placement[5][0].Addrs[0] != m.Placement[5][0].Addrs[0] || !bytes.Equal(got.SlotRoots[3], m.SlotRoots[3]) {
			t.Fatal("placement or slot roots lost in the round trip")
		}
	}
	// Without placement (before upload) it also round-trips.
	m, _ := importAll(t, randomBytes(3000, 1), testParams)
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sharding.UnmarshalManifest(b); err != nil {
		t.Fatal(err)
	}
}

func TestManifestRejects(t *testing.T) {
	data := randomBytes(200*1000, 11)
	good := placed(t, data)
	other := placed(t, randomBytes(200*1000, 12))
	goodBytes, err := good.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(m *sharding.Manifest)) *sharding.Manifest {
		c := *good
		c.Segments = append([][][32]byte(nil), good.Segments...)
		c.DAG = append([][]byte(nil), good.DAG...)
		c.Placement = append([][]sharding.Location(nil), good.Placement...)
		f(&c)
		return &c
	}
	tests := []struct {
		name  string
		input []byte
		want  error
		text  string // part of the message
	}{
		{name: "bad version", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Version = 5 }), good.NumSegments()), want: sharding.ErrManifestVersion, text: "version 9"},
		{name: "bad magic", input: append([]byte("XXXX"), goodBytes[4:]...), want: sharding.ErrInvalidManifest, text: "not a dstore manifest"},
		{name: "empty", input: nil, want: sharding.ErrInvalidManifest},
		{name: "truncated", input: goodBytes[:len(goodBytes)/2], want: sharding.ErrInvalidManifest, text: "truncated"},
		{name: "trailing bytes", input: append(append([]byte(nil), goodBytes...), 0), want: sharding.ErrInvalidManifest, text: "trailing"},
		{name: "too large", input: make([]byte, sharding.MaxManifestSize+1), want: sharding.ErrManifestTooLarge},
		{name: "wrong root", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Root = other.Root }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "wrong root"},
		{name: "DAG of another file", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.DAG = other.DAG }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "wrong root"},
		{name: "missing DAG node", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.DAG = m.DAG[:len(m.DAG)-1] }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "missing"},
		{name: "unreachable DAG node", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.DAG = append(m.DAG, other.DAG[1]) }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "not reachable"},
		{name: "DAG out of order", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.DAG[1], m.DAG[2] = m.DAG[2], m.DAG[1] }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "out of order"},
		{name: "size disagrees with DAG", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Size-- }), good.NumSegments()), want: sharding.ErrInvalidManifest},
		{name: "too few segments", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Segments = m.Segments[1:] }), good.NumSegments()-1), want: sharding.ErrInvalidManifest, text: "segments"},
		{name: "segment count lies", input: encodeRaw(good, good.NumSegments()+1), want: sharding.ErrInvalidManifest, text: "segments"},
		{name: "placement of 5 shards", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Placement = m.Placement[:5] }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "placement"},
		{name: "shard without location", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.Placement[2] = nil }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "shard 2"},
		{name: "bad params", input: encodeRaw(mutate(func(m *sharding.Manifest) { m.PieceSize = 1000 }), good.NumSegments()), want: sharding.ErrInvalidManifest, text: "multiple of 64"},
		{name: "non-minimal varint", input: append([]byte("DSTM\x81\x00"), goodBytes[5:]...), want: sharding.ErrInvalidManifest, text: "minimal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sharding.UnmarshalManifest(tt.input)
			if err == nil {
				t.Fatalf("decoded %+v, want an error", m.Root)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("error %q does not say %q", err, tt.text)
			}
			t.Log(err)
		})
	}
	for n := 0; n < len(goodBytes); n += 1 + n/50 {
		if _, err := sharding.UnmarshalManifest(goodBytes[:n]); err == nil {
			t.Fatalf("a %d-byte prefix of a %d-byte manifest decoded", n, len(goodBytes))
		}
	}
	bad := mutate(func(m *sharding.Manifest) { m.Segments = m.Segments[1:] })
	if _, err := bad.Marshal(); !errors.Is(err, sharding.ErrInvalidManifest) {
		t.Fatalf("Marshal of an inconsistent manifest: %v", err)
	}
}

// TestManifestPieceHashSchemes checks that a manifest written before PieceChunks (plain SHA-256
// piece hashes) still decodes and checks its pieces with SHA-256, that each scheme's version
// numbers carry it, and that an unknown scheme is refused.
func TestManifestPieceHashSchemes(t *testing.T) {
	data := randomBytes(20000, 11)
	for _, p := range []sharding.Params{testParams, {K: 4, M: 2, ChunkSize: 1024, PieceSize: 2048, StripeSize: 1024}} {
		m, segs := importAll(t, data, p)
		if m.PieceHash != sharding.PieceChunks {
			t.Fatalf("the importer wrote piece hash scheme %d, want PieceChunks", m.PieceHash)
		}
		// The same file as a build before PieceChunks wrote it.
		old := *m
		old.PieceHash = sharding.PieceSHA256
		old.Segments = make([][][32]byte, len(segs))
		for j, s := range segs {
			for _, pc := range s.Pieces {
				old.Segments[j] = append(old.Segments[j], sha256.Sum256(pc))
			}
		}
		for _, tt := range []struct {
			name    string
			m       *sharding.Manifest
			version uint64
			sum     func([]byte) [32]byte
		}{
			{"sha256", &old, 1, func(b []byte) [32]byte { return sha256.Sum256(b) }},
			{"chunks", m, 5, func(b []byte) [32]byte { return chunkedSHA256(b, int(p.ChunkSize)) }},
		} {
			b, err := tt.m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			want := tt.version
			if tt.m.StripeSize != 0 {
				want += 2
			}
			if v, _ := binary.Uvarint(b[4:]); v != want {
				t.Fatalf("%s: written as version %d, want %d", tt.name, v, want)
			}
			got, err := sharding.UnmarshalManifest(b)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got.PieceHash != tt.m.PieceHash || got.Version != sharding.ManifestVersion {
				t.Fatalf("%s: decoded scheme %d version %d", tt.name, got.PieceHash, got.Version)
			}
			for j, s := range segs {
				for i, pc := range s.Pieces {
					if sum := got.PieceSum(pc); sum != tt.sum(pc) || sum != got.Segments[j][i] {
						t.Fatalf("%s: segment %d piece %d fails its manifest's hash", tt.name, j, i)
					}
				}
			}
		}
		// A scheme is part of what the manifest's CID names.
		if c1, c2 := mustCID(t, m), mustCID(t, &old); c1 == c2 {
			t.Fatalf("the manifests of the two schemes have one CID, %s", c1)
		}
		bad := *m
		bad.PieceHash = 2
		if _, err := bad.Marshal(); !errors.Is(err, sharding.ErrManifestVersion) {
			t.Fatalf("an unknown piece hash scheme: %v, want ErrManifestVersion", err)
		}
	}
}

func mustCID(t testing.TB, m *sharding.Manifest) cid.Cid {
	t.Helper()
	c, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
