package node

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestLibraryLogsReachSlog(t *testing.T) {
	var buf bytes.Buffer
	h := minLevel{Handler: slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), min: slog.LevelWarn}
	z := zap.New(&slogCore{h: h}).Named("dht").With(zap.String("peer", "p1"))
	z.Info("dropped below warn")
	z.Warn("kept", zap.Int("tries", 3))
	out := buf.String()
	for _, want := range []string{"msg=kept", "level=WARN", "logger=dht", "peer=p1", "tries=3"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "dropped") {
		t.Errorf("an info record passed the warn floor: %q", out)
	}
}
