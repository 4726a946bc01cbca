package sharding

import (
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/reedsolomon"
)

// Erasure is dstore's seam over klauspost/reedsolomon: a systematic K+M code over GF(2^8).
// It is safe for concurrent use.
type Erasure struct {
	k, m int
	enc  reedsolomon.Encoder
}

var encoders sync.Map // [2]int{k, m} -> reedsolomon.Encoder; building the matrices is not free

// NewErasure returns the K+M code. 1 <= k, 0 <= m, k+m <= MaxShards.
func NewErasure(k, m int) (*Erasure, error) {
	if k < 1 || m < 0 || k+m > MaxShards {
		return nil, fmt.Errorf("%w: erasure code %d+%d (need k >= 1, m >= 0, k+m <= %d)", ErrInvalidParams, k, m, MaxShards)
	}
	key := [2]int{k, m}
	if e, ok := encoders.Load(key); ok {
		return &Erasure{k: k, m: m, enc: e.(reedsolomon.Encoder)}, nil
	}
	enc, err := reedsolomon.New(k, m)
	if err != nil {
		return nil, fmt.Errorf("%w: erasure code %d+%d: %v", ErrInvalidParams, k, m, err)
	}
	e, _ := encoders.LoadOrStore(key, enc)
	return &Erasure{k: k, m: m, enc: e.(reedsolomon.Encoder)}, nil
}

// K is the number of data pieces.
func (e *Erasure) K() int { return e.k }

// M is the number of parity pieces.
func (e *Erasure) M() int { return e.m }

// Encode splits data (len <= K*pieceSize) into K zero-padded data pieces of pieceSize bytes and
// computes M parity pieces. It returns K+M slices cut from one fresh buffer that the caller owns.
func (e *Erasure) Encode(data []byte, pieceSize int) ([][]byte, error) {
	if pieceSize < 1 || len(data) > e.k*pieceSize {
		return nil, fmt.Errorf("%w: %d bytes do not fit %d pieces of %d bytes", ErrPieceSize, len(data), e.k, pieceSize)
	}
	buf := make([]byte, (e.k+e.m)*pieceSize)
	copy(buf, data)
	return e.EncodeBuffer(buf, pieceSize)
}

// EncodeBuffer encodes in place, without allocating pieces: buf holds (K+M)*pieceSize bytes whose
// first K*pieceSize are the data (zero-padded by the caller); the parity is written into the rest.
// It returns the K+M pieces as slices of buf. Reuse buf to encode without allocations.
func (e *Erasure) EncodeBuffer(buf []byte, pieceSize int) ([][]byte, error) {
	if pieceSize < 1 || len(buf) != (e.k+e.m)*pieceSize {
		return nil, fmt.Errorf("%w: a buffer of %d bytes is not %d pieces of %d bytes", ErrPieceSize, len(buf), e.k+e.m, pieceSize)
	}
	pieces := make([][]byte, e.k+e.m)
	for i := range pieces {
		pieces[i] = buf[i*pieceSize : (i+1)*pieceSize : (i+1)*pieceSize]
	}
	if e.m == 0 {
		return pieces, nil
	}
	if err := e.enc.Encode(pieces); err != nil {
		return nil, fmt.Errorf("erasure encode: %w", err)
	}
	return pieces, nil
}

// ReconstructData fills the nil data pieces from any K present pieces (nil or empty slices mark
// missing ones). Parity pieces stay as they are.
func (e *Erasure) ReconstructData(pieces [][]byte) error {
	return e.reconstruct(pieces, true)
}

// ReconstructSome fills only the data pieces i < K with want[i] set, from any K present pieces.
// The pieces may be any equal-length column range of a segment's pieces (bytes [a, b) of each):
// the code works column by column. A missing piece whose slice has length 0 and capacity enough
// is filled in place, without allocating.
func (e *Erasure) ReconstructSome(pieces [][]byte, want []bool) error {
	if len(pieces) != e.k+e.m || len(want) != e.k {
		return fmt.Errorf("%w: %d pieces and %d wanted flags given, the code has %d and %d", ErrPieceSize, len(pieces), len(want), e.k+e.m, e.k)
	}
	have, err := e.present(pieces)
	if err != nil {
		return err
	}
	err = e.enc.ReconstructSome(pieces, want)
	switch {
	case errors.Is(err, reedsolomon.ErrTooFewShards):
		return &PiecesError{Have: have, Need: e.k}
	case err != nil:
		return fmt.Errorf("erasure decode: %w", err)
	}
	return nil
}

// present counts the pieces given (non-empty), checking that they are of one size and that
// at least K are there to decode from.
func (e *Erasure) present(pieces [][]byte) (int, error) {
	have, size := 0, -1
	for _, p := range pieces {
		if len(p) == 0 {
			continue
		}
		if size >= 0 && len(p) != size {
			return 0, fmt.Errorf("%w: pieces of %d and %d bytes", ErrPieceSize, size, len(p))
		}
		size = len(p)
		have++
	}
	if have < e.k {
		return have, &PiecesError{Have: have, Need: e.k}
	}
	return have, nil
}

// Reconstruct fills every missing piece, data and parity, from any K present pieces; use it to
// rebuild a lost shard.
func (e *Erasure) Reconstruct(pieces [][]byte) error {
	return e.reconstruct(pieces, false)
}

func (e *Erasure) reconstruct(pieces [][]byte, dataOnly bool) error {
	if len(pieces) != e.k+e.m {
		return fmt.Errorf("%w: %d pieces given, the code has %d", ErrPieceSize, len(pieces), e.k+e.m)
	}
	have, err := e.present(pieces)
	if err != nil {
		return err
	}
	if have == e.k+e.m {
		return nil
	}
	if dataOnly {
		err = e.enc.ReconstructData(pieces)
	} else {
		err = e.enc.Reconstruct(pieces)
	}
	switch {
	case errors.Is(err, reedsolomon.ErrTooFewShards):
		return &PiecesError{Have: have, Need: e.k}
	case err != nil:
		return fmt.Errorf("erasure decode: %w", err)
	}
	return nil
}
