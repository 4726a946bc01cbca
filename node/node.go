package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"golang.org/x/sync/semaphore"

	"github.com/dstore-net/dstore/node/p2p"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// Config configures a node. Zero values mean the documented defaults.
type Config struct {
	// Repo holds the identity key, the store, listen.json and node.json. Required.
	Repo string
	// Listen are the multiaddrs to listen on. Default: 127.0.0.1 over TCP and QUIC, on the ports
	// chosen the last time the node ran from this repo (new ones the first time).
	Listen []string
	// Announce are the multiaddrs the node tells peers to reach it at, instead of the ones it
	// listens on: for a node behind a relay or a port forward. Default: the listen addresses.
	Announce []string
	// Bootstrap are DHT peers to join through.
	Bootstrap []peer.AddrInfo
	// StreamTimeout bounds each request, payload included. Default 60s.
	StreamTimeout time.Duration
	// ReprovideInterval is how often the node announces its roots again. Default 10 minutes.
	ReprovideInterval time.Duration
	// HeaderTimeout bounds the wait for a request's header, and the time a payload may take
	// beyond its size at MinPayloadRate. Default 5s.
	HeaderTimeout time.Duration
	// MinPayloadRate is the slowest a payload may arrive, in bytes per second: a piece of size
	// bytes must have arrived HeaderTimeout + size/MinPayloadRate after its header (within
	// StreamTimeout). Default 256 KiB/s.
	MinPayloadRate int64
	// MaxStreams bounds the requests served at once; more are answered with wire.ErrBusy. A
	// request counts once its header has arrived. Default 128.
	MaxStreams int
	// MaxStreamsPerPeer bounds the requests of one peer served at once; more are answered with
	// wire.ErrBusy. Default 32 (never more than MaxStreams).
	MaxStreamsPerPeer int
	// Limits bound the connections, streams and memory of the host, in total and per peer.
	Limits Limits
	// MaxPayloadMemory bounds the bytes of incoming pieces and manifests held in memory at once;
	// a request waits (within its deadline) for room. Default 256 MiB, and never less than one
	// wire.MaxPieceSize.
	MaxPayloadMemory int64
	// MaxStorage bounds the bytes of pieces, manifests and trees the node keeps (keys and values,
	// not badger's own overhead): a piece or manifest past it is refused with wire.ErrFull and
	// nothing stored is lost. Zero means no limit.
	MaxStorage int64
	// Proofs are the proof parameters the node builds its shard trees for. Zero means
	// prover.DevnetParams.
	Proofs prover.Params
	// Account is the node's chain account, reported to clients with every slot root; zero when
	// the node runs without a chain.
	Account [20]byte
	// LazyTrees builds a shard's tree only when it is first asked for (a slot root, openings,
	// SlotTree), not as soon as its manifest is stored. For a node outside the market: building
	// trees costs about 150 s of CPU per GiB.
	LazyTrees bool
	// Allow lists the client peers the node stores for without a ticket: the clients of a
	// storage-only network, the devnet's own client. REPO/allow adds to it (see AllowFile).
	Allow []peer.ID
	// Tickets verifies the signatures of upload tickets (the chain package's TicketVerifier).
	// Nil: the node takes no tickets and stores only for Allow.
	Tickets TicketVerifier
	// Repairs, if set, says which shards are open for repair on chain: their tickets are taken
	// from any account without counting against its quota (see RepairSlots).
	Repairs RepairSlots
	// UploadQuota bounds, per chain account, the bytes the node holds under tickets that no storage
	// request on chain has confirmed yet. Default 1 GiB.
	UploadQuota int64
	// UploadQuotaTotal bounds the unconfirmed bytes of all accounts together (accounts cost
	// nothing to make). Default 8 × UploadQuota.
	UploadQuotaTotal int64
	// UploadGrace is how long the node keeps the bytes of a ticket before dropping them unless a
	// storage request on chain confirmed them (Confirm). Default 1 hour.
	UploadGrace time.Duration
	// ScrubRate bounds the bytes per second the background scrub reads to check the node's
	// pieces against their chunk sums. Zero means DefaultScrubRate (8 MiB/s); negative turns
	// the scrub off (pieces a read finds damaged are still repaired).
	ScrubRate int64
	// ScrubInterval is the least time between two scrubs of one shard; the last scrub of each
	// shard is kept in the store, so a restart does not scrub everything again. Default 24 hours.
	ScrubInterval time.Duration
	// Holders finds the other holders of a file's shards, from which a damaged piece is rebuilt:
	// the holders of record (the CLI asks the chain). The node also asks the DHT's shard records
	// and the placement kept beside the file's manifest, after these.
	Holders HoldersFunc
	// Metrics, if set, receives the node's metrics: requests, latency and bytes by protocol,
	// refusals, pieces, disk (dstore_node_*) and the scrub's counters (dstore_scrub_*).
	Metrics prometheus.Registerer
	// MetricsAddr is where the process serves Metrics (host:port), written to node.json so that a
	// node started with port 0 can be found. Empty: none.
	MetricsAddr string
	// Pricing, when it asks a price, makes reads paid through the retrieval escrow: receipts are
	// checked with Tickets. Zero: reads are free (a storage-only network).
	Pricing Pricing
	// Logger receives the node's logs; nil means silent.
	Logger *slog.Logger
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	if c.Repo == "" {
		return errors.New("node: config: Repo is required")
	}
	for _, a := range c.Listen {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("node: config: listen address %q: %w", a, err)
		}
	}
	for _, a := range c.Announce {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("node: config: announce address %q: %w", a, err)
		}
	}
	if c.StreamTimeout < 0 || c.ReprovideInterval < 0 {
		return errors.New("node: config: timeouts must not be negative")
	}
	if c.ScrubInterval < 0 {
		return errors.New("node: config: ScrubInterval must not be negative")
	}
	if c.UploadQuota < 0 || c.UploadQuotaTotal < 0 || c.UploadGrace < 0 {
		return errors.New("node: config: UploadQuota, UploadQuotaTotal and UploadGrace must not be negative")
	}
	if c.MaxStreams < 0 || c.MaxStreamsPerPeer < 0 || c.MaxPayloadMemory < 0 || c.MaxStorage < 0 || c.MinPayloadRate < 0 || c.HeaderTimeout < 0 {
		return errors.New("node: config: MaxStreams, MaxStreamsPerPeer, MaxPayloadMemory, MaxStorage, MinPayloadRate and HeaderTimeout must not be negative")
	}
	if err := c.Limits.Validate(); err != nil {
		return fmt.Errorf("node: config: %w", err)
	}
	if c.Proofs != (prover.Params{}) {
		if err := c.Proofs.Validate(); err != nil {
			return fmt.Errorf("node: config: Proofs: %w", err)
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.StreamTimeout == 0 {
		c.StreamTimeout = 60 * time.Second
	}
	if c.ReprovideInterval == 0 {
		c.ReprovideInterval = 10 * time.Minute
	}
	if c.HeaderTimeout == 0 {
		c.HeaderTimeout = 5 * time.Second
	}
	if c.MinPayloadRate == 0 {
		c.MinPayloadRate = 256 << 10
	}
	if c.MaxStreams == 0 {
		c.MaxStreams = 128
	}
	if c.MaxStreamsPerPeer == 0 {
		c.MaxStreamsPerPeer = 32
	}
	c.MaxStreamsPerPeer = min(c.MaxStreamsPerPeer, c.MaxStreams)
	c.Limits = c.Limits.withDefaults()
	if c.MaxPayloadMemory == 0 {
		c.MaxPayloadMemory = 256 << 20
	}
	if c.UploadQuota == 0 {
		c.UploadQuota = 1 << 30
	}
	if c.UploadQuotaTotal == 0 {
		c.UploadQuotaTotal = 8 * c.UploadQuota
	}
	if c.UploadGrace == 0 {
		c.UploadGrace = time.Hour
	}
	if c.ScrubRate == 0 {
		c.ScrubRate = DefaultScrubRate
	}
	if c.ScrubInterval == 0 {
		c.ScrubInterval = 24 * time.Hour
	}
	c.MaxPayloadMemory = max(c.MaxPayloadMemory, wire.MaxPieceSize, wire.MaxManifestSize)
	if c.Proofs == (prover.Params{}) {
		c.Proofs = prover.DevnetParams
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Node is a running storage provider.
type Node struct {
	given Config // as passed to New
	cfg   Config // with the defaults
	log   *slog.Logger
	host  host.Host
	rm    network.ResourceManager
	store *store.Badger
	dht   *dht.IpfsDHT
	met   *nodeMetrics // nil without Config.Metrics

	slots   *slots              // the requests being served, in total and per peer
	payload *semaphore.Weighted // bytes of request payloads held in memory
	opens   *semaphore.Weighted // slot openings being computed, one per core
	trees   *treeQueue          // shard trees to build, and the ones built lately

	allowMu   sync.RWMutex
	allow     map[peer.ID]bool // clients stored for without a ticket
	grants    *grants          // upload tickets accepted, and the allow-list's uploads
	staging   *staging         // staged uploads: their commits and their bytes
	manifests manifestCache    // manifests pieces were checked against lately
	scrub     *scrubber        // the background scrub and the pieces it found damaged
	pay       *payments        // nil: reads are free

	ctx    context.Context // lives until Close
	cancel context.CancelFunc
	once   sync.Once
	mu     sync.Mutex // guards closed and wg.Add against Close's wg.Wait
	closed bool
	wg     sync.WaitGroup
}

// track counts one more goroutine that Close waits for; false once the node is closing.
func (n *Node) track() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return false
	}
	n.wg.Add(1)
	return true
}

// Info is what a running node writes to Repo/node.json.
type Info struct {
	PeerID string   `json:"peer_id"`
	Addrs  []string `json:"addrs"`
	PID    int      `json:"pid"`
	// Metrics is where the node's Prometheus metrics are served (host:port), if anywhere.
	Metrics string `json:"metrics,omitempty"`
}

// ReadInfo reads the node.json of a repo.
func ReadInfo(repo string) (Info, error) {
	var info Info
	b, err := os.ReadFile(filepath.Join(repo, "node.json"))
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("%s: %w", filepath.Join(repo, "node.json"), err)
	}
	return info, nil
}

// New opens the repo (creating the identity key on first use), the store and the libp2p host, and
// joins the DHT. The node serves requests once New returns; Run announces what it holds.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	RouteLibraryLogs(cfg.Logger)
	given := cfg
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(cfg.Repo, 0o700); err != nil {
		return nil, err
	}
	key, err := p2p.LoadIdentity(filepath.Join(cfg.Repo, "identity.key"))
	if err != nil {
		return nil, err
	}
	listen := cfg.Listen
	if len(listen) == 0 {
		listen = savedListen(cfg.Repo)
	}
	st, err := store.OpenBadger(filepath.Join(cfg.Repo, "store"), store.WithMaxBytes(cfg.MaxStorage))
	if err != nil {
		return nil, err
	}
	rm, err := cfg.Limits.resourceManager()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("node: config: Limits: %w", err)
	}
	h, err := p2p.NewHost(p2p.HostConfig{Key: key, Listen: listen, Announce: cfg.Announce, ResourceManager: rm})
	if err != nil {
		rm.Close()
		st.Close()
		return nil, fmt.Errorf("starting the libp2p host on %v: %w", listen, err)
	}
	scrub, err := newScrubber(cfg.Metrics)
	if err != nil {
		h.Close()
		rm.Close()
		st.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Node{scrub: scrub, given: given, cfg: cfg, log: cfg.Logger, host: h, rm: rm, store: st, ctx: ctx, cancel: cancel,
		slots: newSlots(cfg.MaxStreams, cfg.MaxStreamsPerPeer), payload: semaphore.NewWeighted(cfg.MaxPayloadMemory),
		opens: semaphore.NewWeighted(int64(runtime.GOMAXPROCS(0))),
		trees: newTreeQueue()}
	if n.met, err = newNodeMetrics(cfg.Metrics, n); err != nil {
		cancel()
		scrub.unregister()
		h.Close()
		st.Close()
		return nil, err
	}
	if err := n.loadAuth(ctx); err != nil {
		cancel()
		scrub.unregister()
		n.met.unregister()
		h.Close()
		st.Close()
		return nil, err
	}
	if cfg.Pricing.Paid() {
		n.pay = newPayments(cfg.Pricing, h.ID(), cfg.Tickets)
	}
	n.registerHandlers()
	n.track()
	go n.buildTrees()
	n.track()
	go n.dropUnconfirmed()
	n.track()
	go n.runScrub()
	if n.dht, err = p2p.NewDHT(ctx, h, true, cfg.Bootstrap); err != nil {
		n.Close()
		return nil, err
	}
	if err := n.saveListen(); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// savedListen returns the addresses the node listened on last time, or the loopback defaults.
func savedListen(repo string) []string {
	var addrs []string
	if b, err := os.ReadFile(filepath.Join(repo, "listen.json")); err == nil && json.Unmarshal(b, &addrs) == nil && len(addrs) > 0 {
		return addrs
	}
	return []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
}

func (n *Node) saveListen() error {
	var addrs []string
	for _, a := range n.host.Network().ListenAddresses() {
		addrs = append(addrs, a.String())
	}
	b, _ := json.Marshal(addrs)
	return os.WriteFile(filepath.Join(n.cfg.Repo, "listen.json"), b, 0o644)
}

// Run announces the node's roots on the DHT, writes node.json and serves until ctx is done.
func (n *Node) Run(ctx context.Context) error {
	info := Info{PeerID: n.host.ID().String(), PID: os.Getpid(), Metrics: n.cfg.MetricsAddr}
	for _, a := range n.Addrs() {
		info.Addrs = append(info.Addrs, a.String())
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	tmp := filepath.Join(n.cfg.Repo, "node.json.tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(n.cfg.Repo, "node.json")); err != nil {
		return err
	}
	used, quota := n.store.Usage()
	n.log.Info("node listening", "peer", info.PeerID, "addrs", info.Addrs, "stored_bytes", used, "max_storage", quota)
	t := time.NewTicker(n.cfg.ReprovideInterval)
	defer t.Stop()
	n.reprovide(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-n.ctx.Done():
			return nil
		case <-t.C:
			n.reprovide(ctx)
		}
	}
}

func (n *Node) reprovide(ctx context.Context) {
	roots, err := n.store.Roots(ctx)
	if err != nil {
		n.log.Warn("listing roots", "err", err)
		return
	}
	for _, r := range roots {
		n.provide(r)
		held, err := n.HeldShards(ctx, r)
		if err != nil {
			continue
		}
		for _, shard := range held {
			n.provide(sharding.ShardKey(r, shard))
		}
	}
}

// Close stops the node: the DHT, the host, the tree builder and the handlers, then the store.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		n.mu.Lock()
		n.closed = true
		n.mu.Unlock()
		n.cancel()
		if n.dht != nil {
			n.dht.Close()
		}
		err = n.host.Close()
		n.rm.Close()
		n.wg.Wait()
		n.scrub.unregister()
		n.met.unregister()
		if e := n.store.Close(); err == nil {
			err = e
		}
	})
	return err
}

// ID returns the node's peer ID.
func (n *Node) ID() peer.ID { return n.host.ID() }

// Config returns the configuration the node was started with, as given to New.
func (n *Node) Config() Config { return n.given }

// Repo returns the directory the node keeps its identity and store in.
func (n *Node) Repo() string { return n.cfg.Repo }

// Host returns the node's libp2p host.
func (n *Node) Host() host.Host { return n.host }

// Usage reports the bytes the node's store holds and its quota (Config.MaxStorage, 0: none).
func (n *Node) Usage() (used, max int64) { return n.store.Usage() }

// Store returns the node's store.
func (n *Node) Store() *store.Badger { return n.store }

// Addrs returns the node's full addresses, /p2p/ID included.
func (n *Node) Addrs() []ma.Multiaddr {
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	return addrs
}

func protocolID(s string) protocol.ID { return protocol.ID(s) }
