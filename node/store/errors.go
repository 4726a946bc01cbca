package store

import "errors"

var (
	// ErrNotFound is returned for a piece or manifest the store does not hold.
	ErrNotFound = errors.New("not found")
	// ErrCorrupt is returned for a piece whose bytes no longer match their SHA-256.
	ErrCorrupt = errors.New("stored piece fails its SHA-256")
	// ErrRange is returned for a read that starts past the end of a piece.
	ErrRange = errors.New("offset past the end of the piece")
	// ErrFull refuses a write that would take the store past its quota (WithMaxBytes).
	ErrFull = errors.New("storage quota reached")
	// ErrExists refuses a write over a piece or manifest that holds other bytes: both are write-once.
	ErrExists = errors.New("already holds other bytes")
	// ErrMismatch refuses a repair whose bytes do not hash to the piece's SHA-256 in its manifest.
	ErrMismatch = errors.New("bytes do not match the piece's SHA-256")
)
