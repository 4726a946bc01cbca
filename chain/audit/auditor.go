package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
)

// Config configures an Auditor. Zero values mean the documented defaults.
type Config struct {
	// Market is the marketplace to audit. Its key, if any, reports missed proofs
	// and collects the rewards; without a key the auditor only watches.
	Market *chain.Market
	// Verifier re-verifies every submitted proof off chain (required).
	Verifier Verifier
	// FromBlock is where to start following events (the deployment's block).
	FromBlock uint64
	// Poll is how often the head is polled; default 1s.
	Poll time.Duration
	// ReadOnly disables reporting even when Market has a key.
	ReadOnly bool
	// NoClaim leaves rewards in the contract instead of withdrawing them.
	NoClaim bool
	// Logger receives what the auditor does; nil is silent.
	Logger *slog.Logger
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	if c.Market == nil {
		return fmt.Errorf("%w: no market", ErrInvalidConfig)
	}
	if c.Verifier == nil {
		return fmt.Errorf("%w: no verifier", ErrInvalidConfig)
	}
	if c.Poll < 0 {
		return fmt.Errorf("%w: negative poll interval", ErrInvalidConfig)
	}
	return nil
}

// SlotReport is what the auditor knows of one slot.
type SlotReport struct {
	Slot           uint64         `json:"slot"`
	Provider       common.Address `json:"provider"` // zero when free
	Proofs         int            `json:"proofs"`   // accepted on chain
	VerifiedOffCh  int            `json:"verifiedOffChain"`
	FailedOffChain int            `json:"failedOffChain"` // accepted on chain, rejected by the key: a verifier bug
	LastProof      uint64         `json:"lastProofPeriod"`
	Missed         int            `json:"missed"`   // reported missing, by anyone
	Reported       int            `json:"reported"` // of which by this auditor
	Freed          int            `json:"freed"`    // times the slot was taken from its provider
	Paid           *big.Int       `json:"paid"`
	Slashed        *big.Int       `json:"slashed"`
}

// RequestReport is what the auditor knows of one storage request.
type RequestReport struct {
	ID          chain.RequestID `json:"id"`
	Client      common.Address  `json:"client"`
	RootCID     []byte          `json:"rootCid"`
	K           uint32          `json:"k"`
	M           uint32          `json:"m"`
	ProofPeriod uint64          `json:"proofPeriod"`
	StartPeriod uint64          `json:"startPeriod"`
	EndPeriod   uint64          `json:"endPeriod"`
	Finished    bool            `json:"finished"`
	Slots       []SlotReport    `json:"slots"`
}

// Report is the auditor's view of the market.
type Report struct {
	Head     uint64          `json:"head"`
	Requests []RequestReport `json:"requests"`
	Rewards  *big.Int        `json:"rewards"` // earned by this auditor's reports
	Problems []string        `json:"problems,omitempty"`
}

type requestState struct {
	info    chain.RequestInfo
	slots   []SlotReport
	checked []uint64 // per slot: periods below this were checked for misses
}

// Auditor follows a marketplace. Build it with New, run it with Run or Sync.
type Auditor struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	next     uint64 // next block to read events from
	head     uint64
	requests map[chain.RequestID]*requestState
	order    []chain.RequestID
	rewards  *big.Int
	problems []string
}

// New returns an auditor for cfg.
func New(cfg Config) (*Auditor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Auditor{
		cfg: cfg, log: log.With("subsystem", "audit"), next: cfg.FromBlock,
		requests: map[chain.RequestID]*requestState{}, rewards: new(big.Int),
	}, nil
}

// reporting says whether the auditor sends reports.
func (a *Auditor) reporting() bool {
	return !a.cfg.ReadOnly && a.cfg.Market.Account() != (common.Address{})
}

// Run follows the chain until ctx is done: events as they come, missed proofs
// after every new head.
func (a *Auditor) Run(ctx context.Context) error {
	m := a.cfg.Market
	a.mu.Lock()
	from := a.next
	a.mu.Unlock()
	err := m.Follow(ctx, from, a.cfg.Poll, func(ev chain.Event) error {
		return a.handle(ctx, ev)
	}, func(head uint64) error {
		a.mu.Lock()
		a.head, a.next = head, head+1
		a.mu.Unlock()
		// A failed report (an RPC hiccup, a reverted race with another reporter)
		// is retried at the next head: the periods stay unchecked.
		if err := a.checkMissed(ctx, head); err != nil && ctx.Err() == nil {
			a.log.Warn("checking for missed proofs", "head", head, "err", err)
		}
		return nil
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Sync reads every event up to the current head and reports what was missed, once.
func (a *Auditor) Sync(ctx context.Context) error {
	m := a.cfg.Market
	head, err := m.BlockNumber(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	from := a.next
	a.mu.Unlock()
	if head >= from {
		evs, err := m.Events(ctx, from, head)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := a.handle(ctx, ev); err != nil {
				return err
			}
		}
	}
	a.mu.Lock()
	a.head, a.next = head, head+1
	a.mu.Unlock()
	return a.checkMissed(ctx, head)
}

// Close releases nothing today; it exists so the auditor stops like every service.
func (a *Auditor) Close() error { return nil }

func (a *Auditor) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	a.log.Warn(msg)
	a.problems = append(a.problems, msg)
}

func (a *Auditor) handle(ctx context.Context, ev chain.Event) error {
	m := a.cfg.Market
	switch d := ev.Data.(type) {
	case *chain.RequestCreated:
		info, err := m.Request(ctx, d.RequestId)
		if err != nil {
			return fmt.Errorf("request %x: %w", d.RequestId, err)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		if _, ok := a.requests[info.ID]; ok {
			return nil
		}
		n := int(info.K + info.M)
		rs := &requestState{info: info, slots: make([]SlotReport, n), checked: make([]uint64, n)}
		for i := range rs.slots {
			rs.slots[i] = SlotReport{Slot: uint64(i), Paid: new(big.Int), Slashed: new(big.Int)}
		}
		a.requests[info.ID] = rs
		a.order = append(a.order, info.ID)
		a.log.Info("request", "id", info.ID, "k", info.K, "m", info.M)
	case *chain.SlotFilled:
		a.mu.Lock()
		defer a.mu.Unlock()
		if s := a.slot(d.RequestId, d.SlotIndex); s != nil {
			s.Provider = d.Provider
		}
	case *chain.SlotFreed:
		a.mu.Lock()
		defer a.mu.Unlock()
		if s := a.slot(d.RequestId, d.SlotIndex); s != nil {
			s.Provider = common.Address{}
			s.Freed++
		}
	case *chain.RequestFinished:
		a.mu.Lock()
		defer a.mu.Unlock()
		if rs := a.requests[d.RequestId]; rs != nil {
			rs.info.Finished = true
		}
	case *chain.ProofMissed:
		a.mu.Lock()
		defer a.mu.Unlock()
		if s := a.slot(d.RequestId, d.SlotIndex); s != nil {
			s.Missed++
			s.Slashed.Add(s.Slashed, d.Slashed)
			if d.Reporter == m.Account() {
				s.Reported++
				a.rewards.Add(a.rewards, d.Reward)
			}
		}
	case *chain.ProofSubmitted:
		return a.checkProof(ctx, d)
	}
	return nil
}

// slot returns the report of a slot; a.mu held.
func (a *Auditor) slot(id [32]byte, i *big.Int) *SlotReport {
	rs := a.requests[id]
	if rs == nil || !i.IsUint64() || i.Uint64() >= uint64(len(rs.slots)) {
		return nil
	}
	return &rs.slots[i.Uint64()]
}

// checkProof re-verifies a proof the chain accepted, with the challenge recomputed
// from the period's entropy when the chain still has it.
func (a *Auditor) checkProof(ctx context.Context, d *chain.ProofSubmitted) error {
	a.mu.Lock()
	rs := a.requests[d.RequestId]
	s := a.slot(d.RequestId, d.SlotIndex)
	a.mu.Unlock()
	if rs == nil || s == nil {
		return nil
	}
	slot, period := d.SlotIndex.Uint64(), d.Period.Uint64()
	root := new(big.Int).SetBytes(rs.info.SlotRoots[slot][:])
	challenge := d.Challenge
	if entropy, err := a.cfg.Market.PeriodEntropy(ctx, rs.info.ProofPeriod, period); err == nil {
		if c := challengeOf(entropy, d.RequestId, slot, d.Provider); c.Cmp(challenge) != 0 {
			a.mu.Lock()
			a.problem("request %s slot %d period %d: chain challenge %s, recomputed %s", rs.info.ID, slot, period, challenge, c)
			a.mu.Unlock()
			challenge = c
		}
	}
	err := a.cfg.Verifier.Verify(root, challenge, d.Proof)
	a.mu.Lock()
	defer a.mu.Unlock()
	s.Proofs++
	s.LastProof = period
	s.Paid.Add(s.Paid, d.Payment)
	if err != nil {
		s.FailedOffChain++
		a.problem("request %s slot %d period %d: %v: %v", rs.info.ID, slot, period, ErrOffChainMismatch, err)
		return nil
	}
	s.VerifiedOffCh++
	a.log.Info("proof verified", "request", rs.info.ID, "slot", slot, "period", period, "provider", d.Provider)
	return nil
}

// checkMissed reports, for every live request and filled slot, each closed period
// that was neither proven nor reported.
func (a *Auditor) checkMissed(ctx context.Context, head uint64) error {
	if !a.reporting() {
		return nil
	}
	m := a.cfg.Market
	a.mu.Lock()
	ids := slices.Clone(a.order)
	a.mu.Unlock()
	reported := false
	for _, id := range ids {
		a.mu.Lock()
		rs := a.requests[id]
		info := rs.info
		a.mu.Unlock()
		if info.Finished {
			continue
		}
		closed := head / info.ProofPeriod // periods below this are closed
		for i := range rs.slots {
			slot := uint64(i)
			st, err := m.Slot(ctx, id, slot)
			if err != nil {
				if errors.Is(err, chain.ErrRequestFinished) {
					break
				}
				return err
			}
			if st.Provider == (common.Address{}) {
				continue
			}
			from := max(info.StartPeriod, st.FilledPeriod+1, rs.checked[i])
			to := min(closed, info.EndPeriod)
			for p := from; p < to; p++ {
				state, err := m.PeriodState(ctx, id, slot, p)
				if err != nil {
					return err
				}
				if state != chain.PeriodOpen {
					continue
				}
				_, err = m.MarkProofAsMissing(ctx, id, slot, p)
				switch {
				case err == nil:
					reported = true
					a.log.Info("reported missed proof", "request", id, "slot", slot, "period", p, "provider", st.Provider)
				case errors.Is(err, chain.ErrNotChallenged), errors.Is(err, chain.ErrAlreadyDone):
				case errors.Is(err, chain.ErrEntropyUnavailable):
					a.mu.Lock()
					a.problem("request %s slot %d period %d: missed proof no longer reportable", id, slot, p)
					a.mu.Unlock()
				case errors.Is(err, chain.ErrSlotNotFilled), errors.Is(err, chain.ErrRequestFinished):
					p = to // freed or finished meanwhile
				default:
					return fmt.Errorf("report request %s slot %d period %d: %w", id, slot, p, err)
				}
			}
			if to > rs.checked[i] {
				rs.checked[i] = to
			}
		}
	}
	if reported && !a.cfg.NoClaim {
		bal, err := m.Balance(ctx, m.Account())
		if err != nil {
			return err
		}
		if bal.Sign() > 0 {
			if _, err := m.Withdraw(ctx); err != nil {
				return fmt.Errorf("claim rewards: %w", err)
			}
			a.log.Info("claimed", "wei", bal)
		}
	}
	return nil
}

// Report is a snapshot of what the auditor knows, requests in creation order.
func (a *Auditor) Report() Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := Report{Head: a.head, Requests: []RequestReport{}, Rewards: new(big.Int).Set(a.rewards), Problems: slices.Clone(a.problems)}
	for _, id := range a.order {
		rs := a.requests[id]
		rr := RequestReport{
			ID: id, Client: rs.info.Client, RootCID: rs.info.RootCID, K: rs.info.K, M: rs.info.M,
			ProofPeriod: rs.info.ProofPeriod, StartPeriod: rs.info.StartPeriod, EndPeriod: rs.info.EndPeriod,
			Finished: rs.info.Finished,
		}
		for _, s := range rs.slots {
			s.Paid, s.Slashed = new(big.Int).Set(s.Paid), new(big.Int).Set(s.Slashed)
			rr.Slots = append(rr.Slots, s)
		}
		r.Requests = append(r.Requests, rr)
	}
	return r
}
