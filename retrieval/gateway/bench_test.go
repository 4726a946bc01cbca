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

func benchCachedFile(b *testing.B, fast bool) {
	data := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
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
