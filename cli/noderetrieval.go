package cli

import (
	"context"
	"crypto/ecdsa"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
)

// retrievalFlags are node run's flags for its retrieval offer (docs/economics.md).
func retrievalFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "retrieval-price", Value: "0", Usage: "wei a byte served, paid through the retrieval escrow (0: reads are free)"},
		&ucli.StringFlag{Name: "retrieval-fast-price", Value: "0", Usage: "wei a byte of answers whose time to first byte the client measured within --retrieval-fast-ttfb (0: no fast tier)"},
		&ucli.DurationFlag{Name: "retrieval-fast-ttfb", Value: 50 * time.Millisecond, Usage: "what counts as a fast answer"},
		&ucli.StringFlag{Name: "retrieval-free", Value: "0", Usage: "bytes free per client session (e.g. 1MiB)"},
		&ucli.StringFlag{Name: "retrieval-step", Value: "16MiB", Usage: "bytes served beyond a client's latest signed receipt before it must sign again"},
		&ucli.DurationFlag{Name: "redeem-interval", Value: time.Minute, Usage: "how often the node redeems its receipts at the escrow (well within the escrow's withdrawal delay)"},
	}
}

// retrievalPricing reads the retrieval flags of a node on a chain; escrow is nil when reads are free.
func retrievalPricing(ctx context.Context, c *ucli.Context, b chain.Backend, ep chain.Endpoint, key *ecdsa.PrivateKey) (node.Pricing, *chain.Escrow, error) {
	price, err := weiFlag(c, "retrieval-price")
	if err != nil {
		return node.Pricing{}, nil, err
	}
	fast, err := weiFlag(c, "retrieval-fast-price")
	if err != nil {
		return node.Pricing{}, nil, err
	}
	if !price.IsUint64() || !fast.IsUint64() {
		return node.Pricing{}, nil, usagef("--retrieval-price and --retrieval-fast-price are wei a byte: at most %d", uint64(1<<63))
	}
	free, err := humanize.ParseBytes(c.String("retrieval-free"))
	if err != nil {
		return node.Pricing{}, nil, usagef("--retrieval-free %q is not a size (like 1MiB)", c.String("retrieval-free"))
	}
	step, err := humanize.ParseBytes(c.String("retrieval-step"))
	if err != nil || step == 0 {
		return node.Pricing{}, nil, usagef("--retrieval-step %q is not a size (like 16MiB)", c.String("retrieval-step"))
	}
	p := node.Pricing{Price: price.Uint64(), FastPrice: fast.Uint64(), FastTTFB: c.Duration("retrieval-fast-ttfb"), FreeBytes: free, Step: step}
	if !p.Paid() {
		return node.Pricing{}, nil, nil
	}
	if ep.Escrow == (common.Address{}) {
		return node.Pricing{}, nil, usagef("--retrieval-price needs a retrieval escrow, and %s names none: deploy the contracts again", c.String("chain"))
	}
	escrow, err := chain.NewEscrow(ctx, b, ep.Escrow, key)
	if err != nil {
		return node.Pricing{}, nil, err
	}
	p.Payee, p.ChainID, p.Escrow = chain.Address(key), escrow.ChainID().Uint64(), ep.Escrow
	p.Signer, p.Accounts = chain.TicketSigner{Key: key}, deals.EscrowAccounts{Escrow: escrow}
	return p, escrow, nil
}

// retrievalSetWithoutChain refuses a retrieval price on a node without a chain.
func retrievalSetWithoutChain(c *ucli.Context) error {
	for _, f := range []string{"retrieval-price", "retrieval-fast-price"} {
		if c.IsSet(f) && c.String(f) != "0" {
			return usagef("--%s needs --chain: reads are paid through the chain's retrieval escrow", f)
		}
	}
	return nil
}
