package devnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
	"github.com/dstore-net/dstore/retrieval/gateway"
)

// Config describes a local network of storage nodes.
type Config struct {
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
	// RetrievalPrice, if set, is the wei a byte every node asks for reads (node run
	// --retrieval-price), redeemed every few seconds; "" or "0": reads are free.
	RetrievalPrice string
	// NoRepair runs no repairer. By default a devnet with a chain runs one in this process
	// (package repair): it checks the holders of every file with a storage request and of every
	// file put from HOME without one; it reports the missed proofs of a holder that counts dead
	// (as HOME/repairer.key), which frees its slot, and rebuilds each lost shard onto a node that
	// holds none of the file.
	NoRepair bool
}

// netnsPort is the port every node listens on inside its namespace, and its relay outside.
const netnsPort = 4001

// Devnet is a local network: the embedded chain in this process and one
// `dstore node run` process per node.
type Devnet struct {
	cfg       Config
	started   bool
	closeOnce sync.Once
	mu        sync.Mutex
	procs     []*exec.Cmd
	file      *File

	sim         *simchain.Chain // nil with NoChain
	market      common.Address
	deployBlock uint64
	accounts    []common.Address // the nodes' chain accounts
	stopChain   context.CancelFunc
	chainDone   chan struct{}

	topo *netns.Topology // with NetNS

	closeGateway func() // nil without a gateway
	stopRepairer func() // nil without a repairer
	repairer     *repair.Repairer
}

// selfExe returns the dstore binary to start nodes with.
func selfExe() (string, error) {
	if exe := os.Getenv("DSTORE_EXE"); exe != "" {
		return exe, nil
	}
	return os.Executable()
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	switch {
	case c.Home == "":
		return fmt.Errorf("%w: no home directory", ErrInvalidConfig)
	case c.Nodes < 1:
		return fmt.Errorf("%w: --nodes must be at least 1", ErrInvalidConfig)
	case !c.NetNS && (len(c.Delays) > 0 || len(c.Rates) > 0):
		return fmt.Errorf("%w: --delay and --rate need --netns", ErrInvalidConfig)
	}
	return nil
}

// New checks cfg and returns the devnet, started by Start or Run; nothing runs yet.
func New(cfg Config) (*Devnet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	return &Devnet{cfg: cfg, procs: make([]*exec.Cmd, cfg.Nodes), file: &File{K: cfg.K, M: cfg.M, Nodes: make([]Node, cfg.Nodes)}}, nil
}

// Run starts the devnet (unless Start did) and keeps it running until ctx is done; Close stops it.
func (d *Devnet) Run(ctx context.Context) error {
	if !d.started {
		if err := d.Start(ctx); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}

// File is what HOME/devnet.json says of the running devnet.
func (d *Devnet) File() *File {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := *d.file
	f.Nodes = append([]Node(nil), d.file.Nodes...)
	return &f
}

// Chain is the embedded chain; nil with NoChain.
func (d *Devnet) Chain() *simchain.Chain { return d.sim }

// Topology is the network namespaces of the nodes; nil without NetNS.
func (d *Devnet) Topology() *netns.Topology { return d.topo }

// Start brings the devnet up: the chain and its contracts, the nodes (node 0 first, the others
// joining through it), the gateway, and HOME/devnet.json. On error what was started is stopped.
func (d *Devnet) Start(ctx context.Context) error {
	cfg := d.cfg
	d.started = true
	if cfg.K+cfg.M > cfg.Nodes {
		fmt.Fprintf(cfg.Log, "warning: %d nodes cannot hold %d+%d shards on distinct nodes\n", cfg.Nodes, cfg.K, cfg.M)
	}
	if err := os.MkdirAll(cfg.Home, 0o755); err != nil {
		return err
	}
	if cfg.NetNS {
		if err := d.startTopology(ctx); err != nil {
			return err
		}
	}
	if cfg.NoChain {
		// A chain file left by an earlier devnet names a chain that is gone.
		_ = os.Remove(filepath.Join(cfg.Home, chain.EndpointFile))
	} else {
		if err := d.startChain(ctx); err != nil {
			d.Close()
			return err
		}
	}
	// Node 0 first: the others join the DHT through it.
	if err := d.start(ctx, 0, nil); err != nil {
		d.Close()
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for i := 1; i < cfg.Nodes; i++ {
		g.Go(func() error { return d.start(gctx, i, d.file.Nodes[0].Addrs) })
	}
	if err := g.Wait(); err != nil {
		d.Close()
		return err
	}
	if d.sim != nil {
		if err := d.waitRegistered(ctx); err != nil {
			d.Close()
			return err
		}
	}
	if cfg.Gateway != "off" {
		if err := d.startGateway(ctx); err != nil {
			d.Close()
			return err
		}
	}
	if err := writeFile(cfg.Home, d.file); err != nil {
		d.Close()
		return err
	}
	if d.sim != nil && !cfg.NoRepair {
		if err := d.startRepairer(ctx); err != nil {
			d.Close()
			return err
		}
	}
	return nil
}

// start launches node i and waits until it listens.
func (d *Devnet) start(ctx context.Context, i int, bootstrap []string) error {
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
	args := []string{"--home", d.cfg.Home, "--log-level", "info", "node", "run", "--repo", repo}
	// The devnet's own client (HOME's peer key) may store on every node without tickets.
	client, err := retrieval.PeerID(d.cfg.Home)
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
		// Each provider serves its Prometheus metrics on a port of its own, kept across restarts;
		// the first time, a loopback node takes any free port and says which in node.json (a port
		// found free here could be taken by another process before the node listens).
		d.mu.Lock()
		metrics = d.file.Nodes[i].Metrics
		d.mu.Unlock()
		if metrics == "" && d.topo != nil {
			metrics = fmt.Sprintf("%s:9100", d.topo.Nodes[i].Addr)
		} else if metrics == "" {
			metrics = "127.0.0.1:0"
		}
		args = append(args, "--chain", d.file.Chain, "--eth-key", filepath.Join(repo, EthKeyFile), "--metrics", metrics,
			"--prove-turn", filepath.Join(d.cfg.Home, "prove.lock"))
		if p := d.cfg.RetrievalPrice; p != "" && p != "0" {
			args = append(args, "--retrieval-price", p, "--redeem-interval", "3s")
		}
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
			return fmt.Errorf("node %d exited before listening (%v); the end of %s:\n%s", i, err, logf.Name(), logTail(logf.Name()))
		case <-deadline:
			return fmt.Errorf("node %d did not listen within 60s; the end of %s:\n%s", i, logf.Name(), logTail(logf.Name()))
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		info, err := node.ReadInfo(repo)
		if err != nil || info.PID != cmd.Process.Pid {
			continue
		}
		d.mu.Lock()
		if info.Metrics != "" {
			metrics = info.Metrics
		}
		d.file.Nodes[i] = Node{Index: i, PeerID: info.PeerID, Addrs: info.Addrs, PID: cmd.Process.Pid, Repo: repo, Metrics: metrics}
		if d.topo != nil {
			n := d.topo.Nodes[i]
			d.file.Nodes[i].Netns = &Netns{Namespace: n.Namespace, Addr: n.Addr.String(),
				Delay: n.Delay.String(), Rate: n.Rate, DelayFile: n.DelayFile}
		}
		d.mu.Unlock()
		go func() { <-exited }() // reap
		return nil
	}
}

// Kill stops node i at once, as a crash would.
func (d *Devnet) Kill(i int) error {
	d.mu.Lock()
	cmd := d.procs[i]
	d.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("node %d is not running", i)
	}
	return cmd.Process.Kill()
}

// Restart starts node i again on its repo.
func (d *Devnet) Restart(ctx context.Context, i int) error {
	var bootstrap []string
	if i != 0 {
		bootstrap = d.file.Nodes[0].Addrs
	}
	if err := d.start(ctx, i, bootstrap); err != nil {
		return err
	}
	return writeFile(d.cfg.Home, d.file)
}

// startGateway serves the devnet over HTTP from this process, logging requests to HOME/gateway.log.
func (d *Devnet) startGateway(ctx context.Context) error {
	peers, err := d.file.AddrInfos()
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
	logger := slog.New(slog.NewTextHandler(logf, nil)).With("subsystem", "gateway")
	key, err := retrieval.LoadPeerKey("") // a fresh identity
	if err != nil {
		logf.Close()
		return err
	}
	var market *chain.Market
	if d.sim != nil {
		if market, err = chain.NewMarket(ctx, d.sim.Client(), d.market, nil); err != nil {
			logf.Close()
			return err
		}
	}
	// The gateway keeps its estimates of the nodes for its lifetime, and finds the holders of
	// record of shards on the chain (files with a deal) and on the DHT.
	reg := prometheus.NewRegistry() // the gateway's /metrics shows its client's reads too
	ccfg := retrieval.Config{Logger: logger, Metrics: reg}
	if market != nil {
		ccfg.Holders = &retrieval.ChainHolders{Market: market, FromBlock: d.deployBlock}
	}
	client, closeClient, err := retrieval.Dial(ctx, key, peers, ccfg)
	if err != nil {
		logf.Close()
		return fmt.Errorf("starting the devnet's gateway: %w", err)
	}
	// The dashboard: the devnet's nodes, the files put from its HOME, their deals on its chain.
	// It refreshes every Poll while watched, every IdlePoll otherwise (the defaults).
	dcfg := dashboard.Config{Client: client, Home: d.cfg.Home, Logger: logger,
		Nodes: func() ([]peer.AddrInfo, error) { return d.File().AddrInfos() }}
	if market != nil {
		dcfg.Market, dcfg.FromBlock = market, d.deployBlock
	}
	dash, err := dashboard.New(dcfg)
	if err != nil {
		closeClient()
		logf.Close()
		return err
	}
	gw, err := gateway.New(gateway.Config{
		Source: client, Listen: listen, Cache: gateway.NewMemoryCache(256 << 20), MaxConcurrentRequests: 256,
		RetrievalTimeout: 30 * time.Second, Logger: logger, Registry: reg,
		Handlers: map[string]http.Handler{"/dashboard": dash, "/dashboard/": dash},
	})
	if err == nil {
		err = gw.Listen()
	}
	if err != nil {
		closeClient()
		logf.Close()
		return fmt.Errorf("starting the devnet's gateway: %w", err)
	}
	done := make(chan struct{})
	dashCtx, stopDash := context.WithCancel(context.WithoutCancel(ctx))
	dashDone := make(chan struct{})
	go func() {
		defer close(done)
		if err := gw.Run(context.WithoutCancel(ctx)); err != nil {
			logger.Error("gateway stopped", "err", err)
		}
	}()
	go func() {
		defer close(dashDone)
		_ = dash.Run(dashCtx)
	}()
	closeGW := func() {
		stopDash()
		<-dashDone
		gw.Close()
		<-done
		closeClient()
	}
	d.closeGateway = func() { closeGW(); logf.Close() }
	d.file.Gateway = "http://" + gw.Addr()
	return nil
}

// Close stops the gateway, asks every node to stop (killing those still running after five
// seconds), then stops the chain and removes the namespaces.
func (d *Devnet) Close() {
	d.closeOnce.Do(d.close)
}

func (d *Devnet) close() {
	if d.stopRepairer != nil {
		d.stopRepairer()
		d.stopRepairer = nil
	}
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
func (d *Devnet) startTopology(ctx context.Context) error {
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
func (d *Devnet) SetDelay(i int, delay time.Duration) error {
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
	return writeFile(d.cfg.Home, d.file)
}

// logTail returns the last lines of a node's log (at most 4 KiB), for an error that says why the
// node stopped.
func logTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	const tail = 4 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > tail {
		_, _ = f.Seek(fi.Size()-tail, io.SeekStart)
	}
	b, _ := io.ReadAll(io.LimitReader(f, tail))
	return strings.TrimSpace(string(b))
}
