package retry_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dstore-net/dstore/internal/retry"
)

// A call that fails twice, then succeeds; a refusal would not be tried again.
func ExampleDo() {
	errRefused := errors.New("refused")
	calls := 0
	err := retry.Do(context.Background(), retry.Policy{
		Attempts: 4, First: time.Millisecond, Max: 10 * time.Millisecond,
		Retryable: func(err error) bool { return !errors.Is(err, errRefused) },
		OnRetry:   func(attempt int, pause time.Duration, err error) { fmt.Println("attempt", attempt, "failed:", err) },
	}, func() error {
		if calls++; calls < 3 {
			return errors.New("busy")
		}
		return nil
	})
	fmt.Println(calls, "calls, err:", err)
	// Output:
	// attempt 1 failed: busy
	// attempt 2 failed: busy
	// 3 calls, err: <nil>
}
