package retrieval

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/internal/retry"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/prover/field"
	"github.com/dstore-net/dstore/sharding"
)

// DealOptions are the terms of a storage deal and how MakeDeal checks the holders. Zero values
// mean the documented defaults.
type DealOptions struct {
	// Market signs the storage request as the client. Required.
	Market DealMarket
	// Proofs are the proof parameters the holders build their trees with. Default
	// prover.DevnetParams.
	Proofs prover.Params
	// Duration is the number of periods the slots are challenged and paid for (>= 1).
	Duration uint64
	// ProofPeriod is a period's length in blocks (2..128).
	ProofPeriod uint64
	// ProofProbability challenges a slot once every ProofProbability periods on average; 1 every
	// period.
	ProofProbability uint64
	// PricePerPeriod is paid per slot per period, in wei (nil = 0).
	PricePerPeriod *big.Int
	// Collateral is what each provider locks per slot, in wei (nil = 0).
	Collateral *big.Int
	// Openings is the number of random cells of each shard checked against its holder's root.
	// Default 300 (docs/proofs.md: a root wrong on 1 % of the cells passes with probability 5 %).
	Openings int
	// RootTimeout bounds the wait for every holder's slot root, from the start of MakeDeal.
	// Default 5 minutes.
	RootTimeout time.Duration
	// FillTimeout is how long MakeDeal waits, after creating the request, for every slot to be
	// filled. 0 returns as soon as the request is created.
	FillTimeout time.Duration
	// Progress, if set, is called as each stage advances: "roots" (shards whose root is in),
	// "encode" (segments re-encoded for the spot checks), "check" (shards checked), "request"
	// (0 or 1 of 1) and "fill" (slots filled). Calls are serialized.
	Progress func(stage string, done, total int)
}

// Defaults of DealOptions.
const (
	DefaultOpenings    = 300
	DefaultRootTimeout = 5 * time.Minute
)

// Validate reports what is wrong with the options.
func (o DealOptions) Validate() error {
	switch {
	case o.Market == nil:
		return errors.New("retrieval: deal options: Market is required")
	case o.Market.Account() == (common.Address{}):
		return errors.New("retrieval: deal options: Market has no key to sign the request with")
	case o.Duration == 0:
		return errors.New("retrieval: deal options: Duration must be at least one period")
	case o.ProofPeriod < 2:
		return errors.New("retrieval: deal options: ProofPeriod must be at least 2 blocks")
	case o.ProofProbability == 0:
		return errors.New("retrieval: deal options: ProofProbability must be at least 1")
	case o.Openings < 0 || o.RootTimeout < 0 || o.FillTimeout < 0:
		return errors.New("retrieval: deal options: Openings, RootTimeout and FillTimeout must not be negative")
	case o.PricePerPeriod != nil && o.PricePerPeriod.Sign() < 0, o.Collateral != nil && o.Collateral.Sign() < 0:
		return errors.New("retrieval: deal options: PricePerPeriod and Collateral must not be negative")
	}
	if o.Proofs != (prover.Params{}) {
		if err := o.Proofs.Validate(); err != nil {
			return fmt.Errorf("retrieval: deal options: %w", err)
		}
	}
	return nil
}

func (o DealOptions) withDefaults() DealOptions {
	if o.Proofs == (prover.Params{}) {
		o.Proofs = prover.DevnetParams
	}
	if o.Openings == 0 {
		o.Openings = DefaultOpenings
	}
	if o.RootTimeout == 0 {
		o.RootTimeout = DefaultRootTimeout
	}
	return o
}

// DealSlot is one slot of a deal: the shard, its holder and what the client checked.
type DealSlot struct {
	Shard       int            `json:"shard"`
	Peer        string         `json:"peer"`
	Account     common.Address `json:"account"` // the holder's chain account, the slot's designated host
	Root        string         `json:"root"`    // slot root, 0x-prefixed hex of 32 big-endian bytes
	Cells       uint64         `json:"cells"`
	Checked     int            `json:"checked"` // cells whose opening the client verified
	Filled      bool           `json:"filled"`
	FilledBlock uint64         `json:"filledBlock,omitempty"`
}

// DealResult describes a storage request made by MakeDeal.
type DealResult struct {
	Request  chain.RequestID `json:"request"`
	Root     string          `json:"root"`     // root CID of the file
	Manifest string          `json:"manifest"` // CID of the manifest
	Tx       common.Hash     `json:"tx"`       // the createRequest transaction
	Block    uint64          `json:"block"`
	Gas      uint64          `json:"gas"`
	Escrow   *big.Int        `json:"escrow"` // wei paid into escrow
	Slots    []DealSlot      `json:"slots"`
	RootsIn  time.Duration   `json:"-"` // from the start until every holder's root was in
	CheckIn  time.Duration   `json:"-"` // from then until every spot check passed
	FillIn   time.Duration   `json:"-"` // from the request until every slot was filled or FillTimeout
}

// Filled is the number of slots known to be filled.
func (r *DealResult) Filled() int {
	n := 0
	for _, s := range r.Slots {
		if s.Filled {
			n++
		}
	}
	return n
}

// MarshalJSON writes the stage durations in seconds.
func (r *DealResult) MarshalJSON() ([]byte, error) {
	type plain DealResult
	return json.Marshal(struct {
		*plain
		RootsSeconds float64 `json:"rootsSeconds"`
		CheckSeconds float64 `json:"checkSeconds"`
		FillSeconds  float64 `json:"fillSeconds"`
	}{(*plain)(r), r.RootsIn.Seconds(), r.CheckIn.Seconds(), r.FillIn.Seconds()})
}

// dealParallelism bounds the shards checked at once.
const dealParallelism = 16

// MakeDeal makes the storage deal of an uploaded file on chain. src holds the file m describes
// (the one given to Put); placement lists the holders of each shard (nil means m.Placement). Only
// the first holder of a shard is considered: a request has one slot per shard.
//
// For every shard it waits (RootTimeout) for the holder's slot root, checks the slot's size and
// cell count, checks that the holder's chain account is registered under the holder's peer ID,
// and verifies the Merkle paths of Openings random cells against the client's own bytes of those
// cells, re-encoded from src one segment at a time. Any failure returns a *SlotError or an
// *OpeningError naming the shard and node, and no request is made. Then it creates the request
// with the checked roots, each slot reserved for its holder's account, and, with FillTimeout,
// waits for the slots to be filled: slots still empty at the deadline are reported in the result,
// not as an error. Once the request exists the result is returned even with an error.
func (c *Client) MakeDeal(ctx context.Context, src io.ReaderAt, m *sharding.Manifest, placement [][]sharding.Location, opt DealOptions) (*DealResult, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	if err := m.Params().Validate(); err != nil {
		return nil, err
	}
	if placement == nil {
		placement = m.Placement
	}
	shards := m.K + m.M
	if len(placement) != shards {
		return nil, fmt.Errorf("retrieval: deal: placement of %d shards, the file has %d", len(placement), shards)
	}
	mc, err := m.CID()
	if err != nil {
		return nil, err
	}
	d := &deal{
		c:        c,
		src:      src,
		m:        m,
		opt:      opt,
		size:     m.ShardSize(),
		peers:    make([]peer.ID, shards),
		samples:  make([][]uint64, shards),
		cellData: make([][][]byte, shards),
		roots:    make([][32]byte, shards),
		slots:    make([]DealSlot, shards),
		gathered: make(chan struct{}),
	}
	if limit := opt.Proofs.MaxSlotSize(); d.size > limit {
		return nil, fmt.Errorf("retrieval: deal: shards of %d bytes: %w (%s takes at most %d)", d.size, prover.ErrSlotTooLarge, opt.Proofs, limit)
	}
	d.cells = prover.NumCells(opt.Proofs, d.size)
	for i, locs := range placement {
		if len(locs) == 0 {
			return nil, fmt.Errorf("retrieval: deal: no holder of shard %d in the placement", i)
		}
		if d.peers[i], err = c.addLocation(locs[0]); err != nil {
			return nil, fmt.Errorf("shard %d: %w", i, err)
		}
		d.samples[i] = sampleCells(d.cells, opt.Openings)
		d.slots[i] = DealSlot{Shard: i, Peer: d.peers[i].String(), Cells: d.cells}
	}

	d.start = time.Now()
	d.rootDeadline = d.start.Add(opt.RootTimeout)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(dealParallelism + 1)
	g.Go(func() error { return d.gather(gctx) }) // first, so that it holds a place in the group
	for i := range shards {
		g.Go(func() error { return d.checkShard(gctx, i) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	seen := make(map[common.Address]int)
	for i, s := range d.slots {
		if j, ok := seen[s.Account]; ok {
			return nil, &SlotError{Shard: i, Peer: s.Peer, Err: fmt.Errorf("%w: account %s also holds shard %d", ErrDuplicateHost, s.Account, j)}
		}
		seen[s.Account] = i
	}
	checked := time.Now()

	req := chain.Request{
		RootCID:          m.Root.Bytes(),
		ManifestCID:      mc.Bytes(),
		Size:             uint64(m.Size),
		K:                uint32(m.K),
		M:                uint32(m.M),
		SlotRoots:        d.roots,
		Duration:         opt.Duration,
		ProofPeriod:      opt.ProofPeriod,
		ProofProbability: opt.ProofProbability,
		PricePerPeriod:   opt.PricePerPeriod,
		Collateral:       opt.Collateral,
	}
	for _, s := range d.slots {
		req.Hosts = append(req.Hosts, s.Account)
	}
	d.progress("request", 0, 1)
	id, tx, err := opt.Market.CreateRequest(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("creating the storage request: %w", err)
	}
	d.progress("request", 1, 1)
	res := &DealResult{
		Request:  id,
		Root:     m.Root.String(),
		Manifest: mc.String(),
		Tx:       tx.Hash,
		Block:    tx.Block,
		Gas:      tx.GasUsed,
		Escrow:   req.Escrow(),
		Slots:    d.slots,
		RootsIn:  d.lastRoot.Sub(d.start),
		CheckIn:  checked.Sub(d.lastRoot),
	}
	if opt.FillTimeout > 0 {
		start := time.Now()
		err := d.waitFilled(ctx, res)
		res.FillIn = time.Since(start)
		if err != nil {
			return res, fmt.Errorf("request %s: waiting for the slots to be filled: %w", id, err)
		}
	}
	return res, nil
}

// deal is the state of one MakeDeal.
type deal struct {
	c     *Client
	src   io.ReaderAt
	m     *sharding.Manifest
	opt   DealOptions
	size  int64  // bytes of each shard
	cells uint64 // cells of each shard
	peers []peer.ID

	samples  [][]uint64 // samples[i] = the cells of shard i checked, ascending
	cellData [][][]byte // cellData[i][k] = the client's bytes of cell samples[i][k], once gathered is closed
	gathered chan struct{}

	start, rootDeadline time.Time

	mu       sync.Mutex // guards the fields below and serializes Progress
	roots    [][32]byte
	slots    []DealSlot
	rootsIn  int
	checked  int
	lastRoot time.Time
}

func (d *deal) progress(stage string, done, total int) {
	if d.opt.Progress == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.opt.Progress(stage, done, total)
}

func (d *deal) slotErr(shard int, err error) error {
	return &SlotError{Shard: shard, Peer: d.peers[shard].String(), Err: err}
}

// checkShard accepts the root of one shard's holder: announced, of the right slot, from a
// registered account, and consistent with the client's bytes on every sampled cell.
func (d *deal) checkShard(ctx context.Context, shard int) error {
	info, err := d.waitRoot(ctx, shard)
	if err != nil {
		return err
	}
	if info.Size != d.size || info.Cells != d.cells {
		return d.slotErr(shard, fmt.Errorf("%w: the node has a slot of %d bytes in %d cells, the shard is %d bytes in %d cells of %d bytes",
			ErrSlotMismatch, info.Size, info.Cells, d.size, d.cells, d.opt.Proofs.CellSize))
	}
	var root field.Element
	if err := root.SetBytesCanonical(info.Root[:]); err != nil {
		return d.slotErr(shard, fmt.Errorf("%w: root 0x%x is not a field element", ErrBadRoot, info.Root))
	}
	account := common.Address(info.Account)
	if err := d.checkHost(ctx, shard, account); err != nil {
		return err
	}
	d.mu.Lock()
	d.roots[shard] = info.Root
	d.slots[shard].Account = account
	d.slots[shard].Root = "0x" + hex.EncodeToString(info.Root[:])
	d.rootsIn++
	d.lastRoot = time.Now()
	if d.opt.Progress != nil {
		d.opt.Progress("roots", d.rootsIn, len(d.peers))
	}
	d.mu.Unlock()

	paths, err := d.openings(ctx, shard)
	if err != nil {
		return err
	}
	select {
	case <-d.gathered:
	case <-ctx.Done():
		return ctx.Err()
	}
	for k, cell := range d.samples[shard] {
		if err := prover.VerifyOpening(d.opt.Proofs, root, d.size, cell, d.cellData[shard][k], paths[k]); err != nil {
			return &OpeningError{Shard: shard, Peer: d.peers[shard].String(), Cell: cell, Err: err}
		}
	}
	d.mu.Lock()
	d.slots[shard].Checked = len(d.samples[shard])
	d.checked++
	if d.opt.Progress != nil {
		d.opt.Progress("check", d.checked, len(d.peers))
	}
	d.mu.Unlock()
	return nil
}

// Backoff of the polls of a holder that is still building its tree or busy.
const (
	pollMin = 250 * time.Millisecond
	pollMax = 2 * time.Second
)

// waitRoot polls the shard's holder until its tree is built, until the root deadline.
func (d *deal) waitRoot(ctx context.Context, shard int) (wire.SlotInfo, error) {
	rctx, cancel := context.WithDeadline(ctx, d.rootDeadline)
	defer cancel()
	p := d.peers[shard]
	delay := pollMin
	var (
		last     error
		building bool // the node answered that its tree is not ready
	)
	for {
		info, err := d.c.wire.SlotRoot(rctx, p, d.m.Root, shard)
		switch {
		case err == nil && info.Ready:
			return info, nil
		case errors.Is(err, wire.ErrNotFound):
			return info, d.slotErr(shard, fmt.Errorf("the node does not hold the whole shard: %w", err))
		case errors.Is(err, wire.ErrCorrupt):
			return info, d.slotErr(shard, fmt.Errorf("the node found its copy of the shard damaged: %w", err))
		case errors.Is(err, wire.ErrTooLarge), errors.Is(err, wire.ErrBadRequest), errors.Is(err, wire.ErrProtocol):
			return info, d.slotErr(shard, err)
		case err == nil:
			last, building = nil, true
		case rctx.Err() == nil:
			last = err
		}
		select {
		case <-rctx.Done():
			if err := ctx.Err(); err != nil {
				return wire.SlotInfo{}, err
			}
			why := "the node did not answer"
			switch {
			case last != nil:
				why = fmt.Sprintf("last error: %v", last)
			case building:
				why = "the node was still building its tree"
			}
			return wire.SlotInfo{}, d.slotErr(shard, fmt.Errorf("%w: after %s (%s)", ErrRootTimeout, d.opt.RootTimeout, why))
		case <-time.After(delay):
		}
		delay = min(2*delay, pollMax)
	}
}

// checkHost checks that account is registered as a provider under the holder's peer ID.
func (d *deal) checkHost(ctx context.Context, shard int, account common.Address) error {
	if account == (common.Address{}) {
		return d.slotErr(shard, fmt.Errorf("%w: the node runs without a chain account", ErrHostNotRegistered))
	}
	info, ok, err := d.opt.Market.Provider(ctx, account)
	if err != nil {
		return d.slotErr(shard, fmt.Errorf("reading the registry entry of account %s: %w", account, err))
	}
	if !ok {
		return d.slotErr(shard, fmt.Errorf("%w: its account %s is not a registered provider", ErrHostNotRegistered, account))
	}
	if id, err := peer.Decode(info.PeerID); err != nil || id != d.peers[shard] {
		return d.slotErr(shard, fmt.Errorf("%w: its account %s is registered for peer %q, not this node", ErrHostNotRegistered, account, info.PeerID))
	}
	return nil
}

// busyRetries is how often a batch of openings is asked for again from a busy node.
const busyRetries = 8

// openings asks the shard's holder for the Merkle paths of the sampled cells, in batches.
func (d *deal) openings(ctx context.Context, shard int) ([][]field.Element, error) {
	cells := d.samples[shard]
	p := d.peers[shard]
	out := make([][]field.Element, 0, len(cells))
	for lo := 0; lo < len(cells); lo += wire.MaxOpenings {
		batch := cells[lo:min(lo+wire.MaxOpenings, len(cells))]
		var paths [][]field.Element
		var err error
		err = retry.Do(ctx, retry.Policy{Attempts: busyRetries + 1, First: pollMin, Max: pollMax,
			Retryable: func(err error) bool { return errors.Is(err, wire.ErrBusy) }}, func() (err error) {
			paths, err = d.c.wire.SlotOpenings(ctx, p, d.m.Root, shard, batch)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, d.slotErr(shard, fmt.Errorf("asking for the openings of %d cells: %w", len(batch), err))
		}
		if len(paths) != len(batch) {
			return nil, d.slotErr(shard, fmt.Errorf("%w: %d paths for %d cells", wire.ErrProtocol, len(paths), len(batch)))
		}
		out = append(out, paths...)
	}
	return out, nil
}

// fragment is the part of a sampled cell that lies in one segment's piece.
type fragment struct {
	shard, k int   // the cell is samples[shard][k]
	pieceOff int64 // offset in the piece
	cellOff  int64 // offset in the cell
	n        int64
}

// gather re-encodes each segment that holds a sampled cell, once and in order, and copies the
// cells' bytes out of its pieces. It checks each segment against the manifest's piece hashes, so
// that a file changed since the upload is not blamed on a node. Memory: one segment plus the
// sampled cells.
func (d *deal) gather(ctx context.Context) error {
	cs := int64(d.opt.Proofs.CellSize)
	nseg := d.m.NumSegments()
	frags := make(map[int][]fragment)
	for i, cells := range d.samples {
		buf := make([]byte, int64(len(cells))*cs) // zero past the end of the shard, as the tree pads
		d.cellData[i] = make([][]byte, len(cells))
		for k, c := range cells {
			d.cellData[i][k] = buf[int64(k)*cs : int64(k+1)*cs]
			start := int64(c) * cs
			end := min(start+cs, d.size)
			for off := start; off < end; {
				j := min(int(off/d.m.PieceSize), nseg-1) // every piece but the last is PieceSize
				pieceStart := int64(j) * d.m.PieceSize
				n := min(end, pieceStart+d.m.SegmentPieceSize(j)) - off
				frags[j] = append(frags[j], fragment{shard: i, k: k, pieceOff: off - pieceStart, cellOff: off - start, n: n})
				off += n
			}
		}
	}
	segs := make([]int, 0, len(frags))
	for j := range frags {
		segs = append(segs, j)
	}
	slices.Sort(segs)
	for done, j := range segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		seg, err := sharding.EncodeSegment(d.src, d.m, j)
		if err != nil {
			return fmt.Errorf("re-encoding segment %d of the file: %w", j, err)
		}
		if j < len(d.m.Segments) && !slices.Equal(seg.Hashes, d.m.Segments[j]) {
			return fmt.Errorf("segment %d of the file differs from the upload: the file changed since it was put", j)
		}
		for _, f := range frags[j] {
			copy(d.cellData[f.shard][f.k][f.cellOff:f.cellOff+f.n], seg.Pieces[f.shard][f.pieceOff:f.pieceOff+f.n])
		}
		d.progress("encode", done+1, len(segs))
	}
	close(d.gathered)
	return nil
}

// sampleCells picks n distinct cells of [0, cells) uniformly at random with a cryptographic
// generator (all of them when n >= cells), in ascending order.
func sampleCells(cells uint64, n int) []uint64 {
	if uint64(n) >= cells {
		out := make([]uint64, cells)
		for i := range out {
			out[i] = uint64(i)
		}
		return out
	}
	var seed [32]byte
	crand.Read(seed[:])
	r := mrand.New(mrand.NewChaCha8(seed))
	out := make([]uint64, 0, n)
	if uint64(n)*2 >= cells { // dense: a partial shuffle (cells < 2n is small)
		for _, v := range r.Perm(int(cells))[:n] {
			out = append(out, uint64(v))
		}
	} else {
		seen := make(map[uint64]bool, n)
		for len(out) < n {
			if v := r.Uint64N(cells); !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out
}

// waitFilled follows the chain until every slot of res's request is filled or FillTimeout passes.
func (d *deal) waitFilled(ctx context.Context, res *DealResult) error {
	fctx, cancel := context.WithTimeout(ctx, d.opt.FillTimeout)
	defer cancel()
	errAllFilled := errors.New("all slots filled")
	filled := 0
	total := len(res.Slots)
	d.progress("fill", 0, total)
	err := d.opt.Market.Follow(fctx, res.Block, 0, func(ev chain.Event) error {
		f, ok := ev.Data.(*chain.SlotFilled)
		if !ok || chain.RequestID(f.RequestId) != res.Request || !f.SlotIndex.IsUint64() {
			return nil
		}
		i := f.SlotIndex.Uint64()
		if i >= uint64(total) || res.Slots[i].Filled {
			return nil
		}
		res.Slots[i].Filled = true
		res.Slots[i].FilledBlock = ev.Block
		filled++
		d.progress("fill", filled, total)
		if filled == total {
			return errAllFilled
		}
		return nil
	}, nil)
	if errors.Is(err, errAllFilled) {
		return nil
	}
	if err != nil {
		return err
	}
	return ctx.Err() // nil at FillTimeout: the result says which slots are still empty
}
