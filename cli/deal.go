package cli

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/retrieval"
)

// dealFlags are put's flags for the storage request it makes on chain.
func dealFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "no-deal", Usage: "store only: make no storage request on chain"},
		&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint of the chain (default: HOME/chain.json)", EnvVars: []string{"DSTORE_RPC"}},
		&ucli.StringFlag{Name: "market", Usage: "marketplace address (with --rpc)"},
		&ucli.StringFlag{Name: "eth-key", Usage: "key file of the paying account (default: HOME/client.key, funded by the devnet)"},
		&ucli.Uint64Flag{Name: "duration", Value: 1000, Usage: "periods the file is stored, challenged and paid for"},
		&ucli.Uint64Flag{Name: "proof-period", Value: 30, Usage: "blocks per proof period"},
		&ucli.Uint64Flag{Name: "proof-probability", Value: 1, Usage: "a slot is challenged once every N periods on average"},
		&ucli.StringFlag{Name: "price", Value: "1gwei", Usage: "payment per slot per proven period (wei, or with a gwei/ether suffix)"},
		&ucli.StringFlag{Name: "collateral", Value: "0.01ether", Usage: "collateral each provider locks per slot"},
		&ucli.IntFlag{Name: "openings", Value: 300, Usage: "random cells of each shard checked against the provider's claimed root"},
		&ucli.DurationFlag{Name: "root-timeout", Value: 5 * time.Minute, Usage: "how long to wait for the holders' slot roots (they hash their shards at about 7 MB/s per core)"},
		&ucli.DurationFlag{Name: "fill-timeout", Value: 2 * time.Minute, Usage: "how long to wait for the providers to fill their slots (0: don't wait)"},
	}
}

// clientMarket is a market client signing as the user, with what closes it.
type clientMarket struct {
	*chain.Market
	key   *ecdsa.PrivateKey // nil: read only
	ep    chain.Endpoint
	close func()
}

// dialMarket resolves the chain endpoint (--rpc/--market or HOME/chain.json) and
// binds the marketplace, signing with key (nil: read only). ok is false when no
// chain is configured at all.
func dialMarket(c *ucli.Context, withKey bool) (m *clientMarket, ok bool, err error) {
	ep, err := chainEndpoint(c)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) && c.String("rpc") == "" && c.String("market") == "" {
			return nil, false, nil // no chain configured
		}
		return nil, false, err
	}
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		return nil, true, err
	}
	var key *ecdsa.PrivateKey
	if withKey {
		if key, err = loadClientKey(c); err != nil {
			b.Close()
			return nil, true, err
		}
	}
	mk, err := chain.NewMarket(ctx, b, ep.Marketplace, key)
	if err != nil {
		b.Close()
		return nil, true, err
	}
	return &clientMarket{Market: mk, key: key, ep: ep, close: b.Close}, true, nil
}

// loadClientKey reads --eth-key, else HOME/client.key.
func loadClientKey(c *ucli.Context) (*ecdsa.PrivateKey, error) {
	path := c.String("eth-key")
	if path == "" {
		path = filepath.Join(c.String("home"), devnet.ClientKeyFile)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, usagef("no account to pay with: pass --eth-key FILE (the devnet writes %s)", path)
		}
	}
	return chain.LoadKey(path)
}

// weiFlag reads a flag holding an amount of wei (see parseWei); a bad one is a usage error.
func weiFlag(c *ucli.Context, name string) (*big.Int, error) {
	v, err := parseWei(c.String(name))
	if err != nil {
		return nil, usagef("--%s: %v", name, err)
	}
	return v, nil
}

// parseWei parses an amount of wei: an integer, or a decimal with a gwei or
// ether suffix ("1gwei", "0.01ether").
func parseWei(s string) (*big.Int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	unit := new(big.Rat).SetInt64(1)
	switch {
	case strings.HasSuffix(s, "ether"):
		s, unit = strings.TrimSpace(strings.TrimSuffix(s, "ether")), new(big.Rat).SetInt64(1e18)
	case strings.HasSuffix(s, "gwei"):
		s, unit = strings.TrimSpace(strings.TrimSuffix(s, "gwei")), new(big.Rat).SetInt64(1e9)
	case strings.HasSuffix(s, "wei"):
		s = strings.TrimSpace(strings.TrimSuffix(s, "wei"))
	}
	v, ok := new(big.Rat).SetString(s)
	if !ok || v.Sign() < 0 {
		return nil, fmt.Errorf("%q is not an amount of wei (examples: 1000, 1gwei, 0.01ether)", s)
	}
	v.Mul(v, unit)
	if !v.IsInt() {
		return nil, fmt.Errorf("%q is not a whole number of wei", s)
	}
	return new(big.Int).Set(v.Num()), nil
}

// dealTerms reads put's deal flags.
func dealTerms(c *ucli.Context) (retrieval.DealOptions, error) {
	price, err := weiFlag(c, "price")
	if err != nil {
		return retrieval.DealOptions{}, err
	}
	coll, err := weiFlag(c, "collateral")
	if err != nil {
		return retrieval.DealOptions{}, err
	}
	o := retrieval.DealOptions{
		Duration:         c.Uint64("duration"),
		ProofPeriod:      c.Uint64("proof-period"),
		ProofProbability: c.Uint64("proof-probability"),
		PricePerPeriod:   price,
		Collateral:       coll,
		Openings:         c.Int("openings"),
		RootTimeout:      c.Duration("root-timeout"),
		FillTimeout:      c.Duration("fill-timeout"),
	}
	switch {
	case o.Duration == 0:
		return o, usagef("--duration must be at least 1 period")
	case o.ProofPeriod < 2 || o.ProofPeriod > 128:
		return o, usagef("--proof-period must be 2..128 blocks")
	case o.ProofProbability == 0:
		return o, usagef("--proof-probability must be at least 1")
	case o.Openings < 1:
		return o, usagef("--openings must be at least 1")
	case o.RootTimeout <= 0:
		return o, usagef("--root-timeout must be positive")
	}
	return o, nil
}

// dealProgress prints each stage of the deal on stderr as it completes.
func dealProgress(c *ucli.Context) func(stage string, done, total int) {
	if wantQuiet(c) {
		return nil
	}
	names := map[string]string{
		"roots": "slot roots received", "encode": "segments re-encoded", "check": "shards spot-checked",
		"request": "storage request created", "fill": "slots filled",
	}
	return func(stage string, done, total int) {
		if done == total {
			fmt.Fprintf(c.App.ErrWriter, "deal: %s (%d/%d)\n", names[stage], done, total)
		}
	}
}
