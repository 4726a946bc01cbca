package node

import (
	"errors"
	"fmt"

	"github.com/dstore-net/dstore/node/wire"
)

var (
	// ErrShardRange reports a shard index that the file's manifest does not have.
	ErrShardRange = errors.New("shard out of range")
	// ErrPieceMismatch reports a stored piece whose length or SHA-256 differs from its manifest's.
	ErrPieceMismatch = errors.New("stored piece differs from the manifest")
	// ErrNotHeld reports a manifest, or a shard, the node does not hold whole (some segment's
	// piece is missing). It matches wire.ErrNotFound, which is what a client is answered.
	ErrNotHeld = fmt.Errorf("%w: not held by this node", wire.ErrNotFound)
	// ErrClosed reports a call that the node's Close interrupted.
	ErrClosed = errors.New("node closed")
)
