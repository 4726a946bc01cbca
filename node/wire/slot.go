package wire

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/prover/field"
)

// Bounds of the slot protocols. They follow the proof system's own limits (prover.Params allows a
// tree depth of at most 40 and cells of at most 1 MiB) without importing it (only its field).
const (
	// MaxOpenings bounds the cells of one SlotOpenings call.
	MaxOpenings = 512
	// MaxPathDepth bounds the length of one Merkle path: the deepest tree the proof system builds.
	MaxPathDepth = 40
	// MaxCells bounds a cell index and the cell count of a slot: 2^MaxPathDepth.
	MaxCells = 1 << MaxPathDepth
	// MaxSlotSize bounds the size of a slot in bytes: MaxCells cells of at most 1 MiB.
	MaxSlotSize = 1 << 60
	// MaxCellsSize bounds the payload of an openings request: a count and MaxOpenings cells,
	// each a uvarint. A request within it that names more than MaxOpenings cells is answered
	// with ErrBadRequest; a larger payload with ErrTooLarge.
	MaxCellsSize = binary.MaxVarintLen64 * (1 + MaxOpenings)
	// MaxPathsSize bounds the payload of an openings answer: the depth and MaxOpenings paths.
	MaxPathsSize = 1 + MaxOpenings*MaxPathDepth*field.Bytes
	// SlotInfoSize is the exact size of the payload of a slot root answer.
	SlotInfoSize = 1 + 32 + 8 + 8 + 20
)

// SlotInfo is a holder's answer about the commitment of one shard (a slot).
type SlotInfo struct {
	Ready   bool     // false while the node is still building the tree
	Root    [32]byte // slot root, prover.Tree.RootBytes()
	Cells   uint64   // cells in the slot
	Size    int64    // shard size in bytes
	Account [20]byte // the node's chain account; zero when the node runs without a chain
}

// EncodeSlotInfo returns the payload of a slot root answer:
// ready(1) | root(32) | cells uint64 | size uint64 | account(20), integers big-endian.
func EncodeSlotInfo(s SlotInfo) []byte {
	b := make([]byte, 0, SlotInfoSize)
	if s.Ready {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = append(b, s.Root[:]...)
	b = binary.BigEndian.AppendUint64(b, s.Cells)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Size))
	return append(b, s.Account[:]...)
}

// DecodeSlotInfo decodes a slot root answer strictly: exact length, a flag of 0 or 1, a root that
// is a canonical field element and zero while the tree is not ready, cells and size in bounds.
func DecodeSlotInfo(b []byte) (SlotInfo, error) {
	var s SlotInfo
	if len(b) != SlotInfoSize {
		return s, fmt.Errorf("%w: slot info of %d bytes, want %d", ErrProtocol, len(b), SlotInfoSize)
	}
	switch b[0] {
	case 0:
	case 1:
		s.Ready = true
	default:
		return s, fmt.Errorf("%w: ready flag %d", ErrProtocol, b[0])
	}
	copy(s.Root[:], b[1:33])
	if s.Ready {
		var e field.Element
		if err := e.SetBytesCanonical(s.Root[:]); err != nil {
			return s, fmt.Errorf("%w: slot root: %v", ErrProtocol, err)
		}
	} else if s.Root != ([32]byte{}) {
		return s, fmt.Errorf("%w: a root before the tree is ready", ErrProtocol)
	}
	s.Cells = binary.BigEndian.Uint64(b[33:41])
	size := binary.BigEndian.Uint64(b[41:49])
	if s.Cells > MaxCells || size > MaxSlotSize {
		return s, fmt.Errorf("%w: slot of %d cells, %d bytes", ErrTooLarge, s.Cells, size)
	}
	s.Size = int64(size)
	copy(s.Account[:], b[49:])
	return s, nil
}

// EncodeCells returns the payload of an openings request: count uvarint | count cells, each a uvarint.
func EncodeCells(cells []uint64) []byte {
	b := binary.AppendUvarint(nil, uint64(len(cells)))
	for _, c := range cells {
		b = binary.AppendUvarint(b, c)
	}
	return b
}

// DecodeCells decodes an openings request: at most MaxOpenings cells, each below MaxCells, and
// nothing after them. Errors match ErrBadRequest.
func DecodeCells(b []byte) ([]uint64, error) {
	r := bytes.NewReader(b)
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the cell count: %v", ErrBadRequest, err)
	}
	if n > MaxOpenings {
		return nil, fmt.Errorf("%w: %d cells, at most %d", ErrBadRequest, n, MaxOpenings)
	}
	cells := make([]uint64, n)
	for i := range cells {
		if cells[i], err = binary.ReadUvarint(r); err != nil {
			return nil, fmt.Errorf("%w: reading cell %d of %d: %v", ErrBadRequest, i, n, err)
		}
		if cells[i] >= MaxCells {
			return nil, fmt.Errorf("%w: cell %d beyond any slot", ErrBadRequest, cells[i])
		}
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the cells", ErrBadRequest, r.Len())
	}
	return cells, nil
}

// EncodePaths returns the payload of an openings answer: depth(1) | the paths, each depth field
// elements of 32 big-endian bytes. Every path must have the same length, 1 to MaxPathDepth.
func EncodePaths(paths [][]field.Element) ([]byte, error) {
	if len(paths) > MaxOpenings {
		return nil, fmt.Errorf("%w: %d paths, at most %d", ErrTooLarge, len(paths), MaxOpenings)
	}
	depth := 1 // an empty answer still names a valid depth
	if len(paths) > 0 {
		depth = len(paths[0])
	}
	if depth < 1 || depth > MaxPathDepth {
		return nil, fmt.Errorf("%w: path of %d nodes, want 1 to %d", ErrInternal, depth, MaxPathDepth)
	}
	b := make([]byte, 1, 1+len(paths)*depth*field.Bytes)
	b[0] = byte(depth)
	for i, p := range paths {
		if len(p) != depth {
			return nil, fmt.Errorf("%w: path %d has %d nodes, path 0 has %d", ErrInternal, i, len(p), depth)
		}
		for _, e := range p {
			eb := e.Bytes()
			b = append(b, eb[:]...)
		}
	}
	return b, nil
}

// DecodePaths decodes an openings answer that must hold exactly n paths: a depth from 1 to
// MaxPathDepth, exactly n*depth elements, each a canonical field element. Errors match ErrProtocol.
func DecodePaths(b []byte, n int) ([][]field.Element, error) {
	if n < 0 || n > MaxOpenings {
		return nil, fmt.Errorf("%w: %d paths, at most %d", ErrProtocol, n, MaxOpenings)
	}
	if len(b) < 1 {
		return nil, fmt.Errorf("%w: empty openings answer", ErrProtocol)
	}
	depth := int(b[0])
	if depth < 1 || depth > MaxPathDepth {
		return nil, fmt.Errorf("%w: path depth %d, want 1 to %d", ErrProtocol, depth, MaxPathDepth)
	}
	if want := 1 + n*depth*field.Bytes; len(b) != want {
		return nil, fmt.Errorf("%w: openings answer of %d bytes, want %d for %d paths of %d nodes", ErrProtocol, len(b), want, n, depth)
	}
	paths := make([][]field.Element, n)
	elems := make([]field.Element, n*depth)
	body := b[1:]
	for k := range elems {
		if err := elems[k].SetBytesCanonical(body[k*field.Bytes : (k+1)*field.Bytes]); err != nil {
			return nil, fmt.Errorf("%w: node %d of path %d: %v", ErrProtocol, k%depth, k/depth, err)
		}
	}
	for i := range paths {
		paths[i] = elems[i*depth : (i+1)*depth : (i+1)*depth]
	}
	return paths, nil
}

// SlotRoot asks p for its commitment to shard of root. ErrNotFound when p does not hold the whole
// shard; ErrTooLarge when the shard is too large for p's proof parameters; ErrCorrupt when p
// found its pieces damaged while building the tree.
func (c *Client) SlotRoot(ctx context.Context, p peer.ID, root cid.Cid, shard int) (SlotInfo, error) {
	var info SlotInfo
	err := c.exchange(ctx, p, ProtoSlotRoot, Request{Root: root, Shard: shard}, nil, SlotInfoSize, func(resp Response, r io.Reader) error {
		b, err := readPayload(resp, r)
		if err != nil {
			return err
		}
		if info, err = DecodeSlotInfo(b); err != nil {
			return fmt.Errorf("node %s: %w", p, err)
		}
		return nil
	})
	return info, err
}

// SlotOpenings asks p for the Merkle paths (prover.Params.MaxDepth siblings each, leaf first, as
// in prover.Opening.Path) of the given cells of shard of root. ErrBadRequest for more than
// MaxOpenings cells or a cell out of range, ErrNotFound when p does not hold the shard, ErrBusy
// while its tree is still being built, ErrCorrupt when a piece under one of the cells is damaged.
// Paths are decoded strictly (canonical field elements, exact count); checking them against the
// slot root and the cells' bytes (prover.VerifyOpening) is the caller's job.
func (c *Client) SlotOpenings(ctx context.Context, p peer.ID, root cid.Cid, shard int, cells []uint64) ([][]field.Element, error) {
	if len(cells) > MaxOpenings {
		return nil, fmt.Errorf("%w: %d cells, at most %d per call", ErrBadRequest, len(cells), MaxOpenings)
	}
	var paths [][]field.Element
	q := Request{Root: root, Shard: shard}
	maxResp := int64(1 + len(cells)*MaxPathDepth*field.Bytes)
	err := c.exchange(ctx, p, ProtoSlotOpen, q, EncodeCells(cells), maxResp, func(resp Response, r io.Reader) error {
		b, err := readPayload(resp, r)
		if err != nil {
			return err
		}
		if paths, err = DecodePaths(b, len(cells)); err != nil {
			return fmt.Errorf("node %s: %w", p, err)
		}
		return nil
	})
	return paths, err
}
