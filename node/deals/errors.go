package deals

import "errors"

var (
	// ErrInvalidConfig reports a Config that cannot work; the message says what is wrong.
	ErrInvalidConfig = errors.New("deals: invalid configuration")
	// ErrKeysNotReady is what a proof attempt returns while the proving keys are still loading.
	ErrKeysNotReady = errors.New("deals: proving keys not loaded yet")
	// ErrRootMismatch reports a request whose slot root is not the root of the shard the node holds:
	// the client committed to other bytes, and the slot is not filled.
	ErrRootMismatch = errors.New("deals: slot root differs from the held shard's")
	// ErrRefused reports a slot not filled because its request is outside the provider's Policy;
	// a *RefusedError says why.
	ErrRefused = errors.New("deals: request outside the provider's policy")
	// ErrRunning reports a second call to Run, or Run after Close.
	ErrRunning = errors.New("deals: service already running or closed")
)
