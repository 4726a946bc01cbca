package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node/store/diskcache"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
	"github.com/dstore-net/dstore/retrieval/gateway"
)

func gatewayCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "gateway",
		Usage: "serve the network over HTTP: the IPFS trustless and path gateway, with an edge cache",
		Description: "Serves /ipfs/CID[/PATH] (files, directories, ranges, ?format=raw and ?format=car) and\n" +
			"CID.ipfs.localhost subdomains; Prometheus metrics at /metrics; a web dashboard of the nodes, the files put\n" +
			"from HOME and their deals (with HOME/chain.json) at /dashboard; one access log line per request on stderr.\n" +
			"Prints the gateway's URL on stdout once it listens.",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "TCP address to serve on (port 0: any free port)"},
			&ucli.StringFlag{Name: "cache-size", Value: "256MiB", Usage: "bytes of verified blocks kept (on disk with --cache-dir, else in memory)"},
			&ucli.StringFlag{Name: "cache-dir", Usage: "keep the cache on disk in this directory (badger), across restarts, with up to 256 MiB of it in memory"},
			&ucli.IntFlag{Name: "max-requests", Value: 256, Usage: "requests served at once; more get 429 with Retry-After"},
			&ucli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "longest wait for a response's first byte, and between two writes"},
			bootstrapFlag,
			maxPriceFlag,
			&ucli.StringFlag{Name: "eth-key", Usage: "key file of the account whose escrow pays the nodes, with --max-price (default: HOME/client.key)"},
		},
		Action: func(c *ucli.Context) error {
			size, err := humanize.ParseBytes(c.String("cache-size"))
			if err != nil {
				return usagef("--cache-size %q: %v", c.String("cache-size"), err)
			}
			peers, err := bootstrapPeers(c)
			if err != nil {
				return err
			}
			pay, err := clientPayConfig(c) // the gateway pays the nodes; its users read free
			if err != nil {
				return err
			}
			gw, closeGW, err := startGateway(c.Context, peers, gatewayOptions{Pay: pay,
				Listen: c.String("listen"), CacheSize: int64(size), CacheDir: c.String("cache-dir"), MaxRequests: c.Int("max-requests"),
				Timeout: c.Duration("timeout"), Logger: newLogger(c, "gateway"), Home: c.String("home"),
			})
			if err != nil {
				return err
			}
			defer closeGW()
			if wantJSON(c) {
				_ = printJSON(c.App.Writer, map[string]string{"gateway": "http://" + gw.Addr()})
			} else {
				fmt.Fprintf(c.App.Writer, "http://%s\n", gw.Addr())
			}
			<-c.Context.Done()
			return nil
		},
	}
}

type gatewayOptions struct {
	Listen      string
	CacheSize   int64
	CacheDir    string
	MaxRequests int
	Timeout     time.Duration
	Logger      *slog.Logger
	Pay         *retrieval.PayConfig // nil: reads from free nodes only
	// Home, when set, puts a dashboard at /dashboard: the nodes of peers, the files put from Home,
	// and their deals on the chain of Home/chain.json if there is one.
	Home string
}

// startGateway joins the network through peers and serves the gateway until the returned close
// function is called.
func startGateway(ctx context.Context, peers []peer.AddrInfo, o gatewayOptions) (*gateway.Server, func(), error) {
	// The gateway's /metrics shows its client's reads too.
	reg := prometheus.NewRegistry()
	// The gateway keeps its estimates of the nodes for its lifetime, and finds the holders of
	// record of shards on the DHT and, with HOME/chain.json, on chain.
	holders, closeChain := homeChainHolders(ctx, o.Home)
	env, err := dialNetworkWith(ctx, "", peers, o.Logger, nil, nil, dialOptions{pay: o.Pay, metrics: reg, holders: holders})
	if err != nil {
		closeChain()
		return nil, nil, err
	}
	env.closeAlso(closeChain)
	var cache gateway.Cache = gateway.NewMemoryCache(o.CacheSize)
	closeCache := func() {}
	if o.CacheDir != "" {
		disk, err := diskcache.Open(o.CacheDir, o.CacheSize)
		if err != nil {
			env.close()
			return nil, nil, err
		}
		cache = gateway.Tiered{First: gateway.NewMemoryCache(min(o.CacheSize, 256<<20)), Second: disk}
		closeCache = func() { disk.Close() }
	}
	var dash *dashboard.Dashboard
	handlers := map[string]http.Handler{}
	if o.Home != "" {
		dcfg := dashboard.Config{Client: env.client, Home: o.Home, Logger: o.Logger,
			Nodes: func() ([]peer.AddrInfo, error) { return peers, nil }}
		if ep, err := chain.ReadEndpoint(filepath.Join(o.Home, chain.EndpointFile)); err == nil {
			if b, err := chain.Dial(ctx, ep.RPC); err == nil {
				if m, err := chain.NewMarket(ctx, b, ep.Marketplace, nil); err == nil {
					dcfg.Market, dcfg.FromBlock = m, ep.Block
				}
			}
		}
		if dash, err = dashboard.New(dcfg); err != nil {
			closeCache()
			env.close()
			return nil, nil, err
		}
		handlers["/dashboard"], handlers["/dashboard/"] = dash, dash
	}
	gw, err := gateway.New(gateway.Config{
		Source: env.client, Listen: o.Listen, Cache: cache, MaxConcurrentRequests: o.MaxRequests,
		RetrievalTimeout: o.Timeout, Logger: o.Logger, Registry: reg, Handlers: handlers,
	})
	if err == nil {
		err = gw.Listen()
	}
	if err != nil {
		closeCache()
		env.close()
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := gw.Run(context.WithoutCancel(ctx)); err != nil {
			o.Logger.Error("gateway stopped", "err", err)
		}
	}()
	dashCtx, stopDash := context.WithCancel(context.WithoutCancel(ctx))
	dashDone := make(chan struct{})
	go func() {
		defer close(dashDone)
		if dash != nil {
			_ = dash.Run(dashCtx)
		}
	}()
	return gw, func() {
		stopDash()
		<-dashDone
		gw.Close()
		<-done
		closeCache()
		env.close()
	}, nil
}
