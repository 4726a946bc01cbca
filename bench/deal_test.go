package bench

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// dealSize is the file size of BenchmarkPutToFirstProof: DSTORE_BENCH_DEAL_SIZE bytes, default 32 MiB.
func dealSize(b *testing.B) int64 {
	if s := os.Getenv("DSTORE_BENCH_DEAL_SIZE"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("DSTORE_BENCH_DEAL_SIZE=%q: %v", s, err)
		}
		return n
	}
	return 32 << 20
}

// BenchmarkPutToFirstProof measures, on the devnet with its embedded chain (one block a second,
// 30-block proof periods, six node processes proving with the devnet circuit), the time from the
// start of `dstore put` to the first proof of every slot accepted on chain, and the stages of
// the deal: the holders' slot roots, the client's spot checks, the fills.
func BenchmarkPutToFirstProof(b *testing.B) {
	size := dealSize(b)
	dir := b.TempDir()
	exe := buildDstore(b, dir)
	home := filepath.Join(dir, "home")
	startDevnet(b, exe, home, 6)

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		src := filepath.Join(dir, "file.bin")
		writeRandom(b, src, size, byte(i+2))
		b.StartTimer()
		t0 := time.Now()
		out, putTime, _ := runMeasured(b, exe, "--home", home, "--quiet", "--json", "put", src)
		var res struct {
			Root string `json:"root"`
			Deal struct {
				Gas   uint64  `json:"gas"`
				Roots float64 `json:"rootsSeconds"`
				Check float64 `json:"checkSeconds"`
				Fill  float64 `json:"fillSeconds"`
				Slots []struct {
					Filled bool `json:"filled"`
				} `json:"slots"`
			} `json:"deal"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			b.Fatalf("put printed %q: %v", out, err)
		}
		for j, s := range res.Deal.Slots {
			if !s.Filled {
				b.Fatalf("slot %d was not filled", j)
			}
		}
		var proven time.Duration
		for deadline := time.Now().Add(5 * time.Minute); proven == 0; {
			if time.Now().After(deadline) {
				b.Fatal("not every slot proven within 5 minutes")
			}
			time.Sleep(250 * time.Millisecond)
			st, _, _ := runMeasured(b, exe, "--home", home, "--json", "status", res.Root)
			var status struct {
				Deals []struct {
					Slots []struct {
						Proven uint32 `json:"proven"`
					} `json:"slots"`
				} `json:"deals"`
			}
			if err := json.Unmarshal([]byte(st), &status); err != nil {
				b.Fatalf("status printed %q: %v", st, err)
			}
			if len(status.Deals) == 0 {
				b.Fatalf("status shows no deal for %s", res.Root)
			}
			all := true
			for _, s := range status.Deals[len(status.Deals)-1].Slots {
				all = all && s.Proven > 0
			}
			if all {
				proven = time.Since(t0)
			}
		}
		b.StopTimer()
		b.ReportMetric(proven.Seconds(), "put-to-all-proven-s")
		b.ReportMetric(putTime.Seconds(), "put+deal-s")
		b.ReportMetric(res.Deal.Roots, "roots-s")
		b.ReportMetric(res.Deal.Check, "spot-check-s")
		b.ReportMetric(res.Deal.Fill, "fill-s")
		b.ReportMetric(float64(res.Deal.Gas), "createRequest-gas")
		b.StartTimer()
	}
}
