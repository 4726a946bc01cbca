package deals

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	retrypkg "github.com/dstore-net/dstore/internal/retry"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/prover"
)

// Config configures a Service. Zero values mean the documented defaults.
type Config struct {
	// Node is the storage node whose shards the service puts on the market. Required.
	Node *node.Node
	// Market signs with the provider's key: the node's account. Required.
	Market Market
	// FromBlock is where to start reading the marketplace's events: the deployment block.
	FromBlock uint64
	// Keys loads the proving keys of the node's proof parameters (slow the first time on a
	// machine: about 30 s of setup). It is called once, in the background, when Run starts.
	// Required.
	Keys func(ctx context.Context) (*prover.Keys, error)
	// Price is the asked price per slot per period, in wei, published in the registry. nil: 0.
	Price *big.Int
	// Deposit is the collateral, in wei, sent with the first registration. nil: none (each fill
	// then tops up what it needs).
	Deposit *big.Int
	// ProveTurn, if set, is taken around each proof and released after it (prover.Turn):
	// nodes sharing one machine take turns, so each proof has every core. nil: no turns.
	ProveTurn func(ctx context.Context) (release func(), err error)
	// Poll is how often the chain is polled for events and challenges. Default 1s.
	Poll time.Duration
	// TreeWait bounds how long a fill waits for the node's tree of the slot's shard (and, for
	// a slot the node is the designated host of, for the shard to arrive). Default 10 minutes.
	TreeWait time.Duration
	// NoWithdraw leaves the provider's balance in the contract. By default, once a request in
	// which the service held a slot is settled (by finishRequest, which the service sends itself
	// one period after the request's last challenged period, or by anyone else), the service
	// withdraws its whole balance to its account: the returned collateral, the payments, and
	// what is left of Deposit (later fills top the balance up again as they need). A
	// settlement read again from the events after a restart counts too. The service never
	// withdraws otherwise; the settlement itself is always on.
	NoWithdraw bool
	// Policy is what the provider agrees to fill; zero values are its documented defaults.
	Policy Policy
	// Uploads, if set, is the node's record of the uploads it accepted under a valid ticket:
	// a slot is filled only for a shard accepted there, and a request naming the node as a
	// shard's host confirms that upload. nil fills for any shard the node holds.
	Uploads Uploads
	// Metrics, if set, receives the service's Prometheus metrics.
	Metrics prometheus.Registerer
	// Logger receives what the service does; nil is silent.
	Logger *slog.Logger
	// Renewer, if set, renews the permanent deal an ended request is a term of instead of only
	// settling it (EndowmentRenewer): the provider's slot is offered again for the next term.
	Renewer Renewer
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	switch {
	case c.Node == nil:
		return fmt.Errorf("%w: no Node", ErrInvalidConfig)
	case c.Market == nil:
		return fmt.Errorf("%w: no Market", ErrInvalidConfig)
	case c.Market.Account() == (common.Address{}):
		return fmt.Errorf("%w: the Market has no signing key (the provider's account)", ErrInvalidConfig)
	case c.Keys == nil:
		return fmt.Errorf("%w: no Keys loader", ErrInvalidConfig)
	case c.Price != nil && c.Price.Sign() < 0:
		return fmt.Errorf("%w: negative Price %s", ErrInvalidConfig, c.Price)
	case c.Deposit != nil && c.Deposit.Sign() < 0:
		return fmt.Errorf("%w: negative Deposit %s", ErrInvalidConfig, c.Deposit)
	case c.Poll < 0 || c.TreeWait < 0:
		return fmt.Errorf("%w: negative Poll or TreeWait", ErrInvalidConfig)
	}
	return c.Policy.Validate()
}

func (c Config) withDefaults() Config {
	if c.Price == nil {
		c.Price = new(big.Int)
	}
	if c.Poll == 0 {
		c.Poll = time.Second
	}
	if c.TreeWait == 0 {
		c.TreeWait = 10 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Policy = c.Policy.withDefaults(c.Price)
	return c
}

// State says where a slot the service knows of stands.
type State string

const (
	StateFilling  State = "filling"  // waiting for the shard's tree or the fill transaction
	StateFilled   State = "filled"   // held on chain and proven every period it is challenged
	StateRejected State = "rejected" // not filled: the request's slot root is not our shard's
	StateRefused  State = "refused"  // not filled: the request is outside the policy (LastError says how)
	StateFailed   State = "failed"   // not filled: LastError says why
	StateFreed    State = "freed"    // taken from us after too many missed proofs
	StateEnded    State = "ended"    // the request's last period is over
	StateFinished State = "finished" // the request was settled; the collateral is back
)

// SlotStatus is what the service holds and did for one slot.
type SlotStatus struct {
	Request     chain.RequestID `json:"request"`
	Slot        uint64          `json:"slot"`
	Root        string          `json:"root"` // root CID of the file
	State       State           `json:"state"`
	FilledBlock uint64          `json:"filledBlock,omitempty"`
	FillTx      common.Hash     `json:"fillTx,omitzero"`
	// Proofs counts the proofs the chain accepted from us for this slot, read from its
	// ProofSubmitted events (so it survives restarts); Missed the periods reported missing.
	Proofs int `json:"proofs"`
	Missed int `json:"missed"`
	// The last proof: its period, transaction, gas and proving time (gas and time only for
	// proofs this process submitted).
	LastPeriod  uint64      `json:"lastPeriod,omitempty"`
	LastTx      common.Hash `json:"lastTx,omitzero"`
	LastGas     uint64      `json:"lastGas,omitempty"`
	LastSeconds float64     `json:"lastSeconds,omitempty"`
	LastError   string      `json:"lastError,omitempty"`
}

type entry struct {
	SlotStatus
	root   cid.Cid
	size   int64  // bytes of the slot's shard
	end    uint64 // the request's end period (first period not challenged)
	period uint64 // the request's proof period, in blocks
}

// Service is the provider's side of the marketplace for one node. Build it with
// New, run it with Run, stop it with Close.
type Service struct {
	cfg    Config
	policy Policy // cfg.Policy
	log    *slog.Logger
	me     common.Address
	met    *metrics

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc

	mu      sync.Mutex
	started bool
	closed  bool
	done    chan struct{} // closed when Run returns
	slots   map[chain.SlotRef]*entry
	next    uint64 // next block to read events from
	seen    bool   // lastBlock/lastIndex are set
	lastBlk uint64 // position of the last event handled
	lastIdx uint

	// Settlements: settled counts the requests we held that were finished (by us or anyone),
	// withdrawn is settled as of the last withdrawal; a withdrawal is due while they differ.
	settled   uint64
	withdrawn uint64
	grace     int64 // the contract's finish grace in blocks, -1 until read (settle's goroutine only)

	prover atomic.Pointer[prover.Prover] // nil until the keys are loaded
	fillMu sync.Mutex                    // one balance read + fillSlot (or withdraw) at a time
	fills  sync.WaitGroup                // fill goroutines, owned by Run

	repairs map[chain.SlotRef]*pendingRepair // slots open for repair (under mu)
}

// New checks cfg and builds the service; nothing runs until Run.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	market, me := cfg.Market, cfg.Market.Account()
	met, err := newMetrics(cfg.Metrics, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		b, err := market.Balance(ctx, me)
		if err != nil {
			return -1
		}
		f, _ := new(big.Float).SetInt(b).Float64()
		return f
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{
		cfg: cfg, policy: cfg.Policy, log: cfg.Logger.With("subsystem", "deals"), me: cfg.Market.Account(), met: met,
		ctx: ctx, cancel: cancel, done: make(chan struct{}),
		slots: map[chain.SlotRef]*entry{}, next: cfg.FromBlock, grace: -1,
	}, nil
}

// Account is the provider's account.
func (s *Service) Account() common.Address { return s.me }

// Run registers the provider (unless it is registered already with the same peer ID,
// addresses and price), then until ctx is done or Close is called: follows the
// marketplace's events and fills the node's slots, loads the proving keys, answers
// the challenges of the slots it holds, and settles the requests it held once they
// are over (finishRequest, then a withdrawal of its balance unless NoWithdraw). It
// returns nil when stopped, and an error when registration or the proving keys fail.
func (s *Service) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started || s.closed {
		s.mu.Unlock()
		return ErrRunning
	}
	s.started = true
	s.mu.Unlock()
	defer close(s.done)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.loadKeys(gctx) })
	g.Go(func() error {
		if err := s.register(gctx); err != nil {
			return err
		}
		return s.follow(gctx)
	})
	g.Go(func() error { return s.prove(gctx) })
	g.Go(func() error { return s.settle(gctx) })
	g.Go(func() error { return s.refillRepairs(gctx) })
	err := g.Wait()
	s.fills.Wait() // they stop with gctx
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Close stops Run, waits for it, and unregisters the metrics.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	started := s.started
	s.mu.Unlock()
	s.cancel()
	if started {
		<-s.done
	}
	s.met.unregister()
	return nil
}

// Slots returns what the service holds and did, by request and slot.
func (s *Service) Slots() []SlotStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SlotStatus, 0, len(s.slots))
	for _, e := range s.slots {
		out = append(out, e.SlotStatus)
	}
	slices.SortFunc(out, func(a, b SlotStatus) int {
		return compareRefs(chain.SlotRef{Request: a.Request, Slot: a.Slot}, chain.SlotRef{Request: b.Request, Slot: b.Slot})
	})
	return out
}

func compareRefs(a, b chain.SlotRef) int {
	if c := slices.Compare(a.Request[:], b.Request[:]); c != 0 {
		return c
	}
	return cmp.Compare(a.Slot, b.Slot)
}

// held lists the slots to prove: those filled by us, in a fixed order.
func (s *Service) held() []chain.SlotRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []chain.SlotRef
	for ref, e := range s.slots {
		if e.State == StateFilled {
			out = append(out, ref)
		}
	}
	slices.SortFunc(out, compareRefs)
	return out
}

// update changes the entry of ref under the lock, creating it if needed, and keeps the
// slots-filled gauge in step.
func (s *Service) update(ref chain.SlotRef, fn func(e *entry)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.slots[ref]
	if e == nil {
		e = &entry{SlotStatus: SlotStatus{Request: ref.Request, Slot: ref.Slot}}
		s.slots[ref] = e
	}
	fn(e)
	s.countFilled()
}

// updateIf is update for an entry that must exist already.
func (s *Service) updateIf(ref chain.SlotRef, fn func(e *entry)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.slots[ref]
	if e == nil {
		return false
	}
	fn(e)
	s.countFilled()
	return true
}

func (s *Service) countFilled() {
	n := 0
	for _, e := range s.slots {
		if e.State == StateFilled {
			n++
		}
	}
	s.met.filled.Set(float64(n))
}

// register publishes the node in the provider registry, unless the entry is already
// what it would write. The deposit goes with the first registration only.
func (s *Service) register(ctx context.Context) error {
	n := s.cfg.Node
	// The transport addresses, without the /p2p/ suffix: the peer ID is registered next to
	// them, and every byte stored costs gas. Sorted, so a restart finds the same entry.
	want := chain.ProviderInfo{PeerID: n.ID().String(), Price: s.cfg.Price}
	for _, a := range n.Host().Addrs() {
		want.Addrs = append(want.Addrs, a.String())
	}
	slices.Sort(want.Addrs)
	want.Addrs = want.Addrs[:min(len(want.Addrs), maxAddrs)]
	return retry(ctx, s.log, "registering the provider", func() error {
		have, ok, err := s.cfg.Market.Provider(ctx, s.me)
		if err != nil {
			return err
		}
		if ok && have.PeerID == want.PeerID && slices.Equal(have.Addrs, want.Addrs) && have.Price.Cmp(want.Price) == 0 {
			s.log.Info("provider already registered", "account", s.me, "peer", want.PeerID, "addrs", want.Addrs, "price", want.Price)
			return nil
		}
		var deposit *big.Int
		if !ok {
			deposit = s.cfg.Deposit
		}
		tx, err := s.cfg.Market.RegisterProvider(ctx, want, deposit)
		if err != nil {
			return fmt.Errorf("deals: registering %s as a provider: %w", s.me, err)
		}
		s.log.Info("provider registered", "account", s.me, "peer", want.PeerID, "addrs", want.Addrs,
			"price", want.Price, "deposit", bigString(deposit), "block", tx.Block, "gas", tx.GasUsed)
		s.met.spent("register", tx)
		return nil
	})
}

// maxAddrs is the most addresses the registry takes.
const maxAddrs = 16

// follow reads the marketplace's events until ctx is done. A failure (the RPC endpoint
// gone, a read that failed while handling an event) is logged and the follower starts
// again from where it was, after a pause.
func (s *Service) follow(ctx context.Context) error {
	pause := time.Second
	for {
		s.mu.Lock()
		from := s.next
		s.mu.Unlock()
		err := s.cfg.Market.Follow(ctx, from, s.cfg.Poll, func(ev chain.Event) error {
			return s.handle(ctx, ev)
		}, func(head uint64) error {
			s.mu.Lock()
			s.next = head + 1
			s.mu.Unlock()
			return nil
		})
		if ctx.Err() != nil {
			return nil
		}
		s.mu.Lock()
		if s.next > from {
			pause = time.Second
		}
		s.mu.Unlock()
		s.log.Warn("following the marketplace, retrying", "from", from, "in", pause, "err", err)
		if !sleep(ctx, pause) {
			return nil
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// handle applies one event. Events already handled (a batch read again after a
// failure) are skipped.
func (s *Service) handle(ctx context.Context, ev chain.Event) error {
	s.mu.Lock()
	dup := s.seen && (ev.Block < s.lastBlk || ev.Block == s.lastBlk && ev.LogIndex <= s.lastIdx)
	s.mu.Unlock()
	if dup {
		return nil
	}
	var err error
	switch d := ev.Data.(type) {
	case *chain.RequestCreated:
		err = s.onRequest(ctx, d)
	case *chain.SlotFilled:
		s.repairDone(d.RequestId, d.SlotIndex.Uint64(), false)
		if d.Provider == s.me {
			err = s.onFilled(ctx, ev, d)
		}
	case *chain.SlotRepairOpened:
		err = s.onRepairOpened(ctx, d)
	case *chain.ProofSubmitted:
		if d.Provider == s.me {
			ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
			s.updateIf(ref, func(e *entry) {
				e.Proofs++
				if p := d.Period.Uint64(); p >= e.LastPeriod {
					e.LastPeriod, e.LastTx = p, ev.TxHash
				}
			})
		}
	case *chain.ProofMissed:
		if d.Provider == s.me {
			ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
			s.updateIf(ref, func(e *entry) { e.Missed++ })
			s.log.Warn("proof reported missing", "request", chain.RequestID(d.RequestId), "slot", ref.Slot,
				"period", d.Period, "slashed", d.Slashed, "reporter", d.Reporter)
		}
	case *chain.SlotFreed:
		if d.Provider == s.me {
			ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
			s.update(ref, func(e *entry) { e.State = StateFreed })
			s.log.Warn("slot taken from us after missed proofs", "request", chain.RequestID(d.RequestId), "slot", ref.Slot, "forfeited", d.Forfeited)
		}
	case *chain.RequestFinished:
		s.repairDone(d.RequestId, 0, true)
		if s.finished(d.RequestId) {
			s.log.Info("request finished, collateral returned", "request", chain.RequestID(d.RequestId), "tx", ev.TxHash)
		}
	}
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seen, s.lastBlk, s.lastIdx = true, ev.Block, ev.LogIndex
	s.mu.Unlock()
	return nil
}

// onFilled adds a slot we filled (now, earlier, or from another process with our key) to
// the proving set.
func (s *Service) onFilled(ctx context.Context, ev chain.Event, d *chain.SlotFilled) error {
	ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
	s.mu.Lock()
	known := s.slots[ref] != nil && s.slots[ref].root.Defined()
	s.mu.Unlock()
	var info chain.RequestInfo
	var root cid.Cid
	if !known {
		var err error
		if info, err = s.cfg.Market.Request(ctx, d.RequestId); err != nil {
			return fmt.Errorf("request %s: %w", chain.RequestID(d.RequestId), err)
		}
		if root, err = cid.Cast(info.RootCID); err != nil {
			s.log.Warn("slot filled by us for a request whose root is not a CID", "request", ref.Request, "slot", ref.Slot)
		}
	}
	s.update(ref, func(e *entry) {
		e.State = StateFilled
		e.FilledBlock, e.FillTx = ev.Block, ev.TxHash
		e.Proofs, e.Missed = 0, 0 // counted again from this fill on
		if !known {
			e.end, e.period = info.EndPeriod, info.ProofPeriod
			if info.K > 0 {
				e.size = int64((info.Size + uint64(info.K) - 1) / uint64(info.K)) // our shard's, near enough
			}
			if root.Defined() {
				e.root, e.Root = root, root.String()
			}
		}
	})
	return nil
}

// retry runs f until it succeeds, fails with a contract revert (the contract said no: trying
// again will not change that), or fails attempts times, doubling the pause in between.
func retry(ctx context.Context, log *slog.Logger, what string, f func() error) error {
	return retrypkg.Do(ctx, retrypkg.Policy{
		Attempts: 4, First: 500 * time.Millisecond,
		Retryable: func(err error) bool { return !permanent(err) },
		OnRetry: func(attempt int, pause time.Duration, err error) {
			log.Info(what+": retrying", "attempt", attempt, "in", pause, "err", err)
		},
	}, f)
}

// permanent tells the errors worth no retry: the contract's own refusals, except a
// shortfall of collateral (the balance moved under us) and a revert without a reason.
func permanent(err error) bool {
	var rev *chain.RevertError
	if !errors.As(err, &rev) {
		return false
	}
	return !errors.Is(err, chain.ErrInsufficientCollateral) && rev.Name != ""
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func bigString(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}
