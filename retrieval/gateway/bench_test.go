package gateway_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/gateway"
	"github.com/dstore-net/dstore/sharding"
)

// memSource serves one upload from memory: the gateway's own cost, without the network.
type memSource struct {
	m    *sharding.Manifest
	segs [][]byte
}

func (s *memSource) Manifest(_ context.Context, root cid.Cid) (*sharding.Manifest, error) {
	if !root.Equals(s.m.Root) {
		return nil, retrieval.ErrManifestNotFound
	}
	return s.m, nil
}

func (s *memSource) Segment(_ context.Context, _ *sharding.Manifest, j int) ([]byte, error) {
	return s.segs[j], nil
}

func newMemSource(b testing.TB, data []byte) *memSource {
	b.Helper()
	s := &memSource{}
	m, err := sharding.Import(b.Context(), bytes.NewReader(data), sharding.Params{}, func(seg sharding.Segment) error {
		s.segs = append(s.segs, data[seg.Offset:seg.Offset+seg.Length])
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s.m = m
	return s
}

// BenchmarkCachedFile: a 1 MiB file served from the memory cache over loopback HTTP (the
// gateway's time per request, to first byte and to the end), by the fast path and by boxo's
// handler.
func BenchmarkCachedFile(b *testing.B) {
	for _, fast := range []bool{true, false} {
		name := "fast"
		if !fast {
			name = "boxo"
		}
		b.Run(name, func(b *testing.B) { benchCachedFile(b, fast) })
	}
}

// randomMiB is 1 MiB of pseudo-random bytes.
func randomMiB() []byte {
	data := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return data
}

func benchCachedFile(b *testing.B, fast bool) {
	data := randomMiB()
	src := newMemSource(b, data)
	gw, err := gateway.New(gateway.Config{Source: src})
	if err != nil {
		b.Fatal(err)
	}
	if !fast {
		gateway.NoFastPath(gw)
	}
	srv := httptest.NewServer(gw.Handler())
	defer srv.Close()
	url := srv.URL + "/ipfs/" + src.m.Root.String()
	var ttfb time.Duration
	get := func() {
		t0 := time.Now()
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		var first [1]byte
		if _, err := io.ReadFull(resp.Body, first[:]); err != nil {
			b.Fatal(err)
		}
		ttfb += time.Since(t0)
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n+1 != int64(len(data)) {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n+1)
		}
	}
	get() // warm the cache
	ttfb = 0
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		get()
	}
	b.ReportMetric(float64(ttfb.Microseconds())/float64(b.N), "ttfb-µs")
	if served := gateway.FastServed(gw); fast != (served > 0) {
		b.Fatalf("%d responses by the fast path", served)
	}
}

// BenchmarkCachedFileHandler: the gateway's handler alone, without a connection, answering a
// cached 1 MiB file by the fast path: its time from the call to its first write (what the
// gateway adds to an HTTP server's own time to first byte).
func BenchmarkCachedFileHandler(b *testing.B) {
	data := randomMiB()
	src := newMemSource(b, data)
	gw, err := gateway.New(gateway.Config{Source: src})
	if err != nil {
		b.Fatal(err)
	}
	target := "http://127.0.0.1:8080/ipfs/" + src.m.Root.String()
	gw.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil)) // boxo's answer, learned
	var first time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w := &firstWrite{header: http.Header{}, start: time.Now()}
		gw.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		first += w.first
		if w.n != len(data) {
			b.Fatalf("%d bytes written", w.n)
		}
	}
	b.ReportMetric(float64(first.Nanoseconds())/float64(b.N)/1e3, "first-write-µs")
	if gateway.FastServed(gw) != int64(b.N) {
		b.Fatalf("%d of %d responses by the fast path", gateway.FastServed(gw), b.N)
	}
}

// firstWrite is a ResponseWriter that discards the body and notes when its first byte came.
type firstWrite struct {
	header http.Header
	start  time.Time
	first  time.Duration
	n      int
}

func (w *firstWrite) Header() http.Header { return w.header }
func (w *firstWrite) WriteHeader(int)     {}

func (w *firstWrite) Write(b []byte) (int, error) {
	if w.n == 0 {
		w.first = time.Since(w.start)
	}
	w.n += len(b)
	return len(b), nil
}
