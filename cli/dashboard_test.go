package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The devnet's dashboard, in headless Chromium: it lists the devnet's nodes up with their round
// trips and the file put with its shards, and shows a node down after the node is killed. Needs
// Debian's chromium and playwright-core (see TestSiteRendersInChromium); the screenshots go to
// $DSTORE_ARTIFACTS.
func TestDashboardInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes and a browser")
	}
	chromium := os.Getenv("DSTORE_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	nodeJS, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node to drive the browser")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("no chromium at %s (apt-get install -y chromium)", chromium)
	}
	if _, err := os.Stat("testdata/browser/node_modules/playwright-core"); err != nil {
		t.Skip("no playwright-core (cd cli/testdata/browser && npm install)")
	}
	d, home := startTestDevnet(t, 6)
	src, _ := writeFile(t, t.TempDir(), "dash.bin", 300<<10, 5)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	root := strings.TrimSpace(out)
	artifacts := os.Getenv("DSTORE_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join(os.TempDir(), "dstore-artifacts")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	before, after := filepath.Join(artifacts, "dashboard.png"), filepath.Join(artifacts, "dashboard-node-killed.png")
	victim := d.File().Nodes[5]
	cmd := exec.Command(nodeJS, "dashboard.mjs", d.File().Gateway+"/dashboard", root, strconv.Itoa(victim.PID), before, after, chromium)
	cmd.Dir = "testdata/browser"
	b, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("the browser: %v\n%s", err, stderr)
	}
	var page struct {
		Status int    `json:"status"`
		Title  string `json:"title"`
		First  struct {
			Nodes, Up, Rows, FileHealthy, ShardBoxes int
			RTT                                      string
		} `json:"first"`
		Second struct{ Up, Down, FileHealthy int } `json:"second"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatalf("the browser said %q: %v", b, err)
	}
	t.Logf("page %+v, screenshots %s %s", page, before, after)
	switch {
	case page.Status != 200 || page.Title != "dstore dashboard":
		t.Fatalf("the page did not load: %+v", page)
	case page.First.Nodes != 6 || page.First.Up != 6 || page.First.Rows != 6 || !strings.HasSuffix(page.First.RTT, " ms"):
		t.Fatalf("before the kill the page shows %+v; want 6 nodes up with their round trips", page.First)
	case page.First.ShardBoxes != 6 || page.First.FileHealthy != 6:
		t.Fatalf("the file shows %d shards, %d healthy; want 4+2, all healthy", page.First.ShardBoxes, page.First.FileHealthy)
	case page.Second.Up != 5 || page.Second.Down != 1:
		t.Fatalf("after the kill the page shows %+v; want 5 up, 1 down", page.Second)
	}
	for _, shot := range []string{before, after} {
		if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
			t.Fatalf("no screenshot at %s", shot)
		}
	}
}
