package retry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dstore-net/dstore/internal/retry"
)

var errFlaky = errors.New("flaky")

func TestDo(t *testing.T) {
	errFinal := errors.New("final")
	tests := []struct {
		name      string
		p         retry.Policy
		fails     int   // f fails this many times, then succeeds
		failWith  error // what it fails with
		wantCalls int
		wantErr   error
	}{
		{name: "succeeds at once", p: retry.Policy{Attempts: 3}, wantCalls: 1},
		{name: "succeeds on the third try", p: retry.Policy{Attempts: 3, First: time.Millisecond}, fails: 2, failWith: errFlaky, wantCalls: 3},
		{name: "attempts spent", p: retry.Policy{Attempts: 3}, fails: 10, failWith: errFlaky, wantCalls: 3, wantErr: errFlaky},
		{name: "final error not retried", p: retry.Policy{Attempts: 5, Retryable: func(err error) bool { return !errors.Is(err, errFinal) }},
			fails: 10, failWith: errFinal, wantCalls: 1, wantErr: errFinal},
		{name: "until success without a bound", p: retry.Policy{First: time.Microsecond, Max: 2 * time.Microsecond}, fails: 20, failWith: errFlaky, wantCalls: 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls, retries := 0, 0
			tt.p.OnRetry = func(attempt int, pause time.Duration, err error) {
				retries++
				if attempt != calls || !errors.Is(err, tt.failWith) || (tt.p.Max > 0 && pause > tt.p.Max) {
					t.Errorf("OnRetry(%d, %v, %v) after %d calls", attempt, pause, err, calls)
				}
			}
			err := retry.Do(context.Background(), tt.p, func() error {
				calls++
				if calls <= tt.fails {
					return tt.failWith
				}
				return nil
			})
			if calls != tt.wantCalls || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("%d calls, err %v; want %d calls, err %v", calls, err, tt.wantCalls, tt.wantErr)
			}
			if retries != calls-1 && tt.wantErr == nil {
				t.Fatalf("%d retries reported for %d calls", retries, calls)
			}
		})
	}
}

// A cancelled context stops the loop in its pause, with f's last error.
func TestDoStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := retry.Do(ctx, retry.Policy{First: time.Hour}, func() error {
		calls++
		cancel()
		return errFlaky
	})
	if calls != 1 || !errors.Is(err, errFlaky) {
		t.Fatalf("%d calls, err %v", calls, err)
	}
	if err := retry.Do(ctx, retry.Policy{}, func() error { t.Fatal("called after the context ended"); return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}
