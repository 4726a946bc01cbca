package deals

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/prover"
)

// candidate is a slot the node may fill: designated to its account (host), or open to
// anyone with its shard held by the node.
type candidate struct {
	slot   uint64
	host   bool
	repair bool // a slot freed and open for repair, whose shard a repairer handed over
}

// onRequest looks at a new request and, if some of its slots are for us, fills them in a
// goroutine of its own: waiting for a shard's tree must not hold up the events. Fill
// goroutines exist only for requests that name us or whose shards we hold, so their
// number is bounded by what the node stores.
func (s *Service) onRequest(ctx context.Context, d *chain.RequestCreated) error {
	root, err := cid.Cast(d.RootCid)
	if err != nil {
		s.log.Debug("request root is not a CID, ignored", "request", chain.RequestID(d.RequestId))
		return nil
	}
	info, err := s.cfg.Market.Request(ctx, d.RequestId)
	if err != nil {
		return fmt.Errorf("request %s: %w", chain.RequestID(d.RequestId), err)
	}
	if info.Finished || int(info.K+info.M) != len(info.SlotRoots) {
		return nil
	}
	cands := s.candidates(ctx, info, root)
	if len(cands) == 0 {
		return nil
	}
	head, err := s.cfg.Market.BlockNumber(ctx)
	if err != nil {
		return err
	}
	if tooLate(info, head) { // an old request, read again after a restart
		return nil
	}
	s.fills.Add(1)
	go func() {
		defer s.fills.Done()
		s.fillRequest(ctx, info, root, cands)
	}()
	return nil
}

// candidates are the slots of info the node may fill, those designated to it first.
func (s *Service) candidates(ctx context.Context, info chain.RequestInfo, root cid.Cid) []candidate {
	var hosted, open []candidate
	anyOpen := false
	for i := range info.SlotRoots {
		switch {
		case len(info.Hosts) == 0 || info.Hosts[i] == (common.Address{}):
			anyOpen = true
		case info.Hosts[i] == s.me:
			hosted = append(hosted, candidate{slot: uint64(i), host: true})
		}
	}
	if anyOpen {
		held, err := s.cfg.Node.HeldShards(ctx, root)
		if err != nil {
			s.log.Debug("shards held", "root", root, "err", err)
		}
		for _, i := range held {
			if i >= 0 && i < len(info.SlotRoots) && (len(info.Hosts) == 0 || info.Hosts[i] == (common.Address{})) {
				open = append(open, candidate{slot: uint64(i)})
			}
		}
	}
	return append(hosted, open...)
}

// tooLate says whether a fill sent now would come too late: the contract refuses fills
// with nothing left to prove.
func tooLate(info chain.RequestInfo, head uint64) bool {
	period := (head + 1) / info.ProofPeriod // the block the fill would land in
	return period+1 >= info.EndPeriod
}

type outcome int

const (
	tryNext outcome = iota // this slot is not ours; the next candidate may be
	stop                   // done with this request: filled, held already, or over
)

// fillRequest fills the first candidate it can: a provider holds one slot per request. A
// request outside the policy is refused as a whole.
func (s *Service) fillRequest(ctx context.Context, info chain.RequestInfo, root cid.Cid, cands []candidate) {
	bt, err := s.blockTime(ctx)
	if err == nil {
		err = s.policy.checkTerms(info, bt)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.refuse(chain.SlotRef{Request: info.ID, Slot: cands[0].slot}, root, err)
		}
		return
	}
	for _, c := range cands {
		if s.fillSlot(ctx, info, root, c) == stop || ctx.Err() != nil {
			return
		}
	}
}

func (s *Service) fillSlot(ctx context.Context, info chain.RequestInfo, root cid.Cid, c candidate) outcome {
	ref := chain.SlotRef{Request: info.ID, Slot: c.slot}
	log := s.log.With("request", info.ID, "slot", c.slot, "root", root)
	if o, ok := s.stillOpen(ctx, log, ref, info); !ok {
		return o
	}
	if s.cfg.Uploads != nil {
		if _, ok := s.cfg.Uploads.Accepted(ctx, root, int(c.slot)); !ok {
			s.refuse(ref, root, refused(RefusedNotAccepted, "shard %d of %s was not uploaded to this node under a valid ticket", c.slot, root))
			return tryNext
		}
		if c.host {
			// The request names us: keep the upload past its grace period.
			if err := s.cfg.Uploads.Confirm(ctx, root, int(c.slot)); err != nil && ctx.Err() == nil {
				log.Warn("confirming the upload", "err", err)
			}
		}
	}
	s.update(ref, func(e *entry) {
		e.State, e.LastError = StateFilling, ""
		e.root, e.Root, e.end, e.period = root, root.String(), info.EndPeriod, info.ProofPeriod
	})
	tree, err := s.waitTree(ctx, root, c)
	if err != nil {
		if ctx.Err() != nil {
			return stop
		}
		s.fail(ref, StateFailed, err)
		log.Warn("not filling: no tree of the shard", "err", err)
		return tryNext
	}
	if got := tree.RootBytes(); got != info.SlotRoots[c.slot] {
		err := fmt.Errorf("%w: the request commits to %x, our shard %d of %s hashes to %x",
			ErrRootMismatch, info.SlotRoots[c.slot], c.slot, root, got)
		s.fail(ref, StateRejected, err)
		log.Warn("not filling: the slot root is not our shard's", "err", err)
		return tryNext
	}
	if o, ok := s.stillOpen(ctx, log, ref, info); !ok {
		return o
	}
	var tx chain.Tx
	var deposit *big.Int
	err = retry(ctx, log, "filling the slot", func() (err error) {
		tx, deposit, err = s.fillOnce(ctx, info, c.slot, tree.Size())
		return err
	})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return stop
	case errors.Is(err, ErrRefused):
		s.refuse(ref, root, err)
		return stop
	case errors.Is(err, chain.ErrSlotTaken), errors.Is(err, chain.ErrNotHost):
		s.dropFilling(ref)
		log.Info("slot taken by another provider")
		return tryNext
	case errors.Is(err, chain.ErrAlreadyHoldsSlot):
		s.dropFilling(ref)
		log.Info("we hold another slot of this request already")
		return stop
	case errors.Is(err, chain.ErrTooLate), errors.Is(err, chain.ErrRequestFinished), errors.Is(err, chain.ErrUnknownRequest):
		s.fail(ref, StateFailed, err)
		log.Info("request over before the fill", "err", err)
		return stop
	default:
		s.fail(ref, StateFailed, err)
		log.Warn("fill failed", "err", err)
		return tryNext
	}
	s.met.fills.Inc()
	s.met.spent("fill", tx)
	if c.repair && s.cfg.Uploads != nil {
		// The slot is ours: keep the repaired shard past its grace period.
		if err := s.cfg.Uploads.Confirm(ctx, root, int(c.slot)); err != nil && ctx.Err() == nil {
			log.Warn("confirming the repaired upload", "err", err)
		}
	}
	s.update(ref, func(e *entry) {
		if e.State != StateFilled { // the SlotFilled event may have come first
			e.State, e.FilledBlock, e.FillTx = StateFilled, tx.Block, tx.Hash
		}
		e.LastError, e.size = "", tree.Size()
	})
	log.Info("slot filled", "block", tx.Block, "gas", tx.GasUsed, "collateral", info.Collateral,
		"deposit", deposit, "price", info.PricePerPeriod, "periods", fmt.Sprintf("%d..%d", info.StartPeriod, info.EndPeriod-1), "tx", tx.Hash)
	return stop
}

// stillOpen checks that the slot is free and the request not too late to fill; ok is
// false, with what to do next, otherwise.
func (s *Service) stillOpen(ctx context.Context, log *slog.Logger, ref chain.SlotRef, info chain.RequestInfo) (outcome, bool) {
	var st chain.SlotInfo
	var head uint64
	err := retry(ctx, log, "reading the slot", func() (err error) {
		if st, err = s.cfg.Market.Slot(ctx, ref.Request, ref.Slot); err != nil {
			return err
		}
		head, err = s.cfg.Market.BlockNumber(ctx)
		return err
	})
	switch {
	case ctx.Err() != nil:
		return stop, false
	case err != nil:
		s.fail(ref, StateFailed, err)
		log.Warn("not filling: cannot read the slot", "err", err)
		return tryNext, false
	case st.Provider == s.me: // ours already (a restart): the SlotFilled event adds it
		return stop, false
	case st.Provider != (common.Address{}):
		s.dropFilling(ref)
		log.Debug("slot taken by another provider", "provider", st.Provider)
		return tryNext, false
	case tooLate(info, head):
		s.dropFilling(ref)
		log.Info("not filling: too close to the request's end", "head", head, "endPeriod", info.EndPeriod)
		return stop, false
	}
	return tryNext, true
}

// waitTree waits, within TreeWait, for the node's tree of the slot's shard. For a slot
// designated to us it also waits for the shard to arrive.
func (s *Service) waitTree(ctx context.Context, root cid.Cid, c candidate) (*prover.Tree, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.TreeWait)
	defer cancel()
	for {
		tree, err := s.cfg.Node.SlotTree(ctx, root, int(c.slot))
		if err == nil {
			return tree, nil
		}
		if !c.host || !notHeld(err) || !sleep(ctx, 2*time.Second) {
			return nil, fmt.Errorf("tree of shard %d of %s: %w", c.slot, root, err)
		}
	}
}

// fillOnce fills the slot, of size bytes, topping the contract balance up to the request's
// collateral, if it fits in the policy's capacity next to the slots held. One fill at a time,
// so two fills do not count on the same balance or the same capacity.
func (s *Service) fillOnce(ctx context.Context, info chain.RequestInfo, slot uint64, size int64) (chain.Tx, *big.Int, error) {
	s.fillMu.Lock()
	defer s.fillMu.Unlock()
	held, bytes := s.holding()
	if err := s.policy.checkCapacity(held, bytes, size); err != nil {
		return chain.Tx{}, nil, err
	}
	bal, err := s.cfg.Market.Balance(ctx, s.me)
	if err != nil {
		return chain.Tx{}, nil, err
	}
	deposit := new(big.Int).Sub(info.Collateral, bal)
	if deposit.Sign() < 0 {
		deposit.SetInt64(0)
	}
	tx, err := s.cfg.Market.FillSlot(ctx, info.ID, slot, deposit)
	return tx, deposit, err
}

// holding counts the slots held and their bytes.
func (s *Service) holding() (slots int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.slots {
		if e.State == StateFilled {
			slots++
			bytes += e.size
		}
	}
	return slots, bytes
}

// refuse records, logs and counts a slot not filled because of the policy.
func (s *Service) refuse(ref chain.SlotRef, root cid.Cid, err error) {
	reason, _ := refusalOf(err)
	s.met.refused.WithLabelValues(reason).Inc()
	s.update(ref, func(e *entry) {
		e.State, e.LastError = StateRefused, err.Error()
		e.root, e.Root = root, root.String()
	})
	s.log.Warn("not filling: the request is outside the policy", "request", ref.Request, "slot", ref.Slot, "root", root, "reason", reason, "err", err)
}

func (s *Service) fail(ref chain.SlotRef, st State, err error) {
	s.update(ref, func(e *entry) { e.State, e.LastError = st, err.Error() })
}

// dropFilling forgets a slot we were about to fill and that turned out not to be ours.
func (s *Service) dropFilling(ref chain.SlotRef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.slots[ref]; e != nil && e.State == StateFilling {
		delete(s.slots, ref)
	}
}

// notHeld tells the node's answer for a shard it does not hold.
func notHeld(err error) bool {
	return errors.Is(err, node.ErrNotHeld)
}
