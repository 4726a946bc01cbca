package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	unixpb "github.com/ipfs/boxo/ipld/unixfs/pb"
	"github.com/ipfs/boxo/path"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	boxogw "github.com/ipfs/boxo/gateway"
)

// The fast path answers the plainest request for a UnixFS file that boxo's handler has already
// answered once, from the cache, without boxo's path resolution, content type detection and
// middleware goroutines: a GET or HEAD of /ipfs/CID[/PATH] with no query, no conditional or
// only-if-cached header and at most one well-formed byte range, on a host that is no subdomain
// gateway. It replays the headers of boxo's 200 answer to the same host, path and Accept header
// (Content-Type, Etag, Cache-Control, X-Ipfs-Roots, Ipfs-Uri...) and lets http.ServeContent
// write the bytes, Content-Length, Accept-Ranges and any 206 or 416, as boxo does. Everything
// else, and any file whose leaves are not all in the cache's memory, goes to boxo.
//
// The answer is content-addressed (an immutable path), so a recorded answer stays right; the
// records are bounded (maxFastEntries) and forgotten in no particular order past that.
const maxFastEntries = 4096

// maxFastLeaves bounds the leaves of a file the fast path keeps a list of (4 GiB of 256 KiB
// leaves), and maxFastTotal those of all its files (about 40 MiB of lists); larger files, and
// files past the total, go to boxo.
const (
	maxFastLeaves = 1 << 14
	maxFastTotal  = 1 << 19
)

// fastPath is the Server's record of answers boxo gave and the files behind them.
type fastPath struct {
	blocks  *Blockstore
	backend *boxogw.BlocksBackend
	timeout time.Duration
	slots   chan struct{} // fast responses at once (boxo's limiter bounds the others)
	served  atomic.Int64

	mu      sync.Mutex
	entries map[fastKey]*fastEntry
	leaves  int // of the files of entries
}

type fastKey struct{ host, path, accept string }

// fastEntry is boxo's answer to one request, and once resolved the file it served.
type fastEntry struct {
	header http.Header // boxo's headers, less Date, Content-Length and Content-Range

	once sync.Once
	file *fastFile // nil: not a file the fast path serves
}

// fastFile is a UnixFS file as the list of its raw leaves.
type fastFile struct {
	keys []string // keys[i]: the cache key of leaf i, the multihash of its raw CID
	ends []int64  // ends[i]: offset in the file just past leaf i
}

// leaf is the CID of leaf i.
func (f *fastFile) leaf(i int) cid.Cid { return cid.NewCidV1(cid.Raw, mh.Multihash(f.keys[i])) }

func (f *fastFile) size() int64 {
	if len(f.ends) == 0 {
		return 0
	}
	return f.ends[len(f.ends)-1]
}

func newFastPath(bs *Blockstore, backend *boxogw.BlocksBackend, limit int, timeout time.Duration) *fastPath {
	return &fastPath{blocks: bs, backend: backend, timeout: timeout, slots: make(chan struct{}, limit), entries: map[fastKey]*fastEntry{}}
}

// key says whether r is a request the fast path may answer, and under which key.
func (f *fastPath) key(r *http.Request) (fastKey, bool) {
	if f == nil || r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.RawQuery != "" || r.URL.ForceQuery ||
		!strings.HasPrefix(r.URL.Path, "/ipfs/") || r.URL.RawPath != "" {
		return fastKey{}, false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") { // the subdomain gateway
		return fastKey{}, false
	}
	h := r.Header
	for _, name := range []string{"Cache-Control", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since",
		"If-Range", "X-Forwarded-Host", "X-Forwarded-Proto", "Service-Worker"} {
		if _, ok := h[name]; ok {
			return fastKey{}, false
		}
	}
	if len(h["Accept"]) > 1 || len(h["Range"]) > 1 || len(h["Range"]) == 1 && !simpleRange(h["Range"][0]) {
		return fastKey{}, false
	}
	accept := h.Get("Accept")
	for v := range strings.SplitSeq(accept, ",") {
		if v = strings.TrimSpace(v); strings.HasPrefix(v, "application/vnd.ipld") || strings.HasPrefix(v, "application/vnd.ipfs") ||
			strings.HasPrefix(v, "application/x-tar") || strings.HasPrefix(v, "application/json") || strings.HasPrefix(v, "application/cbor") {
			return fastKey{}, false // a response format (as boxo's customResponseFormat reads Accept)
		}
	}
	return fastKey{host: r.Host, path: r.URL.Path, accept: accept}, true
}

// simpleRange says whether v is one byte range (bytes=A-B, bytes=A- or bytes=-N) that boxo's
// parser and http.ServeContent read alike; others go to boxo for its own answer.
func simpleRange(v string) bool {
	spec, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return false
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok || a == "" && b == "" {
		return false
	}
	num := func(s string) (int64, bool) {
		if s == "" {
			return -1, true
		}
		if len(s) > 15 || strings.Trim(s, "0123456789") != "" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	start, ok1 := num(a)
	end, ok2 := num(b)
	return ok1 && ok2 && (start < 0 || end < 0 || start <= end) && !(start < 0 && end == 0)
}

// satisfiable says whether a range simpleRange accepted (or none) has bytes in a file of size
// (a range of an empty file goes to boxo).
func satisfiable(v string, size int64) bool {
	if v == "" {
		return true
	}
	if size == 0 {
		return false
	}
	a, _, _ := strings.Cut(strings.TrimPrefix(v, "bytes="), "-")
	if a == "" {
		return true
	}
	start, _ := strconv.ParseInt(a, 10, 64)
	return start < size
}

// record keeps boxo's headers of a 200 answer to a GET without Range.
func (f *fastPath) record(k fastKey, h http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.entries[k]; ok {
		return
	}
	if len(f.entries) >= maxFastEntries {
		for old, e := range f.entries {
			f.forget(old, e)
			break
		}
	}
	f.entries[k] = &fastEntry{header: h}
}

// forget drops an entry; f.mu is held.
func (f *fastPath) forget(k fastKey, e *fastEntry) {
	delete(f.entries, k)
	if e.file != nil {
		f.leaves -= len(e.file.keys)
	}
}

// serve answers r if it can; false leaves r to boxo, nothing written.
func (f *fastPath) serve(w http.ResponseWriter, r *http.Request, k fastKey) bool {
	f.mu.Lock()
	e := f.entries[k]
	f.mu.Unlock()
	if e == nil {
		return false
	}
	e.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), f.timeout)
		defer cancel()
		file, err := f.resolve(ctx, k.path, e.header)
		if err != nil {
			f.blocks.log.Debug("not served by the fast path", "path", k.path, "err", err)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		for f.leaves+len(file.keys) > maxFastTotal && len(f.entries) > 1 {
			for old, oe := range f.entries {
				if oe != e {
					f.forget(old, oe)
					break
				}
			}
		}
		if f.entries[k] == e && f.leaves+len(file.keys) <= maxFastTotal {
			e.file = file
			f.leaves += len(file.keys)
		}
	})
	file := e.file
	if file == nil || !satisfiable(r.Header.Get("Range"), file.size()) || !f.cached(file) {
		return false // a 416 is boxo's to write: http.ServeContent's drops Etag and Cache-Control
	}
	select {
	case f.slots <- struct{}{}:
		defer func() { <-f.slots }()
	default:
		return false
	}
	f.served.Add(1)
	f.blocks.metrics.fast.Inc()
	h := w.Header()
	for name, v := range e.header {
		h[name] = v
	}
	rc := http.NewResponseController(w)
	defer rc.SetWriteDeadline(time.Time{})
	http.ServeContent(&deadlineWriter{ResponseWriter: w, rc: rc, timeout: f.timeout}, r, "", time.Time{},
		&fileReader{ctx: r.Context(), bs: f.blocks, f: file})
	return true
}

// cached says whether every leaf of file is in the cache's memory.
func (f *fastPath) cached(file *fastFile) bool {
	c, ok := f.blocks.cache.(interface{ Contains(key string) bool })
	if !ok {
		return false
	}
	for _, k := range file.keys {
		if !c.Contains(k) {
			return false
		}
	}
	return true
}

var errNotFastFile = errors.New("not a UnixFS file of raw leaves")

// resolve finds the file at p and checks that it is the one boxo's headers name last in
// X-Ipfs-Roots.
func (f *fastPath) resolve(ctx context.Context, p string, h http.Header) (*fastFile, error) {
	cp, err := path.NewPath(p)
	if err != nil {
		return nil, err
	}
	ip, err := path.NewImmutablePath(cp)
	if err != nil {
		return nil, err
	}
	md, err := f.backend.ResolvePath(ctx, ip)
	if err != nil {
		return nil, err
	}
	if len(md.LastSegmentRemainder) > 0 {
		return nil, errNotFastFile
	}
	c := md.LastSegment.RootCid()
	roots := strings.Split(h.Get("X-Ipfs-Roots"), ",")
	if roots[len(roots)-1] != c.String() {
		return nil, fmt.Errorf("boxo answered for %s, the path resolves to %s", roots[len(roots)-1], c)
	}
	file := &fastFile{}
	if err := f.walk(ctx, c, file, 0); err != nil {
		return nil, err
	}
	return file, nil
}

// walk appends the leaves of the file DAG under c to file.
func (f *fastPath) walk(ctx context.Context, c cid.Cid, file *fastFile, depth int) error {
	if depth > 32 || len(file.keys) >= maxFastLeaves || c.Prefix().MhType != mh.SHA2_256 {
		return errNotFastFile
	}
	switch c.Prefix().Codec {
	case cid.Raw:
		n, err := f.blocks.GetSize(ctx, c)
		if err != nil {
			return err
		}
		file.keys = append(file.keys, string(c.Hash()))
		file.ends = append(file.ends, file.size()+int64(n))
		return nil
	case cid.DagProtobuf:
		b, err := f.blocks.get(ctx, c)
		if err != nil {
			return err
		}
		nd, err := merkledag.DecodeProtobuf(b)
		if err != nil {
			return err
		}
		fsn, err := unixfs.FSNodeFromBytes(nd.Data())
		if err != nil {
			return err
		}
		if fsn.Type() != unixpb.Data_File && fsn.Type() != unixpb.Data_Raw || len(fsn.Data()) > 0 || fsn.NumChildren() != len(nd.Links()) {
			return errNotFastFile
		}
		start := file.size()
		for _, l := range nd.Links() {
			if err := f.walk(ctx, l.Cid, file, depth+1); err != nil {
				return err
			}
		}
		if uint64(file.size()-start) != fsn.FileSize() {
			return fmt.Errorf("%s: leaves of %d bytes, the node says %d", c, file.size()-start, fsn.FileSize())
		}
		return nil
	}
	return errNotFastFile
}

// fileReader reads a fastFile from the cache, and through the block store a leaf evicted since
// the check.
type fileReader struct {
	ctx context.Context
	bs  *Blockstore
	f   *fastFile
	pos int64

	cur  []byte // the bytes of leaf curI
	curI int
}

func (r *fileReader) leaf(i int) ([]byte, error) {
	if r.cur != nil && r.curI == i {
		return r.cur, nil
	}
	// Straight from the cache by the key kept: the block store's get would decode the CID, make
	// its key and look for a read-ahead to start, which a file wholly in memory does not need.
	b, ok := r.bs.cache.Get(r.f.keys[i])
	if ok {
		r.bs.metrics.hit(len(b))
	} else {
		var err error
		if b, err = r.bs.get(r.ctx, r.f.leaf(i)); err != nil {
			return nil, err
		}
	}
	start := int64(0)
	if i > 0 {
		start = r.f.ends[i-1]
	}
	if int64(len(b)) != r.f.ends[i]-start {
		return nil, fmt.Errorf("leaf %s: %d bytes, want %d", r.f.leaf(i), len(b), r.f.ends[i]-start)
	}
	r.cur, r.curI = b, i
	return b, nil
}

// chunk returns the bytes of the leaf holding r.pos, from r.pos on.
func (r *fileReader) chunk() ([]byte, error) {
	if r.pos >= r.f.size() {
		return nil, io.EOF
	}
	i := sort.Search(len(r.f.ends), func(i int) bool { return r.f.ends[i] > r.pos })
	b, err := r.leaf(i)
	if err != nil {
		return nil, err
	}
	return b[int64(len(b))-(r.f.ends[i]-r.pos):], nil
}

func (r *fileReader) Read(p []byte) (int, error) {
	b, err := r.chunk()
	if err != nil {
		return 0, err
	}
	n := copy(p, b)
	r.pos += int64(n)
	return n, nil
}

func (r *fileReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += r.pos
	case io.SeekEnd:
		off += r.f.size()
	}
	if off < 0 {
		return 0, errors.New("seek before the start of the file")
	}
	r.pos = off
	return off, nil
}

// writeTo writes up to n bytes from r.pos to w, straight from the leaves.
func (r *fileReader) writeTo(w io.Writer, n int64) (int64, error) {
	var written int64
	for written < n {
		b, err := r.chunk()
		if err == io.EOF {
			break
		}
		if err != nil {
			return written, err
		}
		if int64(len(b)) > n-written {
			b = b[:n-written]
		}
		m, err := w.Write(b)
		written += int64(m)
		r.pos += int64(m)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// deadlineWriter drops a client that takes more than timeout to take one write, and lets
// http.ServeContent's copy write the leaves without copying them.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (w *deadlineWriter) Write(b []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.ResponseWriter.Write(b)
}

func (w *deadlineWriter) ReadFrom(src io.Reader) (int64, error) {
	if lr, ok := src.(*io.LimitedReader); ok {
		if fr, ok := lr.R.(*fileReader); ok {
			n, err := fr.writeTo(w, lr.N)
			lr.N -= n
			return n, err
		}
	}
	return io.Copy(struct{ io.Writer }{w}, src)
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
