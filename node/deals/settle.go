package deals

import (
	"context"
	"errors"
	"math/big"
	"slices"

	"github.com/dstore-net/dstore/chain"
)

// settle, every Poll until ctx is done, finishes the requests in which we hold a slot once
// they are over, and withdraws the balance after a request we held was finished. Failures
// are logged and tried again at the next poll.
func (s *Service) settle(ctx context.Context) error {
	for sleep(ctx, s.cfg.Poll) {
		if len(s.held()) > 0 || s.hasEnded() {
			if s.grace < 0 {
				g, err := s.cfg.Market.FinishGrace(ctx)
				if err != nil {
					if ctx.Err() == nil {
						s.log.Debug("settling: reading the finish grace", "err", err)
					}
					continue
				}
				s.grace = int64(g)
			}
			head, err := s.cfg.Market.BlockNumber(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Debug("settling: reading the head", "err", err)
				}
				continue
			}
			for _, id := range s.over(head) {
				s.finish(ctx, id)
			}
		}
		if !s.cfg.NoWithdraw {
			s.withdraw(ctx)
		}
	}
	return nil
}

// settleStagger is how many blocks the provider of slot i waits, times i, after the first
// block in which finishRequest is accepted: every provider of a request settles it, and
// without a stagger they would all send finishRequest at once, all but one reverting in
// their blocks at the senders' expense. The provider of slot 0 goes first; the others find
// the request finished, unless its provider is gone.
const settleStagger = 4

// hasEnded says whether a slot we held waits for its request's settlement.
func (s *Service) hasEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.slots {
		if e.State == StateEnded {
			return true
		}
	}
	return false
}

// over lists the requests in which we hold a slot, that finishRequest accepts in a block
// after head (one period after the request's end period and the contract's finish grace),
// and whose stagger is over.
func (s *Service) over(head uint64) []chain.RequestID {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []chain.RequestID
	for ref, e := range s.slots {
		if e.State != StateFilled && e.State != StateEnded || e.period == 0 {
			continue
		}
		if first := (e.end+1)*e.period + uint64(s.grace); head >= first+ref.Slot*settleStagger {
			if !slices.Contains(out, ref.Request) {
				out = append(out, ref.Request)
			}
		}
	}
	slices.SortFunc(out, func(a, b chain.RequestID) int { return slices.Compare(a[:], b[:]) })
	return out
}

// finish sends finishRequest for an ended request. Someone else may have been faster
// (RequestIsFinished, or our transaction reverted in its block behind theirs: the collateral
// is back all the same); RequestNotEnded is tried again at the next poll.
func (s *Service) finish(ctx context.Context, id chain.RequestID) {
	log := s.log.With("request", id)
	if s.renewed(ctx, id) { // a permanent deal's term: renew.go
		return
	}
	tx, err := s.cfg.Market.FinishRequest(ctx, id)
	if errors.Is(err, chain.ErrReverted) && ctx.Err() == nil {
		if info, rerr := s.cfg.Market.Request(ctx, id); rerr == nil && info.Finished {
			log.Info("request settled by another first, our transaction reverted", "tx", tx.Hash, "gas", tx.GasUsed)
			s.finished(id)
			return
		}
	}
	switch {
	case err == nil:
		s.met.finished.Inc()
		s.met.spent("finish", tx)
		returned := new(big.Int)
		var refund *big.Int
		for _, ev := range s.cfg.Market.TxEvents(tx) {
			switch d := ev.Data.(type) {
			case *chain.CollateralReturned:
				if d.Provider == s.me {
					returned.Add(returned, d.Amount)
				}
			case *chain.RequestFinished:
				refund = d.Refund
			}
		}
		log.Info("request settled", "collateral", returned, "refund", bigString(refund),
			"block", tx.Block, "gas", tx.GasUsed, "tx", tx.Hash)
	case errors.Is(err, chain.ErrRequestFinished):
		log.Info("request already settled")
	case ctx.Err() != nil:
		return
	case errors.Is(err, chain.ErrRequestNotEnded):
		log.Debug("request not over yet", "err", err)
		return
	default:
		// Out of ether for gas, the endpoint down: try again next poll, say it once.
		var again bool
		s.mu.Lock()
		for ref, e := range s.slots {
			if ref.Request == id && (e.State == StateFilled || e.State == StateEnded) {
				again = e.LastError == err.Error()
				e.LastError = err.Error()
			}
		}
		s.mu.Unlock()
		if again {
			log.Debug("settling the request failed", "err", err)
		} else {
			log.Warn("settling the request failed", "err", err)
		}
		return
	}
	s.finished(id)
}

// finished marks our slots of a finished request so; it reports whether we held one, in
// which case a withdrawal is due.
func (s *Service) finished(id chain.RequestID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := false
	for ref, e := range s.slots {
		if ref.Request == id && (e.State == StateFilled || e.State == StateEnded) {
			e.State, e.LastError = StateFinished, ""
			held = true
		}
	}
	if held {
		s.settled++
		s.countFilled()
	}
	return held
}

// withdraw sends the whole balance in the contract to the provider's account if a request
// we held was settled since the last withdrawal and the balance is above zero. It holds
// fillMu: a fill reads the balance to know what to deposit.
func (s *Service) withdraw(ctx context.Context) {
	s.mu.Lock()
	due, gen := s.settled != s.withdrawn, s.settled
	s.mu.Unlock()
	if !due {
		return
	}
	s.fillMu.Lock()
	defer s.fillMu.Unlock()
	bal, err := s.cfg.Market.Balance(ctx, s.me)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("withdrawing: reading the balance", "err", err)
		}
		return
	}
	if bal.Sign() > 0 {
		tx, err := s.cfg.Market.Withdraw(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("withdrawing the balance failed", "balance", bal, "err", err)
			}
			return
		}
		amount := bal
		for _, ev := range s.cfg.Market.TxEvents(tx) {
			if d, ok := ev.Data.(*chain.Withdrawn); ok && d.Account == s.me {
				amount = d.Amount // what the contract sent: a payment may have landed since the read
			}
		}
		f, _ := new(big.Float).SetInt(amount).Float64()
		s.met.withdrawn.Add(f)
		s.met.spent("withdraw", tx)
		s.log.Info("balance withdrawn", "amount", amount, "to", s.me, "block", tx.Block, "gas", tx.GasUsed,
			"fee", tx.Fee, "tx", tx.Hash)
	}
	s.mu.Lock()
	s.withdrawn = gen
	s.mu.Unlock()
}
