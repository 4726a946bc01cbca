package deals

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/prover/field"
)

// ProofFunc proves that the caller holds a slot, for one challenge, and returns the
// proof in the verifier's calldata form (prover.Proof.Solidity(), 256 bytes). A
// node wraps prover.Prover.Prove over the slot's pieces and its Poseidon2 tree.
type ProofFunc func(ctx context.Context, id chain.RequestID, slot uint64, challenge field.Element) ([]byte, error)

// Answer says what AnswerChallenge did.
type Answer struct {
	Period    uint64   `json:"period"`
	Submitted bool     `json:"submitted"`
	Tx        chain.Tx `json:"tx"`
	Skipped   string   `json:"skipped,omitempty"` // why nothing was submitted
}

// ProvingMarket is what answering challenges needs of the chain; *chain.Market signing with the
// provider's key implements it.
type ProvingMarket interface {
	Account() common.Address
	BlockNumber(ctx context.Context) (uint64, error)
	Slot(ctx context.Context, id chain.RequestID, slot uint64) (chain.SlotInfo, error)
	Challenge(ctx context.Context, id chain.RequestID, slot uint64) (chain.Challenge, error)
	SubmitProof(ctx context.Context, id chain.RequestID, slot uint64, proof []byte) (chain.Tx, error)
}

var _ ProvingMarket = (*chain.Market)(nil)

// AnswerChallenge proves and submits the slot's current challenge if the slot is
// challenged, held by m's account, and not yet proven in this period.
// It is safe to call on every new block: it does nothing when there is nothing
// to do.
func AnswerChallenge(ctx context.Context, m ProvingMarket, id chain.RequestID, slot uint64, prove ProofFunc) (Answer, error) {
	return answerChallenge(ctx, m, id, slot, prove, nil)
}

// Why answerChallenge submitted nothing although the slot was challenged.
const (
	skipLate     = "proof ready after the period"
	skipTurnLate = "proving turn came after the period"
)

// answerChallenge is AnswerChallenge, proving in a turn when turn is not nil.
func answerChallenge(ctx context.Context, m ProvingMarket, id chain.RequestID, slot uint64, prove ProofFunc, turn func(context.Context) (func(), error)) (Answer, error) {
	st, err := m.Slot(ctx, id, slot)
	if err != nil {
		return Answer{}, err
	}
	if st.Provider != m.Account() {
		return Answer{Skipped: "slot not held by this account"}, nil
	}
	ch, err := m.Challenge(ctx, id, slot)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Period: ch.Period}
	switch {
	case !ch.Required:
		a.Skipped = "not challenged this period"
		return a, nil
	case ch.State != chain.PeriodOpen:
		a.Skipped = "period already " + ch.State.String()
		return a, nil
	case ch.Entropy == [32]byte{}:
		a.Skipped = "entropy not final before the period's second block"
		return a, nil
	}
	head, err := m.BlockNumber(ctx)
	if err != nil {
		return a, err
	}
	if head >= ch.Deadline {
		a.Skipped = "too late in the period"
		return a, nil
	}
	release := func() {}
	if turn != nil {
		if release, err = turn(ctx); err != nil {
			return a, err
		}
		if head, err = m.BlockNumber(ctx); err != nil {
			release()
			return a, err
		}
		if head >= ch.Deadline {
			release()
			a.Skipped = skipTurnLate
			return a, nil
		}
	}
	c := prover.Challenge(ch.Entropy, id, slot, m.Account())
	proof, err := prove(ctx, id, slot, c)
	release() // the turn is for proving; the submission waits for a block
	if err != nil {
		return a, fmt.Errorf("prove request %s slot %d period %d: %w", id, slot, ch.Period, err)
	}
	if head, err = m.BlockNumber(ctx); err != nil {
		return a, err
	}
	if head >= ch.Deadline {
		a.Skipped = skipLate
		return a, nil
	}
	a.Tx, err = m.SubmitProof(ctx, id, slot, proof)
	if errors.Is(err, chain.ErrAlreadyDone) {
		a.Skipped = "period already proven"
		return a, nil
	}
	if err != nil {
		return a, err
	}
	a.Submitted = true
	return a, nil
}

// SlotRef names one slot of one request.
type SlotRef struct {
	Request chain.RequestID `json:"request"`
	Slot    uint64          `json:"slot"`
}

// ProvingLoopConfig configures RunProvingLoop. Zero values mean the defaults.
type ProvingLoopConfig struct {
	Market ProvingMarket // signs with the provider's key
	Prove  ProofFunc     // proves one slot
	// Slots lists the slots the node holds; called on every round.
	Slots func() []chain.SlotRef
	// Poll is how often the chain is polled for new challenges; default 1s.
	Poll time.Duration
	// Turn, if set, is taken before each proof and released after it (Config.ProveTurn).
	Turn func(ctx context.Context) (release func(), err error)
	// OnAnswer, if set, sees every answer and error (metrics, logs, status).
	OnAnswer func(chain.SlotRef, Answer, error)
	Logger   *slog.Logger // nil is silent
}

// RunProvingLoop answers the challenges of the node's slots until ctx is done:
// every Poll, for each slot, AnswerChallenge. Errors of one slot are logged and
// retried on the next round; they do not stop the loop.
func RunProvingLoop(ctx context.Context, cfg ProvingLoopConfig) error {
	if cfg.Market == nil || cfg.Prove == nil || cfg.Slots == nil {
		return fmt.Errorf("%w: proving loop needs Market, Prove and Slots", ErrInvalidConfig)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(cfg.Poll)
	defer t.Stop()
	for {
		for _, s := range cfg.Slots() {
			if ctx.Err() != nil {
				return nil
			}
			a, err := answerChallenge(ctx, cfg.Market, s.Request, s.Slot, cfg.Prove, cfg.Turn)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("challenge not answered", "request", s.Request, "slot", s.Slot, "period", a.Period, "err", err)
			case a.Submitted:
				log.Info("proof submitted", "request", s.Request, "slot", s.Slot, "period", a.Period, "gas", a.Tx.GasUsed, "tx", a.Tx.Hash)
			}
			if ctx.Err() != nil {
				return nil // what was cut short by the stop is no answer
			}
			if cfg.OnAnswer != nil {
				cfg.OnAnswer(s, a, err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
