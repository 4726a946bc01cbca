package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A setting comes from the command line, else its DSTORE_* variable, else the repo's file, else
// HOME's file, else the default; config show says which.
func TestConfigPrecedence(t *testing.T) {
	home := t.TempDir()
	repo := filepath.Join(home, "repo")
	if code, _, stderr := dstore(t, "--home", home, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if code, _, stderr := dstore(t, "--home", home, "node", "init", "--repo", repo); code != 0 {
		t.Fatalf("node init: %d %s", code, stderr)
	}
	if code, _, _ := dstore(t, "--home", home, "init"); code != 1 {
		t.Fatalf("a second init overwrote the file (exit %d)", code)
	}
	appendTo := func(path, text string) {
		t.Helper()
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(text); err != nil {
			t.Fatal(err)
		}
	}
	appendTo(filepath.Join(home, "config.yaml"), "\nlog-level: info\nnode:\n  price: 7\n  max-storage: 1GiB\n")
	appendTo(filepath.Join(repo, "config.yaml"), "\nnode:\n  max-storage: 2GiB\n  upload-grace: 5m\n")
	t.Setenv("DSTORE_UPLOAD_GRACE", "7m")

	show := func(args ...string) map[string][2]string {
		t.Helper()
		code, stdout, stderr := dstore(t, append([]string{"--home", home, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("config show: exit %d: %s", code, stderr)
		}
		var out []setting
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		m := map[string][2]string{}
		for _, s := range out {
			m[s.Key] = [2]string{s.Value, s.Source}
		}
		return m
	}
	got := show("config", "show", "--repo", repo)
	for key, want := range map[string][2]string{
		"log-level":             {"info", "file " + filepath.Join(home, "config.yaml")},
		"node.run.price":        {"7", "file " + filepath.Join(home, "config.yaml")},
		"node.run.max-storage":  {"2GiB", "file " + filepath.Join(repo, "config.yaml")},
		"node.run.upload-grace": {"7m", "env DSTORE_UPLOAD_GRACE"},
		"node.run.deposit":      {"0", "default"},
	} {
		if g := got[key]; g[0] != want[0] || !strings.HasPrefix(g[1], want[1]) {
			t.Errorf("%s = %q from %q; want %q from %q", key, g[0], g[1], want[0], want[1])
		}
	}
	// A setting no command takes is shown as ignored, with its line.
	appendTo(filepath.Join(repo, "config.yaml"), "max-storag: 3GiB\n")
	if g := show("config", "show", "--repo", repo)["max-storag"]; !strings.HasPrefix(g[1], "UNKNOWN, ignored: file "+filepath.Join(repo, "config.yaml")) {
		t.Errorf("a misspelt setting shows as %q", g)
	}
	// A broken file is one sentence naming its line, and a usage error.
	appendTo(filepath.Join(home, "config.yaml"), "gateway: [\n")
	code, _, stderr := dstore(t, "--home", home, "config", "show")
	if code != 2 || !strings.Contains(stderr, "config.yaml") {
		t.Fatalf("broken file: exit %d, %q", code, stderr)
	}
}

func TestCompletionAndLogFormat(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := dstore(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, "dstore") {
			t.Fatalf("completion %s: exit %d, %d bytes, %s", shell, code, len(stdout), stderr)
		}
	}
	if code, _, _ := dstore(t, "completion", "tcsh"); code != 2 {
		t.Fatalf("completion tcsh: exit %d, want 2", code)
	}
	if code, _, _ := dstore(t, "--home", t.TempDir(), "--log-format", "xml", "config", "show"); code != 2 {
		t.Fatalf("--log-format xml: exit %d, want 2", code)
	}
}
