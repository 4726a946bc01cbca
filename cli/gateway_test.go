package cli

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const siteRoot = "bafybeidrhrib4nghuxfn6socppcpjdvqw3vilqkiaafvr7jnkdgdhyijam" // ipfs add -r --cid-version=1 (kubo 0.43.1)

// A whole website: put DIR gives kubo's CID, get -o DIR writes the tree back, get --car writes
// the CAR the devnet's gateway serves, and the gateway serves the site's pages.
func TestPutGetDirectoryAndGateway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	d, home := startTestDevnet(t, 6)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--piece-size", "65536", "testdata/site")
	if code != 0 {
		t.Fatalf("put DIR: exit %d: %s", code, errOut)
	}
	if got := strings.TrimSpace(out); got != siteRoot {
		t.Fatalf("put DIR gave %s, kubo gives %s", got, siteRoot)
	}

	dst := filepath.Join(t.TempDir(), "site")
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "-o", dst, siteRoot); code != 0 {
		t.Fatalf("get -o DIR: exit %d: %s", code, errOut)
	}
	if diff, err := exec.Command("diff", "-r", "testdata/site", dst).CombinedOutput(); err != nil {
		t.Fatalf("the tree read back differs: %v\n%s", err, diff)
	}
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "-o", dst, siteRoot); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("get -o over an existing directory: exit %d: %s", code, errOut)
	}

	if d.File().Gateway == "" {
		t.Fatal("devnet.json names no gateway")
	}
	carPath := filepath.Join(t.TempDir(), "site.car")
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "--car", "-o", carPath, siteRoot); code != 0 {
		t.Fatalf("get --car: exit %d: %s", code, errOut)
	}
	car, err := os.ReadFile(carPath)
	if err != nil {
		t.Fatal(err)
	}
	served := httpGet(t, d.File().Gateway+"/ipfs/"+siteRoot+"?format=car")
	if !bytes.Equal(car, served) {
		t.Fatalf("get --car wrote %d bytes, the gateway serves %d", len(car), len(served))
	}
	index, err := os.ReadFile("testdata/site/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if got := httpGet(t, d.File().Gateway+"/ipfs/"+siteRoot+"/"); !bytes.Equal(got, index) {
		t.Fatalf("the gateway's / is not index.html: %q", got)
	}
}

func httpGet(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return b
}

// dstore gateway as a process of its own: it prints its URL, serves the site, keeps its cache on
// disk, and stops on SIGTERM.
func TestGatewayProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	_, home := startTestDevnet(t, 6)
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "put", "--piece-size", "65536", "testdata/site"); code != 0 {
		t.Fatalf("put DIR: exit %d: %s", code, errOut)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cacheDir := t.TempDir()
	cmd := exec.Command(exe, "--home", home, "--log-level", "info", "gateway", "--listen", "127.0.0.1:0", "--cache-dir", cacheDir, "--cache-size", "64MiB")
	cmd.Env = append(os.Environ(), "DSTORE_EXEC_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL on stdout: %v; stderr: %s", err, stderr.String())
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("stdout says %q", url)
	}
	css, err := os.ReadFile("testdata/site/assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	if got := httpGet(t, url+"/ipfs/"+siteRoot+"/assets/style.css"); !bytes.Equal(got, css) {
		t.Fatalf("style.css: %q", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("gateway exit: %v; stderr: %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "/assets/style.css") || !strings.Contains(stderr.String(), "status=200") {
		t.Fatalf("no access log line on stderr: %s", stderr.String())
	}
	if entries, err := os.ReadDir(cacheDir); err != nil || len(entries) == 0 {
		t.Fatalf("nothing in the cache directory (%v)", err)
	}
}
