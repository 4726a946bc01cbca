package retrieval_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/retrieval"
)

func testPeer(t testing.TB, s string) peer.ID {
	t.Helper()
	p, err := peer.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	peerA = "12D3KooWGkS4shmzzBDNHqLy7owpseCa97LWJTVDregTM8kKZYS4"
	peerB = "12D3KooWN3YNwPHkepvKL4P56eFsLV7oQ7ihthJ6mtG7LizKzST5"
)

// The estimator ranks a slow node after a fast one, penalises failures, keeps its state through
// JSON, and a ping seeds a node never read from.
func TestEstimator(t *testing.T) {
	a, b := testPeer(t, peerA), testPeer(t, peerB)
	e := retrieval.NewEstimator(time.Minute)
	for range 10 {
		e.Observe(a, 2*time.Millisecond, 3*time.Millisecond, 1<<20)
		e.Observe(b, 80*time.Millisecond, 90*time.Millisecond, 1<<20)
	}
	if e.Expect(a, 1<<20) >= e.Expect(b, 1<<20) {
		t.Fatalf("fast node expected in %v, slow one in %v", e.Expect(a, 1<<20), e.Expect(b, 1<<20))
	}
	if p95 := e.P95(a, 0); p95 < 2*time.Millisecond || p95 > 80*time.Millisecond {
		t.Fatalf("P95 of the fast node %v", p95)
	}
	before := e.Expect(a, 0)
	e.Fail(a)
	if e.Expect(a, 0) <= before {
		t.Fatal("a failure did not make the node look slower")
	}
	e.MarkDown(b, time.Minute)
	if !e.Down(b) {
		t.Fatal("MarkDown did not mark the node down")
	}
	js, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	e2 := retrieval.NewEstimator(0)
	if err := json.Unmarshal(js, e2); err != nil {
		t.Fatal(err)
	}
	if got, want := e2.Estimate(a).TTFB, e.Estimate(a).TTFB; got != want {
		t.Fatalf("TTFB after a JSON round trip %v, want %v", got, want)
	}
	if e2.Down(b) {
		t.Fatal("a down mark outlived its process")
	}
	c := testPeer(t, "12D3KooWCMfHMLAfitU46AqP7jNWnfbVjxZCpV5qoAbscWv9M9dm")
	if e2.Known(c) {
		t.Fatal("a node never seen is known")
	}
	e2.SeedRTT(c, time.Millisecond)
	if !e2.Known(c) || e2.Expect(c, 0) < time.Millisecond {
		t.Fatalf("a pinged node: known %v, expected in %v", e2.Known(c), e2.Expect(c, 0))
	}
}

// FuzzEstimatorJSON: the estimates file is a cache in the user's home, read at every start; any
// bytes load or fail cleanly, and what loads gives finite, non-negative estimates.
func FuzzEstimatorJSON(f *testing.F) {
	f.Add([]byte(`{"version":1,"half_life_ns":300000000000,"nodes":{"` + peerA + `":{"w":3,"ttfb":0.002,"ttfb_var":0.000001,"bytes":3000000,"secs":0.01,"fails":0,"rtt":0.001,"t":"2026-01-01T00:00:00Z"}}}`))
	f.Add([]byte(`{"nodes":{"x":{"w":-1}}}`))
	f.Add([]byte(`{"nodes":{"` + peerB + `":{"w":1e308,"ttfb":1e308}}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := retrieval.NewEstimator(0)
		if err := json.Unmarshal(b, e); err != nil {
			return
		}
		for _, est := range e.Estimates() {
			if est.TTFB < 0 || est.TTFBP95 < 0 || est.Throughput <= 0 || e.Expect(est.Peer, 1<<20) < 0 {
				t.Fatalf("estimate %+v", est)
			}
		}
	})
}

// A fetch found late makes its node expected at least that slow at once, though its past fetches
// were fast, and suspect (reads decode around it); its P95, which says when a fetch is late, stays
// that of its answers; a fetch answered in time again clears it.
func TestEstimatorLate(t *testing.T) {
	a, b := testPeer(t, peerA), testPeer(t, peerB)
	e := retrieval.NewEstimator(0)
	for range 50 {
		e.Observe(a, 5*time.Millisecond, 10*time.Millisecond, 1<<20)
		e.Observe(b, 10*time.Millisecond, 15*time.Millisecond, 1<<20)
	}
	p95 := e.P95(a, 1<<20)
	if e.Suspect(a) {
		t.Fatal("a node never late is suspect")
	}
	e.Late(a, 60*time.Millisecond)
	if got := e.Estimate(a).TTFB; got < 59*time.Millisecond {
		t.Fatalf("found late after 60 ms, the node is expected in %v", got)
	}
	if e.Expect(a, 1<<20) <= e.Expect(b, 1<<20) {
		t.Fatalf("the late node is expected in %v, the other in %v", e.Expect(a, 1<<20), e.Expect(b, 1<<20))
	}
	if !e.Suspect(a) || e.Suspect(b) {
		t.Fatalf("suspect: late node %v, other %v", e.Suspect(a), e.Suspect(b))
	}
	// Estimates decay with the clock: between two calls the P95 may move by rounding, not more.
	if got := e.P95(a, 1<<20); (got - p95).Abs() > p95/1000 {
		t.Fatalf("the P95 moved from %v to %v", p95, got)
	}
	// The persisted state keeps the bound.
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	e2 := retrieval.NewEstimator(0)
	if err := json.Unmarshal(raw, e2); err != nil {
		t.Fatal(err)
	}
	if got := e2.Estimate(a).TTFB; got < 55*time.Millisecond {
		t.Fatalf("reloaded, the late node is expected in %v", got)
	}
	e.Observe(a, 5*time.Millisecond, 10*time.Millisecond, 1<<20)
	if e.Suspect(a) || e.Estimate(a).TTFB > 20*time.Millisecond {
		t.Fatalf("answered in 5 ms again, the node is still suspect (%v) or expected in %v", e.Suspect(a), e.Estimate(a).TTFB)
	}
}
