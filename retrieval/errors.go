package retrieval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dstore-net/dstore/prover"
)

var (
	// ErrNotEnoughNodes is returned by Put when fewer storage nodes answer than the upload needs.
	ErrNotEnoughNodes = errors.New("not enough storage nodes")
	// ErrManifestNotFound is returned when no provider serves a valid manifest for a root CID.
	ErrManifestNotFound = errors.New("manifest not found")
	// ErrNotEnoughShards is wrapped by SegmentError when a segment cannot be recovered.
	ErrNotEnoughShards = errors.New("not enough shards")
	// ErrEncryptTree is returned by PutTree given recipients: a directory tree is stored as a
	// UnixFS DAG, which encryption would hide; encrypt an archive of it with Put instead.
	ErrEncryptTree = errors.New("a directory tree cannot be encrypted: put an archive of it (tar) with recipients instead")
	// ErrRange is wrapped by RangeError when a byte range does not lie inside the file.
	ErrRange = errors.New("range outside the file")
	// ErrTooExpensive: a node asks more a byte than the client's MaxPrice; its pieces are read
	// from other nodes.
	ErrTooExpensive = errors.New("node's retrieval price above --max-price")
	// ErrOffer: a node's retrieval offer is malformed, not signed by its payee, expired, or for
	// another escrow; the node is not read from.
	ErrOffer = errors.New("invalid retrieval offer")
	// ErrRebuild is returned by RebuildShard when a rebuilt piece does not hash to the manifest's
	// value: it is never sent.
	ErrRebuild = errors.New("rebuilt piece does not match the manifest")
)

// SegmentError reports a segment that could not be read because fewer than Needed of its shards
// returned a valid piece.
type SegmentError struct {
	Segment  int // index of the segment
	Segments int // segments in the file
	Found    int // shards that returned a valid piece
	Needed   int // shards needed to decode (K)
	Total    int // shards of the file (K+M)
	Last     error
}

func (e *SegmentError) Error() string {
	msg := fmt.Sprintf("segment %d of %d: only %d of %d shards reachable, %d needed", e.Segment, e.Segments, e.Found, e.Total, e.Needed)
	if e.Last != nil {
		// libp2p's dial errors span lines; the sentence stays on one.
		last := strings.Join(strings.Fields(e.Last.Error()), " ")
		msg += fmt.Sprintf(" (last error: %s)", last)
	}
	return msg
}

func (e *SegmentError) Unwrap() error { return ErrNotEnoughShards }

// ShardError reports a shard whose upload failed on every node tried.
type ShardError struct {
	Shard int
	Peer  string
	Err   error
}

func (e *ShardError) Error() string {
	return fmt.Sprintf("shard %d: node %s failed and no spare node is left: %v", e.Shard, e.Peer, e.Err)
}

func (e *ShardError) Unwrap() error { return e.Err }

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

// RangeError reports a byte range [Off, Off+N) that does not lie inside a file of Size bytes.
type RangeError struct {
	Off, N, Size int64
}

func (e *RangeError) Error() string {
	switch {
	case e.N < 0:
		return fmt.Sprintf("a byte range of %d bytes is not a range", e.N)
	case e.Off < 0:
		return fmt.Sprintf("byte range starts %d bytes before the start of the %d-byte file", -e.Off, e.Size)
	case e.Off >= e.Size:
		return fmt.Sprintf("byte range starts at %d, past the end of the %d-byte file", e.Off, e.Size)
	default:
		return fmt.Sprintf("byte range %d-%d ends past the end of the %d-byte file", e.Off, e.Off+e.N-1, e.Size)
	}
}

func (e *RangeError) Unwrap() error { return ErrRange }
