package prover

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"runtime"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"golang.org/x/sync/errgroup"
)

// Slot is the byte stream a provider proves: one shard, the concatenation of
// its pieces. *bytes.Reader, *os.File (with its size) and the node's piece
// store all fit.
type Slot interface {
	Size() int64
	ReadAt(p []byte, off int64) (int, error)
}

// BytesSlot adapts a byte slice to Slot.
type BytesSlot []byte

var _ Slot = BytesSlot(nil)

// Size returns len(b).
func (b BytesSlot) Size() int64 { return int64(len(b)) }

// ReadAt implements io.ReaderAt.
func (b BytesSlot) ReadAt(p []byte, off int64) (int, error) {
	return bytes.NewReader(b).ReadAt(p, off)
}

// defaultCut is the height of the lowest tree level a Tree keeps: one node
// per 2^defaultCut cells (32 KiB of a slot with 2 KiB cells costs 32 bytes of
// tree). Levels below are recomputed from the slot when a cell is opened.
const defaultCut = 4

// Tree is the Poseidon2 Merkle commitment of one slot. It keeps the levels
// from height cut up; opening a cell rereads the 2^cut cells around it.
type Tree struct {
	params Params
	size   int64
	cells  uint64
	cut    int
	levels [][]fr.Element // levels[k] holds the nodes at height cut+k
	zero   []fr.Element
	root   fr.Element // slot root: compress(tree root, cells)
}

// CommitOption tunes Commit.
type CommitOption func(*commitConfig)

type commitConfig struct {
	workers int
	cut     int
}

// WithWorkers bounds the number of goroutines hashing cells (default GOMAXPROCS).
func WithWorkers(n int) CommitOption {
	return func(c *commitConfig) {
		if n > 0 {
			c.workers = n
		}
	}
}

// WithCut sets the lowest tree level kept in memory (default 4: one node per 16 cells).
func WithCut(h int) CommitOption {
	return func(c *commitConfig) {
		if h >= 0 {
			c.cut = h
		}
	}
}

// NumCells is the number of cells of a slot of the given size (at least one:
// an empty slot is one zero cell).
func NumCells(p Params, size int64) uint64 {
	if size <= 0 {
		return 1
	}
	return uint64((size + int64(p.CellSize) - 1) / int64(p.CellSize))
}

// Commit hashes slot into its tree. It reads the slot in blocks of 2^cut
// cells, one block per task, over all cores; memory is the kept levels plus
// one block buffer per worker.
func Commit(ctx context.Context, slot Slot, p Params, opts ...CommitOption) (*Tree, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cfg := commitConfig{workers: runtime.GOMAXPROCS(0), cut: defaultCut}
	for _, o := range opts {
		o(&cfg)
	}
	size := slot.Size()
	if size > p.MaxSlotSize() {
		return nil, fmt.Errorf("%w: %d bytes, max %d", ErrSlotTooLarge, size, p.MaxSlotSize())
	}
	t := &Tree{params: p, size: size, cells: NumCells(p, size), cut: min(cfg.cut, p.MaxDepth), zero: zeroNodes(p.MaxDepth)}
	blockCells := uint64(1) << t.cut
	nb := (t.cells + blockCells - 1) / blockCells
	base := make([]fr.Element, nb)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.workers)
	bufs := make(chan []byte, cfg.workers)
	for b := uint64(0); b < nb; b++ {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			var buf []byte
			select {
			case buf = <-bufs:
			default:
				buf = make([]byte, int(blockCells)*p.CellSize)
			}
			defer func() { bufs <- buf }()
			node, err := t.blockRoot(slot, b, buf)
			if err != nil {
				return err
			}
			base[b] = node
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.build(base)
	return t, nil
}

// readCells reads cells [first, first+len(buf)/CellSize) into buf,
// zero-filling past the end of the slot.
func (t *Tree) readCells(slot Slot, first uint64, buf []byte) error {
	off := int64(first) * int64(t.params.CellSize)
	clear(buf)
	if off >= t.size {
		return nil
	}
	want := min(int64(len(buf)), t.size-off)
	n, err := slot.ReadAt(buf[:want], off)
	if int64(n) < want {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("prover: read slot at %d: %w", off, err)
	}
	return nil
}

// blockRoot computes the node at height cut over block b.
func (t *Tree) blockRoot(slot Slot, b uint64, buf []byte) (fr.Element, error) {
	nodes, err := t.blockLeaves(slot, b, buf)
	if err != nil {
		return fr.Element{}, err
	}
	for len(nodes) > 1 {
		for i := 0; i < len(nodes)/2; i++ {
			nodes[i] = compress(nodes[2*i], nodes[2*i+1])
		}
		nodes = nodes[:len(nodes)/2]
	}
	return nodes[0], nil
}

// blockLeaves returns the 2^cut leaves of block b (zero leaves past the slot's cells).
func (t *Tree) blockLeaves(slot Slot, b uint64, buf []byte) ([]fr.Element, error) {
	cs := t.params.CellSize
	blockCells := uint64(1) << t.cut
	first := b * blockCells
	if err := t.readCells(slot, first, buf); err != nil {
		return nil, err
	}
	leaves := make([]fr.Element, blockCells)
	scratch := make([]fr.Element, 0, t.params.CellElements())
	for i := uint64(0); i < blockCells && first+i < t.cells; i++ {
		leaves[i] = leafHash(buf[int(i)*cs:int(i+1)*cs], cs, scratch)
	}
	return leaves, nil
}

// build fills the levels above the base level and the root.
func (t *Tree) build(base []fr.Element) {
	t.levels = [][]fr.Element{base}
	cur := base
	for h := t.cut; h < t.params.MaxDepth; h++ {
		next := make([]fr.Element, (len(cur)+1)/2)
		for i := range next {
			r := t.zero[h]
			if 2*i+1 < len(cur) {
				r = cur[2*i+1]
			}
			next[i] = compress(cur[2*i], r)
		}
		t.levels = append(t.levels, next)
		cur = next
	}
	t.root = slotRoot(cur[0], t.cells)
}

// Root returns the slot root, the public input proofs are checked against.
func (t *Tree) Root() fr.Element { return t.root }

// RootBytes returns the slot root as 32 big-endian bytes (a bytes32 on chain).
func (t *Tree) RootBytes() [32]byte { return t.root.Bytes() }

// Cells returns the number of cells of the slot.
func (t *Tree) Cells() uint64 { return t.cells }

// Size returns the slot size in bytes.
func (t *Tree) Size() int64 { return t.size }

// Params returns the parameters the tree was built for.
func (t *Tree) Params() Params { return t.params }

// Opening is a Merkle opening of one cell: the cell's bytes (CellSize bytes,
// zero-padded past the end of the slot) and its MaxDepth siblings, leaf first.
type Opening struct {
	Index uint64
	Cell  []byte
	Path  []fr.Element
}

// Open reads cell i from slot and returns its opening. slot must be the slot
// the tree was built from.
func (t *Tree) Open(ctx context.Context, slot Slot, i uint64) (Opening, error) {
	if err := ctx.Err(); err != nil {
		return Opening{}, err
	}
	if i >= t.cells {
		return Opening{}, fmt.Errorf("%w: %d of %d cells", ErrCellIndex, i, t.cells)
	}
	if slot.Size() != t.size {
		return Opening{}, fmt.Errorf("%w: slot has %d bytes, tree %d", ErrTreeMismatch, slot.Size(), t.size)
	}
	cs := t.params.CellSize
	blockCells := uint64(1) << t.cut
	b := i / blockCells
	buf := make([]byte, int(blockCells)*cs)
	nodes, err := t.blockLeaves(slot, b, buf)
	if err != nil {
		return Opening{}, err
	}
	path := make([]fr.Element, 0, t.params.MaxDepth)
	pos := i % blockCells
	for len(nodes) > 1 {
		path = append(path, nodes[pos^1])
		for k := 0; k < len(nodes)/2; k++ {
			nodes[k] = compress(nodes[2*k], nodes[2*k+1])
		}
		nodes = nodes[:len(nodes)/2]
		pos /= 2
	}
	if nodes[0] != t.levels[0][b] {
		return Opening{}, fmt.Errorf("%w: block %d changed since commit", ErrTreeMismatch, b)
	}
	pos = b
	for k := 0; k < len(t.levels)-1; k++ {
		sib := t.zero[t.cut+k]
		if s := pos ^ 1; s < uint64(len(t.levels[k])) {
			sib = t.levels[k][s]
		}
		path = append(path, sib)
		pos /= 2
	}
	cell := make([]byte, cs)
	copy(cell, buf[int(i%blockCells)*cs:])
	return Opening{Index: i, Cell: cell, Path: path}, nil
}

// VerifyOpening checks that cell (the bytes of cell i of a slot of slotSize
// bytes; a short last cell is zero-padded) and path lead to the slot root.
// A client runs it on a few hundred random cells of the shard it uploaded
// before it accepts a provider's claimed root.
func VerifyOpening(p Params, root fr.Element, slotSize int64, i uint64, cell []byte, path []fr.Element) error {
	if err := p.Validate(); err != nil {
		return err
	}
	cells := NumCells(p, slotSize)
	if slotSize > p.MaxSlotSize() {
		return fmt.Errorf("%w: %d bytes", ErrSlotTooLarge, slotSize)
	}
	if i >= cells {
		return fmt.Errorf("%w: %d of %d cells", ErrCellIndex, i, cells)
	}
	if len(cell) > p.CellSize || len(path) != p.MaxDepth {
		return fmt.Errorf("%w: cell of %d bytes, path of %d nodes", ErrBadOpening, len(cell), len(path))
	}
	cur := leafHash(cell, p.CellSize, nil)
	for k := 0; k < p.MaxDepth; k++ {
		if i>>k&1 == 1 {
			cur = compress(path[k], cur)
		} else {
			cur = compress(cur, path[k])
		}
	}
	if slotRoot(cur, cells) != root {
		return fmt.Errorf("%w: cell %d", ErrBadOpening, i)
	}
	return nil
}

const treeMagic = "DSTREE1\x00"

// MarshalBinary encodes the tree: parameters, slot size, cut, the base level
// and the root. Upper levels are recomputed on decode.
func (t *Tree) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(treeMagic)
	var hdr [8 * 5]byte
	binary.BigEndian.PutUint64(hdr[0:], uint64(t.params.Samples))
	binary.BigEndian.PutUint64(hdr[8:], uint64(t.params.MaxDepth))
	binary.BigEndian.PutUint64(hdr[16:], uint64(t.params.CellSize))
	binary.BigEndian.PutUint64(hdr[24:], uint64(t.size))
	binary.BigEndian.PutUint64(hdr[32:], uint64(t.cut))
	buf.Write(hdr[:])
	rb := t.root.Bytes()
	buf.Write(rb[:])
	for _, e := range t.levels[0] {
		b := e.Bytes()
		buf.Write(b[:])
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes a tree written by MarshalBinary and checks that its
// levels lead to the recorded root.
func (t *Tree) UnmarshalBinary(data []byte) error {
	const hdrLen = len(treeMagic) + 40 + fr.Bytes
	if len(data) < hdrLen || string(data[:len(treeMagic)]) != treeMagic {
		return fmt.Errorf("%w: tree header", ErrBadEncoding)
	}
	h := data[len(treeMagic):]
	u := func(k int) uint64 { return binary.BigEndian.Uint64(h[8*k:]) }
	if u(0) > maxSamples || u(1) > maxDepthLimit || u(2) > maxCellSize {
		return fmt.Errorf("%w: tree parameters", ErrBadEncoding)
	}
	p := Params{Samples: int(u(0)), MaxDepth: int(u(1)), CellSize: int(u(2))}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrBadEncoding, err)
	}
	size, cut := int64(u(3)), u(4)
	if size < 0 || size > p.MaxSlotSize() || cut > uint64(p.MaxDepth) {
		return fmt.Errorf("%w: tree size or cut", ErrBadEncoding)
	}
	var root fr.Element
	if err := root.SetBytesCanonical(h[40 : 40+fr.Bytes]); err != nil {
		return fmt.Errorf("%w: root: %w", ErrBadEncoding, err)
	}
	nt := Tree{params: p, size: size, cells: NumCells(p, size), cut: int(cut), zero: zeroNodes(p.MaxDepth)}
	nb := (nt.cells + (1 << cut) - 1) >> cut
	body := data[hdrLen:]
	if uint64(len(body)) != nb*fr.Bytes {
		return fmt.Errorf("%w: tree has %d bytes of nodes, want %d", ErrBadEncoding, len(body), nb*fr.Bytes)
	}
	base := make([]fr.Element, nb)
	for k := range base {
		if err := base[k].SetBytesCanonical(body[k*fr.Bytes : (k+1)*fr.Bytes]); err != nil {
			return fmt.Errorf("%w: node %d: %w", ErrBadEncoding, k, err)
		}
	}
	nt.build(base)
	if nt.root != root {
		return fmt.Errorf("%w: nodes do not lead to the recorded root", ErrBadEncoding)
	}
	*t = nt
	return nil
}

// depthOf returns ceil(log2(n)) for n >= 1.
func depthOf(n uint64) int {
	if n <= 1 {
		return 0
	}
	return bits.Len64(n - 1)
}
