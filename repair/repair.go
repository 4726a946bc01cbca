package repair

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// ErrInvalidConfig is returned by New for a configuration it cannot run with.
var ErrInvalidConfig = errors.New("repair: invalid config")

// Config configures a Repairer. Zero values mean the documented defaults.
type Config struct {
	// Market reads the marketplace; with a key, the repairer also reports the missed proofs of
	// the dead holders of the files it follows (markProofAsMissing, open to anyone), which frees
	// their slots for repair. Nil: only Files are followed.
	Market *chain.Market
	// FromBlock is where to start reading events: the marketplace's deployment block.
	FromBlock uint64
	// Client rebuilds and hands over shards and checks the holders' liveness; its Signer signs
	// the repair tickets of freed slots. Required.
	Client *retrieval.Client
	// Margin is how many lost shards a file may have before it is repaired: a file is repaired
	// when more than Margin of its K+M shards are lost (a slot freed, or a holder counted dead).
	// Default 0: any lost shard (the devnet's). On a real network a margin of about M/2 saves
	// repair traffic for short outages while keeping M-Margin losses of headroom.
	Margin int
	// Roots, if set, limits the repairs to the files it accepts (a node repairing what it shares).
	Roots func(root cid.Cid) bool
	// Files lists the files without a storage deal to keep repaired: their holders of record are
	// the DHT's shard records (Records). Nil: none. Files with an unfinished request on chain are
	// repaired through their slots instead.
	Files func(ctx context.Context) ([]cid.Cid, error)
	// Uploader joins the network as the uploader of Files (its client key, and its chain key for
	// tickets, as `put` has them), for the time of one repair: only the uploader may store on the
	// nodes that took its file, under the same rules as put. Nil: Client.
	Uploader func(ctx context.Context) (*retrieval.Client, func(), error)
	// Records finds the holders of record of the shards of Files. Default: the DHT's shard
	// records through Client.
	Records retrieval.HolderResolver
	// Nodes lists storage nodes a shard of a file without a deal may be rebuilt onto (besides
	// the registered providers, with a Market). Nil: the registered providers only.
	Nodes func(ctx context.Context) ([]peer.AddrInfo, error)
	// Ping checks a holder. Default: Client.Ping (libp2p ping, dialing first).
	Ping PingFunc
	// CheckInterval is how often each holder of the files followed is checked. Default 10s.
	CheckInterval time.Duration
	// DeadChecks and DeadAfter: a holder counts dead after DeadChecks failed checks in a row
	// spanning at least DeadAfter. Defaults 3 and 30s. A dead holder is checked again with a
	// backoff doubling up to 10 minutes; one answer makes it live again.
	DeadChecks int
	DeadAfter  time.Duration
	// Poll is how often the chain is read. Default 1s.
	Poll time.Duration
	// FillWait bounds how long a provider that took a rebuilt shard has to refill the slot before
	// the next provider is tried. Default 5 minutes.
	FillWait time.Duration
	// Progress, if set, is told after each segment of a shard handed over.
	Progress func(s Status, done, total int)
	// Logger receives what the repairer does; nil is silent.
	Logger *slog.Logger
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	switch {
	case c.Client == nil:
		return fmt.Errorf("%w: no Client", ErrInvalidConfig)
	case c.Margin < 0 || c.Poll < 0 || c.FillWait < 0 || c.CheckInterval < 0 || c.DeadChecks < 0 || c.DeadAfter < 0:
		return fmt.Errorf("%w: negative Margin, Poll, FillWait, CheckInterval, DeadChecks or DeadAfter", ErrInvalidConfig)
	case c.Market == nil && c.Files == nil:
		return fmt.Errorf("%w: neither a Market nor Files to follow", ErrInvalidConfig)
	}
	return nil
}

// State is where a repair stands.
type State string

const (
	StateFreeing  State = "freeing"  // the slot's holder counts dead: its missed proofs are reported until the slot is freed
	StatePending  State = "pending"  // lost (a slot open for repair, or a shard with no live holder); not started (below the margin, or queued)
	StateRunning  State = "running"  // rebuilding and handing over the shard
	StateHanded   State = "handed"   // the new provider holds the shard; waiting for it to refill the slot
	StateRepaired State = "repaired" // the slot was refilled (SlotRepaired), or the shard is on a new live holder
	StateFailed   State = "failed"   // the last attempt failed (LastError); it is tried again
	StateLost     State = "lost"     // the request failed: more than M slots lost
)

// Status is one repair: of a slot of a storage request, or (Request zero) of a shard of a file
// without a deal.
type Status struct {
	Request   chain.RequestID         `json:"request,omitzero"`
	Slot      uint64                  `json:"slot"` // the shard's index
	Root      string                  `json:"root"`
	State     State                   `json:"state"`
	Lost      int                     `json:"lost"`             // shards of the file lost when last counted
	Holder    string                  `json:"holder,omitempty"` // the holder counted dead, if liveness found it
	Provider  common.Address          `json:"provider,omitzero"`
	Peer      string                  `json:"peer,omitempty"` // the new holder
	Attempts  int                     `json:"attempts"`
	Reported  int                     `json:"reported,omitempty"` // missed proofs of the dead holder reported by this repairer
	Stats     *retrieval.RebuildStats `json:"stats,omitempty"`
	LastError string                  `json:"lastError,omitempty"`
	Opened    uint64                  `json:"openedBlock,omitempty"`
	Repaired  uint64                  `json:"repairedBlock,omitempty"`
	DeadAt    time.Time               `json:"deadAt,omitzero"`     // when its holder was counted dead
	DoneAt    time.Time               `json:"repairedAt,omitzero"` // when the shard was back on a live holder
}

// key names a repair: a slot of a request, or a shard of a file without a deal (Request zero).
type key struct {
	req  chain.RequestID
	root string
	slot uint64
}

type request struct {
	root  cid.Cid
	mcid  cid.Cid
	k, m  int
	slots []common.Address // provider of each slot (zero: free), from the events
	done  bool
	info  *chain.RequestInfo // read once, for the periods
}

// file is a file without a deal the repairer follows.
type file struct {
	root    cid.Cid
	m       *sharding.Manifest
	holders [][]sharding.Location // of record (DHT), the placement and the nodes it was handed to
	handed  map[int][]sharding.Location
}

// Repairer follows the chain and the holders' liveness and repairs. Build it with New, run it
// with Run (or Once).
type Repairer struct {
	cfg  Config
	log  *slog.Logger
	live *liveness

	mu        sync.Mutex
	requests  map[chain.RequestID]*request
	providers map[common.Address]chain.ProviderInfo
	files     map[string]*file
	repairs   map[key]*Status
	failed    map[key]map[string]bool // providers (accounts or peer IDs) that did not complete a repair
	checked   map[chain.SlotRef]uint64
	wake      chan struct{}
	synced    chan struct{} // closed once the chain's events up to its head were read (at once without a Market)
	syncOnce  sync.Once
}

// New checks cfg and builds the repairer.
func New(cfg Config) (*Repairer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	if cfg.FillWait == 0 {
		cfg.FillWait = 5 * time.Minute
	}
	if cfg.CheckInterval == 0 {
		cfg.CheckInterval = DefaultCheckInterval
	}
	if cfg.DeadChecks == 0 {
		cfg.DeadChecks = DefaultDeadChecks
	}
	if cfg.DeadAfter == 0 {
		cfg.DeadAfter = DefaultDeadAfter
	}
	if cfg.Ping == nil {
		cfg.Ping = cfg.Client.Ping
	}
	if cfg.Records == nil && cfg.Client.Routing() != nil {
		cfg.Records = retrieval.DHTHolders{Routing: cfg.Client.Routing()}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Repairer{
		cfg: cfg, log: cfg.Logger.With("subsystem", "repair"),
		live:     newLiveness(cfg.Ping, cfg.CheckInterval, cfg.DeadChecks, cfg.DeadAfter),
		requests: map[chain.RequestID]*request{}, providers: map[common.Address]chain.ProviderInfo{},
		files: map[string]*file{}, repairs: map[key]*Status{}, failed: map[key]map[string]bool{},
		checked: map[chain.SlotRef]uint64{}, wake: make(chan struct{}, 1), synced: make(chan struct{}),
	}, nil
}

func (r *Repairer) markSynced() { r.syncOnce.Do(func() { close(r.synced) }) }

// Repairs returns every repair seen, by request, root and slot.
func (r *Repairer) Repairs() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.repairs))
	for _, s := range r.repairs {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Status) int {
		if c := slices.Compare(a.Request[:], b.Request[:]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Root, b.Root); c != 0 {
			return c
		}
		return cmp.Compare(a.Slot, b.Slot)
	})
	return out
}

// Holders returns the liveness of every holder followed.
func (r *Repairer) Holders() []HolderStatus {
	out := r.live.statuses()
	slices.SortFunc(out, func(a, b HolderStatus) int { return cmp.Compare(a.Peer, b.Peer) })
	return out
}

func (r *Repairer) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run follows the chain and the holders and repairs until ctx is done; it returns nil then.
func (r *Repairer) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	if r.cfg.Market != nil {
		go func() {
			// A failed read of the chain (an RPC hiccup) does not stop the repairer: it follows
			// again from the block after the last one read.
			from := r.cfg.FromBlock
			for {
				err := r.cfg.Market.Follow(ctx, from, r.cfg.Poll, r.handle, func(n uint64) error {
					from = n + 1
					r.markSynced()
					r.poke()
					return nil
				})
				if ctx.Err() != nil || err == nil {
					errc <- nil
					return
				}
				r.log.Warn("reading the chain failed, again in 5s", "from", from, "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(5 * time.Second):
				}
			}
		}()
	} else {
		r.markSynced()
	}
	go r.watch(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case <-r.wake:
			r.repairNext(ctx)
		}
	}
}

// watch surveys the files and their holders every CheckInterval until ctx is done.
func (r *Repairer) watch(ctx context.Context) {
	select { // which files have a deal is known only once the chain was read
	case <-r.synced:
	case <-ctx.Done():
		return
	}
	step := min(r.cfg.CheckInterval, time.Second)
	t := time.NewTicker(step)
	defer t.Stop()
	var last time.Time
	for {
		if time.Since(last) >= r.cfg.CheckInterval {
			r.followFiles(ctx)
			last = time.Now()
		}
		if r.survey(ctx) {
			r.poke()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// handle applies one marketplace event.
func (r *Repairer) handle(ev chain.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch d := ev.Data.(type) {
	case *chain.ProviderRegistered:
		r.providers[d.Provider] = chain.ProviderInfo{PeerID: d.PeerId, Addrs: d.Addrs, Price: d.Price}
	case *chain.RequestCreated:
		root, err := cid.Cast(d.RootCid)
		if err != nil {
			return nil
		}
		req := &request{root: root, k: int(d.K), m: int(d.M), slots: make([]common.Address, int(d.K+d.M))}
		if mc, err := cid.Cast(d.ManifestCid); err == nil {
			req.mcid = mc
		}
		r.requests[d.RequestId] = req
	case *chain.SlotFilled:
		if req := r.requests[d.RequestId]; req != nil && d.SlotIndex.IsUint64() && d.SlotIndex.Uint64() < uint64(len(req.slots)) {
			req.slots[d.SlotIndex.Uint64()] = d.Provider
		}
	case *chain.SlotFreed:
		if req := r.requests[d.RequestId]; req != nil && d.SlotIndex.IsUint64() && d.SlotIndex.Uint64() < uint64(len(req.slots)) {
			req.slots[d.SlotIndex.Uint64()] = common.Address{}
		}
	case *chain.RequestFinished:
		if req := r.requests[d.RequestId]; req != nil {
			req.done = true
		}
	case *chain.SlotRepairOpened:
		req, ok := r.requests[d.RequestId]
		if !ok || (r.cfg.Roots != nil && !r.cfg.Roots(req.root)) {
			return nil
		}
		k := key{req: d.RequestId, root: req.root.String(), slot: d.SlotIndex.Uint64()}
		s := r.repairs[k]
		if s == nil || s.State == StateRepaired || s.State == StateLost {
			s = &Status{Request: k.req, Slot: k.slot, Root: k.root}
			r.repairs[k] = s
		}
		s.State, s.Lost, s.Opened, s.LastError = StatePending, int(d.Lost), ev.Block, ""
		s.Repaired, s.DoneAt = 0, time.Time{}
		if p, ok := r.providers[d.FormerProvider]; ok && s.Holder == "" {
			s.Holder = p.PeerID
		}
		delete(r.failed, k)
		r.log.Info("slot open for repair", "request", k.req, "slot", k.slot, "root", req.root, "lost", d.Lost, "reward", d.Reward)
	case *chain.SlotRepaired:
		req := r.requests[d.RequestId]
		if req == nil {
			return nil
		}
		k := key{req: d.RequestId, root: req.root.String(), slot: d.SlotIndex.Uint64()}
		if s := r.repairs[k]; s != nil {
			s.State, s.Repaired, s.LastError, s.DoneAt = StateRepaired, ev.Block, "", time.Now()
			s.Provider = d.Provider
			if p, ok := r.providers[d.Provider]; ok {
				s.Peer = p.PeerID
			}
			r.log.Info("slot repaired", "request", k.req, "slot", k.slot, "provider", d.Provider, "reward", d.Reward, "block", ev.Block)
		}
	case *chain.RequestFailed:
		if req := r.requests[d.RequestId]; req != nil {
			req.done = true
		}
		for k, s := range r.repairs {
			if k.req == d.RequestId && s.State != StateRepaired {
				s.State = StateLost
			}
		}
		r.log.Warn("request failed: more slots lost than it has parity", "request", chain.RequestID(d.RequestId), "lost", d.Lost)
	}
	return nil
}

// peerOf is the registered peer of a provider account.
func (r *Repairer) peerOf(a common.Address) (peer.AddrInfo, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.peerOfLocked(a)
}

// peerOfLocked is peerOf with r.mu held.
func (r *Repairer) peerOfLocked(a common.Address) (peer.AddrInfo, bool) {
	p, ok := r.providers[a]
	if !ok {
		return peer.AddrInfo{}, false
	}
	return addrInfo(sharding.Location{Peer: p.PeerID, Addrs: p.Addrs})
}

func addrInfo(l sharding.Location) (peer.AddrInfo, bool) {
	id, err := peer.Decode(l.Peer)
	if err != nil {
		return peer.AddrInfo{}, false
	}
	ai := peer.AddrInfo{ID: id}
	for _, s := range l.Addrs {
		if a, err := ma.NewMultiaddr(s); err == nil {
			ai.Addrs = append(ai.Addrs, a)
		}
	}
	return ai, true
}

// followFiles refreshes the files without a deal and their holders of record.
func (r *Repairer) followFiles(ctx context.Context) {
	if r.cfg.Files == nil {
		return
	}
	roots, err := r.cfg.Files(ctx)
	if err != nil {
		r.log.Warn("listing the files to follow", "err", err)
		return
	}
	for _, root := range roots {
		if ctx.Err() != nil {
			return
		}
		if (r.cfg.Roots != nil && !r.cfg.Roots(root)) || r.hasDeal(root) {
			r.mu.Lock()
			delete(r.files, root.String()) // repaired through its slots
			r.mu.Unlock()
			continue
		}
		r.mu.Lock()
		f := r.files[root.String()]
		r.mu.Unlock()
		if f == nil {
			mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			m, err := r.cfg.Client.Manifest(mctx, root)
			cancel()
			if err != nil {
				r.log.Warn("no manifest of a file to follow", "root", root, "err", err)
				continue
			}
			f = &file{root: root, m: m, handed: map[int][]sharding.Location{}}
		}
		holders := make([][]sharding.Location, f.m.K+f.m.M)
		if r.cfg.Records != nil {
			hs, err := r.cfg.Records.Holders(ctx, f.m)
			if err != nil {
				r.log.Warn("resolving the holders of a file", "root", root, "err", err)
			} else {
				holders = hs
			}
		}
		r.mu.Lock()
		for i := range holders {
			holders[i] = joinLoc(holders[i], f.handed[i])
			if i < len(f.m.Placement) {
				holders[i] = joinLoc(holders[i], f.m.Placement[i])
			}
		}
		f.holders = holders
		r.files[root.String()] = f
		r.mu.Unlock()
	}
}

func joinLoc(a, b []sharding.Location) []sharding.Location {
	for _, l := range b {
		if !slices.ContainsFunc(a, func(x sharding.Location) bool { return x.Peer == l.Peer }) {
			a = append(a, l)
		}
	}
	return a
}

// hasDeal says whether root has an unfinished storage request the repairer follows.
func (r *Repairer) hasDeal(root cid.Cid) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, req := range r.requests {
		if !req.done && req.root.Equals(root) {
			return true
		}
	}
	return false
}

// survey checks the holders that are due, then, for every file followed, counts its lost
// shards: for a storage request it reports the missed proofs of its dead holders (freeing their
// slots); for a file without a deal it queues the repair of each shard with no live holder. It
// reports whether there may be something to repair.
func (r *Repairer) survey(ctx context.Context) bool {
	now := time.Now()
	// Every holder of every file followed is checked.
	r.mu.Lock()
	var track []peer.AddrInfo
	var reqs []chain.RequestID
	for id, req := range r.requests {
		if req.done || (r.cfg.Roots != nil && !r.cfg.Roots(req.root)) {
			continue
		}
		reqs = append(reqs, id)
		for _, a := range req.slots {
			if p, ok := r.providers[a]; ok && a != (common.Address{}) {
				if ai, ok := addrInfo(sharding.Location{Peer: p.PeerID, Addrs: p.Addrs}); ok {
					track = append(track, ai)
				}
			}
		}
	}
	for _, f := range r.files {
		for _, hs := range f.holders {
			for _, l := range hs {
				if ai, ok := addrInfo(l); ok {
					track = append(track, ai)
				}
			}
		}
	}
	r.mu.Unlock()
	for _, ai := range track {
		r.live.track(ai, now)
	}
	r.live.forgetUnseen(now.Add(-time.Hour))
	changed := r.live.checkDue(ctx, now)
	more := changed
	for _, id := range reqs {
		if ctx.Err() != nil {
			return false
		}
		if r.auditDead(ctx, id) {
			more = true
		}
	}
	if r.lostShards() {
		more = true
	}
	return more
}

// lost counts a request's lost slots: freed ones (from the chain) and filled ones whose holder
// counts dead; dead lists the latter.
func (r *Repairer) lost(ctx context.Context, id chain.RequestID) (freed int, dead []uint64, err error) {
	n, err := r.cfg.Market.LostSlots(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	return int(n), r.deadSlots(id), nil
}

// deadSlots lists the filled slots of a request whose holder counts dead (no chain read).
func (r *Repairer) deadSlots(id chain.RequestID) []uint64 {
	r.mu.Lock()
	var slots []common.Address
	if req := r.requests[id]; req != nil {
		slots = slices.Clone(req.slots)
	}
	r.mu.Unlock()
	var dead []uint64
	for i, a := range slots {
		if a == (common.Address{}) {
			continue
		}
		if ai, ok := r.peerOf(a); ok && r.live.dead(ai.ID) {
			dead = append(dead, uint64(i))
		}
	}
	return dead
}

// auditDead reports, for a request past the margin, the missed proofs of its slots whose
// holder counts dead, as long as freeing one more slot leaves the request within its parity
// (more than M lost fails it: the slots are freed one at a time, each repaired before the next).
func (r *Repairer) auditDead(ctx context.Context, id chain.RequestID) bool {
	if len(r.deadSlots(id)) == 0 {
		return false // every holder lives: nothing to read on chain
	}
	freed, dead, err := r.lost(ctx, id)
	if err != nil || len(dead) == 0 {
		return false
	}
	r.mu.Lock()
	req := r.requests[id]
	lost := freed + len(dead)
	for _, slot := range dead {
		k := key{req: id, root: req.root.String(), slot: slot}
		s := r.repairs[k]
		if s == nil || s.State == StateRepaired || s.State == StateLost {
			ai, _ := r.peerOfLocked(req.slots[slot])
			s = &Status{Request: id, Slot: slot, Root: k.root, State: StateFreeing, Holder: ai.ID.String(), DeadAt: time.Now()}
			r.repairs[k] = s
			r.log.Info("a slot's holder counts dead", "request", id, "slot", slot, "root", req.root, "peer", s.Holder)
		}
		s.Lost = lost
	}
	m, reqM := r.cfg.Market, req.m
	r.mu.Unlock()
	if lost <= r.cfg.Margin || m.Account() == (common.Address{}) || freed >= reqM {
		return false
	}
	for _, slot := range dead {
		n, err := r.reportMissed(ctx, id, slot)
		if err != nil && ctx.Err() == nil {
			r.log.Warn("reporting a dead holder's missed proofs", "request", id, "slot", slot, "err", err)
		}
		if n > 0 {
			r.mu.Lock()
			if s := r.repairs[key{req: id, root: req.root.String(), slot: slot}]; s != nil {
				s.Reported += n
			}
			r.mu.Unlock()
			return true // one slot at a time: each report may free it
		}
	}
	return false
}

// reportMissed reports every closed period of the slot that its provider was challenged in
// and did not prove, and returns how many it reported.
func (r *Repairer) reportMissed(ctx context.Context, id chain.RequestID, slot uint64) (int, error) {
	m := r.cfg.Market
	r.mu.Lock()
	req := r.requests[id]
	info := req.info
	r.mu.Unlock()
	if info == nil {
		i, err := m.Request(ctx, id)
		if err != nil {
			return 0, err
		}
		info = &i
		r.mu.Lock()
		req.info = info
		r.mu.Unlock()
	}
	st, err := m.Slot(ctx, id, slot)
	if err != nil || st.Provider == (common.Address{}) {
		return 0, err
	}
	head, err := m.BlockNumber(ctx)
	if err != nil {
		return 0, err
	}
	ref := chain.SlotRef{Request: id, Slot: slot}
	r.mu.Lock()
	from := max(info.StartPeriod, st.FilledPeriod+1, r.checked[ref])
	r.mu.Unlock()
	to := min(head/info.ProofPeriod, info.EndPeriod)
	n := 0
	for p := from; p < to; p++ {
		state, err := m.PeriodState(ctx, id, slot, p)
		if err != nil {
			return n, err
		}
		if state != chain.PeriodOpen {
			continue
		}
		_, err = m.MarkProofAsMissing(ctx, id, slot, p)
		switch {
		case err == nil:
			n++
			r.log.Info("reported a dead holder's missed proof", "request", id, "slot", slot, "period", p, "provider", st.Provider)
		case errors.Is(err, chain.ErrNotChallenged), errors.Is(err, chain.ErrAlreadyDone), errors.Is(err, chain.ErrEntropyUnavailable):
		case errors.Is(err, chain.ErrSlotNotFilled), errors.Is(err, chain.ErrRequestFinished):
			return n, nil // freed or finished meanwhile
		default:
			return n, fmt.Errorf("report period %d: %w", p, err)
		}
	}
	r.mu.Lock()
	if to > r.checked[ref] {
		r.checked[ref] = to
	}
	r.mu.Unlock()
	return n, nil
}

// lostShards queues the repair of each shard of a file without a deal whose holders all count
// dead; it reports whether one is queued.
func (r *Repairer) lostShards() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	queued := false
	for rs, f := range r.files {
		var lost []int
		for i, hs := range f.holders {
			live := false
			for _, l := range hs {
				if id, err := peer.Decode(l.Peer); err == nil && !r.live.dead(id) {
					live = true
					break
				}
			}
			if !live {
				lost = append(lost, i)
			}
		}
		for _, i := range lost {
			k := key{root: rs, slot: uint64(i)}
			s := r.repairs[k]
			if s == nil || s.State == StateRepaired {
				s = &Status{Slot: uint64(i), Root: rs, State: StatePending, DeadAt: time.Now()}
				if hs := f.holders[i]; len(hs) > 0 {
					s.Holder = hs[0].Peer
				}
				r.repairs[k] = s
				r.log.Info("a shard of a file without a deal has no live holder", "root", rs, "shard", i, "holder", s.Holder)
			}
			s.Lost = len(lost)
			if s.State != StateRunning {
				queued = true
			}
		}
	}
	return queued
}

// candidate is a repair that may be made now, with the margin of its file.
type candidate struct {
	k      key
	live   int // shards of the file live
	margin int // live - K
}

// next picks the repair of the file with the fewest live shards beyond K (the least margin left),
// beyond the Margin; ok is false when there is none.
func (r *Repairer) next(ctx context.Context) (candidate, bool) {
	r.mu.Lock()
	var keys []key
	for k, s := range r.repairs {
		if s.State == StatePending || s.State == StateFailed || s.State == StateHanded {
			keys = append(keys, k)
		}
	}
	r.mu.Unlock()
	lostOf := map[chain.RequestID]int{}
	var cands []candidate
	for _, k := range keys {
		if k.req == (chain.RequestID{}) {
			r.mu.Lock()
			f, s := r.files[k.root], r.repairs[k]
			r.mu.Unlock()
			if f == nil || s == nil || s.Lost <= r.cfg.Margin {
				continue
			}
			live := f.m.K + f.m.M - s.Lost
			if live < f.m.K {
				continue // fewer than K shards left: nothing to rebuild from (until a holder is back)
			}
			cands = append(cands, candidate{k: k, live: live, margin: live - f.m.K})
			continue
		}
		lost, ok := lostOf[k.req]
		if !ok {
			freed, dead, err := r.lost(ctx, k.req)
			if err != nil {
				continue
			}
			lost = freed + len(dead)
			lostOf[k.req] = lost
		}
		r.mu.Lock()
		req := r.requests[k.req]
		if s := r.repairs[k]; s != nil {
			s.Lost = lost
		}
		r.mu.Unlock()
		if req == nil || lost <= r.cfg.Margin {
			continue
		}
		live := req.k + req.m - lost
		cands = append(cands, candidate{k: k, live: live, margin: live - req.k})
	}
	if len(cands) == 0 {
		return candidate{}, false
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(a.margin, b.margin); c != 0 {
			return c
		}
		if c := cmp.Compare(a.live, b.live); c != 0 {
			return c
		}
		if c := slices.Compare(a.k.req[:], b.k.req[:]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.k.root, b.k.root); c != 0 {
			return c
		}
		return cmp.Compare(a.k.slot, b.k.slot)
	})
	return cands[0], true
}

// repairNext makes the most urgent repair, if any.
func (r *Repairer) repairNext(ctx context.Context) {
	c, ok := r.next(ctx)
	if !ok {
		return
	}
	if err := r.repairOne(ctx, c.k); err != nil {
		if ctx.Err() == nil {
			r.set(c.k, func(s *Status) {
				if s.State != StateRepaired && s.State != StateLost {
					s.State, s.LastError = StateFailed, err.Error()
				}
			})
			r.log.Warn("repair failed, trying again later", "request", c.k.req, "root", c.k.root, "slot", c.k.slot, "err", err)
		}
		return
	}
	r.poke() // more may be waiting
}

func (r *Repairer) repairOne(ctx context.Context, k key) error {
	if k.req == (chain.RequestID{}) {
		return r.repairShard(ctx, k)
	}
	r.mu.Lock()
	req := r.requests[k.req]
	r.mu.Unlock()
	return r.repairSlot(ctx, k, req)
}

func (r *Repairer) set(k key, fn func(*Status)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.repairs[k]; s != nil {
		fn(s)
	}
}

func (r *Repairer) progress(k key) func(done, total int) {
	if r.cfg.Progress == nil {
		return nil
	}
	return func(done, total int) {
		r.mu.Lock()
		s := *r.repairs[k]
		r.mu.Unlock()
		r.cfg.Progress(s, done, total)
	}
}

// repairSlot rebuilds the shard of one slot and hands it to a provider that holds no shard of
// the file, then waits for the slot to be refilled. A slot not freed yet (its holder counts
// dead, its misses are being reported) waits.
func (r *Repairer) repairSlot(ctx context.Context, k key, req *request) error {
	st, err := r.cfg.Market.Repair(ctx, k.req, k.slot)
	if err != nil {
		return err
	}
	if !st.Open {
		slot, err := r.cfg.Market.Slot(ctx, k.req, k.slot)
		if err == nil && slot.Provider != (common.Address{}) {
			if ai, ok := r.peerOf(slot.Provider); ok && !r.live.dead(ai.ID) {
				r.set(k, func(s *Status) {
					s.State, s.Provider, s.Peer, s.LastError = StateRepaired, slot.Provider, ai.ID.String(), ""
					if s.DoneAt.IsZero() {
						s.DoneAt = time.Now()
					}
				})
				return nil
			}
			r.set(k, func(s *Status) { s.State = StateFreeing })
		}
		return err
	}
	m, err := r.cfg.Client.ManifestOf(ctx, req.root, req.mcid)
	if err != nil {
		return fmt.Errorf("manifest of %s: %w", req.root, err)
	}
	m = r.cfg.Client.Located(ctx, m) // every holder of record, to exclude them
	target, acct, err := r.pickProvider(ctx, k, m)
	if err != nil {
		return err
	}
	r.set(k, func(s *Status) {
		s.State, s.Provider, s.Peer, s.LastError = StateRunning, acct, target.ID.String(), ""
		s.Attempts++
	})
	r.log.Info("rebuilding a shard", "request", k.req, "slot", k.slot, "root", req.root, "to", target.ID, "provider", acct)
	stats, err := r.cfg.Client.RebuildShard(ctx, m, int(k.slot), target, retrieval.RebuildOptions{Progress: r.progress(k)})
	if err != nil {
		r.markFailed(k, acct.Hex())
		return err
	}
	r.set(k, func(s *Status) { s.State, s.Stats = StateHanded, stats })
	r.log.Info("shard handed over", "request", k.req, "slot", k.slot, "to", target.ID,
		"fetched", stats.Fetched, "stored", stats.Stored, "shard_bytes", stats.ShardLen, "seconds", stats.Elapsed.Seconds())
	// Wait for the provider to check the shard against the slot root and refill the slot.
	deadline := time.Now().Add(r.cfg.FillWait)
	for time.Now().Before(deadline) {
		slot, err := r.cfg.Market.Slot(ctx, k.req, k.slot)
		if err == nil && slot.Provider != (common.Address{}) {
			r.set(k, func(s *Status) {
				s.State, s.Provider = StateRepaired, slot.Provider
				if s.DoneAt.IsZero() {
					s.DoneAt = time.Now()
				}
			})
			return nil
		}
		if errors.Is(err, chain.ErrRequestFinished) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.cfg.Poll):
		}
	}
	r.markFailed(k, acct.Hex())
	return fmt.Errorf("provider %s took shard %d but did not refill the slot within %s", acct, k.slot, r.cfg.FillWait)
}

func (r *Repairer) markFailed(k key, who string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed[k] == nil {
		r.failed[k] = map[string]bool{}
	}
	r.failed[k][who] = true
}

// pickProvider picks a registered provider that holds no slot of the request and no shard of the
// file (by its holders of record), is not counted dead, did not fail this repair before, and
// answers a dial.
func (r *Repairer) pickProvider(ctx context.Context, k key, m *sharding.Manifest) (peer.AddrInfo, common.Address, error) {
	exclude := map[string]bool{}
	for _, locs := range m.Placement {
		for _, l := range locs {
			exclude[l.Peer] = true
		}
	}
	holds := map[common.Address]bool{}
	for i := range m.K + m.M {
		if s, err := r.cfg.Market.Slot(ctx, k.req, uint64(i)); err == nil && s.Provider != (common.Address{}) {
			holds[s.Provider] = true
		}
	}
	r.mu.Lock()
	var cands []common.Address
	for a, p := range r.providers {
		if !holds[a] && !exclude[p.PeerID] && !r.failed[k][a.Hex()] {
			cands = append(cands, a)
		}
	}
	r.mu.Unlock()
	slices.SortFunc(cands, func(a, b common.Address) int { return slices.Compare(a[:], b[:]) })
	for _, a := range cands {
		ai, ok := r.peerOf(a)
		if !ok || r.live.dead(ai.ID) {
			continue
		}
		if err := r.dial(ctx, ai); err == nil {
			return ai, a, nil
		} else {
			r.log.Info("provider unreachable, trying the next", "provider", a, "peer", ai.ID, "err", err)
		}
	}
	r.mu.Lock()
	delete(r.failed, k) // tried them all: each gets another chance next time
	r.mu.Unlock()
	return peer.AddrInfo{}, common.Address{}, fmt.Errorf("no registered provider that holds no shard of %s answers (%d candidates)", m.Root, len(cands))
}

func (r *Repairer) dial(ctx context.Context, ai peer.AddrInfo) error {
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return r.cfg.Client.Host().Connect(dctx, ai)
}

// repairShard rebuilds a shard of a file without a deal, as its uploader, onto a node that
// holds no shard of the file and answers; the node announces it on the DHT once it holds it.
func (r *Repairer) repairShard(ctx context.Context, k key) error {
	r.mu.Lock()
	f := r.files[k.root]
	var m sharding.Manifest
	if f != nil {
		m = *f.m
		m.Placement = slices.Clone(f.holders) // the holders of record lead the reads
	}
	r.mu.Unlock()
	if f == nil {
		return fmt.Errorf("file %s is no longer followed", k.root)
	}
	// A holder of the shard may have come back.
	for _, l := range m.Placement[k.slot] {
		if id, err := peer.Decode(l.Peer); err == nil && !r.live.dead(id) {
			r.set(k, func(s *Status) { s.State, s.Peer, s.DoneAt = StateRepaired, l.Peer, time.Now() })
			return nil
		}
	}
	target, err := r.pickNode(ctx, k, &m)
	if err != nil {
		return err
	}
	r.set(k, func(s *Status) {
		s.State, s.Peer, s.LastError = StateRunning, target.ID.String(), ""
		s.Attempts++
	})
	c, closeUp := r.cfg.Client, func() {}
	if r.cfg.Uploader != nil {
		if c, closeUp, err = r.cfg.Uploader(ctx); err != nil {
			return fmt.Errorf("joining as the uploader: %w", err)
		}
	}
	defer closeUp()
	r.log.Info("rebuilding a shard of a file without a deal", "root", k.root, "shard", k.slot, "to", target.ID)
	stats, err := c.RebuildShard(ctx, &m, int(k.slot), target, retrieval.RebuildOptions{Progress: r.progress(k)})
	if err != nil {
		r.markFailed(k, target.ID.String())
		return err
	}
	loc := sharding.Location{Peer: target.ID.String()}
	for _, a := range target.Addrs {
		loc.Addrs = append(loc.Addrs, a.String())
	}
	r.mu.Lock()
	f.handed[int(k.slot)] = joinLoc(f.handed[int(k.slot)], []sharding.Location{loc})
	f.holders[k.slot] = joinLoc([]sharding.Location{loc}, f.holders[k.slot])
	r.mu.Unlock()
	r.live.track(target, time.Now())
	r.set(k, func(s *Status) { s.State, s.Stats, s.DoneAt = StateRepaired, stats, time.Now() })
	r.log.Info("shard of a file without a deal handed over", "root", k.root, "shard", k.slot, "to", target.ID,
		"fetched", stats.Fetched, "stored", stats.Stored, "shard_bytes", stats.ShardLen, "seconds", stats.Elapsed.Seconds())
	return nil
}

// pickNode picks a node (Nodes, then the registered providers) that holds no shard of the file
// by its holders of record, is not counted dead, did not fail this repair, and answers a dial.
func (r *Repairer) pickNode(ctx context.Context, k key, m *sharding.Manifest) (peer.AddrInfo, error) {
	exclude := map[peer.ID]bool{}
	for _, hs := range m.Placement {
		for _, l := range hs {
			if id, err := peer.Decode(l.Peer); err == nil {
				exclude[id] = true
			}
		}
	}
	var cands []peer.AddrInfo
	if r.cfg.Nodes != nil {
		ns, err := r.cfg.Nodes(ctx)
		if err != nil {
			return peer.AddrInfo{}, err
		}
		cands = append(cands, ns...)
	}
	r.mu.Lock()
	for _, p := range r.providers {
		if ai, ok := addrInfo(sharding.Location{Peer: p.PeerID, Addrs: p.Addrs}); ok {
			cands = append(cands, ai)
		}
	}
	failed := r.failed[k]
	r.mu.Unlock()
	tried := 0
	for _, ai := range cands {
		if exclude[ai.ID] || failed[ai.ID.String()] || r.live.dead(ai.ID) {
			continue
		}
		exclude[ai.ID] = true
		tried++
		if err := r.dial(ctx, ai); err != nil {
			r.log.Info("node unreachable, trying the next", "peer", ai.ID, "err", err)
			continue
		}
		return ai, nil
	}
	r.mu.Lock()
	delete(r.failed, k)
	r.mu.Unlock()
	return peer.AddrInfo{}, fmt.Errorf("no node that holds no shard of %s answers (%d candidates)", m.Root, tried)
}

// Once reads the chain up to its head, checks the holders of the files followed until each is
// live or counts dead (DeadAfter and a little more at most), reports the dead holders' missed
// proofs, then tries each repair once, the most urgent first. A repair that failed stays in
// Repairs with its error.
func (r *Repairer) Once(ctx context.Context) error {
	if m := r.cfg.Market; m != nil {
		head, err := m.BlockNumber(ctx)
		if err != nil {
			return err
		}
		evs, err := m.Events(ctx, r.cfg.FromBlock, head)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := r.handle(ev); err != nil {
				return err
			}
		}
	}
	r.markSynced()
	r.followFiles(ctx)
	for ctx.Err() == nil {
		r.survey(ctx)
		if !r.undecided() {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(min(r.cfg.CheckInterval, time.Second)):
		}
	}
	tried := map[key]bool{}
	for ctx.Err() == nil {
		c, ok := r.next(ctx)
		if !ok || tried[c.k] {
			return ctx.Err()
		}
		tried[c.k] = true
		if err := r.repairOne(ctx, c.k); err != nil && ctx.Err() == nil {
			r.set(c.k, func(s *Status) {
				if s.State != StateRepaired && s.State != StateLost {
					s.State, s.LastError = StateFailed, err.Error()
				}
			})
		}
	}
	return ctx.Err()
}

// undecided says whether a holder failed its last check without counting dead yet.
func (r *Repairer) undecided() bool {
	for _, h := range r.live.statuses() {
		if h.Fails > 0 && !h.Dead {
			return true
		}
	}
	return false
}
