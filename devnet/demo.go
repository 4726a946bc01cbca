package devnet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// DemoConfig configures the demo. Zero values mean the documented defaults.
type DemoConfig struct {
	Nodes, K, M int   // default 6 nodes, 4+2 shards
	Size        int64 // of the demo file; default 32 MiB
	// Dir is where the devnet lives; "" is a new temporary directory, removed by Close.
	Dir string
	// NoChain runs storage only: no chain, deal, proofs or audit.
	NoChain bool
	Out     io.Writer    // the demo's steps; default os.Stdout
	Log     io.Writer    // the devnet's progress lines; default os.Stderr
	Logger  *slog.Logger // the clients' logs; nil is silent
}

// Demo starts a local network and chain, puts a file, makes its deal, watches it proven and
// audited, kills nodes and reads the file again: `dstore demo`.
type Demo struct {
	cfg     DemoConfig
	tempDir string
}

// NewDemo checks cfg; nothing runs until Run.
func NewDemo(cfg DemoConfig) (*Demo, error) {
	if cfg.K == 0 && cfg.M == 0 {
		cfg.K, cfg.M = 4, 2
	}
	if cfg.Nodes == 0 {
		cfg.Nodes = cfg.K + cfg.M // storage only
		if !cfg.NoChain {
			cfg.Nodes += cfg.M // and m spare nodes for the repairs
		}
	}
	if cfg.Size == 0 {
		cfg.Size = 32 << 20
	}
	if cfg.Size < 0 || cfg.K < 1 || cfg.M < 0 {
		return nil, fmt.Errorf("%w: demo: size, k and m must be positive", ErrInvalidConfig)
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Demo{cfg: cfg}, nil
}

// Close removes the temporary directory the demo made, if any.
func (dm *Demo) Close() error {
	if dm.tempDir == "" {
		return nil
	}
	err := os.RemoveAll(dm.tempDir)
	dm.tempDir = ""
	return err
}

// Run runs the demo to its end; an error says which step failed.
func (dm *Demo) Run(ctx context.Context) error {
	cfg := dm.cfg
	out := cfg.Out
	size := uint64(cfg.Size)
	dir := cfg.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "dstore-demo-"); err != nil {
			return err
		}
		dm.tempDir = dir
	}
	k, m := cfg.K, cfg.M
	step := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }

	step("starting a devnet of %d storage nodes in %s", cfg.Nodes, dir)
	t0 := time.Now()
	d, err := New(Config{Home: dir, Nodes: cfg.Nodes, K: k, M: m, Log: cfg.Log, NoChain: cfg.NoChain})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Start(ctx); err != nil {
		return err
	}
	for _, n := range d.File().Nodes {
		fmt.Fprintf(out, "    node %d  %s  pid %d\n", n.Index, n.PeerID, n.PID)
	}
	step("devnet up in %v", time.Since(t0).Round(time.Millisecond))
	var period uint64 // of the deal, in blocks
	if d.Chain() != nil {
		// Timed while the nodes are idle: after the put they build their shards' trees.
		step("timing a proof on this machine: the deal's period leaves room for the %d holders to prove in turn", k+m)
		prove, err := timeProof(ctx)
		if err != nil {
			return err
		}
		period = demoPeriod(prove, k+m)
		fmt.Fprintf(out, "    one proof in %v: periods of %d blocks\n", prove.Round(time.Millisecond), period)
	}

	src := filepath.Join(dir, "demo.bin")
	want, err := writeDemoFile(src, int64(size))
	if err != nil {
		return err
	}
	peers, err := d.File().AddrInfos()
	if err != nil {
		return err
	}
	var holders retrieval.HolderResolver // the chain's holders of record, once the deal is made
	env, err := dial(ctx, dir, peers, cfg.Logger, holders)
	if err != nil {
		return err
	}
	defer env.close()

	step("put %s (%s, %d+%d Reed-Solomon shards)", src, humanize.IBytes(size), k, m)
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	t0 = time.Now()
	res, manifest, err := env.client.Put(ctx, f, int64(size), retrieval.PutOptions{Params: sharding.Params{K: k, M: m}})
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Fprintf(out, "    CID %s  manifest %s\n    %d segments in %v (%s/s)\n", res.Root, res.Manifest, res.Segments, el.Round(time.Millisecond), humanize.IBytes(uint64(float64(size)/el.Seconds())))
	for i, locs := range res.Placement {
		fmt.Fprintf(out, "    shard %d -> %s\n", i, locs[0].Peer)
	}
	if d.File().Gateway != "" {
		fmt.Fprintf(out, "    over HTTP: %s/ipfs/%s\n", d.File().Gateway, res.Root)
	}

	get := func(what string) error {
		step("get %s (%s)", res.Root, what)
		// A new client each time: nothing is cached from the previous read.
		env, err := dial(ctx, dir, peers, cfg.Logger, holders)
		if err != nil {
			return err
		}
		defer env.close()
		h := sha256.New()
		t0 := time.Now()
		_, st, err := env.client.Get(ctx, res.Root, h, retrieval.GetOptions{})
		if err != nil {
			return err
		}
		el := time.Since(t0)
		if !bytes.Equal(h.Sum(nil), want) {
			return errors.New("the file read back differs from the one stored")
		}
		fmt.Fprintf(out, "    %s in %v (%s/s), identical to the original (sha256 %x)\n", humanize.IBytes(uint64(st.Bytes)), el.Round(time.Millisecond), humanize.IBytes(uint64(float64(st.Bytes)/el.Seconds())), want[:8])
		fmt.Fprintf(out, "    segments decoded from parity: %d of %d, failed fetches: %d\n", st.Decoded, st.Segments, st.FailedFetches)
		return nil
	}
	var chainDemo *demoChain
	if d.Chain() != nil {
		if chainDemo, err = newDemoChain(ctx, d.File(), out, period); err != nil {
			return err
		}
		// Reads find the holders of record on chain: a repaired shard on its new node.
		holders = &retrieval.ChainHolders{Market: chainDemo.client, FromBlock: chainDemo.dep.Block}
		defer chainDemo.close()
		if err := chainDemo.deal(ctx, env.client, f, manifest, res); err != nil {
			return err
		}
	}
	if err := get("all nodes up"); err != nil {
		return err
	}
	if chainDemo != nil {
		if err := chainDemo.proofs(ctx, res.Root, t0); err != nil {
			return err
		}
	}

	// Kill the nodes of the first m data shards: reads must now decode from parity.
	var killed, killedPeers []string
	var killedSlots []uint64 // a deal's slot i holds shard i
	for i := 0; i < m && i < len(res.Placement); i++ {
		for _, n := range d.File().Nodes {
			if n.PeerID == res.Placement[i][0].Peer {
				if err := d.Kill(n.Index); err != nil {
					return err
				}
				killed = append(killed, fmt.Sprintf("node %d (shard %d)", n.Index, i))
				killedPeers = append(killedPeers, n.PeerID)
				killedSlots = append(killedSlots, uint64(i))
			}
		}
	}
	killedAt := time.Now()
	step("killed %d nodes: %v", len(killed), killed)
	if err := get(fmt.Sprintf("%d nodes down", len(killed))); err != nil {
		return err
	}
	if chainDemo != nil {
		if err := chainDemo.misses(ctx, m); err != nil {
			return err
		}
		if err := chainDemo.repairs(ctx, d.Repairer(), killedPeers, killedSlots, killedAt); err != nil {
			return err
		}
		if err := get(fmt.Sprintf("%d nodes down, their shards repaired on spare nodes", len(killed))); err != nil {
			return err
		}
		// m more of the original holders: the repaired shards keep the file readable.
		var more []string
		for i := m; i < 2*m && i < len(res.Placement); i++ {
			for _, n := range d.File().Nodes {
				if n.PeerID == res.Placement[i][0].Peer {
					if err := d.Kill(n.Index); err != nil {
						return err
					}
					more = append(more, fmt.Sprintf("node %d (shard %d)", n.Index, i))
				}
			}
		}
		step("killed %d more of the original holders: %v", len(more), more)
		if err := get(fmt.Sprintf("%d original holders down, m = %d", len(killed)+len(more), m)); err != nil {
			return err
		}
		step("demo complete")
		return nil
	}

	// One more and the file is out of reach: the read must fail with one clear sentence.
	for _, n := range d.File().Nodes {
		if n.PeerID == res.Placement[m][0].Peer {
			_ = d.Kill(n.Index)
			step("killed node %d (shard %d): %d of %d shards left, %d needed", n.Index, m, k+m-m-1, k+m, k)
		}
	}
	env2, err := dial(ctx, dir, peers, cfg.Logger, holders)
	if err != nil {
		return err
	}
	defer env2.close()
	_, _, err = env2.client.Get(ctx, res.Root, io.Discard, retrieval.GetOptions{})
	var se *retrieval.SegmentError
	if !errors.As(err, &se) {
		return fmt.Errorf("expected the read to fail for lack of shards, got %v", err)
	}
	fmt.Fprintf(out, "    get fails as it should: %v\n", err)
	step("demo complete")
	return nil
}

// writeDemoFile writes size pseudo-random bytes to path and returns their SHA-256.
func writeDemoFile(path string, size int64) ([]byte, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	r := rand.NewChaCha8([32]byte{'d', 's', 't', 'o', 'r', 'e'})
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, size)); err != nil {
		return nil, err
	}
	return h.Sum(nil), f.Close()
}

// client is a retrieval client and what closes it.
type client struct {
	client *retrieval.Client
	close  func()
}

// dial joins the devnet as the client of its HOME, the peer its nodes allow.
func dial(ctx context.Context, home string, peers []peer.AddrInfo, log *slog.Logger, holders retrieval.HolderResolver) (*client, error) {
	key, err := retrieval.LoadPeerKey(home)
	if err != nil {
		return nil, err
	}
	c, closeC, err := retrieval.Dial(ctx, key, peers, retrieval.Config{Logger: log, Holders: holders})
	if err != nil {
		return nil, err
	}
	return &client{client: c, close: closeC}, nil
}
