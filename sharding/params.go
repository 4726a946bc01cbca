package sharding

import (
	"fmt"
	"strconv"
	"strings"

	chunk "github.com/ipfs/boxo/chunker"
)

// Defaults for zero-valued Params fields.
const (
	DefaultK         = 4
	DefaultM         = 2
	DefaultChunkSize = 256 << 10
	DefaultPieceSize = 1 << 20
)

// Limits on Params (and on decoded manifests).
const (
	MaxShards    = 256 // K+M at most: Reed-Solomon over GF(2^8)
	MaxChunkSize = int64(chunk.ChunkSizeLimit)
	MaxPieceSize = 64 << 20 // a piece must fit in one node message
	PieceAlign   = 64       // piece sizes are multiples of this (cells of the proof layer)
)

// Params describes how a file is cut. Zero values mean defaults.
type Params struct {
	K, M      int   // data and parity pieces per segment; defaults DefaultK and DefaultM
	ChunkSize int64 // UnixFS leaf size, default DefaultChunkSize
	PieceSize int64 // bytes of a full data piece, default DefaultPieceSize; SegmentSize = K*PieceSize
	// StripeSize is the unit in which a segment is dealt to its data pieces (see Layout). Default:
	// ChunkSize when that is a multiple of PieceAlign smaller than PieceSize that divides it, so
	// that each leaf lies in one data piece and consecutive leaves in consecutive pieces; else
	// PieceSize, the plain layout.
	StripeSize int64
}

// WithDefaults returns p with its zero fields set to the defaults. M stays 0 only if K is set too
// (K without M means "no parity").
func (p Params) WithDefaults() Params {
	if p.K == 0 && p.M == 0 {
		p.K, p.M = DefaultK, DefaultM
	}
	if p.K == 0 {
		p.K = DefaultK
	}
	if p.ChunkSize == 0 {
		p.ChunkSize = DefaultChunkSize
	}
	if p.PieceSize == 0 {
		p.PieceSize = DefaultPieceSize
	}
	if p.StripeSize == 0 {
		p.StripeSize = p.PieceSize
		if u := p.ChunkSize; u%PieceAlign == 0 && u < p.PieceSize && p.PieceSize%u == 0 {
			p.StripeSize = u
		}
	}
	return p
}

// Validate explains what is wrong with p, if anything. It does not apply defaults.
func (p Params) Validate() error {
	switch {
	case p.K < 1:
		return fmt.Errorf("%w: k = %d, need at least 1 data piece", ErrInvalidParams, p.K)
	case p.M < 0:
		return fmt.Errorf("%w: m = %d, parity pieces cannot be negative", ErrInvalidParams, p.M)
	case p.K+p.M > MaxShards:
		return fmt.Errorf("%w: k+m = %d, at most %d shards", ErrInvalidParams, p.K+p.M, MaxShards)
	case p.ChunkSize < 1 || p.ChunkSize > MaxChunkSize:
		return fmt.Errorf("%w: chunk size %d, want 1 to %d bytes", ErrInvalidParams, p.ChunkSize, MaxChunkSize)
	case p.PieceSize < PieceAlign || p.PieceSize > MaxPieceSize:
		return fmt.Errorf("%w: piece size %d, want %d to %d bytes", ErrInvalidParams, p.PieceSize, PieceAlign, MaxPieceSize)
	case p.PieceSize%PieceAlign != 0:
		return fmt.Errorf("%w: piece size %d is not a multiple of %d", ErrInvalidParams, p.PieceSize, PieceAlign)
	case p.StripeSize != 0 && (p.StripeSize < PieceAlign || p.StripeSize%PieceAlign != 0 || p.StripeSize > p.PieceSize || p.PieceSize%p.StripeSize != 0):
		return fmt.Errorf("%w: stripe size %d, want a multiple of %d that divides the piece size %d", ErrInvalidParams, p.StripeSize, PieceAlign, p.PieceSize)
	}
	return nil
}

// manifestStripe is the StripeSize a manifest of p records: 0 for the plain layout.
func (p Params) manifestStripe() int64 {
	if p.StripeSize == p.PieceSize {
		return 0
	}
	return p.StripeSize
}

// SegmentSize is the number of file bytes in a full segment: K*PieceSize.
func (p Params) SegmentSize() int64 { return int64(p.K) * p.PieceSize }

// ParseChunker parses a chunker as `ipfs add --chunker` writes it: "size-N" for N-byte chunks.
// "" and "default" give DefaultChunkSize. Content-defined chunkers (rabin, buzhash) are refused:
// the segment layout assumes fixed-size leaves.
func ParseChunker(s string) (int64, error) {
	if s == "" || s == "default" {
		return DefaultChunkSize, nil
	}
	num, ok := strings.CutPrefix(s, "size-")
	if !ok {
		return 0, fmt.Errorf("%w: %q: only fixed-size chunkers \"size-N\" are supported", ErrInvalidChunker, s)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %q is not a number of bytes", ErrInvalidChunker, s, num)
	}
	if n < 1 || n > MaxChunkSize {
		return 0, fmt.Errorf("%w: %q: size must be 1 to %d bytes", ErrInvalidChunker, s, MaxChunkSize)
	}
	return n, nil
}
