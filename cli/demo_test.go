package cli

import (
	"strings"
	"testing"
)

// TestDemo runs `dstore demo`, the README's first command, end to end: the devnet, put, get, the
// deal, the first proofs, the audit, the killed nodes' misses reported and slashed, and the
// repairer (racing the demo's auditor for the same reports) rebuilding their shards on spares.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes minutes")
	}
	code, out, errOut := dstore(t, "demo")
	if code != 0 {
		t.Fatalf("dstore demo exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"identical to the original",
		"(2 nodes down)",
		"slashed",
		"counted dead",
		"open for repair",
		"repaired at block",
		"their shards repaired on spare nodes",
		"4 original holders down",
		"demo complete",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo's output lacks %q\nstdout:\n%s", want, out)
		}
	}
}
