package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// kubo returns an ipfs command (kubo v0.43.1, built by `cd bench/kubo && go build -o ../../bin/ipfs .`,
// or named by DSTORE_KUBO) on a fresh offline repo, and skips the test when there is none.
func kubo(t *testing.T) func(args ...string) []byte {
	t.Helper()
	exe := os.Getenv("DSTORE_KUBO")
	if exe == "" {
		exe, _ = filepath.Abs("../bin/ipfs")
	}
	if _, err := os.Stat(exe); err != nil {
		t.Skipf("no kubo binary (%s): build it with `cd bench/kubo && go build -o ../../bin/ipfs .`", exe)
	}
	repo := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(exe, args...)
		cmd.Env = append(os.Environ(), "IPFS_PATH="+repo)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ipfs %v: %v: %s", args, err, stderr.String())
		}
		return out
	}
	run("init", "--profile", "test")
	return run
}

// dstore cid DIR gives kubo's CID for trees with what makes UnixFS import subtle: a directory
// large enough to become a HAMT shard, empty files and directories, symlinks, hidden files
// (skipped), files with the same content, and a file of many leaves.
func TestDirectoryCIDsMatchKubo(t *testing.T) {
	ipfs := kubo(t)
	dir := filepath.Join(t.TempDir(), "tree")
	for _, d := range []string{"shard", "empty", ".hidden", "a/b/c"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3000 {
		write(fmt.Sprintf("shard/entry-with-a-name-long-enough-to-pass-kubos-threshold-%05d", i), []byte(fmt.Sprint(i)))
	}
	big := make([]byte, 3<<20+12345)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	write("a/b/c/big", big)
	write("a/big-again", big)
	write("a/empty-file", nil)
	write(".dotfile", []byte("hidden"))
	if err := os.Symlink("../a/big-again", filepath.Join(dir, "a/b/link")); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(ipfs("add", "-r", "--cid-version=1", "-Q", "--only-hash", dir)))
	code, out, errOut := dstore(t, "cid", dir)
	if code != 0 {
		t.Fatalf("dstore cid: exit %d: %s", code, errOut)
	}
	if got := strings.TrimSpace(out); got != want {
		t.Fatalf("dstore cid gives %s, kubo %s", got, want)
	}
}

// kubo imports the CAR the gateway serves for a stored site (`ipfs dag import`), and `ipfs cat`
// of its files gives the original bytes.
func TestKuboImportsTheGatewaysCAR(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	ipfs := kubo(t)
	d, home := startTestDevnet(t, 6)
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "put", "--piece-size", "65536", "testdata/site"); code != 0 {
		t.Fatalf("put DIR: exit %d: %s", code, errOut)
	}
	car := filepath.Join(t.TempDir(), "site.car")
	if err := os.WriteFile(car, httpGet(t, d.File().Gateway+"/ipfs/"+siteRoot+"?format=car"), 0o644); err != nil {
		t.Fatal(err)
	}
	ipfs("dag", "import", car)
	for _, f := range []string{"index.html", "assets/style.css", "docs/deep/big.bin"} {
		want, err := os.ReadFile(filepath.Join("testdata/site", f))
		if err != nil {
			t.Fatal(err)
		}
		if got := ipfs("cat", "--offline", siteRoot+"/"+f); !bytes.Equal(got, want) {
			t.Fatalf("ipfs cat %s: %d bytes, not the original", f, len(got))
		}
	}
}
