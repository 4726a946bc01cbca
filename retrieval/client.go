package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// Config configures a Client. Zero values mean the documented defaults.
type Config struct {
	// Host is the libp2p host the client dials from. Required.
	Host host.Host
	// Routing finds providers of a root CID (the DHT). Optional: without it only Peers are asked.
	Routing routing.ContentRouting
	// Peers are known storage nodes: candidates for placement and asked for manifests.
	Peers []peer.AddrInfo
	// ReadAhead is how many segments a read fetches ahead of the one being written. Default 2.
	ReadAhead int
	// HedgeAfter is the least a read waits for a piece before it hedges: a fetch is hedged (one
	// more piece asked for) when it runs past its node's P95 estimate, but never sooner than
	// HedgeAfter. Default 50ms.
	HedgeAfter time.Duration
	// Estimator measures the nodes this client reads from. Nil means a new one, kept for the
	// client's lifetime; share one between clients, or persist it, to keep the measurements.
	Estimator *Estimator
	// DialTimeout bounds each dial of a storage node. Default 5s.
	DialTimeout time.Duration
	// UploadQueue is how many segments each shard's upload queue holds. Default 1.
	UploadQueue int
	// UploadPipeline is how many pieces an upload sends to each node at once. Default 2.
	UploadPipeline int
	// Retries is how often a piece upload is retried on the same node before the shard moves to a
	// spare node. Default 1.
	Retries int
	// PeerBackoff is how long a node whose dial failed is first skipped by reads; it doubles with
	// every further failure in a row, up to 10 minutes. Default 30s.
	PeerBackoff time.Duration
	// Signer signs an upload ticket for each node and shard of an upload, with the paying chain
	// account (chain.TicketSigner). Nil: the client sends no tickets, and stores only on nodes
	// whose allow-list holds its peer ID.
	Signer TicketSigner
	// TicketLifetime is how long an upload ticket lets a node take writes. Default 6 hours.
	TicketLifetime time.Duration
	// Holders finds the holders of record of a file's shards (the slot hosts on chain, the
	// DHT's shard records); the manifest's placement is then only a hint. Nil: the placement.
	// Lookups run in the background: a read starts with what is known (see HoldersWait), takes
	// the holders a lookup finds from its next segment on, and waits for a lookup only when none
	// of the nodes it knows can give it a segment. A file's holders are looked up again after a
	// minute.
	Holders HolderResolver
	// ShardRecords adds, after Holders, the holders found on Routing under sharding.ShardKey (the
	// provider records nodes announce for each shard they hold): the holders of files without a
	// deal. Each lookup waits up to 2 s for a record of each shard. Dial turns it on.
	ShardRecords bool
	// HoldersWait is how long resolving a manifest (Manifest, Get, Open) waits for a lookup of
	// its holders of record before it returns the manifest's placement led by the holders known.
	// Default 0: it does not wait, so a slow or missing DHT never delays a read's first byte.
	// Located waits for the lookup.
	HoldersWait time.Duration
	// ManifestCache is how many manifests the client keeps, one per root, after a read with them
	// succeeded, so that later reads of the same file (Open, ReadRange, Get, Manifest) skip the
	// manifest fetch: a manifest is named by its content and checked before its read, so it
	// cannot go stale; one whose read fails later is dropped. Default 256; negative: none.
	ManifestCache int
	// ManifestCacheBytes bounds the memory of the kept manifests (an estimate of their piece
	// hashes, DAG and leaves); a manifest larger than a quarter of it is not kept. Default 64 MiB.
	ManifestCacheBytes int64
	// Logger receives the client's logs; nil means silent.
	Logger *slog.Logger
	// Metrics, if set, receives the client's read metrics (dstore_client_*): segment reads,
	// decodes, hedges, failed fetches, time to first byte.
	Metrics prometheus.Registerer
	// Wire configures the protocol client (deadlines).
	Wire []wire.ClientOption
	// Pay, if set, pays the nodes that price their reads, out of the client's retrieval escrow
	// (see Payments). Nil reads only from free nodes.
	Pay *PayConfig
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	if c.Host == nil {
		return errors.New("retrieval: config: Host is required")
	}
	if c.ReadAhead < 0 || c.UploadQueue < 0 || c.UploadPipeline < 0 || c.Retries < 0 || c.HoldersWait < 0 || c.ManifestCacheBytes < 0 {
		return errors.New("retrieval: config: ReadAhead, UploadQueue, UploadPipeline, Retries, HoldersWait and ManifestCacheBytes must not be negative")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.ReadAhead == 0 {
		c.ReadAhead = 2
	}
	if c.HedgeAfter == 0 {
		c.HedgeAfter = 50 * time.Millisecond
	}
	if c.Estimator == nil {
		c.Estimator = NewEstimator(0)
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = 5 * time.Second
	}
	if c.UploadQueue == 0 {
		c.UploadQueue = 1
	}
	if c.UploadPipeline == 0 {
		c.UploadPipeline = 2
	}
	if c.Retries == 0 {
		c.Retries = 1
	}
	if c.PeerBackoff == 0 {
		c.PeerBackoff = 30 * time.Second
	}
	if c.TicketLifetime == 0 {
		c.TicketLifetime = 6 * time.Hour
	}
	if c.ManifestCache == 0 {
		c.ManifestCache = defaultManifestCache
	}
	if c.ManifestCacheBytes == 0 {
		c.ManifestCacheBytes = defaultManifestCacheBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// TicketSigner signs the bytes of an upload ticket (wire.Ticket.SigningBytes) for the account that
// pays for the upload.
type TicketSigner interface {
	// Account is the paying account, whose key signs.
	Account() [20]byte
	SignTicket(msg []byte) ([]byte, error)
}

// Client uploads files to storage nodes and reads them back.
type Client struct {
	cfg  Config
	wire *wire.Client
	log  *slog.Logger

	est        *Estimator
	pay        *Payments      // nil: reads only from free nodes
	dataBufs   bufPool        // segments being read
	parityBufs bufPool        // parity pieces of a segment being decoded
	met        *clientMetrics // nil without Config.Metrics
	holders    holderBook     // the holders of record found for each file
	manifests  *manifestCache // nil: none kept (Config.ManifestCache negative)
	board      *fetchBoard    // the piece fetches in flight and the last ones ended
	warming    warmSet        // the nodes a read's warm-up is dialing or pinging
}

// New returns a client.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	for _, ai := range cfg.Peers {
		cfg.Host.Peerstore().AddAddrs(ai.ID, ai.Addrs, time.Hour)
	}
	if cfg.ShardRecords && cfg.Routing != nil {
		records := DHTHolders{Routing: cfg.Routing, Timeout: 2 * time.Second}
		if cfg.Holders == nil {
			cfg.Holders = records
		} else {
			cfg.Holders = Resolvers{cfg.Holders, records}
		}
	}
	c := &Client{cfg: cfg, log: cfg.Logger, est: cfg.Estimator, board: newFetchBoard()}
	if cfg.ManifestCache > 0 {
		c.manifests = newManifestCache(cfg.ManifestCache, cfg.ManifestCacheBytes)
	}
	met, err := newClientMetrics(cfg.Metrics)
	if err != nil {
		return nil, fmt.Errorf("retrieval: registering the metrics: %w", err)
	}
	c.met = met
	opts := cfg.Wire
	if cfg.Pay != nil {
		pay, err := newPayments(*cfg.Pay, cfg.Estimator)
		if err != nil {
			return nil, err
		}
		c.pay = pay
		opts = append(append([]wire.ClientOption(nil), opts...), wire.WithPayer(pay))
	}
	c.wire = wire.NewClient(cfg.Host, opts...)
	if c.pay != nil {
		c.pay.wire = c.wire
	}
	return c, nil
}

// Payments returns the client's payments for reads (nil without Config.Pay).
func (c *Client) Payments() *Payments { return c.pay }

// Estimator returns the estimator that measures the nodes this client reads from.
func (c *Client) Estimator() *Estimator { return c.est }

// addLocation teaches the peerstore the address hints of a manifest location and returns its peer ID.
func (c *Client) addLocation(loc sharding.Location) (peer.ID, error) {
	id, err := peer.Decode(loc.Peer)
	if err != nil {
		return "", fmt.Errorf("manifest names a malformed peer ID %q: %w", loc.Peer, err)
	}
	for _, s := range loc.Addrs {
		if ai, err := peer.AddrInfoFromString(s); err == nil && ai.ID == id {
			c.cfg.Host.Peerstore().AddAddrs(id, ai.Addrs, time.Hour)
		} else if a, err := ma.NewMultiaddr(s); err == nil {
			c.cfg.Host.Peerstore().AddAddrs(id, []ma.Multiaddr{a}, time.Hour)
		}
	}
	return id, nil
}

// byLatency sorts peers nearest first, by the host's latency estimate; unknown latencies go last in
// their original order.
func (c *Client) byLatency(ps []peer.ID) {
	lat := func(p peer.ID) time.Duration {
		if d := c.cfg.Host.Peerstore().LatencyEWMA(p); d > 0 {
			return d
		}
		return time.Hour
	}
	sort.SliceStable(ps, func(i, j int) bool { return lat(ps[i]) < lat(ps[j]) })
}

// dialed is the outcome of dialing the i-th peer of a dialAll.
type dialed struct {
	i  int
	ok bool
}

// dialAll dials every peer at once, each within DialTimeout, and sends each outcome on the
// returned channel. The channel holds them all, so a caller may stop reading at any time.
func (c *Client) dialAll(ctx context.Context, peers []peer.AddrInfo) <-chan dialed {
	results := make(chan dialed, len(peers))
	for i, ai := range peers {
		go func() {
			cctx, cancel := context.WithTimeout(ctx, c.cfg.DialTimeout)
			defer cancel()
			results <- dialed{i, c.cfg.Host.Connect(cctx, ai) == nil}
		}()
	}
	return results
}

// connectGrace is how long storageNodes waits for more nodes once it has the number it wants.
const connectGrace = 200 * time.Millisecond

// storageNodes returns the known nodes that accept a connection, nearest first, but those of
// exclude. It returns once every node has answered, or connectGrace after want of them have
// connected.
func (c *Client) storageNodes(ctx context.Context, want int, exclude map[peer.ID]bool) []peer.AddrInfo {
	seen := make(map[peer.ID]bool)
	var cands []peer.AddrInfo
	add := func(ai peer.AddrInfo) {
		if ai.ID == c.cfg.Host.ID() || seen[ai.ID] || exclude[ai.ID] {
			return
		}
		seen[ai.ID] = true
		cands = append(cands, ai)
	}
	for _, ai := range c.cfg.Peers {
		add(ai)
	}
	for _, p := range c.cfg.Host.Network().Peers() {
		if protos, err := c.cfg.Host.Peerstore().SupportsProtocols(p, wire.ProtoStorePiece); err == nil && len(protos) > 0 {
			add(c.cfg.Host.Peerstore().PeerInfo(p))
		}
	}
	// Dial them all at once. Once want have connected, the others get connectGrace more: a dead
	// node, whose dial can take its whole timeout, does not hold up the upload.
	results := c.dialAll(ctx, cands)
	ok := make([]bool, len(cands))
	var grace <-chan time.Time
	connected := 0
wait:
	for range cands {
		select {
		case r := <-results:
			ok[r.i] = r.ok
			if r.ok {
				connected++
				if connected == want {
					grace = time.After(connectGrace)
				}
			}
		case <-grace:
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	var live []peer.AddrInfo
	for i, ai := range cands {
		if ok[i] {
			live = append(live, ai)
		}
	}
	ids := make([]peer.ID, len(live))
	for i := range live {
		ids[i] = live[i].ID
	}
	c.byLatency(ids)
	out := make([]peer.AddrInfo, len(ids))
	for i, id := range ids {
		out[i] = c.cfg.Host.Peerstore().PeerInfo(id)
	}
	return out
}

// manifestParallelism bounds the peers asked for a manifest at once, and
// manifestHeadStart is how long the DHT's providers are asked alone before the
// known peers join in: a dead bootstrap node can hold a DHT lookup for seconds.
const (
	manifestParallelism = 4
	manifestHeadStart   = 250 * time.Millisecond
	maxSentManifests    = 2 * manifestParallelism // manifests kept that came with offers not yet taken
)

// offer is a manifest a peer says it holds.
type offer struct {
	p    peer.ID
	mcid cid.Cid
}

// errSkip wraps why a candidate manifest was not used; resolve then tries the next one.
type errSkip struct{ err error }

func (e errSkip) Error() string { return e.err.Error() }
func (e errSkip) Unwrap() error { return e.err }

// Manifest resolves root to its manifest: the first candidate the network offers that matches its
// CID, validates, is the manifest of root and names a node for every shard. Candidates that fail
// are skipped, each with a logged reason.
func (c *Client) Manifest(ctx context.Context, root cid.Cid) (*sharding.Manifest, error) {
	return c.ManifestOf(ctx, root, cid.Undef)
}

// ManifestOf is Manifest restricted to the manifest whose CID is mcid (none: any), as a storage
// request on chain or the user names it.
func (c *Client) ManifestOf(ctx context.Context, root, mcid cid.Cid) (*sharding.Manifest, error) {
	m, _, err := c.manifestOf(ctx, root, mcid)
	return m, err
}

// manifestOf is ManifestOf, also returning the CID of the manifest found. A manifest a read of root
// succeeded with before is taken from the cache, with the holders of record known now leading its
// placement, as a fetched one's do.
func (c *Client) manifestOf(ctx context.Context, root, mcid cid.Cid) (*sharding.Manifest, cid.Cid, error) {
	if e := c.manifests.get(root, mcid); e != nil {
		return c.fromCache(ctx, e), e.mcid, nil
	}
	var (
		found *sharding.Manifest
		fcid  cid.Cid
	)
	err := c.resolve(ctx, root, mcid, nil, func(m *sharding.Manifest, mc cid.Cid) error {
		found, fcid = m, mc
		return nil
	})
	return found, fcid, err
}

// fromCache returns the kept manifest of e, its placement led by the holders of record known now
// (a copy: the caller may change its fields).
func (c *Client) fromCache(ctx context.Context, e *cachedManifest) *sharding.Manifest {
	m := withHolders(e.m, c.awaitHolders(ctx, e.m, holdersTTL, c.cfg.HoldersWait))
	if m == e.m {
		cp := *m
		m = &cp
	}
	return m
}

// readWith notes the outcome of a read of root with manifest mcid, which the network offered and
// which passed fetchManifest's checks: after a read succeeded the manifest is kept, after one failed
// (not cancelled, not out of range) it is dropped. leaves are m's (nil: computed if needed).
func (c *Client) readWith(ctx context.Context, root, mcid cid.Cid, m *sharding.Manifest, leaves []sharding.Leaf, err error) {
	if c.manifests == nil || !mcid.Defined() {
		return
	}
	if err != nil {
		var re *RangeError
		if ctx.Err() == nil && !errors.As(err, &re) {
			c.manifests.drop(root, mcid)
		}
		return
	}
	if e := c.manifests.get(root, mcid); e != nil {
		return
	}
	if leaves == nil {
		var lerr error
		if leaves, lerr = m.Leaves(); lerr != nil {
			return
		}
	}
	c.manifests.add(root, mcid, m, leaves)
}

// manifestHedgeBytes is the size a manifest fetch's P95 is taken for (Estimator.P95): a manifest
// of a file of a few GiB.
const manifestHedgeBytes = 64 << 10

// resolve calls use with each candidate manifest of root (only mcid if it is defined), checked
// against its CID and validated, in the order the network offers them, until use returns nil or
// an error that is not an errSkip. done holds the manifests used before, or whose content is
// invalid (nil: none); they are not tried again, and resolve adds to it.
//
// Candidates are fetched one at a time, hedged as piece fetches are: when a fetch runs past its
// node's P95 estimate (never sooner than HedgeAfter), the next candidate is fetched beside it;
// the first to arrive is used, the other cancelled, and a loser cancelled past its P95 bounds its
// node's next answers from below (Estimator.Late), so that the reads that follow avoid it.
func (c *Client) resolve(ctx context.Context, root, mcid cid.Cid, done map[string]bool, use func(*sharding.Manifest, cid.Cid) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	offers, asked, sent := c.offers(ctx, root, mcid)
	if done == nil {
		done = make(map[string]bool)
	}
	type fetched struct {
		o   offer
		m   *sharding.Manifest
		err error
	}
	type running struct {
		cancel context.CancelFunc
		start  time.Time
	}
	var (
		tried     = make(map[offer]bool)
		pending   []offer // offered, not fetched yet, in the order offered
		inflight  = make(map[offer]running)
		cancelled = make(map[offer]bool) // fetches cancelled for a winner: offered again after it
		results   = make(chan fetched)
		last      error
		used      int // candidates handed to use
	)
	fetch := func(o offer) {
		fctx, fcancel := context.WithCancel(ctx)
		inflight[o] = running{fcancel, time.Now()}
		go func() {
			defer fcancel()
			var m *sharding.Manifest
			var err error
			if got, ok := sent(o); ok {
				m, err = c.checkManifest(fctx, o.p, root, o.mcid, got)
			} else {
				m, err = c.fetchManifest(fctx, o.p, root, o.mcid)
			}
			select {
			case results <- fetched{o, m, err}:
			case <-ctx.Done():
			}
		}()
	}
	next := func() (offer, bool) {
		for len(pending) > 0 {
			o := pending[0]
			pending = pending[1:]
			if !done[o.mcid.KeyString()] {
				return o, true
			}
		}
		return offer{}, false
	}
	hedge := time.NewTimer(time.Hour)
	defer hedge.Stop()
loop:
	for {
		if len(inflight) == 0 {
			if o, ok := next(); ok {
				fetch(o)
			} else if offers == nil {
				break
			}
		}
		// One hedge at a time: when the one fetch in flight passes its P95 and another candidate
		// is known.
		var hedgeC <-chan time.Time
		if len(inflight) == 1 && len(pending) > 0 {
			for o, r := range inflight {
				hedge.Reset(time.Until(r.start.Add(max(c.est.P95(o.p, manifestHedgeBytes), c.cfg.HedgeAfter))))
			}
			hedgeC = hedge.C
		}
		select {
		case o, ok := <-offers:
			if !ok {
				offers = nil
				continue
			}
			if !tried[o] && !done[o.mcid.KeyString()] {
				tried[o] = true
				pending = append(pending, o)
			}
		case <-hedgeC:
			if o, ok := next(); ok {
				c.log.Debug("hedging a slow manifest fetch", "root", root, "manifest", o.mcid, "peer", o.p)
				fetch(o)
			}
		case r := <-results:
			delete(inflight, r.o)
			if cancelled[r.o] {
				delete(cancelled, r.o)
				pending = append(pending, r.o) // skipped by next if its manifest was used
				continue
			}
			if r.err != nil {
				if ctx.Err() != nil {
					break loop
				}
				c.log.Warn("skipping a manifest", "root", root, "manifest", r.o.mcid, "peer", r.o.p, "reason", r.err)
				last = r.err
				if errors.Is(r.err, sharding.ErrInvalidManifest) && !errors.Is(r.err, sharding.ErrNoPlacement) {
					done[r.o.mcid.KeyString()] = true // its content is invalid wherever it comes from
				}
				continue
			}
			if done[r.o.mcid.KeyString()] {
				continue
			}
			for o, run := range inflight { // the losers
				cancelled[o] = true
				run.cancel()
				c.noteLoser(o.p, &boardFetch{peer: o.p, start: run.start}, 0, manifestHedgeBytes)
			}
			done[r.o.mcid.KeyString()] = true
			used++
			err := use(r.m, r.o.mcid)
			var skip errSkip
			if !errors.As(err, &skip) {
				return err
			}
			c.log.Info("skipping a manifest whose read failed", "root", root, "manifest", r.o.mcid, "peer", r.o.p, "reason", skip.err)
			last = skip.err
		case <-ctx.Done():
			break loop
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	what := "manifest"
	if mcid.Defined() {
		what = "manifest " + mcid.String()
	}
	if used == 1 && last != nil { // the one manifest there is: its own error says best what failed
		return last
	}
	if last != nil {
		return fmt.Errorf("%w: no %s of %s could be used (asked %d peers; last reason: %w)", ErrManifestNotFound, what, root, asked(), last)
	}
	return fmt.Errorf("%w: no peer offered a %s of %s (asked %d peers)", ErrManifestNotFound, what, root, asked())
}

// fetchManifest fetches manifest mcid from p and checks it (checkManifest).
func (c *Client) fetchManifest(ctx context.Context, p peer.ID, root, mcid cid.Cid) (*sharding.Manifest, error) {
	b, err := c.wire.GetManifest(ctx, p, mcid)
	if err != nil {
		return nil, err
	}
	m, got, err := decodeManifest(p, b)
	if err != nil {
		return nil, err
	}
	if !got.Equals(mcid) {
		return nil, fmt.Errorf("peer %s sent manifest %s for %s", p, got, mcid)
	}
	return c.checkManifest(ctx, p, root, mcid, m)
}

// decodeManifest decodes the manifest bytes p sent and computes their CID. Its error does not wrap
// sharding.ErrInvalidManifest: bytes that do not decode were never shown to be any manifest's, so
// they are p's fault and not a manifest's (resolve skips a manifest whose own content is invalid,
// and a stranger's junk sent for a real manifest CID would make it skip that manifest).
func decodeManifest(p peer.ID, b []byte) (*sharding.Manifest, cid.Cid, error) {
	m, err := sharding.UnmarshalManifest(b)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("peer %s sent bytes that are not a manifest: %v", p, err)
	}
	mcid, err := m.CID()
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("peer %s sent bytes that are not a manifest: %v", p, err)
	}
	return m, mcid, nil
}

// manifestFrom fetches the manifest p holds of root (wire.ManifestOf) and returns it with its CID.
// The answer's time to first byte seeds the estimate of a node never measured, as a ping would:
// the read that follows need not ping the node that sent its manifest before it fetches there.
func (c *Client) manifestFrom(ctx context.Context, p peer.ID, root cid.Cid) (*sharding.Manifest, cid.Cid, error) {
	b, ttfb, err := c.wire.ManifestOf(ctx, p, root)
	if err != nil {
		return nil, cid.Undef, err
	}
	m, mcid, err := decodeManifest(p, b)
	if err != nil {
		return nil, cid.Undef, err
	}
	if !c.est.Known(p) {
		c.est.SeedRTT(p, ttfb)
	}
	return m, mcid, nil
}

// checkManifest checks manifest mcid of root, which p sent and whose CID is mcid: its root and its
// placement.
func (c *Client) checkManifest(ctx context.Context, p peer.ID, root, mcid cid.Cid, m *sharding.Manifest) (*sharding.Manifest, error) {
	if !m.Root.Equals(root) {
		return nil, fmt.Errorf("%w: manifest %s is the manifest of %s", sharding.ErrInvalidManifest, mcid, m.Root)
	}
	if err := m.CheckPlacement(); err != nil {
		// A node that took a shard from a repair holds the manifest without a placement: the
		// holders of record stand in for it if they name a node for every shard.
		if errors.Is(err, sharding.ErrNoPlacement) && c.cfg.Holders != nil {
			located := c.Located(ctx, m)
			if located.CheckPlacement() == nil && !slices.ContainsFunc(located.Placement, func(l []sharding.Location) bool { return len(l) == 0 }) {
				return located, nil
			}
		}
		return nil, fmt.Errorf("peer %s: manifest %s: %w", p, mcid, err)
	}
	return withHolders(m, c.awaitHolders(ctx, m, holdersTTL, c.cfg.HoldersWait)), nil
}

// offers asks the DHT's providers of root and, after a short head start, the known peers too, a
// few at a time, for the manifest they hold of root, or which ones (an older node), or, with mcid
// defined, offers mcid from each of them. The channel closes once every peer has answered; asked
// reports how many were asked, and sent returns, once, the manifest that came with an offer, its
// CID checked (nil: fetch it).
func (c *Client) offers(ctx context.Context, root, mcid cid.Cid) (_ <-chan offer, asked func() int, sent func(offer) (*sharding.Manifest, bool)) {
	out := make(chan offer)
	var (
		mu    sync.Mutex
		tried = map[peer.ID]bool{c.cfg.Host.ID(): true}
		n     int
		wg    sync.WaitGroup
		slots = make(chan struct{}, manifestParallelism)
		got   = make(map[offer]*sharding.Manifest)
	)
	asked = func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
	sent = func(o offer) (*sharding.Manifest, bool) {
		mu.Lock()
		defer mu.Unlock()
		m, ok := got[o]
		delete(got, o)
		return m, ok
	}
	list := func(p peer.ID) {
		defer wg.Done()
		defer func() { <-slots }()
		cids := []cid.Cid{mcid}
		if !mcid.Defined() {
			// The manifest itself, in one round trip; an older node only lists the CIDs it holds.
			m, mc, err := c.manifestFrom(ctx, p, root)
			if err == nil && !m.Root.Equals(root) {
				err = fmt.Errorf("%w: peer %s sent manifest %s of %s", sharding.ErrInvalidManifest, p, mc, m.Root)
			}
			if err == nil {
				// Kept until resolve takes the offer, a few at most: a manifest may be large,
				// and an offer without one is fetched by its CID.
				mu.Lock()
				if len(got) < maxSentManifests {
					got[offer{p, mc}] = m
				}
				mu.Unlock()
				cids = []cid.Cid{mc}
			} else if errors.Is(err, wire.ErrUnsupported) {
				cids, err = c.wire.ListManifests(ctx, p, root)
			}
			if err != nil {
				if ctx.Err() == nil {
					c.log.Debug("asking for the manifests of a root", "root", root, "peer", p, "err", err)
				}
				return
			}
		}
		for _, mc := range cids {
			select {
			case out <- offer{p, mc}:
			case <-ctx.Done():
				return
			}
		}
	}
	// ask starts asking p unless it was asked before; it waits for a free slot.
	ask := func(p peer.ID) bool {
		mu.Lock()
		if tried[p] {
			mu.Unlock()
			return true
		}
		tried[p] = true
		n++
		mu.Unlock()
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		wg.Add(1)
		go list(p)
		return true
	}
	go func() {
		defer close(out)
		defer wg.Wait()
		var dht <-chan peer.AddrInfo
		if c.cfg.Routing != nil {
			fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
			defer fcancel()
			dht = c.cfg.Routing.FindProvidersAsync(fctx, root, 20)
		}
		headStart := time.NewTimer(manifestHeadStart)
		defer headStart.Stop()
		// The known peers connected now are asked at once: a dead one, which the head start is
		// for, is not connected. The DHT's lookup costs round trips of its own before it names
		// a provider, and these peers are often the providers it would name.
		var known []peer.AddrInfo
		for _, ai := range c.cfg.Peers {
			if c.cfg.Host.Network().Connectedness(ai.ID) != network.Connected {
				known = append(known, ai)
			} else if !ask(ai.ID) {
				return
			}
		}
		for dht != nil || known != nil {
			var knownReady <-chan time.Time
			if known != nil && (dht == nil || headStart == nil) {
				knownReady = closedTime
			} else if known != nil {
				knownReady = headStart.C
			}
			select {
			case ai, ok := <-dht:
				if !ok {
					dht = nil
					continue
				}
				c.cfg.Host.Peerstore().AddAddrs(ai.ID, ai.Addrs, time.Hour)
				if !ask(ai.ID) {
					dht, known = nil, nil
				}
			case <-knownReady:
				headStart = nil
				for _, ai := range known {
					if !ask(ai.ID) {
						break
					}
				}
				known = nil
			case <-ctx.Done():
				dht, known = nil, nil
			}
		}
	}()
	return out, asked, sent
}

// get reads root into w with the first candidate manifest whose read succeeds. A candidate whose
// read fails before the first byte is written (its pieces do not verify, its nodes do not answer)
// is skipped for the next one.
func (c *Client) get(ctx context.Context, root cid.Cid, w io.Writer, opts GetOptions) (*sharding.Manifest, *GetStats, error) {
	var (
		used  *sharding.Manifest
		st    *GetStats
		final bool
	)
	use := func(m *sharding.Manifest, mcid cid.Cid) error {
		if opts.Resolved != nil {
			opts.Resolved(m)
		}
		cw := &countingWriter{w: w}
		s, err := c.Read(ctx, m, cw, opts)
		c.readWith(ctx, root, mcid, m, nil, err)
		used, st = m, s
		if err != nil && cw.n == 0 && ctx.Err() == nil {
			return errSkip{err}
		}
		final = true // read, or failed after writing: no other manifest can take over
		return err
	}
	done := make(map[string]bool)
	// The manifest a read succeeded with before, if the options allow it, before the network's.
	if e := c.manifests.get(root, opts.Manifest); e != nil && (opts.Manifest.Defined() || len(opts.Prefer) == 0 || slices.ContainsFunc(opts.Prefer, e.mcid.Equals)) {
		// Not marked done: the network may hold the same manifest with another placement.
		err := use(c.fromCache(ctx, e), e.mcid)
		var skip errSkip
		if !errors.As(err, &skip) {
			return used, st, err
		}
		c.log.Info("the kept manifest's read failed, asking the network", "root", root, "manifest", e.mcid, "reason", skip.err)
	}
	if !opts.Manifest.Defined() {
		for _, mc := range opts.Prefer {
			err := c.resolve(ctx, root, mc, done, use)
			if err == nil || ctx.Err() != nil || final {
				return used, st, err
			}
			c.log.Warn("the manifest a storage request names cannot be used, trying others", "root", root, "manifest", mc, "err", err)
		}
	}
	err := c.resolve(ctx, root, opts.Manifest, done, use)
	if used == nil && err != nil {
		return nil, nil, err
	}
	return used, st, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (cw *countingWriter) Write(b []byte) (int, error) {
	n, err := cw.w.Write(b)
	cw.n += int64(n)
	return n, err
}

// closedTime is a channel that is always ready.
var closedTime = func() <-chan time.Time {
	c := make(chan time.Time)
	close(c)
	return c
}()
