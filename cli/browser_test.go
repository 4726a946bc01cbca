package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The stored website renders in headless Chromium through the devnet's gateway: its stylesheet
// applies and its script runs. Needs Debian's chromium and playwright-core in testdata/browser
// (`apt-get install -y chromium; cd cli/testdata/browser && npm install`, as .ci/run does); the
// screenshot goes to $DSTORE_ARTIFACTS (default: the system's temp dir).
func TestSiteRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes and a browser")
	}
	chromium := os.Getenv("DSTORE_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	node, err := exec.LookPath("node")
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
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "put", "testdata/site"); code != 0 {
		t.Fatalf("put DIR: exit %d: %s", code, errOut)
	}
	artifacts := os.Getenv("DSTORE_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join(os.TempDir(), "dstore-artifacts")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, "site-in-chromium.png")
	cmd := exec.Command(node, "render.mjs", d.File().Gateway+"/ipfs/"+siteRoot+"/", shot, chromium)
	cmd.Dir = "testdata/browser"
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("the browser: %v\n%s", err, stderr)
	}
	var page struct {
		Status    int    `json:"status"`
		Title     string `json:"title"`
		Text      string `json:"text"`
		Color     string `json:"color"`
		ScriptRan bool   `json:"scriptRan"`
	}
	if err := json.Unmarshal(out, &page); err != nil {
		t.Fatalf("the browser said %q: %v", out, err)
	}
	t.Logf("page %+v, screenshot %s", page, shot)
	switch {
	case page.Status != 200 || page.Title != "dstore site" || page.Text != "Hello from dstore":
		t.Fatalf("the page did not load: %+v", page)
	case page.Color != "rgb(34, 68, 102)":
		t.Fatalf("the stylesheet did not apply: h1 is %s, style.css makes it #246", page.Color)
	case !page.ScriptRan:
		t.Fatal("the script did not run")
	}
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("no screenshot at %s", shot)
	}
}
