package cli

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	ucli "github.com/urfave/cli/v2"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
)

func nodeCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "node",
		Usage: "run a storage node",
		Subcommands: []*ucli.Command{nodeInitCommand(), {
			Name:  "run",
			Usage: "serve pieces from a repo until interrupted; with --chain, also take and prove storage deals",
			UsageText: "dstore node run --repo DIR [--listen ADDR]... [--bootstrap ADDR]...\n" +
				"   [--chain HOME/chain.json [--eth-key FILE] [--price WEI] [--deposit WEI] [--keys DIR]] [--metrics 127.0.0.1:9100] [--max-storage SIZE]\n" +
				"   [--scrub-rate 8MiB] [--scrub-interval 24h]",
			Flags: append([]ucli.Flag{
				&ucli.StringFlag{Name: "repo", Required: true, Usage: "node repository (identity key, store)", EnvVars: []string{"DSTORE_REPO"}},
				&ucli.StringSliceFlag{Name: "listen", Usage: "multiaddrs to listen on (default 127.0.0.1 TCP and QUIC, ports kept across restarts)"},
				&ucli.StringSliceFlag{Name: "announce", Usage: "multiaddrs peers should reach the node at, when not the listen addresses (behind a relay or port forward)"},
				bootstrapFlag,
				&ucli.StringFlag{Name: "chain", Usage: "chain endpoint file (HOME/chain.json, written by the devnet or `dstore chain deploy`): join the storage market"},
				&ucli.BoolFlag{Name: "repair", Usage: "with --chain, also repair the files this node holds shards of (as `dstore repair --watch` does for all): ping their holders, report a dead one's missed proofs, rebuild its shard elsewhere"},
				&ucli.IntFlag{Name: "repair-margin", Usage: "with --repair, lost shards a file may have before it is repaired (0: any; about m/2 on a real network)"},
				&ucli.DurationFlag{Name: "repair-dead-after", Value: repair.DefaultDeadAfter, Usage: "with --repair, how long a holder must fail 3 pings in a row to count dead"},
				&ucli.StringFlag{Name: "eth-key", Usage: "key file of the node's chain account, created if missing (default REPO/eth.key)"},
				&ucli.StringFlag{Name: "price", Value: "1000000000", Usage: "asked price per slot per period (wei, or with a gwei/ether suffix)"},
				&ucli.StringFlag{Name: "deposit", Value: "0", Usage: "collateral deposited at the first registration (wei, or with a gwei/ether suffix; 0: each fill deposits what it needs)"},
				&ucli.StringFlag{Name: "keys", Usage: "directory of the proving keys (default: the prover's key cache)"},
				&ucli.StringFlag{Name: "prove-turn", Usage: "lock file shared with the other provers on this machine: they prove one at a time, each with every core (the devnet's nodes share one)"},
				insecureDevnetKeysFlag,
				&ucli.StringSliceFlag{Name: "allow", Usage: "peer ID of a client this node stores for without an upload ticket (repeat; REPO/allow, one per line, adds to them)"},
				&ucli.StringFlag{Name: "upload-quota", Value: "1GiB", Usage: "bytes each chain account may have here under upload tickets that no storage request has confirmed yet"},
				&ucli.StringFlag{Name: "upload-quota-total", Usage: "bytes all accounts together may have here under unconfirmed upload tickets (default 8 times --upload-quota)"},
				&ucli.DurationFlag{Name: "upload-grace", Value: time.Hour, Usage: "how long bytes under an upload ticket are kept before they are dropped unless a storage request on chain names this node"},
				&ucli.StringFlag{Name: "metrics", Usage: "serve Prometheus metrics on this address (e.g. 127.0.0.1:9100), at /metrics"},
				&ucli.StringFlag{Name: "scrub-rate", Value: "8MiB", Usage: "bytes per second the background scrub reads to check stored pieces (e.g. 8MiB, 500KB; 0: no scrub, though a piece a read finds damaged is still repaired)"},
				&ucli.DurationFlag{Name: "scrub-interval", Value: 24 * time.Hour, Usage: "least time between two scrubs of one shard (kept across restarts)"},
				&ucli.StringFlag{Name: "max-storage", Value: "0", Usage: "the most bytes the node stores (e.g. 10GiB, 500GB; 0: no limit): pieces and manifests past it are refused, nothing stored is lost"},
			}, append(dealPolicyFlags(), retrievalFlags()...)...), // what the provider fills: cli/nodepolicy.go; reads: cli/noderetrieval.go
			Action: runNode,
		}},
	}
}

// runNode runs the node and, with --chain, its deals service next to it, until the context
// ends (SIGINT, SIGTERM) or one of them fails.
func runNode(c *ucli.Context) error {
	ctx := c.Context
	peers, err := bootstrapPeersOptional(c)
	if err != nil {
		return err
	}
	price, err := weiFlag(c, "price")
	if err != nil {
		return err
	}
	deposit, err := weiFlag(c, "deposit")
	if err != nil {
		return err
	}
	maxStorage, err := humanize.ParseBytes(c.String("max-storage"))
	if err != nil || maxStorage > math.MaxInt64 {
		return usagef("--max-storage %q is not a size (like 10GiB or 500GB)", c.String("max-storage"))
	}
	scrubRate, err := humanize.ParseBytes(c.String("scrub-rate"))
	if err != nil || scrubRate > math.MaxInt64 {
		return usagef("--scrub-rate %q is not a size per second (like 8MiB or 500KB; 0: no scrub)", c.String("scrub-rate"))
	}
	if c.Duration("scrub-interval") <= 0 {
		return usagef("--scrub-interval must be positive")
	}
	repo := c.String("repo")
	var metrics *prometheus.Registry
	var metricsLn net.Listener
	if addr := c.String("metrics"); addr != "" {
		if metricsLn, err = net.Listen("tcp", addr); err != nil {
			return fmt.Errorf("--metrics %s: %w", addr, err)
		}
		defer metricsLn.Close()
		metrics = prometheus.NewRegistry()
		metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}

	// The market side, read before the node starts: the node's account is part of its config.
	var market *chain.Market
	var ticketKey *ecdsa.PrivateKey // the node's account, which signs its repair tickets
	var ep chain.Endpoint
	var policy deals.Policy
	var escrow *chain.Escrow  // paid reads: the node's receipts are redeemed there
	var renewer deals.Renewer // permanent deals
	cfg := node.Config{Repo: repo, Listen: c.StringSlice("listen"), Announce: c.StringSlice("announce"), Bootstrap: peers, Logger: newLogger(c, "node"),
		MaxStorage: int64(maxStorage), ScrubRate: int64(scrubRate), ScrubInterval: c.Duration("scrub-interval")}
	if metrics != nil { // a nil *Registry is not a nil Registerer
		cfg.Metrics, cfg.MetricsAddr = metrics, metricsLn.Addr().String()
	}
	if scrubRate == 0 {
		cfg.ScrubRate = -1 // the flag's 0 is off; the config's 0 is the default
	}
	for _, a := range c.StringSlice("allow") {
		for _, part := range strings.Split(a, ",") {
			p, err := peer.Decode(strings.TrimSpace(part))
			if err != nil {
				return usagef("--allow %q is not a peer ID: %v", part, err)
			}
			cfg.Allow = append(cfg.Allow, p)
		}
	}
	quota, err := humanize.ParseBytes(c.String("upload-quota"))
	if err != nil || quota == 0 || quota > 1<<62 {
		return usagef("--upload-quota %q: want a size such as 1GiB or 500MB", c.String("upload-quota"))
	}
	cfg.UploadQuota, cfg.UploadGrace = int64(quota), c.Duration("upload-grace")
	if s := c.String("upload-quota-total"); s != "" {
		total, err := humanize.ParseBytes(s)
		if err != nil || total == 0 || total > 1<<62 {
			return usagef("--upload-quota-total %q: want a size such as 8GiB", s)
		}
		cfg.UploadQuotaTotal = int64(total)
	}
	if cfg.UploadGrace <= 0 {
		return usagef("--upload-grace must be positive")
	}
	if file := c.String("chain"); file != "" {
		if ep, err = chain.ReadEndpoint(file); err != nil {
			return err
		}
		keyFile := c.String("eth-key")
		if keyFile == "" {
			keyFile = filepath.Join(repo, devnet.EthKeyFile) // where the devnet funds it
		}
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil { // a new repo
			return err
		}
		key, err := chain.LoadOrCreateKey(keyFile)
		if err != nil {
			return fmt.Errorf("the node's chain account: %w", err)
		}
		ticketKey = key
		b, err := chain.Dial(ctx, ep.RPC)
		if err != nil {
			return fmt.Errorf("the chain at %s: %w", ep.RPC, err)
		}
		defer b.Close()
		if market, err = chain.NewMarket(ctx, b, ep.Marketplace, key); err != nil {
			return err
		}
		cfg.Account = chain.Address(key)
		cfg.Tickets = chain.TicketVerifier{}                                 // clients pay: their tickets are checked against the chain's accounts
		cfg.Repairs = deals.RepairSlots{Market: market, FromBlock: ep.Block} // a freed slot authorizes a repairer's upload
		if policy, err = dealPolicy(c); err != nil {
			return err
		}
		if cfg.Pricing, escrow, err = retrievalPricing(ctx, c, b, ep, key); err != nil {
			return err
		}
		if ep.Endowment != ([20]byte{}) { // the provider renews the permanent deals whose terms it holds
			end, err := chain.NewEndowment(ctx, b, ep.Endowment, key)
			if err != nil {
				return err
			}
			renewer = deals.EndowmentRenewer{Endowment: end}
		}
	} else if err := policySetWithoutChain(c); err != nil {
		return err
	} else if err := retrievalSetWithoutChain(c); err != nil {
		return err
	} else if c.IsSet("eth-key") || c.IsSet("price") || c.IsSet("deposit") || (c.IsSet("keys") && c.String("keys") != prover.KeyDir()) {
		// (DSTORE_KEYS names the prover's key cache for every command: it sets --keys to its default.)
		return usagef("--eth-key, --price, --deposit and --keys need --chain")
	} else {
		// Outside the market a slot tree is only built if a client asks for it.
		cfg.LazyTrees = true
	}

	// The scrub rebuilds a damaged piece from the holders of record on chain first.
	var started atomic.Pointer[node.Node]
	if market != nil {
		cfg.Holders = chainHolders(&retrieval.ChainHolders{Market: market, FromBlock: ep.Block}, &started)
	}
	n, err := node.New(cfg)
	if err != nil {
		return fmt.Errorf("starting the node: %w", err)
	}
	started.Store(n)
	defer n.Close()

	if metrics != nil {
		metrics.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_store_used_bytes", Help: "Bytes of pieces, manifests and trees the node holds."},
				func() float64 { used, _ := n.Usage(); return float64(used) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_store_max_bytes", Help: "The node's storage quota (--max-storage; 0: none)."},
				func() float64 { _, max := n.Usage(); return float64(max) }))
	}

	keyDir := c.String("keys")
	if keyDir == "" {
		keyDir = prover.KeyDir()
	}
	if market != nil {
		// The deployed verifier must be our key's, and a real chain's key not the devnet's.
		vk, err := loadVerifyingKeyIfAny(keyDir, n.Proofs())
		if err != nil {
			return fmt.Errorf("the verifying key in %s: %w", keyDir, err)
		}
		if err := checkVerifierKey(ctx, c, market, vk, n.Proofs(), keyDir); err != nil {
			return err
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return n.Run(gctx) })
	if market != nil {
		keyLog := newLogger(c, "prover")
		prover.RouteLogs(newLogger(c, "gnark")) // prover timings at --log-level debug
		dcfg := deals.Config{
			Node: n, Market: market, FromBlock: ep.Block, Price: price, Policy: policy, Uploads: n, Logger: newLogger(c, ""), Renewer: renewer,
			Keys: func(ctx context.Context) (*prover.Keys, error) {
				return prover.LoadOrSetup(ctx, n.Proofs(), prover.WithKeyDir(keyDir), prover.WithLogger(keyLog))
			},
		}
		if deposit.Sign() > 0 {
			dcfg.Deposit = deposit
		}
		if turn := c.String("prove-turn"); turn != "" {
			dcfg.ProveTurn = func(ctx context.Context) (func(), error) { return prover.Turn(ctx, turn) }
		}
		if metrics != nil {
			dcfg.Metrics = metrics
		}
		svc, err := deals.New(dcfg)
		if err != nil {
			return err
		}
		defer svc.Close() // before the node's Close: reverse order of start
		g.Go(func() error { return svc.Run(gctx) })
		if c.Bool("repair") {
			log := newLogger(c, "")
			rc, err := retrieval.New(retrieval.Config{
				Host: n.Host(), Peers: cfg.Bootstrap, Signer: chain.TicketSigner{Key: ticketKey},
				Holders: &retrieval.ChainHolders{Market: market, FromBlock: ep.Block}, Logger: log,
			})
			if err != nil {
				return err
			}
			r, err := repair.New(repair.Config{
				Market: market, FromBlock: ep.Block, Client: rc, Logger: log,
				Margin: c.Int("repair-margin"), DeadAfter: c.Duration("repair-dead-after"),
				// The files it shares: those whose manifest it holds.
				Roots: func(root cid.Cid) bool { _, err := n.Manifest(gctx, root); return err == nil },
			})
			if err != nil {
				return err
			}
			g.Go(func() error { return r.Run(gctx) })
		}
	}
	if escrow != nil {
		r := deals.NewRedeemer(n, escrow, c.Duration("redeem-interval"), newLogger(c, "redeem"))
		g.Go(func() error { return r.Run(gctx) })
	}
	if metrics != nil {
		srv := &http.Server{
			Handler:           promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}),
			ReadHeaderTimeout: 10 * time.Second,
		}
		g.Go(func() error {
			if err := srv.Serve(metricsLn); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("metrics server: %w", err)
			}
			return nil
		})
		g.Go(func() error {
			<-gctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		})
	}
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// bootstrapPeersOptional is bootstrapPeers for a node: no --bootstrap and no devnet file is fine.
func bootstrapPeersOptional(c *ucli.Context) ([]peer.AddrInfo, error) {
	if len(c.StringSlice("bootstrap")) == 0 {
		return nil, nil
	}
	return bootstrapPeers(c)
}

// chainHolders is the node's HoldersFunc over the holders of record on chain: the providers of
// the slots of the file's deals, by the manifest the node holds.
func chainHolders(r retrieval.HolderResolver, n *atomic.Pointer[node.Node]) node.HoldersFunc {
	return func(ctx context.Context, root cid.Cid, shard int) ([]peer.AddrInfo, error) {
		nd := n.Load()
		if nd == nil {
			return nil, nil
		}
		m, err := nd.Manifest(ctx, root)
		if err != nil {
			return nil, err
		}
		hs, err := r.Holders(ctx, m)
		if err != nil || shard >= len(hs) {
			return nil, err
		}
		return node.LocationAddrs(hs[shard]), nil
	}
}
