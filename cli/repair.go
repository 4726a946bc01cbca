package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
)

// repairCommand returns `dstore repair [--watch]`.
func repairCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "repair",
		Usage: "keep files whole: check their holders, free the slots of dead ones, rebuild lost shards on new nodes",
		UsageText: "dstore repair [--watch] [--json] [--margin N] [--dead-after D] [--rpc URL --market ADDR] [--eth-key FILE]\n" +
			"   (anyone may run it: the freed slot on chain authorizes the upload; the provider that refills it earns the repair reward;\n" +
			"    the files put from HOME without a deal are rebuilt with HOME's client keys, as put stores them)",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "watch", Usage: "keep following the chain and the holders and repairing until interrupted"},
			&ucli.IntFlag{Name: "margin", Usage: "lost shards a file may have before it is repaired (0: any lost shard, the devnet's; about m/2 on a real network)"},
			&ucli.DurationFlag{Name: "check-interval", Value: repair.DefaultCheckInterval, Usage: "how often each holder of the files followed is checked (libp2p ping)"},
			&ucli.IntFlag{Name: "dead-checks", Value: repair.DefaultDeadChecks, Usage: "failed checks in a row after which a holder counts dead (with --dead-after)"},
			&ucli.DurationFlag{Name: "dead-after", Value: repair.DefaultDeadAfter, Usage: "the least time those failed checks must span before a holder counts dead"},
			&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint", EnvVars: []string{"DSTORE_RPC"}},
			&ucli.StringFlag{Name: "market", Usage: "marketplace address"},
			&ucli.StringFlag{Name: "eth-key", Usage: "key file of the account that reports dead holders' missed proofs and signs the repair upload tickets (default: HOME/client.key)"},
			&ucli.DurationFlag{Name: "fill-wait", Value: 5 * time.Minute, Usage: "how long a provider that took a shard has to refill its slot before another is tried"},
			&ucli.DurationFlag{Name: "interval", Value: 10 * time.Second, Usage: "with --watch, print the repairs this often"},
			&ucli.DurationFlag{Name: "timeout", Value: 10 * time.Minute, Usage: "without --watch, stop after this long"},
			bootstrapFlag,
		},
		Action: runRepair,
	}
}

func runRepair(c *ucli.Context) error {
	if c.Int("margin") < 0 || c.Int("dead-checks") < 1 || c.Duration("check-interval") <= 0 || c.Duration("dead-after") < 0 {
		return usagef("--margin and --dead-after must not be negative, --dead-checks and --check-interval must be positive")
	}
	home := c.String("home")
	market, haveChain, err := dialMarket(c, true)
	if err != nil {
		return err
	}
	if !haveChain {
		if _, err := os.Stat(filepath.Join(home, dashboard.FilesName)); err != nil {
			return usagef("nothing to repair: no chain known (pass --rpc and --market, or start `dstore devnet`, which writes %s) and no file put from %s",
				filepath.Join(home, chain.EndpointFile), home)
		}
	} else {
		defer market.close()
	}
	peers, err := bootstrapPeers(c)
	if err != nil {
		return err
	}
	log := newLogger(c, "")
	opts := dialOptions{shardRecords: true}
	var signer retrieval.TicketSigner
	var mk *chain.Market
	if haveChain {
		mk = market.Market
		signer = chain.TicketSigner{Key: market.key}
		opts.holders = &retrieval.ChainHolders{Market: mk, FromBlock: market.ep.Block}
	}
	env, err := dialNetworkWith(c.Context, "", peers, newLogger(c, "client"), nil, signer, opts)
	if err != nil {
		return err
	}
	defer env.close()
	cfg := repair.Config{
		Market: mk, Client: env.client, Margin: c.Int("margin"), FillWait: c.Duration("fill-wait"), Logger: log,
		CheckInterval: c.Duration("check-interval"), DeadChecks: c.Int("dead-checks"), DeadAfter: c.Duration("dead-after"),
		Files: func(context.Context) ([]cid.Cid, error) { return devnet.HistoryRoots(home) },
		Nodes: func(context.Context) ([]peer.AddrInfo, error) { return peers, nil },
		// Files without a deal are stored again as `put` stored them: HOME's client peer key (the
		// nodes' allow-list) and, with a chain, its upload tickets.
		Uploader: func(ctx context.Context) (*retrieval.Client, func(), error) {
			up, err := dialNetworkWith(ctx, home, peers, newLogger(c, "client"), nil, signer, dialOptions{})
			if err != nil {
				return nil, nil, err
			}
			return up.client, up.close, nil
		},
	}
	if haveChain {
		cfg.FromBlock = market.ep.Block
	}
	if !wantQuiet(c) {
		cfg.Progress = func(s repair.Status, done, total int) {
			if done == total || done%64 == 0 {
				fmt.Fprintf(c.App.ErrWriter, "repair: %s shard %d: %d of %d segments handed to %s\n", s.Root, s.Slot, done, total, s.Peer)
			}
		}
	}
	r, err := repair.New(cfg)
	if err != nil {
		return err
	}
	asJSON := wantJSON(c)
	ctx := c.Context
	if !c.Bool("watch") {
		ctx, cancel := context.WithTimeout(ctx, c.Duration("timeout"))
		defer cancel()
		if err := r.Once(ctx); err != nil {
			return err
		}
		return printRepairs(c.App.Writer, r.Repairs(), asJSON)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t := time.NewTicker(c.Duration("interval"))
	defer t.Stop()
	for {
		select {
		case err := <-done:
			if perr := printRepairs(c.App.Writer, r.Repairs(), asJSON); err == nil {
				err = perr
			}
			return err
		case <-t.C:
			if err := printRepairs(c.App.Writer, r.Repairs(), asJSON); err != nil {
				return err
			}
		}
	}
}

// printRepairs prints the repairs seen: one JSON object per line with --json, a table otherwise.
func printRepairs(w io.Writer, rs []repair.Status, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(struct {
			Repairs []repair.Status `json:"repairs"`
		}{rs})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUEST\tROOT\tSLOT\tSTATE\tLOST\tDEAD HOLDER\tNEW HOLDER\tFETCHED\tSTORED\tSECONDS\tERROR")
	for _, s := range rs {
		var fetched, stored int64
		var secs float64
		if s.Stats != nil {
			fetched, stored, secs = s.Stats.Fetched, s.Stats.Stored, s.Stats.Elapsed.Seconds()
		}
		what := s.Request.String()[:10]
		if s.Request == (chain.RequestID{}) {
			what = "no deal" // a file without a deal: ROOT names it
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\t%s\t%d\t%d\t%.1f\t%s\n", what, s.Root, s.Slot, s.State, s.Lost, s.Holder, s.Peer, fetched, stored, secs, s.LastError)
	}
	if len(rs) == 0 {
		fmt.Fprintln(tw, "(nothing lost)")
	}
	return tw.Flush()
}
