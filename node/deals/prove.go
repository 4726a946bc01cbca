package deals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/prover/field"
)

// loadKeys loads the proving keys once; until it is done proofs fail with ErrKeysNotReady.
// Keys that cannot be loaded, or that are for other parameters than the node's trees, stop
// the service: a provider that cannot prove must not take slots.
func (s *Service) loadKeys(ctx context.Context) error {
	want := s.cfg.Node.Proofs()
	start := time.Now()
	s.log.Info("loading the proving keys", "params", want.String())
	k, err := s.cfg.Keys(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("deals: loading the proving keys: %w", err)
	}
	if k == nil || k.Params != want {
		return fmt.Errorf("deals: %w: the node commits with %s", prover.ErrKeyMismatch, want)
	}
	s.prover.Store(prover.NewProver(k))
	s.log.Info("proving keys loaded", "params", want.String(), "seconds", time.Since(start).Seconds())
	return nil
}

// prove answers the challenges of the slots we hold until ctx is done. The loop takes one
// slot after the other, so the node proves one slot at a time: proving takes all cores.
func (s *Service) prove(ctx context.Context) error {
	return RunProvingLoop(ctx, ProvingLoopConfig{
		Market: s.cfg.Market,
		Prove:  s.proveSlot,
		Slots:  s.held,
		Poll:   s.cfg.Poll,
		Turn:   s.cfg.ProveTurn,
		OnAnswer: func(ref chain.SlotRef, a Answer, err error) {
			if ctx.Err() == nil {
				s.onAnswer(ref, a, err)
			}
		},
		// Logger: none, onAnswer logs with the proving time.
	})
}

// proveSlot is the ProofFunc: the shard as the store holds it, the node's tree, the
// Groth16 prover.
func (s *Service) proveSlot(ctx context.Context, id chain.RequestID, slot uint64, c field.Element) ([]byte, error) {
	pr := s.prover.Load()
	if pr == nil {
		return nil, ErrKeysNotReady
	}
	ref := chain.SlotRef{Request: id, Slot: slot}
	root, err := s.rootOf(ctx, ref)
	if err != nil {
		return nil, err
	}
	m, err := s.cfg.Node.Manifest(ctx, root)
	if err != nil {
		return nil, fmt.Errorf("manifest of %s: %w", root, err)
	}
	r, err := s.cfg.Node.ShardReader(ctx, m, int(slot))
	if err != nil {
		return nil, err
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.TreeWait)
	defer cancel()
	tree, err := s.cfg.Node.SlotTree(tctx, root, int(slot))
	if err != nil {
		return nil, fmt.Errorf("tree of shard %d of %s: %w", slot, root, err)
	}
	start := time.Now()
	proof, err := pr.Prove(ctx, r, tree, c)
	if err != nil {
		return nil, err
	}
	secs := time.Since(start).Seconds()
	s.met.prove.Observe(secs)
	s.updateIf(ref, func(e *entry) { e.LastSeconds = secs })
	return proof.Solidity(), nil
}

// rootOf is the root CID of the slot's file, read from the request if the slot was filled
// before we saw the request (by another process with our key).
func (s *Service) rootOf(ctx context.Context, ref chain.SlotRef) (cid.Cid, error) {
	s.mu.Lock()
	var root cid.Cid
	if e := s.slots[ref]; e != nil {
		root = e.root
	}
	s.mu.Unlock()
	if root.Defined() {
		return root, nil
	}
	info, err := s.cfg.Market.Request(ctx, ref.Request)
	if err != nil {
		return cid.Undef, err
	}
	if root, err = cid.Cast(info.RootCID); err != nil {
		return cid.Undef, fmt.Errorf("request %s: root is not a CID: %w", ref.Request, err)
	}
	s.updateIf(ref, func(e *entry) {
		e.root, e.Root, e.end, e.period = root, root.String(), info.EndPeriod, info.ProofPeriod
	})
	return root, nil
}

// onAnswer keeps the status, the metrics and the log in step with the proving loop.
func (s *Service) onAnswer(ref chain.SlotRef, a Answer, err error) {
	log := s.log.With("request", ref.Request, "slot", ref.Slot)
	switch {
	case errors.Is(err, chain.ErrRequestFinished): // settled before we saw its event
		s.finished(ref.Request)
	case errors.Is(err, ErrKeysNotReady):
		s.updateIf(ref, func(e *entry) { e.LastError = err.Error() })
		log.Debug("challenge waits for the proving keys", "period", a.Period)
	case err != nil:
		s.met.failures.Inc()
		var again bool
		s.updateIf(ref, func(e *entry) { again, e.LastError = e.LastError == err.Error(), err.Error() })
		if again { // retried every poll while the period lasts: say it once
			log.Debug("challenge not answered", "period", a.Period, "err", err)
		} else {
			log.Warn("challenge not answered", "period", a.Period, "err", err)
		}
	case a.Submitted:
		s.met.proofs.Inc()
		s.met.spent("proof", a.Tx)
		var secs float64
		s.updateIf(ref, func(e *entry) {
			e.LastPeriod, e.LastTx, e.LastGas, e.LastError = a.Period, a.Tx.Hash, a.Tx.GasUsed, ""
			secs = e.LastSeconds
		})
		log.Info("proof submitted", "period", a.Period, "gas", a.Tx.GasUsed, "seconds", secs, "block", a.Tx.Block, "tx", a.Tx.Hash)
	case a.Skipped == skipLate || a.Skipped == skipTurnLate:
		s.met.failures.Inc()
		s.updateIf(ref, func(e *entry) { e.LastError = fmt.Sprintf("period %d: %s", a.Period, a.Skipped) })
		log.Warn("proof too late for its period", "period", a.Period, "why", a.Skipped)
	case a.Skipped != "":
		s.updateIf(ref, func(e *entry) {
			if e.State == StateFilled && e.end != 0 && a.Period >= e.end {
				e.State = StateEnded
				log.Info("request over: slot no longer challenged", "period", a.Period)
			}
		})
	}
}
