package node

import "errors"

var (
	// ErrShardRange reports a shard index that the file's manifest does not have.
	ErrShardRange = errors.New("shard out of range")
	// ErrPieceMismatch reports a stored piece whose length or SHA-256 differs from its manifest's.
	ErrPieceMismatch = errors.New("stored piece differs from the manifest")
)
