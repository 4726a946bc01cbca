package sharding

import (
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
)

var (
	// ErrInvalidParams reports Params that cannot be used (see Params.Validate).
	ErrInvalidParams = errors.New("invalid sharding parameters")
	// ErrInvalidChunker reports a chunker string other than "size-N" within limits.
	ErrInvalidChunker = errors.New("invalid chunker")
	// ErrPieceSize reports data that does not fit the pieces asked for, or pieces of unequal size.
	ErrPieceSize = errors.New("bad piece size")
	// ErrTooFewPieces reports a segment with fewer than K pieces present (see PiecesError).
	ErrTooFewPieces = errors.New("too few pieces to decode")
	// ErrInvalidManifest reports a manifest that is inconsistent, malformed or truncated.
	ErrInvalidManifest = errors.New("invalid manifest")
	// ErrNoPlacement reports a manifest that does not name a node for every shard: fine while an
	// upload builds it, useless to a reader. It matches ErrInvalidManifest too.
	ErrNoPlacement = fmt.Errorf("%w: no placement", ErrInvalidManifest)
	// ErrManifestVersion reports a manifest of a version this code does not read.
	ErrManifestVersion = errors.New("unsupported manifest version")
	// ErrManifestTooLarge reports a serialized manifest larger than MaxManifestSize.
	ErrManifestTooLarge = errors.New("manifest too large")
	// ErrSegmentRange reports a segment index outside the file.
	ErrSegmentRange = errors.New("segment index out of range")
	// ErrLeafMismatch reports file bytes that do not hash to their leaf's CID (see LeafError).
	ErrLeafMismatch = errors.New("leaf does not match its CID")
	// ErrShortFile reports a LeafVerifier closed before the whole file was written to it.
	ErrShortFile = errors.New("file ended early")
	// ErrLongFile reports more bytes written to a LeafVerifier than the file holds.
	ErrLongFile = errors.New("more bytes than the file holds")
)

// PiecesError names how many pieces of a segment were present and how many are needed.
type PiecesError struct {
	Have, Need int
}

func (e *PiecesError) Error() string {
	return fmt.Sprintf("%v: %d present, %d needed", ErrTooFewPieces, e.Have, e.Need)
}

func (e *PiecesError) Unwrap() error { return ErrTooFewPieces }

// LeafError names the leaf whose bytes did not match its CID.
type LeafError struct {
	Index  int     // leaf number in file order
	Offset int64   // file offset of its first byte
	Size   int64   // its length
	CID    cid.Cid // the CID it should hash to
}

func (e *LeafError) Error() string {
	return fmt.Sprintf("leaf %d (bytes %d-%d, %s): %v", e.Index, e.Offset, e.Offset+e.Size, e.CID, ErrLeafMismatch)
}

func (e *LeafError) Unwrap() error { return ErrLeafMismatch }
