package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildKubo builds kubo v0.43.1's ipfs command from its wrapper module in bench/kubo (a module of
// its own: kubo never enters dstore's module graph, nor CI). The first build takes minutes;
// DSTORE_KUBO naming an ipfs binary already built skips it.
func buildKubo(b *testing.B, dir string) string {
	b.Helper()
	if exe := os.Getenv("DSTORE_KUBO"); exe != "" {
		return exe
	}
	exe := filepath.Join(dir, "ipfs")
	cmd := exec.Command("go", "build", "-o", exe, ".")
	cmd.Dir = "kubo"
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("building kubo in bench/kubo: %v", err)
	}
	return exe
}

// kuboDaemon is an ipfs daemon on loopback with a repo of its own.
type kuboDaemon struct {
	exe, repo string
	addrs     []string // its swarm addresses with /p2p/ID
}

func (k *kuboDaemon) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(k.exe, args...)
	cmd.Env = append(os.Environ(), "IPFS_PATH="+k.repo)
	cmd.Stderr = os.Stderr
	return cmd
}

func (k *kuboDaemon) run(b *testing.B, args ...string) string {
	b.Helper()
	out, err := k.cmd(args...).Output()
	if err != nil {
		b.Fatalf("ipfs %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// startKubo initialises a repo with the test profile (loopback, random ports, no bootstrap, no
// MDNS) and runs its daemon until the benchmark ends.
func startKubo(b *testing.B, exe, repo string) *kuboDaemon {
	b.Helper()
	k := &kuboDaemon{exe: exe, repo: repo}
	k.run(b, "init", "--profile", "test")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "daemon")
	cmd.Env = append(os.Environ(), "IPFS_PATH="+repo)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "Daemon is ready") {
			go func() {
				for sc.Scan() {
				}
			}()
			var id struct {
				Addresses []string
			}
			if err := json.Unmarshal([]byte(k.run(b, "id")), &id); err != nil {
				b.Fatal(err)
			}
			k.addrs = id.Addresses
			return k
		}
	}
	b.Fatalf("the kubo daemon in %s exited before it was ready", repo)
	return nil
}

// BenchmarkKubo (benchmark 4): on loopback, the same file through dstore (put and get, a 6-node
// storage-only devnet, each command a process) and through two kubo v0.43.1 daemons (ipfs add on
// one, ipfs cat of the CID on the other over bitswap), in the same run. Size: DSTORE_BENCH_SIZE,
// default 1 GiB.
func BenchmarkKubo(b *testing.B) {
	size := benchSize(b)
	dir := b.TempDir()
	exe := buildDstore(b, dir)
	ipfs := buildKubo(b, dir)
	src := filepath.Join(dir, "file.bin")
	want := writeRandom(b, src, size, 7)

	home := filepath.Join(dir, "home")
	startDevnet(b, exe, home, 6, "--no-chain")
	a := startKubo(b, ipfs, filepath.Join(dir, "kubo-a"))
	c := startKubo(b, ipfs, filepath.Join(dir, "kubo-b"))

	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		out, putTime, _ := runMeasured(b, exe, "--home", home, "--quiet", "--json", "put", src)
		var res struct {
			Root string `json:"root"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			b.Fatalf("put printed %q: %v", out, err)
		}
		dst := filepath.Join(dir, "out.bin")
		_, getTime, _ := runMeasured(b, exe, "--home", home, "--quiet", "get", "-o", dst, res.Root)
		b.StopTimer()
		if sha256File(b, dst) != want {
			b.Fatal("dstore read back a different file")
		}
		os.Remove(dst)

		// kubo: add on a (the same CID as dstore's: CIDv1, raw leaves), then cat on c over bitswap.
		t0 := time.Now()
		kcid := a.run(b, "add", "-Q", "--cid-version=1", src)
		addTime := time.Since(t0)
		if kcid != res.Root {
			b.Logf("kubo's CID %s differs from dstore's %s", kcid, res.Root)
		}
		c.run(b, "swarm", "connect", a.addrs[0])
		f, err := os.Create(dst)
		if err != nil {
			b.Fatal(err)
		}
		cat := c.cmd("cat", kcid)
		cat.Stdout = f
		t0 = time.Now()
		if err := cat.Run(); err != nil {
			b.Fatalf("ipfs cat: %v", err)
		}
		catTime := time.Since(t0)
		f.Close()
		if sha256File(b, dst) != want {
			b.Fatal("kubo read back a different file")
		}
		os.Remove(dst)

		mbs := func(d time.Duration) float64 { return float64(size) / d.Seconds() / 1e6 }
		b.ReportMetric(mbs(putTime), "dstore-put-MB/s")
		b.ReportMetric(mbs(getTime), "dstore-get-MB/s")
		b.ReportMetric(mbs(addTime), "kubo-add-MB/s")
		b.ReportMetric(mbs(catTime), "kubo-bitswap-MB/s")
		b.ReportMetric(catTime.Seconds()/getTime.Seconds(), "get-x-kubo")
		b.StartTimer()
	}
}
