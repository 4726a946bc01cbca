package sharding_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-car/v2"
	carstorage "github.com/ipld/go-car/v2/storage"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/codec/dagjson"
	cidlink "github.com/ipld/go-ipld-prime/linking/cid"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/sharding"
)

// testCAR writes a CAR whose dag-cbor root links a dag-json node and two raw leaves; tamper
// changes one byte of a leaf after its CID was computed.
func testCAR(t testing.TB, tamper bool) (string, cid.Cid, map[cid.Cid][]byte) {
	t.Helper()
	blocks := map[cid.Cid][]byte{}
	sum := func(codec uint64, b []byte) cid.Cid {
		c, err := cid.V1Builder{Codec: codec, MhType: mh.SHA2_256}.Sum(b)
		if err != nil {
			t.Fatal(err)
		}
		blocks[c] = b
		return c
	}
	leafA := sum(cid.Raw, bytes.Repeat([]byte("leaf a "), 1000))
	leafB := sum(cid.Raw, []byte("leaf b"))
	build := func(links map[string]cid.Cid, json bool) []byte {
		nb := basicnode.Prototype.Map.NewBuilder()
		ma, _ := nb.BeginMap(int64(len(links)))
		for _, k := range []string{"a", "b", "j"} {
			if c, ok := links[k]; ok {
				_ = ma.AssembleKey().AssignString(k)
				_ = ma.AssembleValue().AssignLink(cidlink.Link{Cid: c})
			}
		}
		_ = ma.Finish()
		var buf bytes.Buffer
		var err error
		if json {
			err = dagjson.Encode(nb.Build(), &buf)
		} else {
			err = dagcbor.Encode(nb.Build(), &buf)
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	j := sum(cid.DagJSON, build(map[string]cid.Cid{"b": leafB}, true))
	root := sum(cid.DagCBOR, build(map[string]cid.Cid{"a": leafA, "b": leafB, "j": j}, false))
	path := filepath.Join(t.TempDir(), "test.car")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := carstorage.NewWritable(f, []cid.Cid{root})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []cid.Cid{root, j, leafA, leafB} {
		data := blocks[c]
		if tamper && c.Equals(leafA) {
			data = append([]byte(nil), data...)
			data[10] ^= 1
		}
		if err := w.Put(context.Background(), c.KeyString(), data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finalize(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path, root, blocks
}

func TestImportCAR(t *testing.T) {
	path, root, blocks := testCAR(t, false)
	tr, err := sharding.ImportCAR(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Root.Equals(root) || len(tr.Blocks) != 2 || len(tr.Stream) != 2 {
		t.Fatalf("root %s, %d blocks, %d leaves", tr.Root, len(tr.Blocks), len(tr.Stream))
	}
	m, err := sharding.ImportTree(context.Background(), tr, sharding.Params{K: 2, M: 1, PieceSize: 1024}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := m.Index()
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Open()
	defer r.Close()
	for c, want := range blocks {
		ref, ok := ix.Lookup(c)
		if !ok {
			t.Fatalf("%s is not indexed", c)
		}
		got := ref.Data
		if !ref.InManifest {
			got = make([]byte, ref.Size)
			if _, err := r.ReadAt(got, ref.Offset); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: stored bytes differ", c)
		}
	}
}

// A block that does not match its CID refuses the whole CAR before anything is stored.
func TestImportCARRefusesABadBlock(t *testing.T) {
	path, _, _ := testCAR(t, true)
	if _, err := sharding.ImportCAR(context.Background(), path); !errors.Is(err, sharding.ErrBadCAR) {
		t.Fatalf("err = %v, want ErrBadCAR", err)
	}
	if _, err := sharding.ImportCAR(context.Background(), "car_test.go"); !errors.Is(err, sharding.ErrBadCAR) {
		t.Fatalf("not a CAR: err = %v", err)
	}
}

// FuzzImportCAR: any bytes given as a CAR are refused with an error or imported into a tree whose
// manifest validates; never a panic.
func FuzzImportCAR(f *testing.F) {
	for _, tamper := range []bool{false, true} {
		path, _, _ := testCAR(f, tamper)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "f.car")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		tr, err := sharding.ImportCAR(context.Background(), path)
		if err != nil {
			return
		}
		if _, err := sharding.ImportTree(context.Background(), tr, sharding.Params{K: 2, M: 1, PieceSize: 1024}, nil); err != nil {
			t.Fatalf("an imported CAR does not store: %v", err)
		}
	})
}

// CheckCAR agrees with ImportCAR on whole CARs, and refuses a CAR cut anywhere inside a block or
// followed by trailing bytes.
func FuzzCheckCAR(f *testing.F) {
	for _, tamper := range []bool{false, true} {
		path, _, _ := testCAR(f, tamper)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)-1])
		f.Add(append(b, "\n\n[truncated]"...))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := sharding.CheckCAR(bytes.NewReader(b))
		if err == nil && n < 0 {
			t.Fatalf("%d blocks", n)
		}
	})
}

func TestCheckCAR(t *testing.T) {
	path, _, _ := testCAR(t, false)
	v1 := filepath.Join(t.TempDir(), "v1.car") // as the gateway writes them: v1, no index after the data
	if err := car.ExtractV1File(path, v1); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(v1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sharding.CheckCAR(bytes.NewReader(b)); err != nil {
		t.Fatalf("a whole CAR: %v", err)
	}
	for _, bad := range [][]byte{b[:len(b)/2], append(append([]byte{}, b...), "\n\n[Gateway Error: CAR stream truncated]"...)} {
		if _, err := sharding.CheckCAR(bytes.NewReader(bad)); !errors.Is(err, sharding.ErrBadCAR) {
			t.Fatalf("a broken CAR of %d bytes (whole %d): %v", len(bad), len(b), err)
		}
	}
	tampered, _, _ := testCAR(t, true)
	if b, err = os.ReadFile(tampered); err != nil {
		t.Fatal(err)
	}
	if _, err := sharding.CheckCAR(bytes.NewReader(b)); !errors.Is(err, sharding.ErrBadCAR) {
		t.Fatalf("a CAR with a block that does not match its CID: %v", err)
	}
}
