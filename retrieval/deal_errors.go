package retrieval

import (
	"errors"
	"fmt"

	"github.com/dstore-net/dstore/prover"
)

// Errors of MakeDeal. A failing shard comes back as a *SlotError (or an *OpeningError for a
// failed spot check) that unwraps to one of them.
var (
	// ErrBadRoot is returned when a holder's slot root is not the commitment of the bytes the
	// client uploaded: an opening failed, or the root is not a field element.
	ErrBadRoot = errors.New("slot root does not commit to the uploaded bytes")
	// ErrRootTimeout is returned when a holder announced no slot root within RootTimeout.
	ErrRootTimeout = errors.New("no slot root in time")
	// ErrSlotMismatch is returned when a holder describes a slot of another size or cell count
	// than the shard uploaded to it.
	ErrSlotMismatch = errors.New("slot differs from the uploaded shard")
	// ErrHostNotRegistered is returned when a holder has no chain account, or its account is not
	// registered as a provider under the holder's peer ID.
	ErrHostNotRegistered = errors.New("holder not registered on chain")
	// ErrDuplicateHost is returned when two shards' holders answer with the same chain account:
	// the contract lets an account hold one slot of a request.
	ErrDuplicateHost = errors.New("one chain account holds two shards")
)

// SlotError reports a shard whose holder cannot take the shard's slot in a deal.
type SlotError struct {
	Shard int
	Peer  string
	Err   error
}

func (e *SlotError) Error() string {
	return fmt.Sprintf("shard %d on node %s: %v", e.Shard, e.Peer, e.Err)
}

func (e *SlotError) Unwrap() error { return e.Err }

// OpeningError reports a cell whose Merkle path from the holder does not lead from the client's
// bytes of the cell to the holder's slot root: the root does not commit to the uploaded shard.
type OpeningError struct {
	Shard int
	Peer  string
	Cell  uint64
	Err   error // what prover.VerifyOpening said
}

func (e *OpeningError) Error() string {
	msg := fmt.Sprintf("shard %d on node %s: cell %d: %v", e.Shard, e.Peer, e.Cell, ErrBadRoot)
	if !errors.Is(e.Err, prover.ErrBadOpening) { // say more than "the path does not lead to the root"
		msg += fmt.Sprintf(" (%v)", e.Err)
	}
	return msg
}

// Unwrap returns ErrBadRoot and the verifier's error.
func (e *OpeningError) Unwrap() []error { return []error{ErrBadRoot, e.Err} }
