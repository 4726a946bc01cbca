// Package retry is dstore's one retry loop: an operation tried again after a pause that doubles
// up to a cap, for a bounded number of attempts, until it succeeds, fails for good or its context
// ends. The deal service, the client's uploads and its deals use it instead of loops of their own.
package retry

import (
	"context"
	"time"
)

// Policy says how often and how patiently to try. Zero values mean the documented defaults.
type Policy struct {
	// Attempts bounds the tries (the first one included); 0 tries until ctx ends.
	Attempts int
	// First is the pause after the first failure; it doubles after each further one, up to Max.
	// 0 tries again at once.
	First time.Duration
	// Max caps the pause; 0 lets it grow without a cap.
	Max time.Duration
	// Retryable tells the errors worth another try; nil retries every error.
	Retryable func(error) bool
	// OnRetry, if set, sees each failure that will be tried again, with the pause before the next
	// try (logs, metrics).
	OnRetry func(attempt int, pause time.Duration, err error)
}

// Do runs f until it returns nil, an error the policy does not retry, the attempts are spent or
// ctx ends, and returns f's last error (ctx's error if ctx ended before f was ever called).
func Do(ctx context.Context, p Policy, f func() error) error {
	pause := p.First
	var err error
	for attempt := 1; ; attempt++ {
		if cerr := ctx.Err(); cerr != nil {
			if err == nil {
				err = cerr
			}
			return err
		}
		if err = f(); err == nil || (p.Retryable != nil && !p.Retryable(err)) || attempt == p.Attempts {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, pause, err)
		}
		if pause > 0 {
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return err
			case <-t.C:
			}
			pause *= 2
			if p.Max > 0 && pause > p.Max {
				pause = p.Max
			}
		}
	}
}
