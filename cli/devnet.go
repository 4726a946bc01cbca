package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/node"
)

// devnetConfig describes a local network of storage nodes.
type devnetConfig struct {
	Home  string // devnet.json, chain.json and nodes/N repos live here
	Nodes int
	K, M  int
	Log   io.Writer // progress lines
	// NoChain runs the nodes without the embedded chain: storage only, no deals or proofs.
	NoChain bool
	// BlockTime is the embedded chain's block interval; default 1s.
	BlockTime time.Duration
	// NetNS runs each node in a network namespace of its own (package netns), with the one-way
	// Delays and the Rates (bits per second) given per node, the last value repeating.
	NetNS  bool
	Delays []time.Duration
	Rates  []int64
	// Gateway is the address the devnet's HTTP gateway listens on ("" = 127.0.0.1 on a free
	// port, "off" = none). Its access log is HOME/gateway.log.
	Gateway string
}

// netnsPort is the port every node listens on inside its namespace, and its relay outside.
const netnsPort = 4001

// devnet is a running local network: the embedded chain in this process and one
// `dstore node run` process per node.
type devnet struct {
	cfg   devnetConfig
	mu    sync.Mutex
	procs []*exec.Cmd
	file  *devnetFile

	sim       *simchain.Chain // nil with NoChain
	market    common.Address
	accounts  []common.Address // the nodes' chain accounts
	stopChain context.CancelFunc
	chainDone chan struct{}

	topo *netns.Topology // with NetNS

	closeGateway func() // nil without a gateway
}

// selfExe returns the dstore binary to start nodes with.
func selfExe() (string, error) {
	if exe := os.Getenv("DSTORE_EXE"); exe != "" {
		return exe, nil
	}
	return os.Executable()
}

func startDevnet(ctx context.Context, cfg devnetConfig) (*devnet, error) {
	if cfg.Nodes < 1 {
		return nil, usagef("--nodes must be at least 1")
	}
	if cfg.K+cfg.M > cfg.Nodes {
		fmt.Fprintf(cfg.Log, "warning: %d nodes cannot hold %d+%d shards on distinct nodes\n", cfg.Nodes, cfg.K, cfg.M)
	}
	if err := os.MkdirAll(cfg.Home, 0o755); err != nil {
		return nil, err
	}
	d := &devnet{cfg: cfg, procs: make([]*exec.Cmd, cfg.Nodes), file: &devnetFile{K: cfg.K, M: cfg.M, Nodes: make([]devnetNode, cfg.Nodes)}}
	if cfg.NetNS {
		if err := d.startTopology(ctx); err != nil {
			return nil, err
		}
	}
	if cfg.NoChain {
		// A chain file left by an earlier devnet names a chain that is gone.
		_ = os.Remove(filepath.Join(cfg.Home, chain.EndpointFile))
	} else {
		if err := d.startChain(ctx); err != nil {
			d.Stop()
			return nil, err
		}
	}
	// Node 0 first: the others join the DHT through it.
	if err := d.start(ctx, 0, nil); err != nil {
		d.Stop()
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	for i := 1; i < cfg.Nodes; i++ {
		g.Go(func() error { return d.start(gctx, i, d.file.Nodes[0].Addrs) })
	}
	if err := g.Wait(); err != nil {
		d.Stop()
		return nil, err
	}
	if d.sim != nil {
		if err := d.waitRegistered(ctx); err != nil {
			d.Stop()
			return nil, err
		}
	}
	if cfg.Gateway != "off" {
		if err := d.startGateway(ctx); err != nil {
			d.Stop()
			return nil, err
		}
	}
	if err := writeDevnetFile(cfg.Home, d.file); err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

// start launches node i and waits until it listens.
func (d *devnet) start(ctx context.Context, i int, bootstrap []string) error {
	exe, err := selfExe()
	if err != nil {
		return err
	}
	repo := filepath.Join(d.cfg.Home, "nodes", strconv.Itoa(i))
	if err := os.MkdirAll(repo, 0o755); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(repo, "node.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{"--log-level", "info", "node", "run", "--repo", repo}
	// The devnet's own client (HOME's peer key) may store on every node without tickets.
	client, err := clientPeerID(d.cfg.Home)
	if err != nil {
		return err
	}
	args = append(args, "--allow", client.String())
	if d.topo != nil {
		// The node listens inside its namespace; peers reach it through its relay on the
		// namespace's outer address, which is what it announces.
		outer := d.topo.Nodes[i].Addr
		args = append(args,
			"--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", netnsPort),
			"--listen", fmt.Sprintf("/ip4/127.0.0.1/udp/%d/quic-v1", netnsPort),
			"--announce", fmt.Sprintf("/ip4/%s/tcp/%d", outer, netnsPort),
			"--announce", fmt.Sprintf("/ip4/%s/udp/%d/quic-v1", outer, netnsPort))
	}
	var metrics string
	if d.sim != nil {
		// Each provider serves its Prometheus metrics on a port of its own, kept across restarts.
		d.mu.Lock()
		metrics = d.file.Nodes[i].Metrics
		d.mu.Unlock()
		if metrics == "" && d.topo != nil {
			metrics = fmt.Sprintf("%s:9100", d.topo.Nodes[i].Addr)
		} else if metrics == "" {
			if metrics, err = freeLoopbackAddr(); err != nil {
				return err
			}
		}
		args = append(args, "--chain", d.file.Chain, "--eth-key", filepath.Join(repo, ethKeyFile), "--metrics", metrics)
	}
	for _, b := range bootstrap {
		args = append(args, "--bootstrap", b)
	}
	cmd := exec.Command(exe, args...)
	if d.topo != nil {
		// ip execs the node in place: the process started is the node.
		cmd = d.topo.Command(i, exe, args...)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "DSTORE_EXEC_MAIN=1")
	// Own process group: a Ctrl-C on the devnet reaches the devnet, which stops its nodes in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if d.topo != nil {
		// A node outliving a killed devnet would hold its namespace: it stops with the devnet, and
		// the next devnet removes what is left.
		cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM
	}
	_ = os.Remove(filepath.Join(repo, "node.json"))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting node %d: %w", i, err)
	}
	d.mu.Lock()
	d.procs[i] = cmd
	d.mu.Unlock()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("node %d exited before listening (%v); see %s", i, err, filepath.Join(repo, "node.log"))
		case <-deadline:
			return fmt.Errorf("node %d did not listen within 60s; see %s", i, filepath.Join(repo, "node.log"))
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		info, err := node.ReadInfo(repo)
		if err != nil || info.PID != cmd.Process.Pid {
			continue
		}
		d.mu.Lock()
		d.file.Nodes[i] = devnetNode{Index: i, PeerID: info.PeerID, Addrs: info.Addrs, PID: cmd.Process.Pid, Repo: repo, Metrics: metrics}
		if d.topo != nil {
			n := d.topo.Nodes[i]
			d.file.Nodes[i].Netns = &devnetNetns{Namespace: n.Namespace, Addr: n.Addr.String(),
				Delay: n.Delay.String(), Rate: n.Rate, DelayFile: n.DelayFile}
		}
		d.mu.Unlock()
		go func() { <-exited }() // reap
		return nil
	}
}

// Kill stops node i at once, as a crash would.
func (d *devnet) Kill(i int) error {
	d.mu.Lock()
	cmd := d.procs[i]
	d.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("node %d is not running", i)
	}
	return cmd.Process.Kill()
}

// Restart starts node i again on its repo.
func (d *devnet) Restart(ctx context.Context, i int) error {
	var bootstrap []string
	if i != 0 {
		bootstrap = d.file.Nodes[0].Addrs
	}
	if err := d.start(ctx, i, bootstrap); err != nil {
		return err
	}
	return writeDevnetFile(d.cfg.Home, d.file)
}

// startGateway serves the devnet over HTTP from this process, logging requests to HOME/gateway.log.
func (d *devnet) startGateway(ctx context.Context) error {
	peers, err := d.file.addrInfos()
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(d.cfg.Home, "gateway.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	listen := d.cfg.Gateway
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	gw, closeGW, err := startGateway(ctx, peers, gatewayOptions{
		Listen: listen, CacheSize: 256 << 20, MaxRequests: 256, Timeout: 30 * time.Second,
		Logger: slog.New(slog.NewTextHandler(logf, nil)).With("subsystem", "gateway"),
	})
	if err != nil {
		logf.Close()
		return fmt.Errorf("starting the devnet's gateway: %w", err)
	}
	d.closeGateway = func() { closeGW(); logf.Close() }
	d.file.Gateway = "http://" + gw.Addr()
	return nil
}

// Stop asks every node to stop, and kills those still running after five seconds.
func (d *devnet) Stop() {
	if d.closeGateway != nil {
		d.closeGateway()
		d.closeGateway = nil
	}
	d.mu.Lock()
	procs := append([]*exec.Cmd(nil), d.procs...)
	d.mu.Unlock()
	var wg sync.WaitGroup
	for _, cmd := range procs {
		if cmd == nil || cmd.Process == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cmd.Process.Signal(syscall.SIGTERM)
			for range 50 {
				if err := cmd.Process.Signal(syscall.Signal(0)); errors.Is(err, os.ErrProcessDone) || err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			_ = cmd.Process.Kill()
		}()
	}
	wg.Wait()
	if d.sim != nil {
		d.stopChain()
		<-d.chainDone
		_ = d.sim.Close()
	}
	if d.topo != nil {
		if err := d.topo.Close(); err != nil {
			fmt.Fprintf(d.cfg.Log, "devnet: removing the network namespaces: %v\n", err)
		}
	}
}

// startTopology makes the nodes' namespaces, with a relay in each (this binary's hidden
// netns-relay command).
func (d *devnet) startTopology(ctx context.Context) error {
	exe, err := selfExe()
	if err != nil {
		return err
	}
	d.topo, err = netns.New(ctx, netns.Config{Nodes: d.cfg.Nodes, Delays: d.cfg.Delays, Rates: d.cfg.Rates,
		Ports: []int{netnsPort}, Relay: []string{exe, "netns-relay"}, RelayEnv: []string{"DSTORE_EXEC_MAIN=1"},
		Dir: filepath.Join(d.cfg.Home, "netns")})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.cfg.Log, "devnet: %d network namespaces on bridge %s (%s)\n", d.cfg.Nodes, d.topo.Bridge, d.topo.Host)
	return nil
}

// SetDelay changes node i's one-way delay while it runs (with NetNS).
func (d *devnet) SetDelay(i int, delay time.Duration) error {
	if d.topo == nil {
		return errors.New("the devnet runs without --netns")
	}
	if err := d.topo.SetDelay(i, delay); err != nil {
		return err
	}
	d.mu.Lock()
	if n := d.file.Nodes[i].Netns; n != nil {
		n.Delay = delay.String()
	}
	d.mu.Unlock()
	return writeDevnetFile(d.cfg.Home, d.file)
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
			d, err := startDevnet(c.Context, devnetConfig{
				Home: home, Nodes: c.Int("nodes"), K: c.Int("k"), M: c.Int("m"), Log: c.App.ErrWriter,
				NoChain: c.Bool("no-chain"), BlockTime: c.Duration("block-time"),
				NetNS: c.Bool("netns"), Delays: delays, Rates: rates, Gateway: c.String("gateway"),
			})
			if err != nil {
				return err
			}
			defer d.Stop()
			if wantJSON(c) {
				_ = printJSON(c.App.Writer, d.file)
			} else {
				fmt.Fprintf(c.App.Writer, "devnet: %d nodes listening, %s written\n", len(d.file.Nodes), filepath.Join(home, devnetFileName))
				if d.file.Chain != "" {
					fmt.Fprintf(c.App.Writer, "  chain %s  marketplace %s  (%s)\n", d.file.RPC, d.file.Marketplace, d.file.Chain)
				}
				for _, n := range d.file.Nodes {
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
				if d.file.Gateway != "" {
					fmt.Fprintf(c.App.Writer, "  gateway %s/ipfs/CID  (access log %s)\n", d.file.Gateway, filepath.Join(home, "gateway.log"))
				}
				fmt.Fprintf(c.App.Writer, "try: dstore --home %s put FILE, then status CID and audit\n", home)
			}
			<-c.Context.Done()
			fmt.Fprintln(c.App.ErrWriter, "devnet: stopping nodes")
			return nil
		},
	}
}

// freeLoopbackAddr returns a TCP address on 127.0.0.1 that is free right now.
func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
