package bench

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// repairSize is the file size of BenchmarkRepairShard: DSTORE_BENCH_REPAIR_SIZE bytes, default 256 MiB.
func repairSize(b *testing.B) int64 {
	if s := os.Getenv("DSTORE_BENCH_REPAIR_SIZE"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("DSTORE_BENCH_REPAIR_SIZE=%q: %v", s, err)
		}
		return n
	}
	return 256 << 20
}

// repairReps is how many repairs BenchmarkRepairShard times, each against its own baseline:
// DSTORE_BENCH_REPAIR_REPS, default 5.
func repairReps(b *testing.B) int {
	if s := os.Getenv("DSTORE_BENCH_REPAIR_REPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("DSTORE_BENCH_REPAIR_REPS=%q: want a count", s)
		}
		return n
	}
	return 5
}

// BenchmarkRepairShard measures the repair of one shard of a file (DSTORE_BENCH_REPAIR_SIZE, default
// 256 MiB, k=4, m=2) on nodes on loopback. Six nodes hold the file; then, DSTORE_BENCH_REPAIR_REPS
// times (default 5), in turn: a baseline read of the whole file while every holder is up (it moves
// the k shards' worth of bytes a repair fetches, from the same nodes), then the holder of data shard
// 0 is closed and retrieval.Client.RebuildShard rebuilds the shard from the k others onto a new node,
// which holds shard 0 for the next round. Baseline and repair alternate in the same run, so that both
// meet the same load. The nodes build no slot trees (LazyTrees), so neither measure shares the cores
// with that hashing. Reported: the medians of repair-s, baseline-s and of their ratio (goal: at most
// 1.5), the largest ratio, the bytes fetched over k times the shard's size (goal: at most 1) and the
// bytes stored over the shard's size; and the median ratio of the CPU time the process (nodes and
// client) spent on each, which the machine's load moves less than the wall time.
func BenchmarkRepairShard(b *testing.B) {
	size := repairSize(b)
	reps := repairReps(b)
	dir := b.TempDir()
	src := filepath.Join(dir, "file.bin")
	writeRandom(b, src, size, 7)
	var repairs, bases []time.Duration
	var ratios, cpuRatios []float64
	var fetchedRatio, storedRatio float64
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		// Lazy trees: no node hashes its shards for proofs meanwhile, which would take the
		// cores from the read and the repair unevenly.
		var nodes []*node.Node
		var boot []peer.AddrInfo
		for j := 0; j < 6; j++ {
			n := nodetest.StartConfig(b, node.Config{Repo: b.TempDir(), Bootstrap: boot, LazyTrees: true})
			if j == 0 {
				boot = []peer.AddrInfo{{ID: n.ID(), Addrs: n.Host().Addrs()}}
			}
			nodes = append(nodes, n)
		}
		// The client's host is the one dstore's clients run (p2p.NewHost: loopback TCP first).
		h := p2ptest.NewHost(b, p2ptest.Dstore())
		c := retrievaltest.NewClient(b, nodes, retrieval.Config{Host: h})
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		_, m, err := c.Put(b.Context(), f, size, retrieval.PutOptions{Params: sharding.Params{}})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		var holder *node.Node
		for _, n := range nodes {
			if n.ID().String() == m.Placement[0][0].Peer {
				holder = n
			}
		}
		for rep := range reps {
			// The new holder starts now, so that it holds nothing of the file.
			spare := nodetest.StartConfig(b, node.Config{Repo: b.TempDir(), Bootstrap: boot, LazyTrees: true})
			spare.Allow(h.ID())
			b.StartTimer()
			t0, cpu0 := time.Now(), cpuTime(b)
			if _, err := c.Read(b.Context(), m, io.Discard, retrieval.GetOptions{}); err != nil {
				b.Fatal(err)
			}
			base, baseCPU := time.Since(t0), cpuTime(b)-cpu0
			holder.Close()
			cpu0 = cpuTime(b)
			st, err := c.RebuildShard(b.Context(), m, 0, peer.AddrInfo{ID: spare.ID(), Addrs: spare.Host().Addrs()}, retrieval.RebuildOptions{})
			if err != nil {
				b.Fatal(err)
			}
			repairCPU := cpuTime(b) - cpu0
			b.StopTimer()
			repairs, bases = append(repairs, st.Elapsed), append(bases, base)
			ratios = append(ratios, st.Elapsed.Seconds()/base.Seconds())
			cpuRatios = append(cpuRatios, repairCPU.Seconds()/baseCPU.Seconds())
			fetchedRatio = float64(st.Fetched) / float64(int64(m.K)*st.ShardLen)
			storedRatio = float64(st.Stored) / float64(st.ShardLen)
			b.Logf("round %d, shard of %d bytes: repair %v (fetched %d, stored %d), baseline read of the file %v: %.2fx; CPU %v against %v: %.2fx",
				rep, st.ShardLen, st.Elapsed, st.Fetched, st.Stored, base, ratios[len(ratios)-1], repairCPU, baseCPU, cpuRatios[len(cpuRatios)-1])
			// The new node holds shard 0 from now on.
			holder = spare
			moved := *m
			moved.Placement = slices.Clone(m.Placement)
			moved.Placement[0] = []sharding.Location{{Peer: spare.ID().String()}}
			for _, a := range spare.Host().Addrs() {
				moved.Placement[0][0].Addrs = append(moved.Placement[0][0].Addrs, a.String())
			}
			m = &moved
		}
		h.Close()
	}
	slices.Sort(ratios)
	slices.Sort(cpuRatios)
	b.ReportMetric(cpuRatios[len(cpuRatios)/2], "repair-cpu/baseline-cpu")
	b.ReportMetric(median(repairs).Seconds(), "repair-s")
	b.ReportMetric(median(bases).Seconds(), "baseline-s")
	b.ReportMetric(ratios[len(ratios)/2], "repair/baseline")
	b.ReportMetric(ratios[len(ratios)-1], "max-repair/baseline")
	b.ReportMetric(fetchedRatio, "fetched/(k*shard)")
	b.ReportMetric(storedRatio, "stored/shard")
	b.SetBytes(size)
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
