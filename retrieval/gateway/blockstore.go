package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
	"golang.org/x/sync/singleflight"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// Source is what the block store reads through: a retrieval.Client.
type Source interface {
	// Manifest finds and checks the manifest of an upload by its root CID.
	Manifest(ctx context.Context, root cid.Cid) (*sharding.Manifest, error)
	// Segment returns the data bytes of segment j of the upload m describes.
	Segment(ctx context.Context, m *sharding.Manifest, j int) ([]byte, error)
}

var _ Source = (*retrieval.Client)(nil)

// Opener is what a Source may offer besides (a retrieval.Client does): ranged reads of an upload,
// which fetch a leaf from the one node of the piece holding it rather than a whole segment, so the
// first byte of a request does not wait for the segment.
type Opener interface {
	OpenManifest(ctx context.Context, m *sharding.Manifest) (*retrieval.File, error)
}

var _ Opener = (*retrieval.Client)(nil)

// UncheckedSource is what a Source may offer besides (a retrieval.Client does): segments fetched
// as a read fetches them, without checking each piece against its SHA-256. The block store checks
// every leaf it cuts from them against its CID anyway, and fetches a segment again with Segment
// when one fails.
type UncheckedSource interface {
	SegmentUnchecked(ctx context.Context, m *sharding.Manifest, j int) ([]byte, error)
}

var _ UncheckedSource = (*retrieval.Client)(nil)

// Cache keeps verified blocks by multihash. Implementations are safe for concurrent use, bound
// their own size, and return only bytes that match the key (a cache on disk checks them).
type Cache interface {
	Get(key string) ([]byte, bool)
	Add(key string, data []byte)
}

// maxUploads bounds the manifests a Blockstore keeps indexed; the oldest goes first.
const maxUploads = 256

// upload is one indexed manifest.
type upload struct {
	m      *sharding.Manifest
	ix     *sharding.BlockIndex
	leaves []sharding.Leaf // stream order

	lastSegment atomic.Int64    // the segment fetched last, to spot a sequential read
	ahead       atomic.Int64    // the last segment a read-ahead fetched (-1: none)
	file        *retrieval.File // ranged reads, if the Source is an Opener
	warming     sync.Map        // segment index -> struct{}: fetches in flight
	fills       sync.Map        // segment index -> *fill: ranged reads of a segment in flight
}

// Blockstore serves the blocks of uploads stored on the network, read-only: a block of a
// manifest it has seen comes from that manifest or from the stream segment(s) holding it, and
// any other CID is looked up as the root of an upload. Every block is checked against its CID
// before it is returned or cached; a segment fetched for one leaf warms the cache with every
// leaf it holds.
type Blockstore struct {
	src           Source
	cache         Cache
	metrics       *metrics
	log           *slog.Logger
	lookupTimeout time.Duration

	mu      sync.Mutex
	uploads map[string]*upload // by root multihash
	owner   map[string]*upload // block multihash -> an upload holding it
	order   []string           // roots, oldest first

	flight   singleflight.Group
	prefetch chan struct{} // slots for read-ahead fetches
}

// Read-ahead: once a read goes on from segment j-1 to j (or past the segment a read-ahead fetched,
// its leaves cache hits), the segments up to j+readAhead are fetched in the background, at most
// maxPrefetch at once over all reads.
const (
	readAhead   = 2
	maxPrefetch = 4
)

var _ blockstore.Blockstore = (*Blockstore)(nil)

// NewBlockstore returns a block store reading through src and keeping blocks in cache (nil: no
// cache). A lookup of an unknown CID gives up after lookupTimeout (0: 10 s).
func NewBlockstore(src Source, cache Cache, lookupTimeout time.Duration, log *slog.Logger) *Blockstore {
	if lookupTimeout == 0 {
		lookupTimeout = 10 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Blockstore{
		src: src, cache: cache, log: log, lookupTimeout: lookupTimeout, metrics: newMetrics(nil),
		uploads: map[string]*upload{}, owner: map[string]*upload{}, prefetch: make(chan struct{}, maxPrefetch),
	}
}

type offlineKey struct{}

// Offline marks ctx so that the block store answers only from what it holds (cache and indexed
// manifests), as `Cache-Control: only-if-cached` asks.
func Offline(ctx context.Context) context.Context { return context.WithValue(ctx, offlineKey{}, true) }

func isOffline(ctx context.Context) bool { v, _ := ctx.Value(offlineKey{}).(bool); return v }

// Get returns the block c, fetching it from the network if it is not cached.
func (s *Blockstore) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	data, err := s.get(ctx, c)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

func (s *Blockstore) get(ctx context.Context, c cid.Cid) ([]byte, error) {
	if !c.Defined() {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	pre := c.Prefix()
	if pre.MhType == mh.IDENTITY {
		d, err := mh.Decode(c.Hash())
		if err != nil {
			return nil, err
		}
		return d.Digest, nil
	}
	if pre.MhType != mh.SHA2_256 {
		return nil, ipld.ErrNotFound{Cid: c} // dstore stores sha2-256 blocks only
	}
	key := string(c.Hash())
	if s.cache != nil {
		if b, ok := s.cache.Get(key); ok {
			s.metrics.hit(len(b))
			s.hitAhead(ctx, c)
			return b, nil
		}
	}
	s.metrics.miss()
	u, ref, err := s.locate(ctx, c)
	if err != nil {
		return nil, err
	}
	if ref.InManifest {
		s.add(key, ref.Data)
		return ref.Data, nil
	}
	return s.leaf(ctx, u, ref, c)
}

// locate finds the upload holding c, loading c's manifest if c is no block of a known upload.
func (s *Blockstore) locate(ctx context.Context, c cid.Cid) (*upload, sharding.BlockRef, error) {
	key := string(c.Hash())
	s.mu.Lock()
	u := s.owner[key]
	s.mu.Unlock()
	if u == nil {
		if isOffline(ctx) {
			return nil, sharding.BlockRef{}, ipld.ErrNotFound{Cid: c}
		}
		v, err, _ := s.flight.Do("m"+key, func() (any, error) {
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lookupTimeout)
			defer cancel()
			t0 := time.Now()
			m, err := s.src.Manifest(lctx, c)
			if err != nil {
				return nil, err
			}
			s.log.Debug("manifest found", "root", c, "took", time.Since(t0))
			return s.index(m)
		})
		if err != nil {
			if errors.Is(err, retrieval.ErrManifestNotFound) || errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				s.log.Debug("no upload holds the block", "cid", c, "err", err)
				return nil, sharding.BlockRef{}, ipld.ErrNotFound{Cid: c}
			}
			return nil, sharding.BlockRef{}, err
		}
		u = v.(*upload)
	}
	ref, ok := u.ix.Lookup(c)
	if !ok {
		return nil, sharding.BlockRef{}, ipld.ErrNotFound{Cid: c}
	}
	return u, ref, nil
}

// index records the blocks of m, forgetting the oldest upload past maxUploads.
func (s *Blockstore) index(m *sharding.Manifest) (*upload, error) {
	ix, err := m.Index()
	if err != nil {
		return nil, err
	}
	leaves, err := m.Leaves()
	if err != nil {
		return nil, err
	}
	u := &upload{m: m, ix: ix, leaves: leaves}
	u.lastSegment.Store(-2)
	u.ahead.Store(-1)
	if o, ok := s.src.(Opener); ok {
		// The File's own context only bounds its ReadAt, which the block store does not use.
		if u.file, err = o.OpenManifest(context.Background(), m); err != nil {
			return nil, err
		}
	}
	root := string(m.Root.Hash())
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.uploads[root]; ok {
		return old, nil
	}
	if len(s.order) >= maxUploads {
		s.forget(s.order[0])
		s.order = s.order[1:]
	}
	s.uploads[root] = u
	s.order = append(s.order, root)
	ix.Each(func(k string) {
		if _, ok := s.owner[k]; !ok {
			s.owner[k] = u
		}
	})
	return u, nil
}

// forget drops an upload's blocks from the index; s.mu is held.
func (s *Blockstore) forget(root string) {
	u := s.uploads[root]
	delete(s.uploads, root)
	if u == nil {
		return
	}
	u.ix.Each(func(k string) {
		if s.owner[k] == u {
			delete(s.owner, k)
		}
	})
}

func (s *Blockstore) add(key string, data []byte) {
	if s.cache != nil {
		s.cache.Add(key, data)
	}
}

// leaf returns the stream bytes of a leaf, from the segment(s) holding them.
func (s *Blockstore) leaf(ctx context.Context, u *upload, ref sharding.BlockRef, c cid.Cid) ([]byte, error) {
	if ref.Size == 0 {
		return []byte{}, nil
	}
	if isOffline(ctx) {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	ss := u.m.SegmentSize()
	first, last := int(ref.Offset/ss), int((ref.Offset+ref.Size-1)/ss)
	if first == last && u.file != nil {
		prev := u.lastSegment.Load()
		if _, warming := u.warming.Load(first); !warming && prev != int64(first) && prev != int64(first)-1 {
			u.lastSegment.Store(int64(first))
			u.ahead.Store(-1)
			if ref.Offset == int64(first)*ss {
				// A read that starts with the segment: the segment by a ranged read, which fetches
				// this leaf alone from the node of its piece and the rest beside it, each leaf
				// served as soon as it is in and verified.
				return s.fromFill(ctx, u, ref, c, s.fill(ctx, u, first))
			}
			// A read that starts inside the segment: this leaf alone, the segment behind it for
			// the leaves that follow.
			s.warm(ctx, u, first)
			return s.leafRange(ctx, u, ref, c)
		}
	}
	for j := first; j <= last; j++ {
		if prev := u.lastSegment.Swap(int64(j)); prev == int64(j)-1 || prev == int64(j) || prev < int64(j) && int64(j) <= u.ahead.Load() {
			s.readAhead(ctx, u, j)
		}
	}
	if first == last {
		if f, ok := u.fills.Load(first); ok {
			return s.fromFill(ctx, u, ref, c, f.(*fill))
		}
	}
	var seg []byte
	if first == last {
		var err error
		if seg, err = s.segment(ctx, u, first); err != nil {
			return nil, err
		}
		if s.cache != nil {
			if b, ok := s.cache.Get(string(c.Hash())); ok { // checked when the segment warmed the cache
				return b, nil
			}
		}
	}
	out, err := s.cut(ctx, u, ref, func(j int) ([]byte, error) {
		if seg != nil {
			return seg, nil
		}
		return s.segment(ctx, u, j)
	})
	if err != nil {
		return nil, err
	}
	if !hashes(out, c) {
		if _, ok := s.src.(UncheckedSource); !ok {
			return nil, fmt.Errorf("%w: the stream bytes of %s do not hash to it", sharding.ErrLeafMismatch, c)
		}
		// Unchecked segments: fetch them again as checked pieces.
		s.log.Debug("leaf failed its CID, fetching its segments again as checked pieces", "cid", c)
		if out, err = s.cut(ctx, u, ref, func(j int) ([]byte, error) { return s.src.Segment(context.WithoutCancel(ctx), u.m, j) }); err != nil {
			return nil, err
		}
		if !hashes(out, c) {
			return nil, fmt.Errorf("%w: the stream bytes of %s do not hash to it", sharding.ErrLeafMismatch, c)
		}
	}
	s.add(string(c.Hash()), out)
	return out, nil
}

// cut returns the stream bytes of the leaf at ref from the segments fetch gives.
func (s *Blockstore) cut(ctx context.Context, u *upload, ref sharding.BlockRef, fetch func(j int) ([]byte, error)) ([]byte, error) {
	ss := u.m.SegmentSize()
	first, last := int(ref.Offset/ss), int((ref.Offset+ref.Size-1)/ss)
	out := make([]byte, 0, ref.Size)
	for j := first; j <= last; j++ {
		seg, err := fetch(j)
		if err != nil {
			return nil, err
		}
		segOff := int64(j) * ss
		from := max(ref.Offset, segOff) - segOff
		to := min(ref.Offset+ref.Size, segOff+int64(len(seg))) - segOff
		if from > to {
			return nil, fmt.Errorf("segment %d of %s holds %d bytes, too few for %x", j, u.m.Root, len(seg), ref.Offset)
		}
		out = append(out, seg[from:to]...)
	}
	return out, nil
}

// leafRange reads the stream bytes of one leaf with a ranged read, checked against c.
func (s *Blockstore) leafRange(ctx context.Context, u *upload, ref sharding.BlockRef, c cid.Cid) ([]byte, error) {
	key := "l" + string(c.Hash())
	v, err, _ := s.flight.Do(key, func() (any, error) {
		t0 := time.Now()
		buf := bytes.NewBuffer(make([]byte, 0, ref.Size))
		if _, err := u.file.WriteRange(context.WithoutCancel(ctx), ref.Offset, ref.Size, buf, retrieval.GetOptions{}); err != nil {
			return nil, err
		}
		out := buf.Bytes()
		if !hashes(out, c) {
			return nil, fmt.Errorf("%w: the stream bytes of %s do not hash to it", sharding.ErrLeafMismatch, c)
		}
		s.log.Debug("leaf fetched alone", "root", u.m.Root, "offset", ref.Offset, "bytes", len(out), "took", time.Since(t0))
		s.metrics.fetched(len(out))
		s.add(string(c.Hash()), out)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// warm fetches segment j in the background, if a read-ahead slot is free; false if none is.
func (s *Blockstore) warm(ctx context.Context, u *upload, j int) bool {
	select {
	case s.prefetch <- struct{}{}:
	default:
		return false
	}
	go func() {
		defer func() { <-s.prefetch }()
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lookupTimeout*3)
		defer cancel()
		_, _ = s.segment(pctx, u, j)
	}()
	return true
}

// fill is segment j of an upload as a ranged read writes it: the bytes written so far, each leaf
// checked against its CID before it is written, so that a leaf can be served once it is in.
type fill struct {
	mu   sync.Mutex
	buf  []byte        // the bytes written, from the segment's start
	wake chan struct{} // closed at the next write
	done chan struct{} // closed when the read ends
	err  error         // why it ended short, once done
}

// Write appends verified bytes (a ranged read writes only those).
func (f *fill) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = append(f.buf, b...)
	close(f.wake)
	f.wake = make(chan struct{})
	return len(b), nil
}

// finish ends the fill with the whole segment, or with an error.
func (f *fill) finish(seg []byte, err error) {
	f.mu.Lock()
	if err == nil {
		f.buf = seg
	}
	f.err = err
	f.mu.Unlock()
	close(f.done)
}

// upTo waits until the first n bytes of the segment are in and returns them (and any after).
func (f *fill) upTo(ctx context.Context, n int64) ([]byte, error) {
	for {
		f.mu.Lock()
		buf, wake := f.buf, f.wake
		f.mu.Unlock()
		if int64(len(buf)) >= n {
			return buf, nil
		}
		select {
		case <-wake:
		case <-f.done:
			f.mu.Lock()
			buf, err := f.buf, f.err
			f.mu.Unlock()
			if int64(len(buf)) >= n {
				return buf, nil
			}
			if err == nil {
				err = fmt.Errorf("the read of a segment ended after %d bytes, short of %d", len(buf), n)
			}
			return nil, err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// fill starts the ranged read of segment j of u in the background, unless one is in flight, and
// returns it. The read is the segment's fetch (segment joins it) and warms the cache once done.
func (s *Blockstore) fill(ctx context.Context, u *upload, j int) *fill {
	if f, ok := u.fills.Load(j); ok {
		return f.(*fill)
	}
	ss := u.m.SegmentSize()
	n := min(ss, u.m.Size-int64(j)*ss)
	f := &fill{buf: make([]byte, 0, n), wake: make(chan struct{}), done: make(chan struct{})}
	if old, loaded := u.fills.LoadOrStore(j, f); loaded {
		return old.(*fill)
	}
	go func() {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lookupTimeout*3)
		defer cancel()
		seg, err := s.fetchSegment(fctx, u, j, true, func(ctx context.Context) ([]byte, error) {
			if _, err := u.file.WriteRange(ctx, int64(j)*ss, n, f, retrieval.GetOptions{}); err != nil {
				return nil, err
			}
			return f.upTo(ctx, n)
		})
		f.finish(seg, err)
		u.fills.Delete(j)
	}()
	return f
}

// fromFill returns the leaf at ref, inside the segment f fills, once it is in.
func (s *Blockstore) fromFill(ctx context.Context, u *upload, ref sharding.BlockRef, c cid.Cid, f *fill) ([]byte, error) {
	start := ref.Offset / u.m.SegmentSize() * u.m.SegmentSize()
	buf, err := f.upTo(ctx, ref.Offset+ref.Size-start)
	if err != nil {
		return nil, err
	}
	from, to := ref.Offset-start, ref.Offset-start+ref.Size
	out := buf[from:to:to]
	if !hashes(out, c) { // checked against the manifest's leaf as it was written: this is c's CID check
		return nil, fmt.Errorf("%w: the stream bytes of %s do not hash to it", sharding.ErrLeafMismatch, c)
	}
	return out, nil
}

// segment fetches segment j of u once however many requests want it at the same time, and warms
// the cache with every leaf wholly inside it.
func (s *Blockstore) segment(ctx context.Context, u *upload, j int) ([]byte, error) {
	fetch := s.src.Segment
	if us, ok := s.src.(UncheckedSource); ok {
		fetch = us.SegmentUnchecked
	}
	return s.fetchSegment(ctx, u, j, false, func(ctx context.Context) ([]byte, error) { return fetch(ctx, u.m, j) })
}

// fetchSegment runs fetch, which returns segment j of u (each leaf already checked against its
// CID if checked is set), once however many requests want the segment at the same time, and
// warms the cache with every leaf wholly inside it.
func (s *Blockstore) fetchSegment(ctx context.Context, u *upload, j int, checked bool, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	key := "s" + string(u.m.Root.Hash()) + strconv.Itoa(j)
	v, err, _ := s.flight.Do(key, func() (any, error) {
		u.warming.Store(j, struct{}{})
		defer u.warming.Delete(j)
		t0 := time.Now()
		seg, err := fetch(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		s.log.Debug("segment fetched", "root", u.m.Root, "segment", j, "bytes", len(seg), "took", time.Since(t0))
		s.metrics.fetched(len(seg))
		if !s.warmLeaves(u, j, seg, checked) {
			// A leaf failed its CID: a node sent wrong bytes. Fetch the pieces again, checked.
			s.log.Debug("segment leaf failed its CID, fetching it again as checked pieces", "root", u.m.Root, "segment", j)
			if seg, err = s.src.Segment(context.WithoutCancel(ctx), u.m, j); err != nil {
				return nil, err
			}
			s.metrics.fetched(len(seg))
			s.warmLeaves(u, j, seg, false)
		}
		return seg, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// warmLeaves caches every leaf wholly inside segment j, checked against its CID unless checked
// says it was; false if one failed (those before it are cached). A cache that keeps slices of a
// buffer keeps the leaves as slices of seg (no copy; it counts all of seg's memory while one of
// them is cached), any other a copy of each.
func (s *Blockstore) warmLeaves(u *upload, j int, seg []byte, checked bool) bool {
	if s.cache == nil {
		return true
	}
	sc, _ := s.cache.(SliceCache)
	buf := NewBuffer(seg)
	ss := u.m.SegmentSize()
	start, end := int64(j)*ss, int64(j)*ss+int64(len(seg))
	i := sort.Search(len(u.leaves), func(i int) bool { return u.leaves[i].Offset >= start })
	for ; i < len(u.leaves) && u.leaves[i].Offset+u.leaves[i].Size <= end; i++ {
		l := u.leaves[i]
		b := seg[l.Offset-start : l.Offset-start+l.Size : l.Offset-start+l.Size]
		if l.Size == 0 {
			continue
		}
		if !checked && !hashes(b, l.CID) {
			return false
		}
		key := string(l.CID.Hash())
		if sc == nil || !sc.AddSlice(key, b, buf) {
			s.cache.Add(key, bytes.Clone(b))
		}
	}
	return true
}

// readAhead fetches the segments after j up to j+readAhead in the background, those a read-ahead
// has not fetched yet and not cached, if slots are free.
func (s *Blockstore) readAhead(ctx context.Context, u *upload, j int) {
	if isOffline(ctx) {
		return
	}
	a := u.ahead.Load()
	from := int64(j) + 1
	if a >= from && a <= int64(j+readAhead) {
		from = a + 1
	}
	for next := from; next <= int64(j+readAhead) && next < int64(u.m.NumSegments()); next++ {
		if !s.segmentCached(u, int(next)) && !s.warm(ctx, u, int(next)) {
			return
		}
		u.ahead.Store(next)
	}
}

// hitAhead keeps a sequential read's read-ahead going while its leaves are cache hits: a hit in
// the segments a read-ahead fetched moves it on.
func (s *Blockstore) hitAhead(ctx context.Context, c cid.Cid) {
	s.mu.Lock()
	u := s.owner[string(c.Hash())]
	s.mu.Unlock()
	if u == nil {
		return
	}
	a := u.ahead.Load()
	if a < 0 || a >= int64(u.m.NumSegments())-1 {
		return
	}
	ref, ok := u.ix.Lookup(c)
	if !ok || ref.InManifest {
		return
	}
	if j := ref.Offset / u.m.SegmentSize(); j <= a && j+readAhead > a {
		s.readAhead(ctx, u, int(j))
	}
}

// segmentCached says whether the first and last leaves wholly inside segment j are cached (a
// segment fetched whole put them there).
func (s *Blockstore) segmentCached(u *upload, j int) bool {
	c, ok := s.cache.(interface{ Contains(key string) bool })
	if !ok {
		return false
	}
	ss := u.m.SegmentSize()
	start, end := int64(j)*ss, min(int64(j+1)*ss, u.m.Size)
	lo := sort.Search(len(u.leaves), func(i int) bool { return u.leaves[i].Offset >= start })
	hi := sort.Search(len(u.leaves), func(i int) bool { return u.leaves[i].Offset+u.leaves[i].Size > end })
	if lo >= hi {
		return false
	}
	return c.Contains(string(u.leaves[lo].CID.Hash())) && c.Contains(string(u.leaves[hi-1].CID.Hash()))
}

// hashes says whether b is the content of the sha2-256 CID c.
func hashes(b []byte, c cid.Cid) bool {
	d, err := mh.Decode(c.Hash())
	if err != nil || d.Code != mh.SHA2_256 {
		return false
	}
	sum := sha256.Sum256(b)
	return bytes.Equal(sum[:], d.Digest)
}

// Has says whether c can be served without the network: it is cached, or an internal block of
// an indexed manifest.
func (s *Blockstore) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if c.Prefix().MhType == mh.IDENTITY {
		return true, nil
	}
	key := string(c.Hash())
	if s.cache != nil {
		if _, ok := s.cache.Get(key); ok {
			return true, nil
		}
	}
	s.mu.Lock()
	u := s.owner[key]
	s.mu.Unlock()
	if u == nil {
		return false, nil
	}
	ref, _ := u.ix.Lookup(c)
	return ref.InManifest || ref.Size == 0, nil
}

// GetSize returns the size of block c.
func (s *Blockstore) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	key := string(c.Hash())
	s.mu.Lock()
	u := s.owner[key]
	s.mu.Unlock()
	if u != nil {
		if ref, ok := u.ix.Lookup(c); ok {
			return int(ref.Size), nil
		}
	}
	b, err := s.get(ctx, c)
	if err != nil {
		return -1, err
	}
	return len(b), nil
}

// ErrReadOnly is returned by the block store's writing methods.
var ErrReadOnly = errors.New("the gateway's block store is read-only")

func (s *Blockstore) Put(context.Context, blocks.Block) error       { return ErrReadOnly }
func (s *Blockstore) PutMany(context.Context, []blocks.Block) error { return ErrReadOnly }
func (s *Blockstore) DeleteBlock(context.Context, cid.Cid) error    { return ErrReadOnly }

// AllKeysChan lists nothing: the network's blocks cannot be enumerated.
func (s *Blockstore) AllKeysChan(context.Context) (<-chan cid.Cid, error) {
	ch := make(chan cid.Cid)
	close(ch)
	return ch, nil
}
