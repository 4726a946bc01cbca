package retrieval

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/sharding"
)

// HolderResolver finds the holders of record of each shard of a file: the nodes that hold it now,
// wherever it moved since the manifest was written. Readers, the gateway and the repairer use it;
// the manifest's placement is only a hint next to it.
type HolderResolver interface {
	// Holders returns K+M lists (some may be empty) of the nodes holding each shard of m.
	Holders(ctx context.Context, m *sharding.Manifest) ([][]sharding.Location, error)
}

// ChainHolders resolves the holders of a file with a storage deal: the providers of its slots on
// chain, by their registry entry (peer ID and addresses). Slot i of a request holds shard i.
type ChainHolders struct {
	Market    *chain.Market
	FromBlock uint64 // the marketplace's deployment block

	mu        sync.Mutex
	providers map[common.Address]chain.ProviderInfo
}

var _ HolderResolver = (*ChainHolders)(nil)

// Holders reads every unfinished request for m's root whose K and M are m's.
func (h *ChainHolders) Holders(ctx context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	ids, err := h.Market.RequestsByRoot(ctx, h.FromBlock, m.Root.Bytes())
	if err != nil {
		return nil, fmt.Errorf("requests for %s: %w", m.Root, err)
	}
	out := make([][]sharding.Location, m.K+m.M)
	for _, id := range ids {
		info, err := h.Market.Request(ctx, id)
		if err != nil {
			return nil, err
		}
		if info.Finished || int(info.K) != m.K || int(info.M) != m.M {
			continue
		}
		for i := range out {
			s, err := h.Market.Slot(ctx, id, uint64(i))
			if err != nil {
				return nil, err
			}
			if s.Provider == (common.Address{}) {
				continue
			}
			p, err := h.provider(ctx, s.Provider)
			if err != nil {
				return nil, err
			}
			if p.PeerID != "" {
				out[i] = append(out[i], sharding.Location{Peer: p.PeerID, Addrs: p.Addrs})
			}
		}
	}
	return out, nil
}

// provider reads a provider's registry entry, once per resolver.
func (h *ChainHolders) provider(ctx context.Context, a common.Address) (chain.ProviderInfo, error) {
	h.mu.Lock()
	p, ok := h.providers[a]
	h.mu.Unlock()
	if ok {
		return p, nil
	}
	p, _, err := h.Market.Provider(ctx, a)
	if err != nil {
		return p, err
	}
	h.mu.Lock()
	if h.providers == nil {
		h.providers = make(map[common.Address]chain.ProviderInfo)
	}
	h.providers[a] = p
	h.mu.Unlock()
	return p, nil
}

// DHTHolders resolves the holders of a shard from the provider records nodes announce under
// sharding.ShardKey(root, shard), for files without a deal.
type DHTHolders struct {
	Routing routing.ContentRouting
	// Timeout bounds the lookups of one file. Default 5s.
	Timeout time.Duration
	// Quiet is how long the lookups go on once every shard has a holder and no new one came:
	// a lookup that asks a dead node of the DHT would wait for its dial. Default 50ms.
	Quiet time.Duration
}

var _ HolderResolver = DHTHolders{}

// maxHoldersPerShard bounds the providers taken per shard from the DHT.
const maxHoldersPerShard = 8

// Holders looks every shard up at once, until every lookup ends, or Quiet after every shard has
// a holder and the last new one came, or Timeout.
func (d DHTHolders) Holders(ctx context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	timeout, quiet := d.Timeout, d.Quiet
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	if quiet == 0 {
		quiet = 50 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type found struct {
		shard int
		loc   sharding.Location
	}
	n := m.K + m.M
	results := make(chan found)
	ended := make(chan struct{}, n)
	for i := range n {
		go func() {
			defer func() { ended <- struct{}{} }()
			for ai := range d.Routing.FindProvidersAsync(ctx, sharding.ShardKey(m.Root, i), maxHoldersPerShard) {
				loc := sharding.Location{Peer: ai.ID.String()}
				for _, a := range ai.Addrs {
					loc.Addrs = append(loc.Addrs, a.String())
				}
				select {
				case results <- found{i, loc}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	out := make([][]sharding.Location, n)
	missing, running := n, n
	settled := time.NewTimer(time.Hour)
	defer settled.Stop()
	for running > 0 {
		select {
		case f := <-results:
			if len(out[f.shard]) == 0 {
				missing--
			}
			out[f.shard] = append(out[f.shard], f.loc)
			if missing == 0 {
				settled.Reset(quiet)
			}
		case <-ended:
			running--
		case <-settled.C:
			return out, nil
		case <-ctx.Done():
			return out, nil
		}
	}
	return out, nil
}

// Resolvers asks each resolver in turn and joins their answers; one that fails is skipped
// unless all do.
type Resolvers []HolderResolver

var _ HolderResolver = Resolvers(nil)

// Holders joins the holders of every resolver, first resolver first, without duplicates.
func (rs Resolvers) Holders(ctx context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	out := make([][]sharding.Location, m.K+m.M)
	var errs []error
	for _, r := range rs {
		hs, err := r.Holders(ctx, m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = joinLocations(out, hs)
	}
	if len(errs) == len(rs) && len(rs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// joinLocations adds to each shard's list of a the locations of b it does not name yet.
func joinLocations(a, b [][]sharding.Location) [][]sharding.Location {
	for i := range a {
		if i >= len(b) {
			break
		}
		for _, l := range b[i] {
			dup := false
			for _, have := range a[i] {
				if have.Peer == l.Peer {
					dup = true
					break
				}
			}
			if !dup && len(a[i]) < sharding.MaxReplicas {
				a[i] = append(a[i], l)
			}
		}
	}
	return a
}

// Located returns m with its placement led by the holders of record (Config.Holders), the
// manifest's own placement kept after them as hints. It waits for a lookup of the holders unless
// one ended less than holdersTTL ago. Without a resolver, or when it fails, m is returned as it is.
func (c *Client) Located(ctx context.Context, m *sharding.Manifest) *sharding.Manifest {
	return withHolders(m, c.awaitHolders(ctx, m, holdersTTL, -1))
}

// withHolders returns m with its placement led by hs (nil: m itself).
func withHolders(m *sharding.Manifest, hs [][]sharding.Location) *sharding.Manifest {
	if hs == nil {
		return m
	}
	out := *m
	out.Placement = joinLocations(joinLocations(make([][]sharding.Location, m.K+m.M), hs), m.Placement)
	return &out
}

// How the holders of record found for a file are kept: a read uses the last lookup's answer for
// holdersTTL, then starts another in the background; a read that runs out of nodes to ask looks
// again if the last lookup is older than holdersRetry, and waits for it. A lookup is bounded by
// holdersLookupTimeout, and the client keeps the holders of at most maxHolderFiles files.
const (
	holdersTTL           = time.Minute
	holdersRetry         = time.Second
	holdersLookupTimeout = 10 * time.Second
	maxHolderFiles       = 1024
)

// holderBook keeps the holders of record the client found for each file. Lookups run in the
// background, so that a read never waits for one longer than it chooses to.
type holderBook struct {
	mu    sync.Mutex
	files map[holderKey]*fileHolders
}

// holderKey names a file's shards: the same root with another K or M has other shards.
type holderKey struct {
	root string
	k, m int
}

// fileHolders is what the book knows of one file.
type fileHolders struct {
	locs    [][]sharding.Location // the last lookup's answer; nil before one ended
	at      time.Time             // when the last lookup that ended started
	pending chan struct{}         // closed when the lookup in flight ends; nil when none is
}

// lookupHolders returns the book's entry for m, having started a lookup unless one is in flight
// or one that started less than maxAge ago has ended. Call with b.mu held.
func (c *Client) lookupHolders(m *sharding.Manifest, maxAge time.Duration) *fileHolders {
	b := &c.holders
	key := holderKey{m.Root.KeyString(), m.K, m.M}
	f := b.files[key]
	if f == nil {
		if b.files == nil {
			b.files = make(map[holderKey]*fileHolders)
		}
		if len(b.files) >= maxHolderFiles {
			for k, old := range b.files { // forget one the book is not looking up
				if old.pending == nil {
					delete(b.files, k)
					break
				}
			}
		}
		f = &fileHolders{}
		b.files[key] = f
	}
	if f.pending != nil || (f.locs != nil && time.Since(f.at) < maxAge) {
		return f
	}
	done := make(chan struct{})
	f.pending = done
	started := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), holdersLookupTimeout)
		defer cancel()
		hs, err := c.cfg.Holders.Holders(ctx, m)
		if err != nil {
			c.log.Warn("resolving the holders of a file, using the manifest's placement", "root", m.Root, "err", err)
		}
		b.mu.Lock()
		if err == nil && len(hs) == m.K+m.M {
			f.locs, f.at = hs, started
		} else if f.locs == nil {
			f.locs, f.at = make([][]sharding.Location, m.K+m.M), started
		}
		f.pending = nil
		close(done)
		b.mu.Unlock()
		if err == nil {
			c.connectHolders(m, hs)
		}
	}()
	return f
}

// knownHolders returns the holders of record of m's shards known now (nil: none yet), and looks
// them up in the background if the book has none younger than holdersTTL. It never waits.
func (c *Client) knownHolders(m *sharding.Manifest) [][]sharding.Location {
	if c.cfg.Holders == nil {
		return nil
	}
	c.holders.mu.Lock()
	defer c.holders.mu.Unlock()
	return c.lookupHolders(m, holdersTTL).locs
}

// awaitHolders returns the holders of record of m's shards after a lookup younger than maxAge,
// waiting for it at most wait (negative: until it ends) and within ctx; nil without a resolver
// or when nothing is known yet.
func (c *Client) awaitHolders(ctx context.Context, m *sharding.Manifest, maxAge, wait time.Duration) [][]sharding.Location {
	if c.cfg.Holders == nil {
		return nil
	}
	c.holders.mu.Lock()
	f := c.lookupHolders(m, maxAge)
	pending := f.pending
	c.holders.mu.Unlock()
	if pending != nil && wait != 0 {
		var timeout <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-pending:
		case <-timeout:
		case <-ctx.Done():
		}
	}
	c.holders.mu.Lock()
	defer c.holders.mu.Unlock()
	return f.locs
}

// connectHolders dials, in the background, the holders of record that m's placement does not name,
// so that the reads of m find them connected; a failed dial marks the node down.
func (c *Client) connectHolders(m *sharding.Manifest, hs [][]sharding.Location) {
	named := make(map[string]bool)
	for _, locs := range m.Placement {
		for _, l := range locs {
			named[l.Peer] = true
		}
	}
	for _, locs := range hs {
		for _, l := range locs {
			if named[l.Peer] {
				continue
			}
			named[l.Peer] = true
			id, err := c.addLocation(l)
			if err != nil || id == c.cfg.Host.ID() || c.est.Down(id) || c.cfg.Host.Network().Connectedness(id) == network.Connected {
				continue
			}
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), c.cfg.DialTimeout)
				defer cancel()
				if err := c.cfg.Host.Connect(ctx, peer.AddrInfo{ID: id}); err != nil {
					c.est.MarkDown(id, c.cfg.PeerBackoff)
				}
			}()
		}
	}
}

// placement is where a read looks for m's shards: the holders of record known now first, then
// m's own placement.
func (c *Client) placement(m *sharding.Manifest) [][]sharding.Location {
	hs := c.knownHolders(m)
	if hs == nil {
		return m.Placement
	}
	return joinLocations(joinLocations(make([][]sharding.Location, m.K+m.M), hs), m.Placement)
}

// moreSources adds to plans the holders of record of m's shards that they do not name yet, after
// a lookup younger than holdersRetry (waited for, within ctx): a read that ran out of nodes to
// ask. It returns how many it added.
func (c *Client) moreSources(ctx context.Context, m *sharding.Manifest, plans []piecePlan) int {
	hs := c.awaitHolders(ctx, m, holdersRetry, -1)
	added := 0
	for i := range plans {
		if i >= len(hs) {
			break
		}
		for _, l := range hs[i] {
			id, err := c.addLocation(l)
			if err != nil || id == c.cfg.Host.ID() || slices.Contains(plans[i].peers, id) {
				continue
			}
			plans[i].peers = append(plans[i].peers, id)
			added++
		}
	}
	return added
}
