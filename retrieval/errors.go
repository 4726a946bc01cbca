package retrieval

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotEnoughNodes is returned by Put when fewer storage nodes answer than the upload needs.
	ErrNotEnoughNodes = errors.New("not enough storage nodes")
	// ErrManifestNotFound is returned when no provider serves a valid manifest for a root CID.
	ErrManifestNotFound = errors.New("manifest not found")
	// ErrNotEnoughShards is wrapped by SegmentError when a segment cannot be recovered.
	ErrNotEnoughShards = errors.New("not enough shards")
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
