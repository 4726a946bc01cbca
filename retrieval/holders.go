package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
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
}

var _ HolderResolver = DHTHolders{}

// maxHoldersPerShard bounds the providers taken per shard from the DHT.
const maxHoldersPerShard = 8

// Holders looks every shard up at once.
func (d DHTHolders) Holders(ctx context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	timeout := d.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out := make([][]sharding.Location, m.K+m.M)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ai := range d.Routing.FindProvidersAsync(ctx, sharding.ShardKey(m.Root, i), maxHoldersPerShard) {
				loc := sharding.Location{Peer: ai.ID.String()}
				for _, a := range ai.Addrs {
					loc.Addrs = append(loc.Addrs, a.String())
				}
				out[i] = append(out[i], loc)
			}
		}()
	}
	wg.Wait()
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
// manifest's own placement kept after them as hints. Without a resolver, or when it fails, m is
// returned as it is.
func (c *Client) Located(ctx context.Context, m *sharding.Manifest) *sharding.Manifest {
	if c.cfg.Holders == nil {
		return m
	}
	hs, err := c.cfg.Holders.Holders(ctx, m)
	if err != nil {
		c.log.Warn("resolving the holders of a file, using the manifest's placement", "root", m.Root, "err", err)
		return m
	}
	out := *m
	out.Placement = joinLocations(joinLocations(make([][]sharding.Location, m.K+m.M), hs), m.Placement)
	return &out
}
