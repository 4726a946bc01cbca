package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/prover"
)

// umask returns the process's umask.
func umask(t testing.TB) os.FileMode {
	t.Helper()
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}

// TestMain lets the test binary stand in for the dstore binary: the devnet starts its node processes
// with DSTORE_EXEC_MAIN=1, and they run the real command line.
func TestMain(m *testing.M) {
	if os.Getenv("DSTORE_EXEC_MAIN") == "1" {
		os.Exit(Main(os.Args))
	}
	// As .ci/run does: DSTORE_KEYS reaches every flag named keys (DSTORE_<FLAG>), which must not
	// change what a command accepts.
	if os.Getenv("DSTORE_KEYS") == "" {
		os.Setenv("DSTORE_KEYS", prover.KeyDir())
	}
	os.Exit(m.Run())
}

// dstore runs the command line in process and returns its exit code, stdout and stderr.
func dstore(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"dstore"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t testing.TB, dir, name string, size int64, seed uint64) (string, [32]byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	b := make([]byte, size)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, sha256.Sum256(b)
}

func fileSum(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// startTestDevnet starts n node processes under t.TempDir and stops them at the end of the test.
func startTestDevnet(t *testing.T, n int) (*devnet.Devnet, string) {
	t.Helper()
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: n, K: 4, M: 2, Log: io.Discard, NoChain: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, home
}

func TestPutGetStatusOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	d, home := startTestDevnet(t, 6)
	dir := t.TempDir()

	// Small pieces so that a few hundred KiB span several segments.
	const piece = 64 << 10
	sizes := []int64{0, 1, 256<<10 - 1, 256 << 10, 256<<10 + 1, 4*piece*3 + 12345}
	cids := make([]string, len(sizes))
	sums := make([][32]byte, len(sizes))
	for i, size := range sizes {
		src, sum := writeFile(t, dir, "f", size, uint64(i))
		code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--piece-size", "65536", src)
		if code != 0 {
			t.Fatalf("put %d bytes: exit %d: %s", size, code, errOut)
		}
		cids[i], sums[i] = strings.TrimSpace(out), sum
		if _, want, _ := dstore(t, "cid", src); strings.TrimSpace(want) != cids[i] {
			t.Fatalf("put gave %s, cid gives %s", cids[i], want)
		}
	}
	get := func(t *testing.T, i int) (int, string) {
		t.Helper()
		dst := filepath.Join(dir, "out")
		os.Remove(dst)
		// Flags after the CID, as the README writes it.
		code, _, errOut := dstore(t, "--home", home, "get", cids[i], "-o", dst, "--quiet")
		if code == 0 {
			if got := fileSum(t, dst); got != sums[i] {
				t.Fatalf("file %d (%d bytes) read back differs", i, sizes[i])
			}
			// The file gets the permissions of the umask (0022 in tests and by default), not 0600.
			if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o666&^umask(t) {
				t.Fatalf("output file mode %v (%v), want %v", fi.Mode().Perm(), err, os.FileMode(0o666&^umask(t)))
			}
		} else if _, err := os.Stat(dst); err == nil {
			t.Fatalf("a failed get left %s behind", dst)
		}
		return code, errOut
	}
	for i := range sizes {
		if code, errOut := get(t, i); code != 0 {
			t.Fatalf("get %d bytes: exit %d: %s", sizes[i], code, errOut)
		}
	}

	// Byte ranges of the last file, on stdout, compared with the original.
	last := len(sizes) - 1
	orig, err := os.ReadFile(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	getRange := func(t *testing.T, spec string) (int, []byte, string) {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "get", cids[last], "--range", spec, "--quiet")
		return code, []byte(out), errOut
	}
	checkRanges := func(t *testing.T) {
		t.Helper()
		size := int64(len(orig))
		for _, r := range []struct {
			spec     string
			off, end int64 // end exclusive
		}{
			{"0-0", 0, 1},
			{"65535-65537", 65535, 65538},
			{"262143-262144", 262143, 262145},
			{"100-", 100, size},
			{"-10", size - 10, size},
			{fmt.Sprintf("0-%d", size-1), 0, size},
		} {
			code, got, errOut := getRange(t, r.spec)
			if code != 0 || !bytes.Equal(got, orig[r.off:r.end]) {
				t.Fatalf("--range %s: exit %d, %d bytes (%s)", r.spec, code, len(got), errOut)
			}
		}
		for _, spec := range []string{fmt.Sprintf("%d-", size), fmt.Sprintf("0-%d", size), fmt.Sprintf("-%d", size+1)} {
			code, got, errOut := getRange(t, spec)
			if code != 1 || len(got) != 0 || !strings.Contains(errOut, "past the end") && !strings.Contains(errOut, "before the start") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("--range %s past the end: exit %d, %d bytes, %q", spec, code, len(got), errOut)
			}
		}
	}
	checkRanges(t)
	// get --json says which node served each piece.
	code, out, errOut := dstore(t, "--home", home, "get", "--json", cids[last], "-o", filepath.Join(dir, "out"), "--quiet")
	var gj struct {
		Bytes      int64 `json:"bytes"`
		PerSegment []struct {
			Pieces []struct {
				Peer string `json:"peer"`
			} `json:"pieces"`
		} `json:"per_segment"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &gj) != nil || gj.Bytes != sizes[last] || len(gj.PerSegment) != 4 || len(gj.PerSegment[0].Pieces) != 4 || gj.PerSegment[0].Pieces[0].Peer == "" {
		t.Fatalf("get --json: exit %d: %s %s", code, out, errOut)
	}

	// status names every shard and its node.
	code, out, errOut = dstore(t, "--home", home, "--json", "status", cids[last])
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	type health struct {
		K, Total, Live, Margin int
		Lost                   []int
	}
	var st struct {
		Shards []struct {
			Shard  int    `json:"shard"`
			Peer   string `json:"peer"`
			Online bool   `json:"online"`
			Live   bool   `json:"live"`
		} `json:"shards"`
		Health health `json:"health"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if len(st.Shards) != 6 {
		t.Fatalf("status lists %d shards, want 6", len(st.Shards))
	}
	if h := st.Health; h.K != 4 || h.Total != 6 || h.Live != 6 || h.Margin != 2 || len(h.Lost) != 0 {
		t.Fatalf("health of a whole file: %+v", h)
	}
	// A chain that does not answer costs status its deals, not its shards.
	ep := `{"rpc": "http://127.0.0.1:1", "marketplace": "0x00000000000000000000000000000000000000aa"}`
	if err := os.WriteFile(filepath.Join(home, "chain.json"), []byte(ep), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = dstore(t, "--home", home, "--json", "status", cids[last])
	var withErr struct {
		Shards     []json.RawMessage `json:"shards"`
		DealsError string            `json:"dealsError"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &withErr) != nil || len(withErr.Shards) != 6 || withErr.DealsError == "" {
		t.Fatalf("status with the chain down: exit %d, %s %s", code, out, errOut)
	}
	os.Remove(filepath.Join(home, "chain.json"))
	// Kill the nodes of shards 0 and 1 (m = 2): reads decode from parity.
	killShardNode := func(shard int) {
		for _, n := range d.File().Nodes {
			if n.PeerID == st.Shards[shard].Peer {
				if err := d.Kill(n.Index); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no node holds shard %d", shard)
	}
	killShardNode(0)
	killShardNode(1)
	if code, errOut := get(t, last); code != 0 {
		t.Fatalf("get with 2 nodes down: exit %d: %s", code, errOut)
	}
	// status says the file has no margin left, and which shards are not live.
	code, out, errOut = dstore(t, "--home", home, "status", cids[last])
	if code != 0 || !strings.Contains(out, "health: 4 of 6 shards live") || !strings.Contains(out, "no margin") || !strings.Contains(out, "not live: shards [0 1]") {
		t.Fatalf("status with 2 nodes down: exit %d: %s %s", code, out, errOut)
	}
	checkRanges(t)
	killShardNode(2)
	code, errOut = get(t, last)
	if code != 1 {
		t.Fatalf("get with 3 nodes down: exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "segment 0") || !strings.Contains(errOut, "3 of 6 shards") || !strings.Contains(errOut, "4 needed") {
		t.Fatalf("unclear error with 3 nodes down: %q", errOut)
	}
	if n := strings.Count(strings.TrimSpace(errOut), "\n"); n != 0 {
		t.Fatalf("error is not one line: %q", errOut)
	}
}

func TestBadInput(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"malformed CID", []string{"--home", home, "get", "not-a-cid"}, 2, "not a valid CID"},
		{"no network", []string{"--home", home, "get", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}, 1, "no network known"},
		{"missing file", []string{"--home", home, "put", filepath.Join(home, "nope")}, 1, "no such file"},
		{"bad chunker", []string{"--home", home, "put", "--chunker", "rabin", "x"}, 2, "chunker"},
		{"bad k", []string{"--home", home, "put", "--k", "0", "--m", "300", "x"}, 2, ""},
		{"bad price", []string{"--home", home, "put", "--price", "lots", "x"}, 2, "--price"},
		{"fractional wei", []string{"--home", home, "put", "--collateral", "0.5", "x"}, 2, "whole number of wei"},
		{"bad proof period", []string{"--home", home, "put", "--proof-period", "1", "x"}, 2, "--proof-period"},
		{"unknown flag after the command", []string{"--home", home, "put", "--bogus", "x"}, 2, "bogus"},
		{"rpc without market", []string{"--home", home, "audit", "--rpc", "http://127.0.0.1:1"}, 2, "--rpc and --market"},
		{"bad range", []string{"--home", home, "get", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "--range", "5-2"}, 2, "--range"},
		{"global flag after the CID", []string{"get", "not-a-cid", "--home", home}, 2, "not a valid CID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := dstore(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (%s)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Fatalf("stderr %q does not say %q", errOut, tt.want)
			}
		})
	}
}

func TestCIDVectors(t *testing.T) {
	dir := t.TempDir()
	hello := filepath.Join(dir, "hello")
	if err := os.WriteFile(hello, []byte("hello dstore\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := dstore(t, "cid", hello)
	if code != 0 || strings.TrimSpace(out) != "bafkreicz4lc53mkuxcgtmw4gt2r37hwdrjpgkj6hradymr4r7nlrdcah5i" {
		t.Fatalf("cid: exit %d out %q err %q", code, out, errOut)
	}
}

func TestParseWei(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{"0", "0", false},
		{"1000", "1000", false},
		{"1gwei", "1000000000", false},
		{"0.01ether", "10000000000000000", false},
		{" 2 ETHER ", "2000000000000000000", false},
		{"5wei", "5", false},
		{"1.5gwei", "1500000000", false},
		{"0.5", "", true},
		{"-1", "", true},
		{"1e-30ether", "", true},
		{"lots", "", true},
	}
	for _, tt := range tests {
		got, err := parseWei(tt.in)
		if (err != nil) != tt.err {
			t.Fatalf("parseWei(%q): error %v, want error %v", tt.in, err, tt.err)
		}
		if err == nil && got.String() != tt.want {
			t.Fatalf("parseWei(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
