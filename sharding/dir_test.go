package sharding

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The CIDs `ipfs add -r --cid-version=1 site` gives with kubo 0.43.1 (testdata/site is a copy of
// the project's shared test vectors).
func TestImportDirMatchesKubo(t *testing.T) {
	tr, err := ImportDir(context.Background(), "testdata/site", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Root.String(), "bafybeidrhrib4nghuxfn6socppcpjdvqw3vilqkiaafvr7jnkdgdhyijam"; got != want {
		t.Fatalf("root %s, kubo gives %s", got, want)
	}
	want := map[string]string{
		"bafybeicwsfvnki64bjzdfdqbpqdozhstyt7sueapvdw3ltsxm5tcotmk4i": "docs",
		"bafybeiejcpdz5lmpmmzceqcw3jsrdxooomsp62db2hyxp3tmnjdr3t2wqi": "docs/deep",
		"bafybeidb75iw5xpvkedq7umcbujcxvvukptdhevifpeuzojvedad7otoq4": "assets",
		"bafkreifeng5sajovsb5kikkf46adadbzep7uztkelrpgcpin6srxjgp5om": "index.html",
		"bafkreidagqztfaqwoywolgpgg6nz5jejvx72mqa5fye274q7wemjespsk4": "docs/readme.txt",
		"bafybeihwuivbv3qi7rs6g76k3foplwwomjwjijqvqvhfh2pmflof2bqajy": "docs/deep/big.bin",
		"bafkreifamwwegw2kcwnhwetcehb4b7pahba5vrivoyeixsn3syv26dgyeu": "assets/style.css",
	}
	have := map[string]bool{}
	for _, b := range tr.Blocks {
		have[b.CID.String()] = true
	}
	for _, l := range tr.Stream {
		have[l.CID.String()] = true
	}
	for c, path := range want {
		if !have[c] {
			t.Errorf("%s: kubo's CID %s is not in the tree", path, c)
		}
	}
	var total int64
	for _, f := range tr.Files {
		total += f.Size
	}
	if total != tr.Size {
		t.Fatalf("files hold %d bytes, the stream %d", total, tr.Size)
	}
}

// A directory with more entries than kubo's 256 KiB links estimate becomes a HAMT shard.
func TestImportDirShardsLargeDirectories(t *testing.T) {
	dir := t.TempDir()
	// 4000 entries of ~70 bytes (name + CID) pass 256 KiB.
	for i := range 4000 {
		name := fmt.Sprintf("file-with-a-rather-long-name-to-pass-the-threshold-%05d.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := ImportDir(context.Background(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Blocks) < 2 {
		t.Fatalf("%d blocks: the directory was not sharded", len(tr.Blocks))
	}
	m, err := ImportTree(context.Background(), tr, Params{K: 2, M: 1, PieceSize: 4096}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Root.Equals(tr.Root) || len(back.Stream) != 4000 {
		t.Fatalf("round trip: root %s, %d leaves", back.Root, len(back.Stream))
	}
	ix, err := back.Index()
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Open()
	defer r.Close()
	for _, l := range back.Stream[:10] {
		ref, ok := ix.Lookup(l.CID)
		if !ok {
			t.Fatalf("leaf %s not indexed", l.CID)
		}
		buf := make([]byte, ref.Size)
		if _, err := r.ReadAt(buf, ref.Offset); err != nil {
			t.Fatal(err)
		}
		c, _ := l.CID.Prefix().Sum(buf)
		if !c.Equals(l.CID) {
			t.Fatalf("stream bytes at %d do not hash to %s", ref.Offset, l.CID)
		}
	}
}
