package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProveAndVerifyFromARepo puts a file on node processes, stops them, proves one shard from a
// node's repo with `dstore prove` and checks the proof with `dstore verify`; one changed byte of
// the public inputs makes verify fail.
func TestProveAndVerifyFromARepo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	d, home := startTestDevnet(t, 6)
	src, _ := writeFile(t, t.TempDir(), "f", 12345, 9)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--piece-size", "4096", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	root := strings.TrimSpace(out)
	code, out, errOut = dstore(t, "--home", home, "--json", "status", root)
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var st struct {
		Shards []struct {
			Shard int    `json:"shard"`
			Peer  string `json:"peer"`
		} `json:"shards"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Shards) != 6 {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	var repo string
	for _, n := range d.File().Nodes {
		if n.PeerID == st.Shards[2].Peer {
			repo = n.Repo
		}
	}
	d.Close() // the store is locked while a node runs
	small := []string{"--samples", "3", "--depth", "6", "--cell-size", "128"}
	proof := filepath.Join(t.TempDir(), "p.bin")
	args := append([]string{"prove"}, small...)
	args = append(args, "--repo", repo, "--shard", "2", "--entropy", "0x1234", "--out", proof, root)
	if code, _, errOut := dstore(t, args...); code != 0 {
		t.Fatalf("prove: exit %d: %s", code, errOut)
	}
	verify := func() int {
		args := append([]string{"verify"}, small...)
		code, _, _ := dstore(t, append(args, "--proof", proof, "--public", proof+".public")...)
		return code
	}
	if code := verify(); code != 0 {
		t.Fatalf("verify of a fresh proof: exit %d", code)
	}
	pub, err := os.ReadFile(proof + ".public")
	if err != nil {
		t.Fatal(err)
	}
	pub[len(pub)-1] ^= 1
	if err := os.WriteFile(proof+".public", pub, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := verify(); code != 1 {
		t.Fatalf("verify with a changed challenge: exit %d, want 1", code)
	}
}
