package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/schollz/progressbar/v3"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/retrieval"
)

var bootstrapFlag = &ucli.StringSliceFlag{
	Name:    "bootstrap",
	Usage:   "multiaddr (with /p2p/ID) of a node to join through; default: the nodes in HOME/devnet.json",
	EnvVars: []string{"DSTORE_BOOTSTRAP"},
}

// clientEnv is what a client command runs on: a libp2p host, the DHT and a retrieval client.
type clientEnv struct {
	client *retrieval.Client
	close  func()
	// estimates is the file that keeps the client's measurements of the nodes between runs.
	estimates string
}

// newLogger logs to stderr at --log-level, naming the subsystem (none for a library that names
// itself).
func newLogger(c *ucli.Context, name string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.String("log-level"))); err != nil {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(c.App.ErrWriter, opts)
	if c.String("log-format") == "json" {
		h = slog.NewJSONHandler(c.App.ErrWriter, opts)
	}
	l := slog.New(h)
	if name == "" { // the library names its own subsystem
		return l
	}
	return l.With("subsystem", name)
}

func mustMultiaddrs(ss []string) []ma.Multiaddr {
	var out []ma.Multiaddr
	for _, s := range ss {
		if a, err := ma.NewMultiaddr(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// bootstrapPeers returns the --bootstrap peers, else the devnet's nodes.
func bootstrapPeers(c *ucli.Context) ([]peer.AddrInfo, error) {
	if bs := c.StringSlice("bootstrap"); len(bs) > 0 {
		var addrs []ma.Multiaddr
		for _, s := range bs {
			for _, part := range strings.Split(s, ",") {
				a, err := ma.NewMultiaddr(strings.TrimSpace(part))
				if err != nil {
					return nil, usagef("--bootstrap %q is not a multiaddr: %v", part, err)
				}
				addrs = append(addrs, a)
			}
		}
		infos, err := peer.AddrInfosFromP2pAddrs(addrs...)
		if err != nil {
			return nil, usagef("--bootstrap: %v", err)
		}
		return infos, nil
	}
	f, err := devnet.ReadFile(c.String("home"))
	if err != nil {
		return nil, err
	}
	return f.AddrInfos()
}

// newClientEnv joins the network as the client of HOME; signer (nil: none) signs its upload tickets.
func newClientEnv(c *ucli.Context, signer retrieval.TicketSigner) (*clientEnv, error) {
	return clientEnvWith(c, signer, nil)
}

// clientEnvWith joins the network as the client of HOME, with signer (nil: none) for its upload
// tickets and pay (nil: reads are not paid) for its reads.
func clientEnvWith(c *ucli.Context, signer retrieval.TicketSigner, pay *retrieval.PayConfig) (*clientEnv, error) {
	peers, err := bootstrapPeers(c)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(c.String("home"), estimatesFile)
	holders, closeChain := homeChainHolders(c.Context, c.String("home"))
	env, err := dialNetworkWith(c.Context, c.String("home"), peers, newLogger(c, "client"), loadEstimates(path), signer, dialOptions{pay: pay, holders: holders})
	if err != nil {
		closeChain()
		return nil, err
	}
	env.closeAlso(closeChain)
	env.estimates = path
	return env, nil
}

// homeChainHolders is the resolver of the holders of record on the chain HOME/chain.json names:
// the providers of a file's slots, where a shard repaired onto another node is found whatever
// the manifest's placement says, with the function that closes its connection. Without a chain it is nil.
func homeChainHolders(ctx context.Context, home string) (retrieval.HolderResolver, func()) {
	if home == "" {
		return nil, func() {}
	}
	ep, err := chain.ReadEndpoint(filepath.Join(home, chain.EndpointFile))
	if err != nil {
		return nil, func() {}
	}
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		return nil, func() {}
	}
	m, err := chain.NewMarket(ctx, b, ep.Marketplace, nil)
	if err != nil {
		b.Close()
		return nil, func() {}
	}
	return &retrieval.ChainHolders{Market: m, FromBlock: ep.Block}, b.Close
}

// closeAlso makes e's close call f after what it closed before.
func (e *clientEnv) closeAlso(f func()) {
	prev := e.close
	e.close = func() { prev(); f() }
}

// estimatesFile, in the home, keeps the client's estimates of the nodes between runs.
const estimatesFile = "estimates.json"

// loadEstimates reads the estimates kept in path; a missing or unreadable file gives an empty
// estimator (the file is a cache).
func loadEstimates(path string) *retrieval.Estimator {
	est := retrieval.NewEstimator(0)
	if b, err := os.ReadFile(path); err == nil {
		_ = est.UnmarshalJSON(b)
	}
	return est
}

// saveEstimates writes the client's estimates of the nodes back to the home, if the home exists.
func (e *clientEnv) saveEstimates() {
	if e.estimates == "" {
		return
	}
	if _, err := os.Stat(filepath.Dir(e.estimates)); err != nil {
		return
	}
	b, err := e.client.Estimator().MarshalJSON()
	if err != nil {
		return
	}
	tmp := e.estimates + ".tmp"
	if os.WriteFile(tmp, b, 0o644) == nil {
		_ = os.Rename(tmp, e.estimates)
	}
}

// dialNetwork starts the client host of home on loopback and joins the network through peers. est
// keeps the measurements of the nodes (nil: a new one); signer (nil: none) signs the client's
// upload tickets.
func dialNetwork(ctx context.Context, home string, peers []peer.AddrInfo, log *slog.Logger, est *retrieval.Estimator, signer retrieval.TicketSigner) (*clientEnv, error) {
	return dialNetworkPaying(ctx, home, peers, log, est, signer, nil, nil)
}

// dialNetworkPaying is dialNetwork for a client that pays for reads with pay (nil: free nodes
// only) and exports its read metrics to reg (nil: none); its close sends the nodes the last
// receipts first.
func dialNetworkPaying(ctx context.Context, home string, peers []peer.AddrInfo, log *slog.Logger, est *retrieval.Estimator, signer retrieval.TicketSigner, pay *retrieval.PayConfig, reg prometheus.Registerer) (*clientEnv, error) {
	return dialNetworkWith(ctx, home, peers, log, est, signer, dialOptions{pay: pay, metrics: reg})
}

// dialOptions are what a client may add to dialNetwork: payments for reads (nil: free nodes
// only), where its read metrics go (nil: nowhere), a resolver of the holders of record of shards
// (nil: the manifests' placement) and, with shardRecords, the DHT's shard records (see
// retrieval.Config).
type dialOptions struct {
	pay          *retrieval.PayConfig
	metrics      prometheus.Registerer
	holders      retrieval.HolderResolver
	shardRecords bool
}

// dialNetworkWith is dialNetwork with opts.
func dialNetworkWith(ctx context.Context, home string, peers []peer.AddrInfo, log *slog.Logger, est *retrieval.Estimator, signer retrieval.TicketSigner, opts dialOptions) (*clientEnv, error) {
	key, err := retrieval.LoadPeerKey(home)
	if err != nil {
		return nil, err
	}
	cfg := retrieval.Config{Logger: log, Estimator: est, Pay: opts.pay, Metrics: opts.metrics, Holders: opts.holders, ShardRecords: opts.shardRecords}
	if signer != nil {
		cfg.Signer = signer
	}
	client, closeClient, err := retrieval.Dial(ctx, key, peers, cfg)
	if err != nil {
		return nil, err
	}
	return &clientEnv{client: client, close: func() {
		settle(client, log)
		closeClient()
	}}, nil
}

// progress returns a byte progress bar on stderr, or nil with --quiet or when stderr is not wanted.
func progress(c *ucli.Context, total int64, what string) *progressbar.ProgressBar {
	if wantQuiet(c) {
		return nil
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(c.App.ErrWriter),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(c.App.ErrWriter) }),
		progressbar.OptionUseIECUnits(true),
	)
}

func setProgress(bar *progressbar.ProgressBar) func(int64) {
	if bar == nil {
		return nil
	}
	return func(n int64) { _ = bar.Set64(n) }
}

// printJSON writes v as indented JSON on stdout.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func fileSize(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%s is not a regular file", f.Name())
	}
	return st.Size(), nil
}

// wantJSON says whether --json was given, before or after the command name.
func wantJSON(c *ucli.Context) bool { return boolAnywhere(c, "json") }

// wantQuiet says whether --quiet was given, before or after the command name.
func wantQuiet(c *ucli.Context) bool { return boolAnywhere(c, "quiet") }

func boolAnywhere(c *ucli.Context, name string) bool {
	for _, ctx := range c.Lineage() {
		if ctx.IsSet(name) && ctx.Bool(name) {
			return true
		}
	}
	return false
}
