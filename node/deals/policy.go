package deals

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
)

// Policy is what a provider agrees to. A slot of a request outside it is not filled: the
// refusal is logged with its reason and counted in dstore_fills_refused_total{reason}. Zero
// values mean the documented defaults, which the devnet's own requests pass (1 gwei per
// period, 0.01 ether collateral, 1000 periods of 30 one-second blocks).
type Policy struct {
	// MinPrice per slot per period, in wei. nil: Config.Price, the ask the registry shows.
	MinPrice *big.Int
	// MaxCollateral per slot, in wei. nil: 1 ether.
	MaxCollateral *big.Int
	// MaxDuration is the longest a request may last (its periods times its period's length,
	// at BlockTime a block). Default one year.
	MaxDuration time.Duration
	// MinProofPeriod is the shortest period accepted (its blocks at BlockTime a block): the
	// node needs the time to prove and to land its proof. Default 20 s.
	MinProofPeriod time.Duration
	// MaxSlots is how many slots the provider holds at most at once. Default 1000.
	MaxSlots int
	// MaxBytes is how many bytes of shards the provider holds in slots at most. Default 1 TiB.
	MaxBytes int64
	// BlockTime is the chain's block time, to turn periods into durations. 0: measured from
	// the timestamps of the chain's last 100 blocks when a request is looked at.
	BlockTime time.Duration
}

// The policy's defaults.
const (
	DefaultMaxDuration    = 365 * 24 * time.Hour
	DefaultMinProofPeriod = 20 * time.Second
	DefaultMaxSlots       = 1000
	DefaultMaxBytes       = 1 << 40
)

// Reasons a request is refused; the label values of dstore_fills_refused_total.
const (
	RefusedPrice       = "price"
	RefusedCollateral  = "collateral"
	RefusedDuration    = "duration"
	RefusedProofPeriod = "proof_period"
	RefusedSlots       = "slots"
	RefusedBytes       = "bytes"
	RefusedNotAccepted = "not_accepted"
)

var refusedReasons = []string{RefusedPrice, RefusedCollateral, RefusedDuration, RefusedProofPeriod, RefusedSlots, RefusedBytes, RefusedNotAccepted}

// RefusedError is a slot the provider does not fill because its request is outside the
// policy. It unwraps to ErrRefused.
type RefusedError struct {
	Reason string // one of the Refused* constants
	Detail string // the request's term against the policy's
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrRefused, e.Reason, e.Detail)
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

func refused(reason, format string, args ...any) error {
	return &RefusedError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Validate reports what is wrong with p.
func (p Policy) Validate() error {
	switch {
	case p.MinPrice != nil && p.MinPrice.Sign() < 0:
		return fmt.Errorf("%w: negative MinPrice %s", ErrInvalidConfig, p.MinPrice)
	case p.MaxCollateral != nil && p.MaxCollateral.Sign() < 0:
		return fmt.Errorf("%w: negative MaxCollateral %s", ErrInvalidConfig, p.MaxCollateral)
	case p.MaxDuration < 0 || p.MinProofPeriod < 0 || p.BlockTime < 0:
		return fmt.Errorf("%w: negative policy duration", ErrInvalidConfig)
	case p.MaxSlots < 0 || p.MaxBytes < 0:
		return fmt.Errorf("%w: negative MaxSlots or MaxBytes", ErrInvalidConfig)
	}
	return nil
}

func (p Policy) withDefaults(ask *big.Int) Policy {
	if p.MinPrice == nil {
		p.MinPrice = ask
	}
	if p.MaxCollateral == nil {
		p.MaxCollateral = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	}
	if p.MaxDuration == 0 {
		p.MaxDuration = DefaultMaxDuration
	}
	if p.MinProofPeriod == 0 {
		p.MinProofPeriod = DefaultMinProofPeriod
	}
	if p.MaxSlots == 0 {
		p.MaxSlots = DefaultMaxSlots
	}
	if p.MaxBytes == 0 {
		p.MaxBytes = DefaultMaxBytes
	}
	return p
}

// checkTerms checks a request's price, collateral, duration and proof period against the
// policy; blockTime is the chain's.
func (p Policy) checkTerms(info chain.RequestInfo, blockTime time.Duration) error {
	if info.PricePerPeriod.Cmp(p.MinPrice) < 0 {
		return refused(RefusedPrice, "%s wei per period, the ask is %s", info.PricePerPeriod, p.MinPrice)
	}
	if info.Collateral.Cmp(p.MaxCollateral) > 0 {
		return refused(RefusedCollateral, "%s wei, at most %s", info.Collateral, p.MaxCollateral)
	}
	period := time.Duration(info.ProofPeriod) * blockTime
	if period < p.MinProofPeriod {
		return refused(RefusedProofPeriod, "%d blocks of %v (%v), at least %v", info.ProofPeriod, blockTime, period, p.MinProofPeriod)
	}
	periods := info.EndPeriod - info.StartPeriod
	if limit := uint64(p.MaxDuration / period); periods > limit {
		return refused(RefusedDuration, "%d periods of %v (%v), at most %v", periods, period, time.Duration(periods)*period, p.MaxDuration)
	}
	return nil
}

// checkCapacity checks that one more slot of size bytes fits next to what the provider holds.
func (p Policy) checkCapacity(slots int, bytes int64, size int64) error {
	if slots+1 > p.MaxSlots {
		return refused(RefusedSlots, "%d slots held already, at most %d", slots, p.MaxSlots)
	}
	if bytes+size > p.MaxBytes {
		return refused(RefusedBytes, "a shard of %d bytes next to %d held, at most %d", size, bytes, p.MaxBytes)
	}
	return nil
}

// blockTime is Policy.BlockTime, or the chain's measured over its last 100 blocks (at least 1 s
// a block: the timestamps have a resolution of a second).
func (s *Service) blockTime(ctx context.Context) (time.Duration, error) {
	if s.policy.BlockTime > 0 {
		return s.policy.BlockTime, nil
	}
	return s.cfg.Market.BlockTime(ctx, 100)
}

// Uploads is what the node knows of the uploads it accepted under a valid ticket (package
// node implements it). A slot is filled only for a shard the node accepted; a storage
// request naming the node as host of a shard confirms that upload, so it is kept.
type Uploads interface {
	Accepted(ctx context.Context, root cid.Cid, shard int) (node.UploadInfo, bool)
	Confirm(ctx context.Context, root cid.Cid, shard int) error
}

var _ Uploads = (*node.Node)(nil)

// errRefused reports whether err is a policy refusal, and its reason.
func refusalOf(err error) (string, bool) {
	var r *RefusedError
	if errors.As(err, &r) {
		return r.Reason, true
	}
	return "", false
}
