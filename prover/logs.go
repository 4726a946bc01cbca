package prover

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"

	"github.com/consensys/gnark/logger"
	"github.com/rs/zerolog"
)

// RouteLogs sends gnark's log lines (compilation, setup, solver and prover
// timings) to l; nil silences them again, as they are by default. gnark has one
// process-wide logger, so the last call wins. Its info lines arrive at debug
// level: one per proof is too chatty for a node's info log.
func RouteLogs(l *slog.Logger) {
	if l == nil {
		logger.Disable()
		return
	}
	logger.Set(zerolog.New(slogWriter{l}).Level(zerolog.DebugLevel))
}

// slogWriter turns zerolog's JSON lines into slog records.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	var ev map[string]any
	if err := json.Unmarshal(p, &ev); err != nil {
		w.l.Debug(string(bytes.TrimSpace(p)))
		return len(p), nil
	}
	msg, _ := ev[zerolog.MessageFieldName].(string)
	lvl, _ := ev[zerolog.LevelFieldName].(string)
	delete(ev, zerolog.MessageFieldName)
	delete(ev, zerolog.LevelFieldName)
	delete(ev, zerolog.TimestampFieldName)
	level := slog.LevelDebug
	switch lvl {
	case zerolog.LevelWarnValue:
		level = slog.LevelWarn
	case zerolog.LevelErrorValue, zerolog.LevelFatalValue, zerolog.LevelPanicValue:
		level = slog.LevelError
	}
	attrs := make([]any, 0, 2*len(ev))
	for k, v := range ev {
		attrs = append(attrs, k, v)
	}
	w.l.Log(context.Background(), level, msg, attrs...)
	return len(p), nil
}
