package bench

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/devnet/devnettest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
)

// BenchmarkNetnsPieceRead reads ranges of single pieces straight from the nodes that hold them,
// nodes 5 ms away (a 10 ms round trip), with the wire client alone: no planning, no hedges, no
// decoding. Ranges of 4 KiB, 64 KiB, 256 KiB and 1 MiB take turns, 60 of each; the figures are
// each size's median time to the answer's header (first byte) and to its last byte. What a
// 1 MiB read costs over a 4 KiB one is the part of a read's time that grows with its bytes.
// "k-1024KiB" reads 1 MiB from each of the k data pieces of a segment at once, on k nodes, as a
// read that decodes a 1 MiB range does: its figures are those of the last piece to arrive.
func BenchmarkNetnsPieceRead(b *testing.B) {
	n := startNetns(b, "5ms", "")
	const size = 64 << 20
	src := b.TempDir() + "/file"
	writeRandom(b, src, size, 5)
	out, _, _ := runMeasured(b, n.exe, "--home", n.home, "--quiet", "--json", "put", src)
	put := devnettest.ParsePut(b, out)
	holders := put.Holders(b, n.file, 0)
	f, err := n.client(b).Open(context.Background(), put.Root)
	if err != nil {
		b.Fatal(err)
	}
	m := f.Manifest()

	h := p2ptest.NewHost(b, p2ptest.Dstore())
	peers := make([]peer.ID, len(n.file.Nodes))
	for i, nd := range n.file.Nodes {
		for _, a := range nd.Addrs {
			ai, err := peer.AddrInfoFromString(a)
			if err != nil {
				b.Fatal(err)
			}
			h.Peerstore().AddAddrs(ai.ID, ai.Addrs, time.Hour)
			peers[i] = ai.ID
		}
		if err := h.Connect(context.Background(), peer.AddrInfo{ID: peers[i]}); err != nil {
			b.Fatal(err)
		}
	}
	c := wire.NewClient(h)
	sizes := []int{4 << 10, 64 << 10, 256 << 10, 1 << 20, -1 << 20}
	r := rand.New(rand.NewPCG(5, 5))
	// read fetches n bytes of one data piece of a random segment, or with n < 0, -n bytes of
	// each of its data pieces at once.
	read := func(n int) (ttfb, total time.Duration) {
		seg := r.IntN(m.NumSegments() - 1)
		shards := []int{r.IntN(m.K)}
		if n < 0 {
			n, shards = -n, shards[:0]
			for i := range m.K {
				shards = append(shards, i)
			}
		}
		psize := int(m.SegmentPieceSize(seg))
		ttfbs := make([]time.Duration, len(shards))
		t0 := time.Now()
		var g errgroup.Group
		for i, shard := range shards {
			g.Go(func() error {
				dst := make([]byte, min(n, psize))
				ref := wire.PieceRef{Root: put.Root, Shard: shard, Segment: seg}
				var err error
				ttfbs[i], err = c.GetPieceInto(context.Background(), peers[holders[shard]], ref, 0, dst)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		return slices.Max(ttfbs), time.Since(t0)
	}
	for _, s := range sizes { // warm every node's connection and files
		for range 6 {
			read(s)
		}
	}
	b.ResetTimer()
	for range b.N {
		ttfbs := make([][]time.Duration, len(sizes))
		totals := make([][]time.Duration, len(sizes))
		for range 60 {
			for i, s := range sizes {
				t, tot := read(s)
				ttfbs[i] = append(ttfbs[i], t)
				totals[i] = append(totals[i], tot)
			}
		}
		for i, s := range sizes {
			name := strconv.Itoa(s>>10) + "KiB"
			if s < 0 {
				name = "k-" + strconv.Itoa(-s>>10) + "KiB"
			}
			b.ReportMetric(ms(median(ttfbs[i])), name+"-ttfb-ms")
			b.ReportMetric(ms(median(totals[i])), name+"-ms")
			b.Logf("%s: first byte p10/p50/p90 %s ms, last byte %s ms", name, quantiles(ttfbs[i]), quantiles(totals[i]))
		}
	}
}

// quantiles formats the 10th, 50th and 90th percentiles of ds in milliseconds.
func quantiles(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) string { return strconv.FormatFloat(ms(s[int(p*float64(len(s)-1))]), 'f', 1, 64) }
	return q(0.1) + "/" + q(0.5) + "/" + q(0.9)
}
