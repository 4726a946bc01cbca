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
	// Market reads the marketplace. Required.
	Market *chain.Market
	// FromBlock is where to start reading events: the marketplace's deployment block.
	FromBlock uint64
	// Client rebuilds and hands over shards; its Signer signs the repair tickets. Required.
	Client *retrieval.Client
	// Margin is how many lost shards a file may have before it is repaired: a file is repaired
	// when more than Margin of its K+M slots are lost. Default 0: any lost shard (the devnet's).
	// On a real network a margin of about M/2 saves repair traffic for short outages while
	// keeping M-Margin losses of headroom.
	Margin int
	// Roots, if set, limits the repairs to the files it accepts (a node repairing what it shares).
	Roots func(root cid.Cid) bool
	// Poll is how often the chain is read. Default 1s.
	Poll time.Duration
	// FillWait bounds how long a provider that took a rebuilt shard has to refill the slot before
	// the next provider is tried. Default 5 minutes.
	FillWait time.Duration
	// Logger receives what the repairer does; nil is silent.
	Logger *slog.Logger
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	switch {
	case c.Market == nil:
		return fmt.Errorf("%w: no Market", ErrInvalidConfig)
	case c.Client == nil:
		return fmt.Errorf("%w: no Client", ErrInvalidConfig)
	case c.Margin < 0 || c.Poll < 0 || c.FillWait < 0:
		return fmt.Errorf("%w: negative Margin, Poll or FillWait", ErrInvalidConfig)
	}
	return nil
}

// State is where a repair stands.
type State string

const (
	StatePending  State = "pending"  // the slot is open for repair; not started (below the margin, or queued)
	StateRunning  State = "running"  // rebuilding and handing over the shard
	StateHanded   State = "handed"   // the new provider holds the shard; waiting for it to refill the slot
	StateRepaired State = "repaired" // the slot was refilled (SlotRepaired)
	StateFailed   State = "failed"   // the last attempt failed (LastError); it is tried again
	StateLost     State = "lost"     // the request failed: more than M slots lost
)

// Status is one repair.
type Status struct {
	Request   chain.RequestID         `json:"request"`
	Slot      uint64                  `json:"slot"`
	Root      string                  `json:"root"`
	State     State                   `json:"state"`
	Lost      int                     `json:"lost"` // slots of the request lost when last read
	Provider  common.Address          `json:"provider,omitzero"`
	Peer      string                  `json:"peer,omitempty"`
	Attempts  int                     `json:"attempts"`
	Stats     *retrieval.RebuildStats `json:"stats,omitempty"`
	LastError string                  `json:"lastError,omitempty"`
	Opened    uint64                  `json:"openedBlock"`
	Repaired  uint64                  `json:"repairedBlock,omitempty"`
}

type request struct {
	root cid.Cid
	mcid cid.Cid
	k, m int
}

// Repairer follows the chain and repairs freed slots. Build it with New, run it with Run.
type Repairer struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	requests  map[chain.RequestID]request
	providers map[common.Address]chain.ProviderInfo
	repairs   map[chain.SlotRef]*Status
	failed    map[chain.SlotRef]map[common.Address]bool // providers that did not refill
	wake      chan struct{}
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
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Repairer{
		cfg: cfg, log: cfg.Logger.With("subsystem", "repair"),
		requests: map[chain.RequestID]request{}, providers: map[common.Address]chain.ProviderInfo{},
		repairs: map[chain.SlotRef]*Status{}, failed: map[chain.SlotRef]map[common.Address]bool{},
		wake: make(chan struct{}, 1),
	}, nil
}

// Repairs returns every repair seen, by request and slot.
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
		return cmp.Compare(a.Slot, b.Slot)
	})
	return out
}

// Run follows the chain and repairs until ctx is done; it returns nil then.
func (r *Repairer) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		errc <- r.cfg.Market.Follow(ctx, r.cfg.FromBlock, r.cfg.Poll, r.handle, func(uint64) error {
			select {
			case r.wake <- struct{}{}:
			default:
			}
			return nil
		})
	}()
	for {
		select {
		case <-ctx.Done():
			<-errc
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
		req := request{root: root, k: int(d.K), m: int(d.M)}
		if mc, err := cid.Cast(d.ManifestCid); err == nil {
			req.mcid = mc
		}
		r.requests[d.RequestId] = req
	case *chain.SlotRepairOpened:
		req, ok := r.requests[d.RequestId]
		if !ok || (r.cfg.Roots != nil && !r.cfg.Roots(req.root)) {
			return nil
		}
		ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
		r.repairs[ref] = &Status{Request: ref.Request, Slot: ref.Slot, Root: req.root.String(), State: StatePending, Lost: int(d.Lost), Opened: ev.Block}
		delete(r.failed, ref)
		r.log.Info("slot open for repair", "request", ref.Request, "slot", ref.Slot, "root", req.root, "lost", d.Lost, "reward", d.Reward)
	case *chain.SlotRepaired:
		ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
		if s := r.repairs[ref]; s != nil {
			s.State, s.Repaired, s.LastError = StateRepaired, ev.Block, ""
			s.Provider = d.Provider
			if p, ok := r.providers[d.Provider]; ok {
				s.Peer = p.PeerID
			}
			r.log.Info("slot repaired", "request", ref.Request, "slot", ref.Slot, "provider", d.Provider, "reward", d.Reward, "block", ev.Block)
		}
	case *chain.RequestFailed:
		for ref, s := range r.repairs {
			if ref.Request == d.RequestId && s.State != StateRepaired {
				s.State = StateLost
			}
		}
		r.log.Warn("request failed: more slots lost than it has parity", "request", chain.RequestID(d.RequestId), "lost", d.Lost)
	}
	return nil
}

// next picks the open repair of the file with the most lost slots (the fewest live shards),
// beyond the margin; ok is false when there is none.
func (r *Repairer) next(ctx context.Context) (chain.SlotRef, request, bool) {
	r.mu.Lock()
	var refs []chain.SlotRef
	for ref, s := range r.repairs {
		if s.State == StatePending || s.State == StateFailed || s.State == StateHanded {
			refs = append(refs, ref)
		}
	}
	r.mu.Unlock()
	lost := map[chain.RequestID]int{}
	for _, ref := range refs {
		if _, ok := lost[ref.Request]; ok {
			continue
		}
		n, err := r.cfg.Market.LostSlots(ctx, ref.Request)
		if err != nil {
			continue
		}
		lost[ref.Request] = int(n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	refs = slices.DeleteFunc(refs, func(ref chain.SlotRef) bool {
		n, ok := lost[ref.Request]
		if s := r.repairs[ref]; ok {
			s.Lost = n
		}
		return !ok || n <= r.cfg.Margin
	})
	if len(refs) == 0 {
		return chain.SlotRef{}, request{}, false
	}
	slices.SortFunc(refs, func(a, b chain.SlotRef) int {
		if c := cmp.Compare(lost[b.Request], lost[a.Request]); c != 0 {
			return c
		}
		if c := slices.Compare(a.Request[:], b.Request[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.Slot, b.Slot)
	})
	return refs[0], r.requests[refs[0].Request], true
}

// repairNext repairs the most urgent open slot, if any.
func (r *Repairer) repairNext(ctx context.Context) {
	ref, req, ok := r.next(ctx)
	if !ok {
		return
	}
	if err := r.repair(ctx, ref, req); err != nil {
		if ctx.Err() == nil {
			r.set(ref, func(s *Status) {
				if s.State != StateRepaired && s.State != StateLost {
					s.State, s.LastError = StateFailed, err.Error()
				}
			})
			r.log.Warn("repair failed, trying again at the next block", "request", ref.Request, "slot", ref.Slot, "err", err)
		}
		return
	}
	select { // more may be waiting
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Repairer) set(ref chain.SlotRef, fn func(*Status)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.repairs[ref]; s != nil {
		fn(s)
	}
}

// repair rebuilds the shard of one freed slot and hands it to a provider that holds no shard of
// the file, then waits for the slot to be refilled.
func (r *Repairer) repair(ctx context.Context, ref chain.SlotRef, req request) error {
	st, err := r.cfg.Market.Repair(ctx, ref.Request, ref.Slot)
	if err != nil {
		return err
	}
	if !st.Open {
		slot, err := r.cfg.Market.Slot(ctx, ref.Request, ref.Slot)
		if err == nil && slot.Provider != (common.Address{}) {
			r.set(ref, func(s *Status) { s.State, s.Provider, s.LastError = StateRepaired, slot.Provider, "" })
		}
		return err
	}
	m, err := r.cfg.Client.ManifestOf(ctx, req.root, req.mcid)
	if err != nil {
		return fmt.Errorf("manifest of %s: %w", req.root, err)
	}
	m = r.cfg.Client.Located(ctx, m) // every holder of record, to exclude them
	target, acct, err := r.pickProvider(ctx, ref, m)
	if err != nil {
		return err
	}
	r.set(ref, func(s *Status) {
		s.State, s.Provider, s.Peer, s.LastError = StateRunning, acct, target.ID.String(), ""
		s.Attempts++
	})
	r.log.Info("rebuilding a shard", "request", ref.Request, "slot", ref.Slot, "root", req.root, "to", target.ID, "provider", acct)
	stats, err := r.cfg.Client.RebuildShard(ctx, m, int(ref.Slot), target, retrieval.RebuildOptions{})
	if err != nil {
		r.markFailed(ref, acct)
		return err
	}
	r.set(ref, func(s *Status) { s.State, s.Stats = StateHanded, stats })
	r.log.Info("shard handed over", "request", ref.Request, "slot", ref.Slot, "to", target.ID,
		"fetched", stats.Fetched, "stored", stats.Stored, "shard_bytes", stats.ShardLen, "seconds", stats.Elapsed.Seconds())
	// Wait for the provider to check the shard against the slot root and refill the slot.
	deadline := time.Now().Add(r.cfg.FillWait)
	for time.Now().Before(deadline) {
		slot, err := r.cfg.Market.Slot(ctx, ref.Request, ref.Slot)
		if err == nil && slot.Provider != (common.Address{}) {
			r.set(ref, func(s *Status) { s.State, s.Provider = StateRepaired, slot.Provider })
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
	r.markFailed(ref, acct)
	return fmt.Errorf("provider %s took shard %d but did not refill the slot within %s", acct, ref.Slot, r.cfg.FillWait)
}

func (r *Repairer) markFailed(ref chain.SlotRef, acct common.Address) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed[ref] == nil {
		r.failed[ref] = map[common.Address]bool{}
	}
	r.failed[ref][acct] = true
}

// pickProvider picks a registered provider that holds no slot of the request and no shard of the
// file (by its holders of record), did not fail this repair before, and answers a dial.
func (r *Repairer) pickProvider(ctx context.Context, ref chain.SlotRef, m *sharding.Manifest) (peer.AddrInfo, common.Address, error) {
	exclude := map[string]bool{}
	for _, locs := range m.Placement {
		for _, l := range locs {
			exclude[l.Peer] = true
		}
	}
	holds := map[common.Address]bool{}
	for i := range m.K + m.M {
		if s, err := r.cfg.Market.Slot(ctx, ref.Request, uint64(i)); err == nil && s.Provider != (common.Address{}) {
			holds[s.Provider] = true
		}
	}
	r.mu.Lock()
	var cands []common.Address
	for a, p := range r.providers {
		if !holds[a] && !exclude[p.PeerID] && !r.failed[ref][a] {
			cands = append(cands, a)
		}
	}
	provs := r.providers
	r.mu.Unlock()
	slices.SortFunc(cands, func(a, b common.Address) int { return slices.Compare(a[:], b[:]) })
	h := r.cfg.Client.Host()
	for _, a := range cands {
		r.mu.Lock()
		p := provs[a]
		r.mu.Unlock()
		id, err := peer.Decode(p.PeerID)
		if err != nil {
			continue
		}
		ai := peer.AddrInfo{ID: id}
		for _, s := range p.Addrs {
			if addr, err := ma.NewMultiaddr(s); err == nil {
				ai.Addrs = append(ai.Addrs, addr)
			}
		}
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = h.Connect(dctx, ai)
		cancel()
		if err == nil {
			return ai, a, nil
		}
		r.log.Info("provider unreachable, trying the next", "provider", a, "peer", id, "err", err)
	}
	r.mu.Lock()
	delete(r.failed, ref) // tried them all: each gets another chance next time
	r.mu.Unlock()
	return peer.AddrInfo{}, common.Address{}, fmt.Errorf("no registered provider that holds no shard of %s answers (%d candidates)", m.Root, len(cands))
}

// Once reads the chain up to its head and tries each slot open for repair once, the most urgent
// first. A repair that failed stays in Repairs with its error.
func (r *Repairer) Once(ctx context.Context) error {
	head, err := r.cfg.Market.BlockNumber(ctx)
	if err != nil {
		return err
	}
	evs, err := r.cfg.Market.Events(ctx, r.cfg.FromBlock, head)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := r.handle(ev); err != nil {
			return err
		}
	}
	tried := map[chain.SlotRef]bool{}
	for ctx.Err() == nil {
		ref, req, ok := r.next(ctx)
		if !ok || tried[ref] {
			return ctx.Err()
		}
		tried[ref] = true
		if err := r.repair(ctx, ref, req); err != nil && ctx.Err() == nil {
			r.set(ref, func(s *Status) {
				if s.State != StateRepaired && s.State != StateLost {
					s.State, s.LastError = StateFailed, err.Error()
				}
			})
		}
	}
	return ctx.Err()
}
