package sharding_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/dstore-net/dstore/sharding"
)

// Vectors computed with kubo 0.43.1: `ipfs add --cid-version=1 [--chunker ...]`.
func TestRootCIDVectors(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		chunker string
		want    string
	}{
		{name: "empty", data: nil, want: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
		{name: "hello", data: []byte("hello dstore\n"), want: "bafkreicz4lc53mkuxcgtmw4gt2r37hwdrjpgkj6hradymr4r7nlrdcah5i"},
		{name: "3MiB+7 default chunker", data: vectorFile(), want: "bafybeiajbr452v4g7bytrp3gqriekoxjg4i5fhia2gxodbbpktvbpc2ou4"},
		{name: "3MiB+7 size-1048576", data: vectorFile(), chunker: "size-1048576", want: "bafybeid6o7jsarlm667neoqucly6hcjxir6yoon4hf33vuxl3ktlopn4wq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := sharding.ParseChunker(tt.chunker)
			if err != nil {
				t.Fatal(err)
			}
			c, err := sharding.RootCID(context.Background(), bytes.NewReader(tt.data), cs)
			if err != nil {
				t.Fatal(err)
			}
			if c.String() != tt.want {
				t.Errorf("RootCID = %s, want %s", c, tt.want)
			}
			m, _ := importAll(t, tt.data, sharding.Params{ChunkSize: cs, PieceSize: 64 << 10})
			if m.Root.String() != tt.want {
				t.Errorf("Import root = %s, want %s", m.Root, tt.want)
			}
		})
	}
}

func TestParseChunker(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
		ok   bool
	}{
		{name: "empty", in: "", want: 256 << 10, ok: true},
		{name: "default", in: "default", want: 256 << 10, ok: true},
		{name: "size", in: "size-1048576", want: 1 << 20, ok: true},
		{name: "one", in: "size-1", want: 1, ok: true},
		{name: "zero", in: "size-0"},
		{name: "negative", in: "size--5"},
		{name: "too big", in: "size-4194304"},
		{name: "not a number", in: "size-abc"},
		{name: "rabin", in: "rabin-262144"},
		{name: "buzhash", in: "buzhash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sharding.ParseChunker(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("ParseChunker(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseChunker(%q) = %d, want an error", tt.in, got)
			}
			t.Logf("%q: %v", tt.in, err)
		})
	}
}

// TestImportChunksLikeRootCID: Import cuts chunks out of its segment buffers, RootCID with boxo's
// splitter; both give the same root for chunks that fit a segment, span two, or are larger than
// one, read in short reads or whole.
func TestImportChunksLikeRootCID(t *testing.T) {
	data := make([]byte, 3*4*4096+777)
	rand.NewChaCha8([32]byte{7}).Read(data)
	for _, cs := range []int64{1000, 4096, 3 * 4096, 5*4096 + 1} {
		for _, n := range []int{0, 1, 999, 4 * 4096, 4*4096 + 1, len(data)} {
			for name, wrap := range map[string]func(io.Reader) io.Reader{"whole": func(r io.Reader) io.Reader { return r }, "short": iotest.HalfReader} {
				want, err := sharding.RootCID(context.Background(), bytes.NewReader(data[:n]), cs)
				if err != nil {
					t.Fatal(err)
				}
				m, err := sharding.Import(context.Background(), wrap(bytes.NewReader(data[:n])), sharding.Params{K: 4, M: 2, ChunkSize: cs, PieceSize: 4096}, nil)
				if err != nil {
					t.Fatalf("chunk %d, %d bytes, %s reads: %v", cs, n, name, err)
				}
				if m.Root != want || m.Size != int64(n) {
					t.Fatalf("chunk %d, %d bytes, %s reads: root %s size %d, RootCID %s", cs, n, name, m.Root, m.Size, want)
				}
			}
		}
	}
}

// TestImportReportsReadErrors: a file whose reads fail partway, at the start, inside a chunk, at a
// chunk's end or inside a later segment, fails the import with the reader's error.
func TestImportReportsReadErrors(t *testing.T) {
	data := make([]byte, 3*4*4096)
	rand.NewChaCha8([32]byte{9}).Read(data)
	errDisk := errors.New("disk on fire")
	for _, n := range []int{0, 1000, 4096, 4*4096 + 5, 2 * 4 * 4096} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{"whole": func(r io.Reader) io.Reader { return r }, "short": iotest.HalfReader} {
			r := wrap(io.MultiReader(bytes.NewReader(data[:n]), iotest.ErrReader(errDisk)))
			_, err := sharding.Import(context.Background(), r, sharding.Params{K: 4, M: 2, ChunkSize: 4096, PieceSize: 4096}, nil)
			if !errors.Is(err, errDisk) {
				t.Fatalf("failing after %d bytes, %s reads: %v, want the reader's error", n, name, err)
			}
		}
	}
}
