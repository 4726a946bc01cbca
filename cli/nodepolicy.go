package cli

import (
	"math"

	"github.com/dustin/go-humanize"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/node/deals"
)

// dealPolicyFlags are the flags of `dstore node run` that set what the provider agrees to fill
// (deals.Policy). Their defaults pass the devnet's own requests.
func dealPolicyFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "min-price", Usage: "lowest price per slot per period filled (wei, or with a gwei/ether suffix; default: --price)"},
		&ucli.StringFlag{Name: "max-collateral", Value: "1ether", Usage: "highest collateral per slot the node locks"},
		&ucli.DurationFlag{Name: "max-duration", Value: deals.DefaultMaxDuration, Usage: "longest request filled (its periods times their length)"},
		&ucli.DurationFlag{Name: "min-proof-period", Value: deals.DefaultMinProofPeriod, Usage: "shortest proof period filled: the time to prove and land a proof"},
		&ucli.IntFlag{Name: "max-slots", Value: deals.DefaultMaxSlots, Usage: "most slots held at once"},
		&ucli.StringFlag{Name: "max-slot-bytes", Value: "1TiB", Usage: "most bytes of shards held in slots at once (e.g. 500GB)"},
		&ucli.DurationFlag{Name: "block-time", Usage: "the chain's block time, to turn periods into time (default: measured over the last 100 blocks)"},
	}
}

var dealPolicyFlagNames = []string{"min-price", "max-collateral", "max-duration", "min-proof-period", "max-slots", "max-slot-bytes", "block-time"}

// dealPolicy reads the policy flags.
func dealPolicy(c *ucli.Context) (deals.Policy, error) {
	var p deals.Policy
	var err error
	if c.IsSet("min-price") {
		if p.MinPrice, err = weiFlag(c, "min-price"); err != nil {
			return p, err
		}
	}
	if p.MaxCollateral, err = weiFlag(c, "max-collateral"); err != nil {
		return p, err
	}
	p.MaxDuration, p.MinProofPeriod, p.BlockTime = c.Duration("max-duration"), c.Duration("min-proof-period"), c.Duration("block-time")
	p.MaxSlots = c.Int("max-slots")
	size, err := humanize.ParseBytes(c.String("max-slot-bytes"))
	if err != nil || size == 0 || size > math.MaxInt64 {
		return p, usagef("--max-slot-bytes %q is not a size (e.g. 1TiB, 500GB)", c.String("max-slot-bytes"))
	}
	p.MaxBytes = int64(size)
	if p.MaxDuration <= 0 || p.MinProofPeriod <= 0 || p.BlockTime < 0 || p.MaxSlots <= 0 {
		return p, usagef("--max-duration, --min-proof-period and --max-slots must be above zero, --block-time not below")
	}
	if err := p.Validate(); err != nil {
		return p, usagef("%v", err)
	}
	return p, nil
}

// policySetWithoutChain names a policy flag given without --chain, if any.
func policySetWithoutChain(c *ucli.Context) error {
	for _, n := range dealPolicyFlagNames {
		if c.IsSet(n) {
			return usagef("--%s needs --chain", n)
		}
	}
	return nil
}
