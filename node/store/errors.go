package store

import "errors"

var (
	// ErrNotFound is returned for a piece or manifest the store does not hold.
	ErrNotFound = errors.New("not found")
	// ErrCorrupt is returned for a piece whose bytes no longer match their SHA-256.
	ErrCorrupt = errors.New("stored piece fails its SHA-256")
)
