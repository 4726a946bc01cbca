package bench

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
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

// BenchmarkRepairShard measures the repair of one shard of a file (DSTORE_BENCH_REPAIR_SIZE, default
// 256 MiB, k=4, m=2) on seven nodes on loopback, six holding the file and one spare: the holder of
// data shard 0 is closed and retrieval.Client.RebuildShard rebuilds the shard from the k others onto
// the spare. The baseline, in the same run, is a read of the whole file while every holder was up:
// it moves the same k shards' worth of bytes from the same nodes. The nodes build no slot trees
// (LazyTrees), so neither measure shares the cores with that hashing. Reported: repair-s, baseline-s,
// their ratio (goal: at most 1.5), the bytes fetched over k times the shard's size (goal: at most 1)
// and the bytes stored over the shard's size.
func BenchmarkRepairShard(b *testing.B) {
	size := repairSize(b)
	dir := b.TempDir()
	src := filepath.Join(dir, "file.bin")
	writeRandom(b, src, size, 7)
	var repair, base time.Duration
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
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
		if err != nil {
			b.Fatal(err)
		}
		cfg := retrieval.Config{Host: h}
		for _, n := range nodes {
			cfg.Peers = append(cfg.Peers, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
			n.Allow(h.ID())
		}
		c, err := retrieval.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		_, m, err := c.Put(b.Context(), f, size, retrieval.PutOptions{Params: sharding.Params{}})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		// The spare starts after the put, so that it holds nothing of the file.
		spare := nodetest.StartConfig(b, node.Config{Repo: b.TempDir(), Bootstrap: boot, LazyTrees: true})
		spare.Allow(h.ID())
		b.StartTimer()
		t0 := time.Now()
		if _, err := c.Read(b.Context(), m, io.Discard, retrieval.GetOptions{}); err != nil {
			b.Fatal(err)
		}
		base = time.Since(t0)
		for _, n := range nodes {
			if n.ID().String() == m.Placement[0][0].Peer {
				n.Close()
			}
		}
		st, err := c.RebuildShard(b.Context(), m, 0, peer.AddrInfo{ID: spare.ID(), Addrs: spare.Host().Addrs()}, retrieval.RebuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		repair = st.Elapsed
		b.StopTimer()
		fetchedRatio = float64(st.Fetched) / float64(int64(m.K)*st.ShardLen)
		storedRatio = float64(st.Stored) / float64(st.ShardLen)
		b.Logf("shard %d bytes: repair %v (fetched %d, stored %d), baseline read of the file %v", st.ShardLen, repair, st.Fetched, st.Stored, base)
		h.Close()
	}
	b.ReportMetric(repair.Seconds(), "repair-s")
	b.ReportMetric(base.Seconds(), "baseline-s")
	b.ReportMetric(repair.Seconds()/base.Seconds(), "repair/baseline")
	b.ReportMetric(fetchedRatio, "fetched/(k*shard)")
	b.ReportMetric(storedRatio, "stored/shard")
	b.SetBytes(size)
}
