package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/devnet/devnettest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
)

// The benchmarks of this file run `dstore devnet --netns`: six nodes, each in a network namespace
// of its own behind a relay that delays its traffic, and the reads in this process, so that the
// time to first byte is measured at the first byte written. They need root.

// netnsSize is the size of the large file of the namespace benchmarks: DSTORE_BENCH_NETNS_SIZE
// bytes, default 1 GiB.
func netnsSize(b *testing.B, def int64) int64 {
	if s := os.Getenv("DSTORE_BENCH_NETNS_SIZE"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("DSTORE_BENCH_NETNS_SIZE=%q: %v", s, err)
		}
		return n
	}
	return def
}

type netnsNet struct {
	exe, home string
	lastOpen  time.Duration // how long the last range read took to find its manifest
	file      *devnet.File
}

// startNetns starts a storage-only devnet of 6 nodes in namespaces with the given --delay and --rate.
func startNetns(b *testing.B, delays, rates string) *netnsNet {
	b.Helper()
	if err := netns.Check(); err != nil {
		b.Skipf("skipped: %v", err)
	}
	dir := b.TempDir()
	n := &netnsNet{exe: buildDstore(b, dir), home: filepath.Join(dir, "home")}
	extra := []string{"--no-chain", "--netns", "--delay", delays}
	if rates != "" {
		extra = append(extra, "--rate", rates)
	}
	startDevnet(b, n.exe, n.home, 6, extra...)
	f, err := devnet.ReadFile(n.home)
	if err != nil {
		b.Fatal(err)
	}
	n.file = f
	return n
}

// put stores a file of size random bytes with `dstore put` and returns its root and which node
// index holds each shard.
func (n *netnsNet) put(b *testing.B, size int64, seed byte) (cid.Cid, []int) {
	b.Helper()
	src := filepath.Join(b.TempDir(), "file")
	writeRandom(b, src, size, seed)
	out, el, _ := runMeasured(b, n.exe, "--home", n.home, "--quiet", "--json", "put", src)
	res := devnettest.ParsePut(b, out)
	b.Logf("put of %d MiB: %v (%.0f MB/s)", size>>20, el.Round(time.Millisecond), float64(size)/el.Seconds()/1e6)
	return res.Root, res.Holders(b, n.file, 0)
}

// transports lists the clients a namespace benchmark measures, from DSTORE_BENCH_NETNS_TRANSPORTS
// (comma-separated): "default" dials the nodes as a dstore client does, "tcp" and "quic" only
// their addresses of that transport. Default: "default".
func transports() []string {
	if s := os.Getenv("DSTORE_BENCH_NETNS_TRANSPORTS"); s != "" {
		return strings.Split(s, ",")
	}
	return []string{"default"}
}

// metric names a benchmark metric of transport tr: the default's keeps its plain name.
func metric(tr, name string) string {
	if tr == "default" {
		return name
	}
	return tr + "-" + name
}

// client returns a read client in this process that knows the devnet's nodes.
func (n *netnsNet) client(b *testing.B) *retrieval.Client {
	return n.clientOver(b, "default")
}

// clientOver returns a read client that knows the devnet's nodes by their addresses of transport
// tr (see transports).
func (n *netnsNet) clientOver(b *testing.B, tr string) *retrieval.Client {
	b.Helper()
	// The host a dstore client runs (p2p.NewHost: its dial order too), with a key of its own.
	h := p2ptest.NewHost(b, p2ptest.Dstore())
	var peers []peer.AddrInfo
	for _, nd := range n.file.Nodes {
		for _, a := range nd.Addrs {
			if (tr == "tcp" && !strings.Contains(a, "/tcp/")) || (tr == "quic" && !strings.Contains(a, "/quic")) {
				continue
			}
			ai, err := peer.AddrInfoFromString(a)
			if err != nil {
				b.Fatal(err)
			}
			peers = append(peers, *ai)
		}
	}
	c, err := retrieval.New(retrieval.Config{Host: h, Peers: peers})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func (n *netnsNet) setDelay(b *testing.B, i int, d time.Duration) {
	b.Helper()
	f := n.file.Nodes[i].Netns.DelayFile
	if err := os.WriteFile(f+".tmp", []byte(d.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(f+".tmp", f); err != nil {
		b.Fatal(err)
	}
}

// firstByte is a writer that notes when its first byte came.
type firstByte struct {
	mu    sync.Mutex
	first time.Time
	n     int64
}

func (w *firstByte) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.first.IsZero() && len(p) > 0 {
		w.first = time.Now()
	}
	w.n += int64(len(p))
	w.mu.Unlock()
	return len(p), nil
}

// timedGet reads root and returns its time to first byte and its total time.
func timedGet(b *testing.B, c *retrieval.Client, root cid.Cid, size int64) (ttfb, total time.Duration) {
	b.Helper()
	w := &firstByte{}
	t0 := time.Now()
	if _, _, err := c.Get(context.Background(), root, w, retrieval.GetOptions{}); err != nil {
		b.Fatal(err)
	}
	total = time.Since(t0)
	if w.n != size {
		b.Fatalf("read %d bytes, want %d", w.n, size)
	}
	return w.first.Sub(t0), total
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkNetnsDelays (benchmark 1): nodes 5, 10, 20, 40, 80 and 160 ms away (one way); the
// time to first byte and the throughput of 1 MiB and 1 GiB reads, against the k-th smallest round
// trip (the goal: TTFB at most that plus 10 ms).
func BenchmarkNetnsDelays(b *testing.B) {
	delays := []time.Duration{5, 10, 20, 40, 80, 160}
	var parts []string
	for i := range delays {
		delays[i] *= time.Millisecond
		parts = append(parts, delays[i].String())
	}
	n := startNetns(b, strings.Join(parts, ","), "")
	k := n.file.K
	kthRTT := 2 * delays[k-1]
	small, _ := n.put(b, 1<<20, 1)
	bigSize := netnsSize(b, 1<<30)
	big, _ := n.put(b, bigSize, 2)
	b.ResetTimer()
	for range b.N {
		b.ReportMetric(ms(kthRTT), "kth-RTT-ms")
		b.ReportMetric(float64(bigSize)/(1<<20), "big-MiB")
		for _, tr := range transports() {
			// A new client's first read (new connections, the manifest resolved), five times, each
			// with a client of its own: one such read is at the mercy of the host's noise.
			var coldTTFBs, coldTotals []time.Duration
			var c *retrieval.Client
			for range 5 {
				c = n.clientOver(b, tr)
				t, tot := timedGet(b, c, small, 1<<20)
				coldTTFBs = append(coldTTFBs, t)
				coldTotals = append(coldTotals, tot)
			}
			coldTTFB, coldTotal := median(coldTTFBs), median(coldTotals)
			var ttfbs, totals []time.Duration
			for range 5 {
				t, tot := timedGet(b, c, small, 1<<20)
				ttfbs = append(ttfbs, t)
				totals = append(totals, tot)
			}
			bigTTFB, bigTotal := timedGet(b, c, big, bigSize)
			b.ReportMetric(ms(coldTTFB), metric(tr, "1MiB-cold-TTFB-ms"))
			b.ReportMetric(float64(1<<20)/coldTotal.Seconds()/1e6, metric(tr, "1MiB-cold-MB/s"))
			b.ReportMetric(ms(median(ttfbs)), metric(tr, "1MiB-TTFB-ms"))
			b.ReportMetric(float64(1<<20)/median(totals).Seconds()/1e6, metric(tr, "1MiB-MB/s"))
			b.ReportMetric(ms(bigTTFB), metric(tr, "big-TTFB-ms"))
			b.ReportMetric(float64(bigSize)/bigTotal.Seconds()/1e6, metric(tr, "big-MB/s"))
		}
	}
}

// BenchmarkNetnsRate (benchmark 2): every node's link capped at 200 mbit each way (1 ms away);
// the goal is a get of at least 0.8 x k x the cap.
func BenchmarkNetnsRate(b *testing.B) {
	const cap = 200e6
	n := startNetns(b, "1ms", "200mbit")
	size := netnsSize(b, 256<<20)
	root, _ := n.put(b, size, 3)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		for _, tr := range transports() {
			c := n.clientOver(b, tr)
			_, total := timedGet(b, c, root, size)
			got := float64(size) / total.Seconds()
			b.ReportMetric(got/1e6, metric(tr, "get-MB/s"))
			b.ReportMetric(got*8/(float64(n.file.K)*cap), metric(tr, "x-k-caps"))
		}
		// `dstore get` as a process, this build's and, with DSTORE_BENCH_BASELINE naming an older
		// dstore binary, that one's, one after the other on the same nodes: a ratio the load of
		// the machine weighs on alike.
		n.cliGets(b, root, size, func(name string, got float64) {
			b.ReportMetric(got/1e6, name+"-get-MB/s")
			b.ReportMetric(got*8/(float64(n.file.K)*cap), name+"-x-k-caps")
		})
	}
}

// cliGets times `dstore get` of root by this build ("cli") and, with DSTORE_BENCH_BASELINE set, by
// the baseline binary ("baseline-cli"), in turn, twice each, and reports each one's better rate in
// bytes per second.
func (n *netnsNet) cliGets(b *testing.B, root cid.Cid, size int64, report func(name string, rate float64)) {
	b.Helper()
	bins := []struct{ name, exe string }{{"cli", n.exe}}
	if base := os.Getenv("DSTORE_BENCH_BASELINE"); base != "" && baselineReads(b, base, n.home, root.String()) {
		bins = append(bins, struct{ name, exe string }{"baseline-cli", base})
	}
	best := make([]time.Duration, len(bins))
	out := filepath.Join(b.TempDir(), "out")
	for range 2 {
		for i, bin := range bins {
			_, el, _ := runMeasured(b, bin.exe, "--home", n.home, "--quiet", "get", root.String(), "-o", out)
			if fi, err := os.Stat(out); err != nil || fi.Size() != size {
				b.Fatalf("%s get wrote %v (%v), want %d bytes", bin.name, fi, err, size)
			}
			os.Remove(out)
			if best[i] == 0 || el < best[i] {
				best[i] = el
			}
		}
	}
	for i, bin := range bins {
		report(bin.name, float64(size)/best[i].Seconds())
	}
}

// rangeReader reads n bytes at off of root.
type rangeReader func(ctx context.Context, off, n int64, w io.Writer) (*retrieval.GetStats, error)

// BenchmarkNetnsSlowNode (benchmark 3): 100 reads of 1 MiB ranges of a 64 MiB file, nodes 5 ms
// away; the same run again with a data shard's node given +500 ms after the 20th read. The goal:
// p99 rises at most 10%.
func BenchmarkNetnsSlowNode(b *testing.B) {
	n := startNetns(b, "5ms", "")
	const size = 64 << 20
	root, holders := n.put(b, size, 4)
	slow := holders[0]
	b.ResetTimer()
	for range b.N {
		base := n.rangeRun(b, root, size, -1)
		slowed := n.rangeRun(b, root, size, slow)
		n.setDelay(b, slow, 5*time.Millisecond)
		p := func(ds []time.Duration, q float64) time.Duration { // nearest rank: p99 of 100 is the 99th
			s := slices.Clone(ds)
			slices.Sort(s)
			return s[max(0, int(math.Ceil(q*float64(len(s))))-1)]
		}
		for _, run := range []struct {
			name string
			ds   []time.Duration
		}{{"without the slow node", base}, {"with it", slowed}} {
			b.Logf("%s: the slowest reads (index: ms) %s", run.name, slowest(run.ds, 5))
		}
		b.ReportMetric(ms(p(base, 0.5)), "p50-ms")
		b.ReportMetric(ms(p(base, 0.99)), "p99-ms")
		b.ReportMetric(ms(p(slowed, 0.5)), "slowed-p50-ms")
		b.ReportMetric(ms(p(slowed, 0.99)), "slowed-p99-ms")
		b.ReportMetric(ms(p(slowed, 0.99))/ms(p(base, 0.99)), "p99-ratio")
	}
}

// slowest lists the n longest of ds with their index, longest first.
func slowest(ds []time.Duration, n int) string {
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(ds[b] - ds[a]) })
	var parts []string
	for _, i := range idx[:min(n, len(idx))] {
		parts = append(parts, strconv.Itoa(i)+": "+strconv.FormatFloat(ms(ds[i]), 'f', 1, 64))
	}
	return strings.Join(parts, ", ")
}

// fetches describes the piece fetches of a read, segment by segment: for each, the node (its
// index in the devnet), the bytes, and when it started, saw its first byte and ended, in ms from
// the start of its segment.
func fetches(st *retrieval.GetStats, f *devnet.File) string {
	node := func(id string) string {
		for i, nd := range f.Nodes {
			if nd.PeerID == id {
				return strconv.Itoa(i)
			}
		}
		return "?"
	}
	var sb strings.Builder
	for _, s := range st.PerSegment {
		fmt.Fprintf(&sb, "\n  segment %d: %.1f ms (decode %.1f ms), decoded %v, %d hedges:", s.Segment, ms(s.Elapsed), ms(s.Decode), s.Decoded, s.Hedges)
		for _, p := range s.Pieces {
			fmt.Fprintf(&sb, "\n    piece %d node %s %4d KiB at %d: start %.1f ttfb +%.1f end %.1f", p.Piece, node(p.Peer), p.Bytes>>10, p.Off>>10, ms(p.At), ms(p.TTFB), ms(p.At+p.Elapsed))
			if p.Hedge {
				sb.WriteString(" (hedge)")
			}
		}
	}
	return sb.String()
}

// ranges reads byte ranges of root through c.
func (n *netnsNet) ranges(b *testing.B, c *retrieval.Client, root cid.Cid) rangeReader {
	return func(ctx context.Context, off, size int64, w io.Writer) (*retrieval.GetStats, error) {
		// ReadRange, with the time its manifest took noted for the log.
		t0 := time.Now()
		f, err := c.Open(ctx, root)
		if err != nil {
			return nil, err
		}
		n.lastOpen = time.Since(t0)
		return f.WriteRange(ctx, off, size, w, retrieval.GetOptions{})
	}
}

// rangeRun times 100 reads of 1 MiB ranges at seeded random offsets with a fresh client; when
// slow >= 0, node slow gets 500 ms more delay after the 20th read. Reads that took more than twice
// the median are logged with their hedges and the pieces the slow node served.
func (n *netnsNet) rangeRun(b *testing.B, root cid.Cid, size int64, slow int) []time.Duration {
	b.Helper()
	c := n.client(b)
	read := n.ranges(b, c, root)
	r := rand.New(rand.NewPCG(9, 9))
	// Reads to warm the connections, not counted, the same in both runs. With one, the first
	// counted reads were the slowest of either run (22-30 ms against a median of 19-20): they
	// paid TCP's slow start on the connections that read had used little or not at all, and the
	// second slowest read, the p99, was one of them rather than a read the slow node delayed.
	warm := rand.New(rand.NewPCG(7, 7))
	for range 8 {
		if _, err := read(context.Background(), warm.Int64N(size-1<<20), 1<<20, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	var out []time.Duration
	stats := make([]*retrieval.GetStats, 0, 100)
	var opens []time.Duration
	for i := range 100 {
		if i == 20 && slow >= 0 {
			n.setDelay(b, slow, 505*time.Millisecond)
		}
		off := r.Int64N(size - 1<<20)
		t0 := time.Now()
		st, err := read(context.Background(), off, 1<<20, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(t0))
		stats = append(stats, st)
		opens = append(opens, n.lastOpen)
	}
	slowID := ""
	if slow >= 0 {
		slowID = n.file.Nodes[slow].PeerID
	}
	med := median(out)
	// The reads that rebuilt data from parity against those that did not: what reading around the
	// slow node costs.
	var dec, direct []time.Duration
	for i, d := range out {
		if stats[i].Decoded > 0 {
			dec = append(dec, d)
		} else {
			direct = append(direct, d)
		}
	}
	if len(dec) > 0 && len(direct) > 0 {
		b.Logf("%d reads decoded (median %.1f ms, slowest %.1f), %d did not (median %.1f ms, slowest %.1f)",
			len(dec), ms(median(dec)), ms(slices.Max(dec)), len(direct), ms(median(direct)), ms(slices.Max(direct)))
		// The fetches of the slowest decoded reads: which one ended last, and why.
		idx := make([]int, 0, len(dec))
		for i := range out {
			if stats[i].Decoded > 0 {
				idx = append(idx, i)
			}
		}
		slices.SortFunc(idx, func(a, c int) int { return int(out[c] - out[a]) })
		var all []string
		for _, i := range idx {
			var moved int64
			for _, s := range stats[i].PerSegment {
				for _, p := range s.Pieces {
					moved += p.Bytes
				}
			}
			all = append(all, fmt.Sprintf("%d: %.1f ms %d KiB", i, ms(out[i]), moved>>10))
		}
		b.Logf("decoded reads, slowest first (index: time, bytes of the fetches used): %s", strings.Join(all, ", "))
		for _, i := range idx[:min(4, len(idx))] {
			b.Logf("decoded read %d: %.1f ms, first byte %.1f ms%s", i, ms(out[i]), ms(stats[i].TTFB), fetches(stats[i], n.file))
		}
	}
	for i, d := range out {
		if d <= 2*med {
			continue
		}
		served := 0
		for _, s := range stats[i].PerSegment {
			for _, p := range s.Pieces {
				if p.Peer == slowID {
					served++
				}
			}
		}
		b.Logf("read %d: %.1f ms (median %.1f; its manifest %.1f ms, first byte %.1f ms), %d segments, %d decoded, %d hedges (%d held back), %d pieces from the slow node",
			i, ms(d), ms(med), ms(opens[i]), ms(stats[i].TTFB), stats[i].Segments, stats[i].Decoded, stats[i].Hedged, stats[i].HedgesHeld, served)
	}
	return out
}
