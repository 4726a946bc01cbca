package prover

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/consensys/gnark/logger"
)

func TestRouteLogs(t *testing.T) {
	var buf bytes.Buffer
	RouteLogs(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { RouteLogs(nil) })

	l := logger.Logger()
	l.Debug().Int("nbConstraints", 42).Msg("parsed circuit inputs")
	l.Warn().Str("why", "test").Msg("careful")
	out := buf.String()
	for _, want := range []string{`level=DEBUG msg="parsed circuit inputs" nbConstraints=42`, `level=WARN msg=careful why=test`} {
		if !strings.Contains(out, want) {
			t.Errorf("routed log lacks %q:\n%s", want, out)
		}
	}

	RouteLogs(nil)
	buf.Reset()
	l = logger.Logger()
	l.Warn().Msg("dropped")
	if buf.Len() != 0 {
		t.Fatalf("silenced logger still writes: %s", buf.String())
	}
}
