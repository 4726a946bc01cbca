package bench

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// measured is one client process's wall time, CPU time (user + system) and peak RSS.
type measured struct {
	wall, cpu time.Duration
	rss       int64
}

func (m *measured) add(o measured) {
	m.wall += o.wall
	m.cpu += o.cpu
	m.rss = max(m.rss, o.rss)
}

// runCPU runs exe with args and returns its stdout and what it cost.
func runCPU(b *testing.B, exe string, args ...string) (string, measured) {
	b.Helper()
	cmd := exec.Command(exe, args...)
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v", exe, args, err)
	}
	wall := time.Since(t0)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return out.String(), measured{wall: wall, cpu: cpu, rss: ru.Maxrss * 1024}
}

// BenchmarkPrivateFiles puts and gets the same file (DSTORE_BENCH_SIZE, default 1 GiB) in the
// clear and encrypted (put --encrypt, get decrypting with the identity in HOME) on one local
// 6-node network, each client command a separate process, alternating the two so that both see
// the same machine. It reports both throughputs, their ratios (enc-*-ratio: encrypted throughput
// over clear, 1 means encryption is free), the same ratio of the client's CPU time (user +
// system, steadier than wall time on a loaded machine) and the clients' peak RSS.
func BenchmarkPrivateFiles(b *testing.B) {
	size := benchSize(b)
	dir := b.TempDir()
	exe := buildDstore(b, dir)
	home := filepath.Join(dir, "home")
	startDevnet(b, exe, home, 6, "--no-chain")
	runMeasured(b, exe, "--home", home, "--quiet", "key", "new")
	src := filepath.Join(dir, "file.bin")
	want := writeRandom(b, src, size, 3)
	dst := filepath.Join(dir, "out.bin")

	// one puts and gets src with the extra put flags and returns what each cost.
	one := func(putFlags ...string) (put, get measured) {
		args := append([]string{"--home", home, "--quiet", "--json", "put"}, putFlags...)
		out, put := runCPU(b, exe, append(args, src)...)
		var res struct {
			Root      string `json:"root"`
			Encrypted bool   `json:"encrypted"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			b.Fatalf("put printed %q: %v", out, err)
		}
		if res.Encrypted != (len(putFlags) > 0) {
			b.Fatalf("put %v: encrypted %v", putFlags, res.Encrypted)
		}
		_, get = runCPU(b, exe, "--home", home, "--quiet", "get", "-o", dst, res.Root)
		if sha256File(b, dst) != want {
			b.Fatalf("put %v: the file read back differs", putFlags)
		}
		os.Remove(dst)
		return put, get
	}

	b.SetBytes(size)
	b.ResetTimer()
	// Alternate clear and encrypted runs: on a loaded machine both see the same load.
	var clearPut, clearGet, encPut, encGet measured
	for i := 0; i < b.N; i++ {
		p, g := one()
		clearPut.add(p)
		clearGet.add(g)
		p, g = one("--encrypt")
		encPut.add(p)
		encGet.add(g)
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(clearPut.wall), "put-MB/s")
	b.ReportMetric(mbps(clearGet.wall), "get-MB/s")
	b.ReportMetric(mbps(encPut.wall), "enc-put-MB/s")
	b.ReportMetric(mbps(encGet.wall), "enc-get-MB/s")
	b.ReportMetric(clearPut.wall.Seconds()/encPut.wall.Seconds(), "enc-put-ratio")
	b.ReportMetric(clearGet.wall.Seconds()/encGet.wall.Seconds(), "enc-get-ratio")
	b.ReportMetric(clearPut.cpu.Seconds()/encPut.cpu.Seconds(), "enc-put-cpu-ratio")
	b.ReportMetric(clearGet.cpu.Seconds()/encGet.cpu.Seconds(), "enc-get-cpu-ratio")
	b.ReportMetric(float64(clearPut.rss)/(1<<20), "put-peak-RSS-MiB")
	b.ReportMetric(float64(encPut.rss)/(1<<20), "enc-put-peak-RSS-MiB")
	b.ReportMetric(float64(clearGet.rss)/(1<<20), "get-peak-RSS-MiB")
	b.ReportMetric(float64(encGet.rss)/(1<<20), "enc-get-peak-RSS-MiB")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}
