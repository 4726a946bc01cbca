package retrieval

import (
	"container/list"
	"sync"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/sharding"
)

// Defaults of the manifest cache (Config.ManifestCache, Config.ManifestCacheBytes).
const (
	defaultManifestCache      = 256
	defaultManifestCacheBytes = 64 << 20
)

// manifestCache keeps, by root, the manifests that reads succeeded with: a manifest is named by
// its content (its CID), so once it has been fetched, checked (CID, structure, root, placement) and
// has served a read whose every byte matched its leaf CID, it can be used again without asking the
// network. Nothing else enters it: a manifest that fails its checks is never kept, and one kept
// whose read fails later is dropped (its nodes may have moved), so the next read resolves again.
// It holds at most maxN manifests and maxBytes of them (estimated), the least recently used
// leaving first.
type manifestCache struct {
	maxN     int
	maxBytes int64

	mu     sync.Mutex
	bytes  int64
	lru    list.List                // of *cachedManifest, most recently used first
	byRoot map[string]*list.Element // by root (key string)
}

// cachedManifest is one manifest of the cache, with its leaves (the DAG it checked).
type cachedManifest struct {
	root   cid.Cid
	mcid   cid.Cid
	m      *sharding.Manifest
	leaves []sharding.Leaf
	size   int64 // estimated bytes held
}

func newManifestCache(maxN int, maxBytes int64) *manifestCache {
	return &manifestCache{maxN: maxN, maxBytes: maxBytes, byRoot: make(map[string]*list.Element)}
}

// get returns the manifest kept for root, if it is mcid (undefined: any); nil if none.
func (mc *manifestCache) get(root, mcid cid.Cid) *cachedManifest {
	if mc == nil {
		return nil
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	el, ok := mc.byRoot[root.KeyString()]
	if !ok {
		return nil
	}
	e := el.Value.(*cachedManifest)
	if mcid.Defined() && !mcid.Equals(e.mcid) {
		return nil
	}
	mc.lru.MoveToFront(el)
	return e
}

// add keeps m, the manifest mcid of root with the given leaves, in place of any other of root.
func (mc *manifestCache) add(root, mcid cid.Cid, m *sharding.Manifest, leaves []sharding.Leaf) {
	if mc == nil {
		return
	}
	e := &cachedManifest{root: root, mcid: mcid, m: m, leaves: leaves, size: manifestBytes(m, leaves)}
	if e.size > mc.maxBytes/4 { // one huge file does not flush every other
		return
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if el, ok := mc.byRoot[root.KeyString()]; ok {
		mc.remove(el)
	}
	mc.byRoot[root.KeyString()] = mc.lru.PushFront(e)
	mc.bytes += e.size
	for mc.lru.Len() > mc.maxN || mc.bytes > mc.maxBytes {
		mc.remove(mc.lru.Back())
	}
}

// drop forgets the manifest kept for root if it is mcid.
func (mc *manifestCache) drop(root, mcid cid.Cid) {
	if mc == nil {
		return
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if el, ok := mc.byRoot[root.KeyString()]; ok && el.Value.(*cachedManifest).mcid.Equals(mcid) {
		mc.remove(el)
	}
}

// remove takes el out of the cache. The caller holds mc.mu.
func (mc *manifestCache) remove(el *list.Element) {
	e := mc.lru.Remove(el).(*cachedManifest)
	delete(mc.byRoot, e.root.KeyString())
	mc.bytes -= e.size
}

// manifestBytes estimates the memory a kept manifest holds: its piece hashes, DAG blocks, leaves
// (the manifest's and the cache's copy) and placement.
func manifestBytes(m *sharding.Manifest, leaves []sharding.Leaf) int64 {
	const leafBytes = 16 + 8 + 40 // offsets, the CID's string header and bytes
	n := int64(512)
	for _, s := range m.Segments {
		n += 24 + 32*int64(len(s))
	}
	for _, b := range m.DAG {
		n += 24 + int64(len(b))
	}
	for _, b := range m.Blocks {
		n += 64 + int64(len(b.Data))
	}
	n += leafBytes * int64(len(m.Stream)+len(leaves))
	for _, locs := range m.Placement {
		for _, l := range locs {
			n += 64 + int64(len(l.Peer))
			for _, a := range l.Addrs {
				n += 16 + int64(len(a))
			}
		}
	}
	for _, r := range m.SlotRoots {
		n += 24 + int64(len(r))
	}
	return n
}
