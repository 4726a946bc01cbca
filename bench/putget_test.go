package bench

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchSize is the size of the file BenchmarkPutGet stores: DSTORE_BENCH_SIZE bytes, default 1 GiB.
func benchSize(b *testing.B) int64 {
	if s := os.Getenv("DSTORE_BENCH_SIZE"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("DSTORE_BENCH_SIZE=%q: %v", s, err)
		}
		return n
	}
	return 1 << 30
}

// buildDstore builds the dstore binary into dir.
func buildDstore(b *testing.B, dir string) string {
	b.Helper()
	exe := filepath.Join(dir, "dstore")
	cmd := exec.Command("go", "build", "-o", exe, "github.com/dstore-net/dstore/cli/dstore")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("building dstore: %v", err)
	}
	return exe
}

// startDevnet runs `dstore devnet` with extra flags and waits until devnet.json names every node.
func startDevnet(b *testing.B, exe, home string, nodes int, extra ...string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"--home", home, "devnet", "--nodes", strconv.Itoa(nodes)}, extra...)
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	// The devnet prints its summary once every node listens.
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "devnet:") {
			go io.Copy(io.Discard, stdout)
			return
		}
	}
	b.Fatalf("devnet exited before it was up: %v", sc.Err())
}

// writeRandom writes size pseudo-random bytes to path and returns their SHA-256.
func writeRandom(b *testing.B, path string, size int64, seed byte) [32]byte {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(rand.NewChaCha8([32]byte{seed}), size)); err != nil {
		b.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// runMeasured runs exe with args and returns its stdout, wall time and peak RSS in bytes.
func runMeasured(b *testing.B, exe string, args ...string) (string, time.Duration, int64) {
	b.Helper()
	out, m := runCPU(b, exe, args...)
	return out, m.wall, m.rss
}

// baselineReads says whether the baseline binary base reads root from the devnet at home. A build
// older than the manifest version of this build's uploads refuses them (sharding.ErrManifestVersion):
// its figures are then left out, with a note, where it reads this build's devnet.
func baselineReads(b *testing.B, base, home, root string) bool {
	b.Helper()
	probe := filepath.Join(b.TempDir(), "probe")
	out, err := exec.Command(base, "--home", home, "--quiet", "get", root, "--range", "0-0", "-o", probe).CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		b.Logf("the baseline %s does not read this build's uploads, its figures are left out: %s", base, lines[len(lines)-1])
		return false
	}
	return true
}

// BenchmarkPutGet stores and reads back a large file on a local 6-node network, each client command
// a separate process, and reports put and get throughput and the client's peak RSS.
// BenchmarkPutGet puts and gets one file through 6 local node processes. With
// DSTORE_BENCH_BASELINE naming another dstore binary (an older build), the same file goes through
// that build first, in the same run, for a before/after ratio.
func BenchmarkPutGet(b *testing.B) {
	base := os.Getenv("DSTORE_BENCH_BASELINE")
	if base == "" {
		putGet(b, buildDstore(b, b.TempDir()))
		return
	}
	b.Run("baseline", func(b *testing.B) { putGet(b, base) })
	b.Run("current", func(b *testing.B) { putGet(b, buildDstore(b, b.TempDir())) })
}

func putGet(b *testing.B, exe string) {
	size := benchSize(b)
	dir := b.TempDir()
	home := filepath.Join(dir, "home")
	// Storage only: the nodes of a chain-less devnet build no slot trees, so the figures are the
	// storage path's alone.
	startDevnet(b, exe, home, 6, "--no-chain")
	src := filepath.Join(dir, "file.bin")
	want := writeRandom(b, src, size, 1)

	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n0 := nodesCPU(b, home)
		out, put := runCPU(b, exe, "--home", home, "--quiet", "--json", "put", src)
		n1 := nodesCPU(b, home)
		putTime, putRSS := put.wall, put.rss
		var res struct {
			Root string `json:"root"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			b.Fatalf("put printed %q: %v", out, err)
		}
		dst := filepath.Join(dir, "out.bin")
		_, get := runCPU(b, exe, "--home", home, "--quiet", "get", "-o", dst, res.Root)
		n2 := nodesCPU(b, home)
		getTime, getRSS := get.wall, get.rss
		b.StopTimer()
		got := sha256File(b, dst)
		if got != want {
			b.Fatalf("file read back differs")
		}
		os.Remove(dst)
		b.ReportMetric(float64(size)/putTime.Seconds()/1e6, "put-MB/s")
		b.ReportMetric(float64(size)/getTime.Seconds()/1e6, "get-MB/s")
		b.ReportMetric(float64(putRSS)/(1<<20), "put-peak-RSS-MiB")
		b.ReportMetric(float64(getRSS)/(1<<20), "get-peak-RSS-MiB")
		b.ReportMetric(float64(size)/(1<<20), "file-MiB")
		// CPU seconds per GiB, the client's and the six nodes' together: steadier than the
		// throughputs when other work shares the machine.
		gib := float64(size) / (1 << 30)
		b.ReportMetric(put.cpu.Seconds()/gib, "put-client-cpu-s/GiB")
		b.ReportMetric((n1-n0).Seconds()/gib, "put-nodes-cpu-s/GiB")
		b.ReportMetric(get.cpu.Seconds()/gib, "get-client-cpu-s/GiB")
		b.ReportMetric((n2-n1).Seconds()/gib, "get-nodes-cpu-s/GiB")
		b.StartTimer()
	}
}

// nodesCPU is the CPU time (user and system) the devnet's node processes under home have used so
// far, from /proc.
func nodesCPU(b *testing.B, home string) time.Duration {
	b.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		b.Fatal(err)
	}
	var ticks int64
	for _, p := range procs {
		cmdline, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if !slices.Contains(args, home) || !slices.Contains(args, "node") {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(filepath.Dir(p), "stat"))
		if err != nil {
			continue
		}
		// The fields after the command's name, which is in parentheses: utime and stime are the
		// 12th and 13th.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

func sha256File(b *testing.B, path string) [32]byte {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		b.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}
