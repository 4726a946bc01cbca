package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/devnet"
)

// startDevnet starts a devnet (package devnet) and returns it running; a Config that cannot work is
// a usage error.
func startDevnet(ctx context.Context, cfg devnet.Config) (*devnet.Devnet, error) {
	d, err := devnet.New(cfg)
	if errors.Is(err, devnet.ErrInvalidConfig) {
		return nil, usagef("%s", strings.TrimPrefix(err.Error(), devnet.ErrInvalidConfig.Error()+": "))
	}
	if err != nil {
		return nil, err
	}
	if err := d.Start(ctx); err != nil { // Start stops what it started
		return nil, err
	}
	return d, nil
}

// netnsRelayCommand runs a node's relay inside its namespace (started by the devnet).
func netnsRelayCommand() *ucli.Command {
	return &ucli.Command{
		Name:            "netns-relay",
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *ucli.Context) error {
			if code := netns.RelayMain(c.Args().Slice()); code != 0 {
				return fmt.Errorf("relay exited with %d", code)
			}
			return nil
		},
	}
}

// parseDelays parses a comma-separated list of durations.
func parseDelays(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, usagef("--delay %q: want durations like 5ms,10ms", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// parseRates parses a comma-separated list of rates.
func parseRates(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		r, err := netns.ParseRate(f)
		if err != nil {
			return nil, usagef("--rate: %v", err)
		}
		out = append(out, r)
	}
	return out, nil
}

func devnetCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "devnet",
		Usage: "run a local network of storage nodes (one process each) until interrupted",
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "nodes", Value: 6, Usage: "storage nodes to start"},
			&ucli.IntFlag{Name: "k", Value: 4, Usage: "data shards the network is sized for"},
			&ucli.IntFlag{Name: "m", Value: 2, Usage: "parity shards the network is sized for"},
			&ucli.BoolFlag{Name: "no-chain", Usage: "storage only: no embedded chain, deals or proofs"},
			&ucli.DurationFlag{Name: "block-time", Value: time.Second, Usage: "block interval of the embedded chain"},
			&ucli.StringFlag{Name: "retrieval-price", Value: "0", Usage: "wei a byte every node asks for reads (get --max-price pays it out of the escrow); 0: free"},
			&ucli.BoolFlag{Name: "netns", Usage: "run each node in a network namespace of its own, on 198.18.0.0/15 (needs root)"},
			&ucli.StringFlag{Name: "delay", Usage: "with --netns: one-way delay per node, the last repeating (5ms,10ms,...)"},
			&ucli.StringFlag{Name: "rate", Usage: "with --netns: link rate per node, the last repeating (200mbit,1gbit,...; 0 = no cap)"},
			&ucli.StringFlag{Name: "gateway", Usage: "address of the devnet's HTTP gateway (default 127.0.0.1 on a free port; off: none)"},
		},
		Action: func(c *ucli.Context) error {
			home := c.String("home")
			delays, err := parseDelays(c.String("delay"))
			if err != nil {
				return err
			}
			rates, err := parseRates(c.String("rate"))
			if err != nil {
				return err
			}
			if !c.Bool("netns") && (len(delays) > 0 || len(rates) > 0) {
				return usagef("--delay and --rate need --netns")
			}
			d, err := startDevnet(c.Context, devnet.Config{
				Home: home, Nodes: c.Int("nodes"), K: c.Int("k"), M: c.Int("m"), Log: c.App.ErrWriter,
				NoChain: c.Bool("no-chain"), BlockTime: c.Duration("block-time"),
				NetNS: c.Bool("netns"), Delays: delays, Rates: rates, Gateway: c.String("gateway"),
				RetrievalPrice: c.String("retrieval-price"),
			})
			if err != nil {
				return err
			}
			defer d.Close()
			file := d.File()
			if wantJSON(c) {
				_ = printJSON(c.App.Writer, file)
			} else {
				fmt.Fprintf(c.App.Writer, "devnet: %d nodes listening, %s written\n", len(file.Nodes), filepath.Join(home, devnet.FileName))
				if file.Chain != "" {
					fmt.Fprintf(c.App.Writer, "  chain %s  marketplace %s  (%s)\n", file.RPC, file.Marketplace, file.Chain)
				}
				for _, n := range file.Nodes {
					fmt.Fprintf(c.App.Writer, "  node %d  %s  pid %d", n.Index, n.PeerID, n.PID)
					if n.Netns != nil {
						fmt.Fprintf(c.App.Writer, "  netns %s %s delay %s", n.Netns.Namespace, n.Netns.Addr, n.Netns.Delay)
						if n.Netns.Rate > 0 {
							fmt.Fprintf(c.App.Writer, " rate %dmbit", n.Netns.Rate/1e6)
						}
					}
					if n.Metrics != "" {
						fmt.Fprintf(c.App.Writer, "  metrics http://%s/metrics", n.Metrics)
					}
					fmt.Fprintln(c.App.Writer)
				}
				if file.Gateway != "" {
					fmt.Fprintf(c.App.Writer, "  gateway %s/ipfs/CID  (access log %s)\n", file.Gateway, filepath.Join(home, "gateway.log"))
					fmt.Fprintf(c.App.Writer, "  dashboard %s/dashboard\n", file.Gateway)
				}
				fmt.Fprintf(c.App.Writer, "try: dstore --home %s put FILE, then status CID and audit\n", home)
			}
			<-c.Context.Done()
			fmt.Fprintln(c.App.ErrWriter, "devnet: stopping nodes")
			return nil
		},
	}
}

func demoCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "demo",
		Usage: "start a local network and chain, put a file, make its deal, watch it proven and audited, kill nodes, watch them repaired, get it again",
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "nodes", Usage: "storage nodes (default: k+m, and m more spares for the repairs with the chain)"},
			&ucli.IntFlag{Name: "k", Value: 4},
			&ucli.IntFlag{Name: "m", Value: 2},
			&ucli.StringFlag{Name: "size", Value: "32MiB", Usage: "size of the demo file"},
			&ucli.StringFlag{Name: "dir", Usage: "where the devnet lives (default: a new temporary directory, removed at the end)"},
			&ucli.BoolFlag{Name: "no-chain", Usage: "storage only: no chain, deal, proofs or audit"},
		},
		Action: func(c *ucli.Context) error {
			size, err := humanize.ParseBytes(c.String("size"))
			if err != nil {
				return usagef("--size: %v", err)
			}
			dm, err := devnet.NewDemo(devnet.DemoConfig{Nodes: c.Int("nodes"), K: c.Int("k"), M: c.Int("m"), Size: int64(size),
				Dir: c.String("dir"), NoChain: c.Bool("no-chain"), Out: c.App.Writer, Log: c.App.ErrWriter, Logger: newLogger(c, "client")})
			if err != nil {
				return usagef("%v", err)
			}
			defer dm.Close()
			return dm.Run(c.Context)
		},
	}
}
