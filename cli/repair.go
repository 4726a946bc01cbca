package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
)

// repairCommand returns `dstore repair [--watch]`.
func repairCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "repair",
		Usage: "rebuild the shards of slots freed after missed proofs and hand them to new providers",
		UsageText: "dstore repair [--watch] [--json] [--margin N] [--rpc URL --market ADDR] [--eth-key FILE]\n" +
			"   (anyone may run it: the freed slot on chain authorizes the upload; the provider that refills it earns the repair reward)",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "watch", Usage: "keep following the chain and repairing until interrupted"},
			&ucli.IntFlag{Name: "margin", Usage: "lost shards a file may have before it is repaired (0: any lost shard, the devnet's; about m/2 on a real network)"},
			&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint", EnvVars: []string{"DSTORE_RPC"}},
			&ucli.StringFlag{Name: "market", Usage: "marketplace address"},
			&ucli.StringFlag{Name: "eth-key", Usage: "key file of the account that signs the repair upload tickets (default: HOME/client.key)"},
			&ucli.DurationFlag{Name: "fill-wait", Value: 5 * time.Minute, Usage: "how long a provider that took a shard has to refill its slot before another is tried"},
			&ucli.DurationFlag{Name: "interval", Value: 10 * time.Second, Usage: "with --watch, print the repairs this often"},
			&ucli.DurationFlag{Name: "timeout", Value: 10 * time.Minute, Usage: "without --watch, stop after this long"},
			bootstrapFlag,
		},
		Action: runRepair,
	}
}

func runRepair(c *ucli.Context) error {
	if c.Int("margin") < 0 {
		return usagef("--margin must not be negative")
	}
	market, ok, err := dialMarket(c, true)
	if err != nil {
		return err
	}
	if !ok {
		return usagef("no chain known: pass --rpc and --market, or start `dstore devnet` (it writes %s)", filepath.Join(c.String("home"), chain.EndpointFile))
	}
	defer market.close()
	peers, err := bootstrapPeers(c)
	if err != nil {
		return err
	}
	ro, err := chain.NewMarket(c.Context, market.Backend(), market.Contract(), nil)
	if err != nil {
		return err
	}
	log := newLogger(c, "")
	env, err := dialNetworkWith(c.Context, "", peers, newLogger(c, "client"), nil, chain.TicketSigner{Key: market.key},
		dialOptions{holders: &retrieval.ChainHolders{Market: ro, FromBlock: market.ep.Block}, shardRecords: true})
	if err != nil {
		return err
	}
	defer env.close()
	r, err := repair.New(repair.Config{
		Market: ro, FromBlock: market.ep.Block, Client: env.client, Margin: c.Int("margin"),
		FillWait: c.Duration("fill-wait"), Logger: log,
	})
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
	fmt.Fprintln(tw, "REQUEST\tSLOT\tSTATE\tLOST\tPROVIDER\tFETCHED\tSTORED\tSECONDS\tERROR")
	for _, s := range rs {
		var fetched, stored int64
		var secs float64
		if s.Stats != nil {
			fetched, stored, secs = s.Stats.Fetched, s.Stats.Stored, s.Stats.Elapsed.Seconds()
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%d\t%d\t%.1f\t%s\n", s.Request.String()[:10], s.Slot, s.State, s.Lost, s.Peer, fetched, stored, secs, s.LastError)
	}
	if len(rs) == 0 {
		fmt.Fprintln(tw, "(no slot open for repair)")
	}
	return tw.Flush()
}
