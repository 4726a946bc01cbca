package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/audit"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/prover"
)

// ChainCommands returns `dstore chain ...`: deploy the contracts to a chain.
func ChainCommands() []*ucli.Command {
	return []*ucli.Command{{
		Name:  "chain",
		Usage: "the settlement chain: contracts, deals, proofs",
		Subcommands: []*ucli.Command{{
			Name:      "deploy",
			Usage:     "deploy the Groth16 verifier, the marketplace and the retrieval escrow to an Ethereum JSON-RPC endpoint",
			UsageText: "dstore chain deploy --rpc URL --key FILE [--slash 10] [--reward 10] [--max-missed 3] [--finish-grace 64] [--escrow-delay 7200]",
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint (http://, ws:// or IPC path)", Required: true, EnvVars: []string{"DSTORE_RPC"}},
				&ucli.StringFlag{Name: "key", Usage: "file holding the deployer's private key as hex", Required: true},
				&ucli.Uint64Flag{Name: "slash", Value: 10, Usage: "percentage of a slot's collateral slashed per missed proof"},
				&ucli.Uint64Flag{Name: "reward", Value: 10, Usage: "percentage of the slashed amount paid to the reporter, at most 25 (the rest goes to the client)"},
				&ucli.Uint64Flag{Name: "max-missed", Value: 3, Usage: "missed proofs after which a slot is freed"},
				&ucli.Uint64Flag{Name: "finish-grace", Value: chain.DefaultFinishGrace, Usage: "blocks a request's settlement waits after the period for reporting its last misses"},
				&ucli.Uint64Flag{Name: "escrow-delay", Value: chain.DefaultEscrowWithdrawDelay, Usage: "blocks between a client's announced withdrawal from the retrieval escrow and its payout: how long nodes have to redeem its receipts"},
				&ucli.StringFlag{Name: "verifier", Usage: "an already deployed verifier at this address, checked against the key in --keys (on a real chain: the verifier of a ceremony's keys)"},
				&ucli.StringFlag{Name: "keys", Usage: "directory of the Groth16 keys --verifier is checked against (default: the prover's key cache)"},
				insecureDevnetKeysFlag,
				&ucli.BoolFlag{Name: "json", Usage: "print the deployment as JSON"},
			},
			Action: chainDeploy,
		}},
	}}
}

func chainDeploy(c *ucli.Context) error {
	ctx, cancel := context.WithTimeout(c.Context, 5*time.Minute)
	defer cancel()
	key, err := chain.LoadKey(c.String("key"))
	if err != nil {
		return err
	}
	cfg := chain.DeployConfig{
		SlashPercentage:  c.Uint64("slash"),
		RewardPercentage: c.Uint64("reward"),
		MaxMissedProofs:  c.Uint64("max-missed"),
		FinishGrace:      c.Uint64("finish-grace"),

		EscrowWithdrawDelay: c.Uint64("escrow-delay"),
	}
	if cfg.FinishGrace == 0 {
		cfg.FinishGrace = chain.NoFinishGrace
	}
	if v := c.String("verifier"); v != "" {
		if !common.IsHexAddress(v) {
			return usagef("--verifier %q is not an address", v)
		}
		cfg.Verifier = common.HexToAddress(v)
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%v", err)
	}
	b, err := chain.Dial(ctx, c.String("rpc"))
	if err != nil {
		return err
	}
	defer b.Close()
	if err := checkDeployKeys(ctx, c, b, cfg.Verifier); err != nil {
		return err
	}
	dep, err := chain.Deploy(ctx, b, key, cfg)
	if err != nil {
		return err
	}
	ep := chain.Endpoint{RPC: c.String("rpc"), Deployment: dep}
	home := c.String("home")
	if home != "" {
		if err := os.MkdirAll(home, 0o755); err != nil {
			return err
		}
		if err := ep.Write(filepath.Join(home, chain.EndpointFile)); err != nil {
			return err
		}
	}
	if wantJSON(c) {
		return printJSON(c.App.Writer, ep)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "chain id     %s\n", dep.ChainID)
	fmt.Fprintf(w, "verifier     %s (gas %d)\n", dep.Verifier, dep.Gas["Groth16Verifier"])
	fmt.Fprintf(w, "marketplace  %s (gas %d, block %d)\n", dep.Marketplace, dep.Gas["Marketplace"], dep.Block)
	fmt.Fprintf(w, "escrow       %s (gas %d)\n", dep.Escrow, dep.Gas["RetrievalEscrow"])
	if home != "" {
		fmt.Fprintf(w, "written to   %s\n", filepath.Join(home, chain.EndpointFile))
	}
	return nil
}

// AuditCommand returns `dstore audit [--watch] [--json]`.
func AuditCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "audit",
		Usage: "follow the chain, re-verify every proof off chain, report missed proofs and claim the rewards",
		UsageText: "dstore audit [--watch] [--json] [--rpc URL --market ADDR] [--key FILE]\n" +
			"   (the endpoint defaults to HOME/chain.json, written by the devnet and `dstore chain deploy`)",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "watch", Usage: "keep following the chain until interrupted"},
			&ucli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
			&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint", EnvVars: []string{"DSTORE_RPC"}},
			&ucli.StringFlag{Name: "market", Usage: "marketplace address"},
			&ucli.Uint64Flag{Name: "from", Usage: "first block to read (default: the deployment block)"},
			&ucli.StringFlag{Name: "key", Usage: "key file of the account that reports missed proofs (default: HOME/auditor.key if the devnet wrote one; none: watch only)"},
			&ucli.StringFlag{Name: "keys", Usage: "directory of the Groth16 keys (default: the prover's key cache)"},
			&ucli.DurationFlag{Name: "interval", Value: 10 * time.Second, Usage: "with --watch, print the report this often"},
			insecureDevnetKeysFlag,
		},
		Action: runAudit,
	}
}

// chainEndpoint resolves --rpc/--market, else HOME/chain.json.
func chainEndpoint(c *ucli.Context) (chain.Endpoint, error) {
	if c.String("rpc") != "" || c.String("market") != "" {
		if !common.IsHexAddress(c.String("market")) || c.String("rpc") == "" {
			return chain.Endpoint{}, usagef("--rpc and --market go together (market: a 0x address)")
		}
		return chain.Endpoint{RPC: c.String("rpc"), Deployment: chain.Deployment{Marketplace: common.HexToAddress(c.String("market"))}}, nil
	}
	path := filepath.Join(c.String("home"), chain.EndpointFile)
	ep, err := chain.ReadEndpoint(path)
	if errors.Is(err, os.ErrNotExist) {
		return ep, usagef("no chain known: pass --rpc and --market, or start `dstore devnet` (it writes %s)", path)
	}
	return ep, err
}

func runAudit(c *ucli.Context) error {
	ctx := c.Context
	ep, err := chainEndpoint(c)
	if err != nil {
		return err
	}
	dir := c.String("keys")
	if dir == "" {
		dir = prover.KeyDir()
	}
	vk, err := prover.LoadVerifyingKey(dir, prover.DevnetParams)
	if err != nil {
		return fmt.Errorf("verifying key (run a devnet or `dstore prover` setup first): %w", err)
	}
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		return err
	}
	defer b.Close()
	var m *chain.Market
	kf := c.String("key")
	if kf == "" && c.String("rpc") == "" {
		// On the devnet, audit as its funded auditor account.
		if p := filepath.Join(c.String("home"), devnet.AuditorKeyFile); fileExists(p) {
			kf = p
		}
	}
	if kf != "" {
		key, err := chain.LoadKey(kf)
		if err != nil {
			return err
		}
		m, err = chain.NewMarket(ctx, b, ep.Marketplace, key)
		if err != nil {
			return err
		}
	} else if m, err = chain.NewMarket(ctx, b, ep.Marketplace, nil); err != nil {
		return err
	}
	if err := checkVerifierKey(ctx, c, m, vk, prover.DevnetParams, dir); err != nil {
		return err
	}
	from := ep.Block
	if c.IsSet("from") {
		from = c.Uint64("from")
	}
	a, err := audit.New(audit.Config{
		Market: m, Verifier: audit.KeyVerifier{VK: vk}, FromBlock: from, Logger: newLogger(c, ""),
	})
	if err != nil {
		return err
	}
	defer a.Close()
	asJSON := wantJSON(c)
	if !c.Bool("watch") {
		if err := a.Sync(ctx); err != nil {
			return err
		}
		return printReport(c.App.Writer, a.Report(), asJSON)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t := time.NewTicker(c.Duration("interval"))
	defer t.Stop()
	for {
		select {
		case err := <-done:
			if perr := printReport(c.App.Writer, a.Report(), asJSON); err == nil {
				err = perr
			}
			return err
		case <-t.C:
			if err := printReport(c.App.Writer, a.Report(), asJSON); err != nil {
				return err
			}
		}
	}
}

func printReport(w io.Writer, r audit.Report, asJSON bool) error {
	if asJSON {
		return printJSON(w, r)
	}
	return r.WriteText(w)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
