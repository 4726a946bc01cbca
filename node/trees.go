package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// treeCacheBytes bounds the memory of the trees kept decoded in memory; more are reread from the
// store. A tree of a 4 GiB shard at devnet parameters takes about 16 MiB.
const treeCacheBytes = 64 << 20

// slotKey names one shard of one file: a slot.
type slotKey struct {
	root  cid.Cid
	shard int
}

// treeJob is a tree the worker is to build, is building, or failed to build.
type treeJob struct {
	done  chan struct{} // closed once the tree is built or has failed
	err   error         // why it failed; set before done is closed
	stale bool          // a piece was stored during the build: a failure is not kept
}

// state says whether j is over and, if so, why it failed (nil: built).
func (j *treeJob) state() (done bool, err error) {
	select {
	case <-j.done:
		return true, j.err
	default:
		return false, nil
	}
}

// treeQueue is the worker's queue of trees to build, each at most once, and the trees used
// lately. It is a slice rather than a channel so that a handler never blocks on it; it holds at
// most one entry per shard the node holds. A failed job stays, so that callers get its error,
// until the shard's manifest or one of its pieces is stored again.
type treeQueue struct {
	mu    sync.Mutex
	jobs  map[slotKey]*treeJob
	queue []slotKey
	wake  chan struct{} // holds a token while the queue may be non-empty

	cache      []cachedTree // least recently used first
	cacheBytes int64        // estimated memory of cache
}

type cachedTree struct {
	key   slotKey
	tree  *prover.Tree
	bytes int64
}

func newTreeQueue() *treeQueue {
	return &treeQueue{jobs: make(map[slotKey]*treeJob), wake: make(chan struct{}, 1)}
}

// add queues the tree of k unless it is queued or building already; a failed job is queued
// again only if retry. It returns the job of k.
func (q *treeQueue) add(k slotKey, retry bool) *treeJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	if j := q.jobs[k]; j != nil {
		if done, err := j.state(); !done || !retry || err == nil {
			return j
		}
	}
	j := &treeJob{done: make(chan struct{})}
	q.jobs[k] = j
	q.queue = append(q.queue, k)
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return j
}

// job returns the job of k, nil if there is none.
func (q *treeQueue) job(k slotKey) *treeJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.jobs[k]
}

// forgetFailed drops the failed job of k, if any, so that the next call builds the tree again.
func (q *treeQueue) forgetFailed(k slotKey) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if j := q.jobs[k]; j != nil {
		if done, err := j.state(); done && err != nil {
			delete(q.jobs, k)
		} else if !done {
			j.stale = true // the build may have read the bytes replaced: its failure says nothing
		}
	}
}

// forget drops what the queue knows of k: its failed job and its tree in memory (the shard is gone).
func (q *treeQueue) forget(k slotKey) {
	q.forgetFailed(k)
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, c := range q.cache {
		if c.key == k {
			q.cacheBytes -= c.bytes
			q.cache = append(q.cache[:i], q.cache[i+1:]...)
			return
		}
	}
}

// next pops the oldest queued job.
func (q *treeQueue) next() (slotKey, *treeJob, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.queue) > 0 {
		k := q.queue[0]
		q.queue[0] = slotKey{}
		q.queue = q.queue[1:]
		if j := q.jobs[k]; j != nil {
			if done, _ := j.state(); !done {
				return k, j, true
			}
		}
	}
	q.queue = nil
	return slotKey{}, nil, false
}

// finish ends job j of k: a built tree's job is dropped (its tree is in the store), a failed
// one stays with its error.
func (q *treeQueue) finish(k slotKey, j *treeJob, err error) {
	q.mu.Lock()
	j.err = err
	if (err == nil || j.stale) && q.jobs[k] == j {
		delete(q.jobs, k)
	}
	q.mu.Unlock()
	close(j.done)
}

// cached returns the tree of k if it is in memory.
func (q *treeQueue) cached(k slotKey) *prover.Tree {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, c := range q.cache {
		if c.key == k {
			copy(q.cache[i:], q.cache[i+1:])
			q.cache[len(q.cache)-1] = c
			return c.tree
		}
	}
	return nil
}

// remember keeps t in memory, forgetting the trees used least lately beyond treeCacheBytes.
func (q *treeQueue) remember(k slotKey, t *prover.Tree) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, c := range q.cache {
		if c.key == k {
			q.cacheBytes -= c.bytes
			q.cache = append(q.cache[:i], q.cache[i+1:]...)
			break
		}
	}
	// The kept levels hold about one node per 16 cells, twice over, of 32 bytes each.
	c := cachedTree{key: k, tree: t, bytes: int64(t.Cells())*4 + 1024}
	q.cache = append(q.cache, c)
	q.cacheBytes += c.bytes
	for q.cacheBytes > treeCacheBytes && len(q.cache) > 1 {
		q.cacheBytes -= q.cache[0].bytes
		q.cache[0] = cachedTree{}
		q.cache = q.cache[1:]
	}
}

// buildTrees is the node's one tree builder. It queues the trees missing from the store, then
// builds queued trees one at a time (each over all cores) until the node closes.
func (n *Node) buildTrees() {
	defer n.wg.Done()
	ctx := n.ctx
	var roots []cid.Cid
	var err error
	if !n.cfg.LazyTrees {
		roots, err = n.store.Roots(ctx)
	}
	if err != nil && ctx.Err() == nil {
		n.log.Warn("listing the roots to build their trees", "err", err)
	}
	for _, r := range roots {
		m, err := n.Manifest(ctx, r)
		if err != nil {
			n.log.Warn("reading a manifest to build its trees", "root", r, "err", err)
			continue
		}
		n.queueTrees(ctx, m, false)
	}
	for {
		k, j, ok := n.trees.next()
		if !ok {
			select {
			case <-n.trees.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		n.trees.finish(k, j, n.buildTree(ctx, k))
		if ctx.Err() != nil {
			return
		}
	}
}

// queueTrees queues the trees of the shards of m that the node holds whole and has no tree of.
// retry queues again the trees that failed before.
func (n *Node) queueTrees(ctx context.Context, m *sharding.Manifest, retry bool) {
	for shard := range m.K + m.M {
		held, err := n.holds(ctx, m, shard)
		if err != nil {
			n.log.Warn("checking a shard", "root", m.Root, "shard", shard, "err", err)
			continue
		}
		if !held {
			continue
		}
		if has, err := n.store.HasTree(ctx, m.Root, shard); err != nil || has {
			continue
		}
		if err := n.fits(m, shard); err != nil {
			n.log.Warn("not committing to a shard", "root", m.Root, "shard", shard, "err", err)
			continue
		}
		n.trees.add(slotKey{m.Root, shard}, retry)
	}
}

// fits reports a shard too large for the node's proof parameters.
func (n *Node) fits(m *sharding.Manifest, shard int) error {
	p := n.cfg.Proofs
	if size := m.ShardSize(); size > p.MaxSlotSize() {
		return fmt.Errorf("shard %d of %s: %w: %d bytes, %s allows %d", shard, m.Root, prover.ErrSlotTooLarge, size, p, p.MaxSlotSize())
	}
	return nil
}

// buildTree commits to shard k.shard and stores the tree.
func (n *Node) buildTree(ctx context.Context, k slotKey) error {
	if t, err := n.storedTree(ctx, k); err != nil || t != nil {
		if t != nil {
			n.trees.remember(k, t) // built before the job was queued
		}
		return err
	}
	m, err := n.Manifest(ctx, k.root)
	if err != nil {
		return err
	}
	if err := n.fits(m, k.shard); err != nil {
		n.log.Warn("not committing to a shard", "root", k.root, "shard", k.shard, "err", err)
		return err
	}
	r, err := n.ShardReader(ctx, m, k.shard)
	if err != nil {
		return err
	}
	start := time.Now()
	t, err := prover.Commit(ctx, r, n.cfg.Proofs)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("building a slot tree", "root", k.root, "shard", k.shard, "err", err)
		}
		return fmt.Errorf("tree of shard %d of %s: %w", k.shard, k.root, err)
	}
	b, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	if err := n.store.PutTree(ctx, k.root, k.shard, b); err != nil {
		return fmt.Errorf("storing the tree of shard %d of %s: %w", k.shard, k.root, err)
	}
	secs := time.Since(start).Seconds()
	n.log.Info("built a slot tree", "root", k.root, "shard", k.shard, "size", t.Size(),
		"seconds", secs, "MB/s", float64(t.Size())/1e6/max(secs, 1e-9))
	n.trees.remember(k, t)
	n.provide(sharding.ShardKey(k.root, k.shard)) // a holder of record for readers without a deal
	return nil
}

// storedTree reads the tree of k from the store: nil if there is none, or if it does not decode
// or was built for other proof parameters (it is then built again).
func (n *Node) storedTree(ctx context.Context, k slotKey) (*prover.Tree, error) {
	b, err := n.store.GetTree(ctx, k.root, k.shard)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t := new(prover.Tree)
	if err := t.UnmarshalBinary(b); err != nil {
		n.log.Warn("a stored slot tree does not decode, building it again", "root", k.root, "shard", k.shard, "err", err)
		return nil, nil
	}
	if t.Params() != n.cfg.Proofs {
		n.log.Info("a stored slot tree is for other proof parameters, building it again", "root", k.root, "shard", k.shard,
			"stored", t.Params().String(), "params", n.cfg.Proofs.String())
		return nil, nil
	}
	return t, nil
}

// lookup finds the tree of k: in memory, in the store, or being built (job). It queues the tree
// if the node holds the shard whole and nothing else has. err is ErrNotHeld when the node does
// not hold the shard, or why its tree could not be built.
func (n *Node) lookup(ctx context.Context, k slotKey) (t *prover.Tree, job *treeJob, err error) {
	if t := n.trees.cached(k); t != nil {
		return t, nil, nil
	}
	if j := n.trees.job(k); j != nil {
		if done, err := j.state(); !done {
			return nil, j, nil
		} else if err != nil {
			return nil, nil, err
		}
	}
	if t, err := n.storedTree(ctx, k); err != nil || t != nil {
		if t != nil {
			n.trees.remember(k, t)
		}
		return t, nil, err
	}
	m, err := n.Manifest(ctx, k.root)
	if err != nil {
		return nil, nil, err
	}
	held, err := n.holds(ctx, m, k.shard)
	if err != nil {
		return nil, nil, err
	}
	if !held {
		return nil, nil, fmt.Errorf("shard %d of %s: %w", k.shard, k.root, ErrNotHeld)
	}
	if err := n.fits(m, k.shard); err != nil {
		return nil, nil, err
	}
	j := n.trees.add(k, false)
	if done, err := j.state(); done && err != nil {
		return nil, nil, err
	}
	return nil, j, nil
}

// holds reports whether the node holds every piece of shard of m.
func (n *Node) holds(ctx context.Context, m *sharding.Manifest, shard int) (bool, error) {
	if shard < 0 || shard >= m.K+m.M {
		return false, nil
	}
	return n.store.HasShard(ctx, m.Root, shard, m.NumSegments())
}

// SlotTree returns the tree of shard of root, waiting (within ctx) until it is built. The error
// matches ErrNotHeld (and wire.ErrNotFound) if the node does not hold the whole shard, and
// prover.ErrSlotTooLarge if the shard is too large for Proofs(). The tree is shared: read only.
func (n *Node) SlotTree(ctx context.Context, root cid.Cid, shard int) (*prover.Tree, error) {
	k := slotKey{root, shard}
	for {
		t, j, err := n.lookup(ctx, k)
		if err != nil || t != nil {
			return t, err
		}
		select {
		case <-j.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-n.ctx.Done():
			return nil, ErrClosed
		}
	}
}

// HeldShards lists the shards of root the node holds completely, in order. The error matches
// ErrNotHeld if the node holds no manifest of root.
func (n *Node) HeldShards(ctx context.Context, root cid.Cid) ([]int, error) {
	m, err := n.Manifest(ctx, root)
	if err != nil {
		return nil, err
	}
	var held []int
	for shard := range m.K + m.M {
		ok, err := n.holds(ctx, m, shard)
		if err != nil {
			return nil, err
		}
		if ok {
			held = append(held, shard)
		}
	}
	return held, nil
}

// Manifest returns a stored manifest. The error matches ErrNotHeld if there is none.
func (n *Node) Manifest(ctx context.Context, root cid.Cid) (*sharding.Manifest, error) {
	b, err := n.store.GetManifest(ctx, root)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("manifest of %s: %w", root, ErrNotHeld)
	}
	if err != nil {
		return nil, err
	}
	m, err := sharding.UnmarshalManifest(b)
	if err != nil {
		return nil, fmt.Errorf("stored manifest of %s: %w", root, err)
	}
	return m, nil
}

// Proofs returns the proof parameters the node's trees use.
func (n *Node) Proofs() prover.Params { return n.cfg.Proofs }
