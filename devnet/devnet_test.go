package devnet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A node that stops before it listens is reported with the end of its log: the last 4 KiB, whole
// lines or not, never the start of a long log.
func TestLogTail(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.log")
	if err := os.WriteFile(short, []byte("level=ERROR msg=\"--metrics 127.0.0.1:9100: address already in use\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := logTail(short); got != `level=ERROR msg="--metrics 127.0.0.1:9100: address already in use"` {
		t.Fatalf("short log: %q", got)
	}
	long := filepath.Join(dir, "long.log")
	body := strings.Repeat("level=INFO msg=starting\n", 1000) + "level=ERROR msg=\"the last line\"\n"
	if err := os.WriteFile(long, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	got := logTail(long)
	if len(got) > 4<<10 || !strings.HasSuffix(got, `msg="the last line"`) {
		t.Fatalf("long log: %d bytes ending %q", len(got), got[max(0, len(got)-40):])
	}
	if got := logTail(filepath.Join(dir, "missing.log")); !strings.Contains(got, "no such file") {
		t.Fatalf("missing log: %q", got)
	}
}
