package gateway_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-car/v2"
	carstorage "github.com/ipld/go-car/v2/storage"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/diskcache"
	"github.com/dstore-net/dstore/node/store/storetest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/gateway"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// Small pieces so the site's 700 kB file spans several segments and leaves straddle them.
var siteParams = sharding.Params{K: 4, M: 2, PieceSize: 32 << 10}

const siteRoot = "bafybeidrhrib4nghuxfn6socppcpjdvqw3vilqkiaafvr7jnkdgdhyijam"

// newClient starts a client on loopback that knows nodes and that every node allows.
func newClient(t testing.TB, nodes []*node.Node) *retrieval.Client {
	t.Helper()
	return retrievaltest.NewClient(t, nodes, retrieval.Config{})
}

// site puts testdata/site on 6 nodes and returns them and a gateway reading through a client of
// its own.
func site(t *testing.T, cfg gateway.Config) ([]*node.Node, *httptest.Server) {
	t.Helper()
	nodes := nodetest.StartNodes(t, 6)
	tr, err := sharding.ImportDir(t.Context(), "testdata/site", 0)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := newClient(t, nodes).PutTree(t.Context(), tr, retrieval.PutOptions{Params: siteParams})
	if err != nil {
		t.Fatal(err)
	}
	if res.Root.String() != siteRoot {
		t.Fatalf("put gave %s, kubo gives %s", res.Root, siteRoot)
	}
	if cfg.Source == nil {
		cfg.Source = newClient(t, nodes)
	}
	gw, err := gateway.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return nodes, srv
}

func fetch(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/site/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSiteThroughTheGateway(t *testing.T) {
	_, srv := site(t, gateway.Config{})
	base := srv.URL + "/ipfs/" + siteRoot

	t.Run("index", func(t *testing.T) {
		resp, body := fetch(t, base+"/")
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, readFile(t, "index.html")) {
			t.Fatalf("status %d, %d bytes: not index.html", resp.StatusCode, len(body))
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("Content-Type %q", ct)
		}
	})
	t.Run("files with their types", func(t *testing.T) {
		for path, ct := range map[string]string{"assets/style.css": "text/css", "assets/app.js": "text/javascript", "docs/readme.txt": "text/plain"} {
			resp, body := fetch(t, base+"/"+path)
			if resp.StatusCode != http.StatusOK || !bytes.Equal(body, readFile(t, path)) {
				t.Fatalf("%s: status %d, %d bytes", path, resp.StatusCode, len(body))
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, ct) {
				t.Fatalf("%s: Content-Type %q, want %s", path, got, ct)
			}
		}
	})
	big := readFile(t, "docs/deep/big.bin")
	t.Run("ranges", func(t *testing.T) {
		for _, tc := range []struct {
			name       string
			start, end int
		}{
			{"inside one leaf", 10, 1000},
			{"across leaves", 262000, 262300},
			{"across segments", 131000, 131200},
			{"across everything", 1, len(big) - 2},
			{"last byte", len(big) - 1, len(big) - 1},
		} {
			resp, body := fetch(t, base+"/docs/deep/big.bin", "Range", "bytes="+itoa(tc.start)+"-"+itoa(tc.end))
			if resp.StatusCode != http.StatusPartialContent {
				t.Fatalf("%s: status %d", tc.name, resp.StatusCode)
			}
			if !bytes.Equal(body, big[tc.start:tc.end+1]) {
				t.Fatalf("%s: %d bytes, not the requested range", tc.name, len(body))
			}
			if cr := resp.Header.Get("Content-Range"); cr != "bytes "+itoa(tc.start)+"-"+itoa(tc.end)+"/"+itoa(len(big)) {
				t.Fatalf("%s: Content-Range %q", tc.name, cr)
			}
		}
		for rng, want := range map[string]int{
			"bytes=" + itoa(len(big)+10) + "-":      http.StatusRequestedRangeNotSatisfiable,
			"bytes=abc":                             http.StatusBadRequest,
			"bytes=5-2":                             http.StatusBadRequest,
			"bytes=0-99999999999999999999999999999": http.StatusBadRequest,
		} {
			if resp, _ := fetch(t, base+"/docs/deep/big.bin", "Range", rng); resp.StatusCode != want {
				t.Fatalf("Range %s: status %d, want %d", rng, resp.StatusCode, want)
			}
		}
		if resp, body := fetch(t, base+"/docs/deep/big.bin", "Range", "bytes=-100"); resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, big[len(big)-100:]) {
			t.Fatalf("suffix range: status %d", resp.StatusCode)
		}
	})
	t.Run("trustless raw block", func(t *testing.T) {
		c := "bafkreifamwwegw2kcwnhwetcehb4b7pahba5vrivoyeixsn3syv26dgyeu" // assets/style.css
		resp, body := fetch(t, srv.URL+"/ipfs/"+c, "Accept", "application/vnd.ipld.raw")
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, readFile(t, "assets/style.css")) {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp.Header.Get("Content-Type") != "application/vnd.ipld.raw" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("Etag") == "" {
			t.Fatalf("headers %v", resp.Header)
		}
	})
	t.Run("trustless CAR of the whole site", func(t *testing.T) {
		resp, body := fetch(t, base+"?format=car&dag-scope=all")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.ipld.car") {
			t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		br, err := car.NewBlockReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			b, err := br.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if c, err := b.Cid().Prefix().Sum(b.RawData()); err != nil || !c.Equals(b.Cid()) {
				t.Fatalf("block %s does not match its CID", b.Cid())
			}
			n++
		}
		if n < 9 {
			t.Fatalf("%d blocks in the CAR", n)
		}
	})
	t.Run("status codes", func(t *testing.T) {
		unknown, _ := cid.V1Builder{Codec: cid.Raw, MhType: 0x12}.Sum([]byte("nobody stored this"))
		for _, tc := range []struct {
			name, path string
			header     []string
			want       int
		}{
			{"malformed CID", "/ipfs/not-a-cid", nil, http.StatusBadRequest},
			{"not on the network", "/ipfs/" + unknown.String(), nil, http.StatusNotFound},
			{"missing path", "/ipfs/" + siteRoot + "/nope.html", nil, http.StatusNotFound},
			{"empty identity CID", "/ipfs/bafkqaaa", nil, http.StatusOK},
			{"only-if-cached miss", "/ipfs/" + unknown.String(), []string{"Cache-Control", "only-if-cached"}, http.StatusPreconditionFailed},
		} {
			resp, _ := fetch(t, srv.URL+tc.path, tc.header...)
			if resp.StatusCode != tc.want {
				t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.want)
			}
		}
	})
	t.Run("CAR scopes", func(t *testing.T) {
		count := func(query string) int {
			resp, body := fetch(t, base+"/docs/deep/big.bin?format=car&"+query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", query, resp.StatusCode)
			}
			br, err := car.NewBlockReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				if _, err := br.Next(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatal(err)
				}
				n++
			}
			return n
		}
		// The path's 4 blocks (site, docs, deep, big.bin's root) and then: nothing more for block,
		// all 3 leaves for entity, only the first leaf for entity-bytes=0:1000.
		if block, entity, first := count("dag-scope=block"), count("dag-scope=entity"), count("dag-scope=entity&entity-bytes=0:1000"); block != 4 || entity != 7 || first != 5 {
			t.Fatalf("blocks: dag-scope=block %d (want 4), entity %d (want 7), entity-bytes=0:1000 %d (want 5)", block, entity, first)
		}
	})
	t.Run("subdomain", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/", nil)
		req.Host = siteRoot + ".ipfs.localhost"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, readFile(t, "index.html")) {
			t.Fatalf("status %d, %d bytes", resp.StatusCode, len(body))
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodHead, base+"/index.html", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(readFile(t, "index.html"))) {
			t.Fatalf("status %d, length %d", resp.StatusCode, resp.ContentLength)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// Two of six nodes die: ranges still return exactly the requested bytes, decoded from parity.
func TestRangesWithLostShards(t *testing.T) {
	nodes, srv := site(t, gateway.Config{Cache: gateway.NewMemoryCache(1)}) // nothing fits: every read goes to the network
	nodes[1].Close()
	nodes[4].Close()
	big := readFile(t, "docs/deep/big.bin")
	for _, r := range [][2]int{{10, 1000}, {131000, 131200}, {262000, 262300}, {0, len(big) - 1}} {
		resp, body := fetch(t, srv.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin", "Range", "bytes="+itoa(r[0])+"-"+itoa(r[1]))
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, big[r[0]:r[1]+1]) {
			t.Fatalf("range %v: status %d, %d bytes, not the requested ones", r, resp.StatusCode, len(body))
		}
	}
}

// Once read, the site is served from the cache with every storage node gone, and the metrics
// say so.
func TestCacheServesWithoutTheNetwork(t *testing.T) {
	nodes, srv := site(t, gateway.Config{})
	want := readFile(t, "docs/deep/big.bin")
	if resp, body := fetch(t, srv.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin"); resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("first read: status %d", resp.StatusCode)
	}
	for _, n := range nodes {
		n.Close()
	}
	if resp, body := fetch(t, srv.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin"); resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("cached read: status %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, _ := fetch(t, srv.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin", "Cache-Control", "only-if-cached"); resp.StatusCode != http.StatusOK {
		t.Fatalf("only-if-cached of a cached file: status %d", resp.StatusCode)
	}
	_, metrics := fetch(t, srv.URL+"/metrics")
	for _, m := range []string{`dstore_gateway_cache_lookups_total{result="hit"}`, `dstore_gateway_block_bytes_total{source="cache"}`,
		`dstore_gateway_block_bytes_total{source="network"}`, `dstore_gateway_time_to_first_byte_seconds_bucket`} {
		if !bytes.Contains(metrics, []byte(m)) {
			t.Fatalf("metric %s missing from /metrics", m)
		}
	}
}

// stalled is a Source whose lookups wait until released: requests pile up in the gateway. Each
// lookup announces itself on in once it has begun.
type stalled struct{ in, release chan struct{} }

func (s stalled) Manifest(ctx context.Context, root cid.Cid) (*sharding.Manifest, error) {
	select {
	case s.in <- struct{}{}:
	default:
	}
	select {
	case <-s.release:
	case <-ctx.Done():
	}
	return nil, retrieval.ErrManifestNotFound
}

func (s stalled) Segment(ctx context.Context, m *sharding.Manifest, j int) ([]byte, error) {
	return nil, retrieval.ErrManifestNotFound
}

// Past the concurrency limit, requests get 429 with Retry-After at once; a lookup that finds
// nothing within its bound is a 404, not a 5xx.
//
// The third request is sent once, after both stalled requests are inside the limiter (their
// lookups have begun): polling with it before that took a slot for a moment, and on a loaded
// machine a stalled request arriving in that moment was the one refused with 429, leaving a slot
// free for the rest of the test (412 from only-if-cached instead of 429).
func TestConcurrencyLimit(t *testing.T) {
	src := stalled{in: make(chan struct{}, 4), release: make(chan struct{})}
	gw, err := gateway.New(gateway.Config{Source: src, MaxConcurrentRequests: 2, LookupTimeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	var wg sync.WaitGroup
	codes := make(chan string, 2)
	for i := range 2 {
		c, _ := cid.V1Builder{Codec: cid.Raw, MhType: 0x12}.Sum([]byte{byte(i)})
		wg.Go(func() {
			resp, err := http.Get(srv.URL + "/ipfs/" + c.String())
			if err != nil {
				codes <- err.Error()
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.Status
		})
	}
	// released ends the stalled requests and returns what they were answered.
	released := func() []string {
		close(src.release)
		wg.Wait()
		close(codes)
		var got []string
		for c := range codes {
			got = append(got, c)
		}
		return got
	}
	for range 2 {
		select {
		case <-src.in:
		case <-time.After(30 * time.Second):
			t.Fatalf("the two requests did not both reach the block store within 30 s: %q", released())
		}
	}
	// Both slots are held: a third request is refused at once (only-if-cached: were it let in,
	// it would be answered 412 rather than stall).
	c, _ := cid.V1Builder{Codec: cid.Raw, MhType: 0x12}.Sum([]byte("third"))
	resp, _ := fetch(t, srv.URL+"/ipfs/"+c.String(), "Cache-Control", "only-if-cached")
	got := released()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third request: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for _, c := range got {
		if c != "404 Not Found" {
			t.Fatalf("released request: %s, want 404", c)
		}
	}
}

// A CAR with dag-cbor and dag-json blocks is stored unchanged: every block comes back by CID as
// a raw block, and the gateway's CAR of the root holds them all.
func TestCARThroughTheGateway(t *testing.T) {
	leaf := []byte(strings.Repeat("a raw leaf of a CAR ", 2000))
	leafCID, _ := cid.V1Builder{Codec: cid.Raw, MhType: 0x12}.Sum(leaf)
	// dag-json {"l": {"/": leafCID}} and dag-cbor {"j": link}, written by hand.
	js := []byte(`{"l":{"/":"` + leafCID.String() + `"}}`)
	jsCID, _ := cid.V1Builder{Codec: cid.DagJSON, MhType: 0x12}.Sum(js)
	cb := append([]byte{0xa1, 0x61, 'j', 0xd8, 0x2a, 0x58, byte(len(jsCID.Bytes()) + 1), 0x00}, jsCID.Bytes()...)
	rootCID, _ := cid.V1Builder{Codec: cid.DagCBOR, MhType: 0x12}.Sum(cb)
	path := filepath.Join(t.TempDir(), "dag.car")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := carstorage.NewWritable(f, []cid.Cid{rootCID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[cid.Cid][]byte{rootCID: cb, jsCID: js, leafCID: leaf}
	for _, c := range []cid.Cid{rootCID, jsCID, leafCID} {
		if err := w.Put(t.Context(), c.KeyString(), want[c]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finalize(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	nodes := nodetest.StartNodes(t, 6)
	tr, err := sharding.ImportCAR(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := newClient(t, nodes).PutTree(t.Context(), tr, retrieval.PutOptions{Params: siteParams}); err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	for _, c := range []cid.Cid{rootCID, jsCID, leafCID} {
		resp, body := fetch(t, srv.URL+"/ipfs/"+c.String()+"?format=raw")
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want[c]) {
			t.Fatalf("%s: status %d, %d bytes", c, resp.StatusCode, len(body))
		}
	}
	resp, body := fetch(t, srv.URL+"/ipfs/"+rootCID.String()+"?format=car&dag-scope=all")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("CAR: status %d", resp.StatusCode)
	}
	br, err := car.NewBlockReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for {
		b, err := br.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.RawData(), want[b.Cid()]) {
			t.Fatalf("CAR block %s differs", b.Cid())
		}
		got++
	}
	if got != 3 {
		t.Fatalf("the CAR of the root holds %d blocks, want 3", got)
	}
}

// A gateway restarted on its disk cache serves what it had read with every storage node gone.
func TestDiskCacheSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	disk, err := diskcache.Open(dir, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	nodes, srv := site(t, gateway.Config{Cache: gateway.Tiered{First: gateway.NewMemoryCache(1 << 20), Second: disk}})
	want := readFile(t, "docs/deep/big.bin")
	if resp, body := fetch(t, srv.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin"); resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("first read: status %d", resp.StatusCode)
	}
	srv.Close()
	if err := disk.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		n.Close()
	}
	disk, err = diskcache.Open(dir, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nil), Cache: disk, LookupTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(gw.Handler())
	defer srv2.Close()
	if resp, body := fetch(t, srv2.URL+"/ipfs/"+siteRoot+"/docs/deep/big.bin"); resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("read from the disk cache: status %d, %d bytes", resp.StatusCode, len(body))
	}
}

// A directory large enough for kubo to shard it (HAMT) resolves paths through its shards and
// lists, and get writes it back whole.
func TestShardedDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "big")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		name := fmt.Sprintf("entry-with-a-name-long-enough-to-pass-kubos-threshold-%05d.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := sharding.ImportDir(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	nodes := nodetest.StartNodes(t, 6)
	if _, _, err := newClient(t, nodes).PutTree(t.Context(), tr, retrieval.PutOptions{Params: siteParams}); err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	name := "entry-with-a-name-long-enough-to-pass-kubos-threshold-02718.txt"
	if resp, body := fetch(t, srv.URL+"/ipfs/"+tr.Root.String()+"/"+name); resp.StatusCode != http.StatusOK || string(body) != name {
		t.Fatalf("a file in the sharded directory: status %d, %q", resp.StatusCode, body)
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := gw.Blockstore().WriteTree(t.Context(), tr.Root, out); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != 3000 {
		t.Fatalf("wrote %d entries back (%v), want 3000", len(entries), err)
	}
}

// A CAR whose first blocks are served but whose later blocks are lost is reported as an error,
// not passed off as a whole DAG.
func TestCARBrokenOffMidStream(t *testing.T) {
	nodes, _ := site(t, gateway.Config{})
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes)})
	if err != nil {
		t.Fatal(err)
	}
	root := cid.MustParse(siteRoot)
	var whole bytes.Buffer
	if err := gw.WriteCAR(t.Context(), root, &whole); err != nil {
		t.Fatalf("CAR with every node up: %v", err)
	}
	// A fresh gateway reads the first segment (the root block) into its cache, then three of six
	// nodes die: the rest of the DAG cannot be read.
	gw, err = gateway.New(gateway.Config{Source: newClient(t, nodes)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	if resp, _ := fetch(t, srv.URL+"/ipfs/"+siteRoot+"?format=raw"); resp.StatusCode != http.StatusOK {
		t.Fatalf("root block: status %d", resp.StatusCode)
	}
	for _, n := range nodes[:3] {
		n.Close()
	}
	var broken bytes.Buffer
	err = gw.WriteCAR(t.Context(), root, &broken)
	if err == nil {
		t.Fatalf("a CAR of %d bytes (whole: %d) was reported complete with half the nodes gone: %q", broken.Len(), whole.Len(), broken.Bytes()[max(0, broken.Len()-120):])
	}
	if !strings.Contains(err.Error(), "broken off") || broken.Len() == 0 {
		t.Fatalf("%d bytes streamed, then %v: not a CAR broken off mid-stream", broken.Len(), err)
	}
}

// lie flips bytes of a stored piece ("dsp2": a 73-byte header, CRC-32C sums of 16 KiB chunks,
// the bytes) and rewrites its chunk sums, so that the node serves the bytes as its own: only the
// piece's SHA-256 in the manifest, or the leaves' CIDs, can tell.
func lie(t *testing.T) func(v []byte) {
	return func(v []byte) {
		const header, chunk = 73, 16 << 10
		if string(v[:4]) != "dsp2" {
			t.Fatalf("stored piece of format %q, the test knows dsp2", v[:4])
		}
		size := int(binary.BigEndian.Uint32(v[68:72]))
		chunks := (size + chunk - 1) / chunk
		data := v[header+4*chunks:]
		for i := 0; i < len(data); i += 4096 {
			data[i] ^= 0xff
		}
		for i := range chunks {
			binary.BigEndian.PutUint32(v[header+4*i:], crc32.Checksum(data[i*chunk:min((i+1)*chunk, len(data))], crc32.MakeTable(crc32.Castagnoli)))
		}
	}
}

// The attack: a node answers with flipped bytes in a data piece. The gateway fetches segments
// without checking pieces against their SHA-256 (as a read does), so the leaves cut from them fail
// their CIDs: it must fetch those segments again as checked pieces and serve the file byte for
// byte, never the node's bytes.
func TestLyingNodeThroughTheGateway(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := make([]byte, 900<<10)
	rand.NewChaCha8([32]byte{1}).Read(data) // distinct leaves
	_, m, err := newClient(t, nodes).Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: siteParams})
	if err != nil {
		t.Fatal(err)
	}
	// Flip bytes of data piece 1 in every segment but the last, on the nodes holding shard 1, and
	// of data piece 0 in segment 0 (the first leaf, which also comes by a ranged read).
	damage := func(shard, segment int) {
		for _, loc := range m.Placement[shard] {
			for _, n := range nodes {
				if n.ID().String() == loc.Peer {
					storetest.Damage(t, n.Store(), store.Ref{Root: m.Root, Shard: shard, Segment: segment}, lie(t))
				}
			}
		}
	}
	for j := range m.NumSegments() - 1 {
		damage(1, j)
	}
	damage(0, 0)
	gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	defer srv.Close()
	for range 2 { // uncached, then cached
		resp, body := fetch(t, srv.URL+"/ipfs/"+m.Root.String())
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Fatalf("status %d, %d bytes: not the file", resp.StatusCode, len(body))
		}
	}
}

// The first read of a file fetches each byte of its first segment once: its first leaf by a ranged
// read of its own and the rest beside it, not the leaf alone and the whole segment besides (which
// took a data piece twice). The client's count of the piece bytes it used says so (no hedges: a
// hedge on a loaded machine would use other pieces).
func TestFirstSegmentFetchedOnce(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	data := randomMiB()
	p := sharding.Params{K: 4, M: 2, PieceSize: 256 << 10} // one segment of four 256 KiB pieces, leaves of 256 KiB
	res, _, err := newClient(t, nodes).Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{Params: p})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	gw, err := gateway.New(gateway.Config{Source: retrievaltest.NewClient(t, nodes, retrieval.Config{Metrics: reg, HedgeAfter: time.Minute})})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	if resp, body := fetch(t, srv.URL+"/ipfs/"+res.Root.String()); resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("status %d, %d bytes, not the file's", resp.StatusCode, len(body))
	}
	got := map[string]float64{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			got[mf.GetName()] += m.GetCounter().GetValue()
		}
	}
	if d := got["dstore_client_decoded_segments_total"]; d > 0 {
		t.Skipf("the read decoded %v segments (a node not connected in time): its piece bytes say nothing of fetching twice", d)
	}
	if b := got["dstore_client_piece_bytes_total"]; b != float64(len(data)) {
		t.Fatalf("the read used %v bytes of pieces for a %d-byte file", b, len(data))
	}
}
