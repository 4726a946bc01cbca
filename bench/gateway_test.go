package bench

import (
	"bufio"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dstore-net/dstore/retrieval/gateway"
)

// BenchmarkGateway (benchmark 5): one 1 MiB file and one large file (DSTORE_BENCH_SIZE, default
// 1 GiB) over HTTP, in the same run, from
//   - dstore gateway (a process of its own, reading a 6-node storage-only devnet on loopback):
//     uncached (first read by a fresh gateway: five distinct 1 MiB files, the median time to first
//     byte) and cached (the same reads again, median of 20 for 1 MiB);
//   - nginx (Debian package) serving the same bytes from local disk, if /usr/sbin/nginx exists;
//   - Go's own file server (net/http's FileServer, a process of its own) serving the same bytes
//     from local disk: the floor of a Go HTTP server on this machine, which the gateway is;
//   - kubo v0.43.1's gateway serving the same CID from its repo, if DSTORE_KUBO names an ipfs
//     binary (else it is built from bench/kubo, which takes minutes the first time).
//
// and `dstore get` of the large file for the uncached rate it should match, run right after the
// gateway's uncached read of it (same load): to its stdout, a pipe that this process reads and
// checks as it reads an HTTP body (CRC-32C), so that both deliver the same bytes to the same
// reader, neither to disk (before, get wrote a file, -o, and on this host's slow disk its writes
// held its rate below the gateway's). The cached reads of
// all the servers are interleaved (one request to each in turn), so that the machine's load
// weighs on all alike: on a busy machine, a server measured a few seconds after another met
// another load.
func BenchmarkGateway(b *testing.B) {
	size := benchSize(b)
	dir := b.TempDir()
	exe := buildDstore(b, dir)
	www := filepath.Join(dir, "www")
	if err := os.MkdirAll(www, 0o755); err != nil {
		b.Fatal(err)
	}
	var small []string
	for i := range 5 {
		small = append(small, filepath.Join(www, fmt.Sprintf("small%d.bin", i)))
		writeRandom(b, small[i], 1<<20, byte(10+i))
	}
	large := filepath.Join(www, "large.bin")
	writeRandom(b, large, size, 3)
	wantLarge := crcFile(b, large)

	home := filepath.Join(dir, "home")
	startDevnet(b, exe, home, 6, "--no-chain", "--gateway", "off")
	put := func(path string) string {
		out, _, _ := runMeasured(b, exe, "--home", home, "--quiet", "put", path)
		return strings.TrimSpace(out)
	}
	var smallCIDs []string
	for _, p := range small {
		smallCIDs = append(smallCIDs, put(p))
	}
	largeCID := put(large)

	gw := startProcessGateway(b, exe, home, size+(64<<20))
	// With DSTORE_BENCH_BASELINE naming an older dstore binary, its gateway reads the same devnet
	// in the same run, for before/after ratios (baseline-* metrics).
	var baseGW string
	if base := os.Getenv("DSTORE_BENCH_BASELINE"); base != "" && baselineReads(b, base, home, largeCID) {
		baseGW = startProcessGateway(b, base, home, size+(64<<20))
	}
	nginx := startNginx(b, dir, www)
	goHTTP := startGoHTTP(b, www)
	kubo := startKuboGateway(b, dir)
	var kuboSmall []string
	var kuboLarge string
	if kubo != nil {
		for _, p := range small {
			kuboSmall = append(kuboSmall, kubo.run(b, "add", "-Q", "--cid-version=1", p))
		}
		kuboLarge = kubo.run(b, "add", "-Q", "--cid-version=1", large)
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	ttfbMedian := func(urls []string, n int) time.Duration {
		var ds []time.Duration
		for i := range n {
			ttfb, _, _ := timedHTTP(b, client, urls[i%len(urls)])
			ds = append(ds, ttfb)
		}
		return median(ds)
	}
	rate := func(url string) (time.Duration, float64) {
		ttfb, total, sum := timedHTTP(b, client, url)
		if sum != wantLarge {
			b.Fatalf("%s: other bytes than the file", url)
		}
		return ttfb, float64(size) / total.Seconds() / 1e6
	}
	// The servers read from cache or disk, compared: their requests interleaved, one to each in
	// turn, so that the machine's load weighs on all of them alike.
	var servers []server
	gwServer := func(name, url string) server {
		srv := server{name: name, large: url + "/ipfs/" + largeCID}
		for _, c := range smallCIDs {
			srv.small = append(srv.small, url+"/ipfs/"+c)
		}
		return srv
	}
	servers = append(servers, gwServer("dstore", gw))
	if baseGW != "" {
		servers = append(servers, gwServer("baseline", baseGW))
	}
	if nginx != "" {
		srv := server{name: "nginx", large: nginx + "/large.bin"}
		for _, p := range small {
			srv.small = append(srv.small, nginx+"/"+filepath.Base(p))
		}
		servers = append(servers, srv)
	}
	{
		srv := server{name: "gohttp", large: goHTTP + "/large.bin"}
		for _, p := range small {
			srv.small = append(srv.small, goHTTP+"/"+filepath.Base(p))
		}
		servers = append(servers, srv)
	}
	if kubo != nil {
		srv := server{name: "kubo", large: kubo.gateway + "/ipfs/" + kuboLarge}
		for _, c := range kuboSmall {
			srv.small = append(srv.small, kubo.gateway+"/ipfs/"+c)
		}
		servers = append(servers, srv)
	}
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		// The gateways' first reads (uncached), each gateway in turn, and the CLI get of the large
		// file right after this build's gateway read it, so that both meet the same load.
		var getRate, dstoreRate float64
		for _, srv := range servers[:len(servers)-btoi(nginx != "")-1-btoi(kubo != nil)] {
			uncachedTTFB := ttfbMedian(srv.small, len(srv.small))
			uncachedLargeTTFB, uncachedRate := rate(srv.large)
			b.ReportMetric(ms(uncachedTTFB), srv.name+"-uncached-1MiB-ttfb-ms")
			b.ReportMetric(ms(uncachedLargeTTFB), srv.name+"-uncached-large-ttfb-ms")
			b.ReportMetric(uncachedRate, srv.name+"-uncached-large-MB/s")
			if srv.name == "dstore" {
				getTime, getSum := timedGetCLI(b, exe, home, largeCID)
				if getSum != wantLarge {
					b.Fatal("dstore get: other bytes than the file")
				}
				getRate, dstoreRate = float64(size)/getTime.Seconds()/1e6, uncachedRate
			}
		}
		// The same reads again, cached, interleaved: 1 MiB files 200 times each (median; 60 before),
		// the large one 3 times each (median). Each round asks the servers in a new random order:
		// in a fixed cyclic order each server always came right after the same one, and the
		// gateway, always after kubo, was 5-12% slower than the baseline build (the same gateway
		// code), which came right after it, in four runs of four.
		// Every server on a new connection, opened by one read before, so that all start alike:
		// the gateways' connections carried the uncached large reads, and on a connection that
		// carried a large read a bare net/http server answered 1 MiB 40-100 µs later to first
		// byte than on a new one, at load 33 (nginx did not).
		client.CloseIdleConnections()
		for _, srv := range servers {
			timedHTTP(b, client, srv.small[0])
		}
		ttfbs := make([][]time.Duration, len(servers))
		rates := make([][]float64, len(servers))
		order := rand.New(rand.NewPCG(1, 2))
		for round := range 200 {
			for _, i := range order.Perm(len(servers)) {
				ttfb, _, _ := timedHTTP(b, client, servers[i].small[round%len(servers[i].small)])
				ttfbs[i] = append(ttfbs[i], ttfb)
			}
		}
		for range 3 {
			for _, i := range order.Perm(len(servers)) {
				_, r := rate(servers[i].large)
				rates[i] = append(rates[i], r)
			}
		}
		// The spread of the 1 MiB times to first byte, which a loaded machine widens.
		for i, srv := range servers {
			d := slices.Clone(ttfbs[i])
			slices.Sort(d)
			b.ReportMetric(ms(d[len(d)/4]), srv.name+"-cached-1MiB-ttfb-p25-ms")
			b.ReportMetric(ms(d[3*len(d)/4]), srv.name+"-cached-1MiB-ttfb-p75-ms")
		}
		cached := map[string][2]float64{}
		for i, srv := range servers {
			slices.Sort(rates[i])
			cached[srv.name] = [2]float64{ms(median(ttfbs[i])), rates[i][len(rates[i])/2]}
		}
		b.StopTimer()
		b.ReportMetric(getRate, "dstore-cli-get-MB/s")
		b.ReportMetric(dstoreRate/getRate, "uncached-rate-x-cli-get")
		b.ReportMetric(fastResponses(b, client, gw), "dstore-fast-responses")
		for _, name := range []string{"dstore", "baseline"} {
			if c, ok := cached[name]; ok {
				b.ReportMetric(c[0], name+"-cached-1MiB-ttfb-ms")
				b.ReportMetric(c[1], name+"-cached-large-MB/s")
			}
		}
		for _, name := range []string{"nginx", "gohttp", "kubo"} {
			if c, ok := cached[name]; ok {
				b.ReportMetric(c[0], name+"-1MiB-ttfb-ms")
				b.ReportMetric(c[1], name+"-large-MB/s")
			}
		}
		if n, ok := cached["nginx"]; ok {
			b.ReportMetric(cached["dstore"][0]/n[0], "cached-ttfb-x-nginx")
			b.ReportMetric(cached["dstore"][1]/n[1], "cached-rate-x-nginx")
			if base, ok := cached["baseline"]; ok {
				b.ReportMetric(base[0]/n[0], "baseline-cached-ttfb-x-nginx")
			}
			b.ReportMetric(cached["gohttp"][0]/n[0], "gohttp-ttfb-x-nginx")
		}
		b.ReportMetric(cached["dstore"][0]/cached["gohttp"][0], "cached-ttfb-x-gohttp")
		b.StartTimer()
	}
}

// fastResponses is the number of responses the gateway at url wrote by its fast path.
func fastResponses(b *testing.B, c *http.Client, url string) float64 {
	b.Helper()
	resp, err := c.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "dstore_gateway_fast_responses_total "); ok {
			var n float64
			fmt.Sscan(v, &n)
			return n
		}
	}
	return 0
}

// server is what BenchmarkGateway reads from one server: five 1 MiB files and the large one.
type server struct {
	name  string
	small []string
	large string
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// castagnoli is the CRC the clients check bodies with: the bytes must be the file's, and the
// check must not weigh on the rates measured (SHA-256 would take a core's third at these rates).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcFile is the CRC-32C of a file.
func crcFile(b *testing.B, path string) uint32 {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, f); err != nil {
		b.Fatal(err)
	}
	return h.Sum32()
}

// timedHTTP GETs url and returns the time to the first body byte, the total time and the body's
// CRC-32C.
func timedHTTP(b *testing.B, c *http.Client, url string) (time.Duration, time.Duration, uint32) {
	b.Helper()
	t0 := time.Now()
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	h := crc32.New(castagnoli)
	var first [1]byte
	if _, err := io.ReadFull(resp.Body, first[:]); err != nil {
		b.Fatal(err)
	}
	ttfb := time.Since(t0)
	h.Write(first[:])
	if _, err := io.Copy(h, resp.Body); err != nil {
		b.Fatal(err)
	}
	total := time.Since(t0)
	return ttfb, total, h.Sum32()
}

// timedGetCLI runs `dstore get` of root to its stdout, a pipe read here, and returns the time from
// its start to its exit and the CRC-32C of what it wrote.
func timedGetCLI(b *testing.B, exe, home, root string) (time.Duration, uint32) {
	b.Helper()
	cmd := exec.Command(exe, "--home", home, "--quiet", "get", root)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	h := crc32.New(castagnoli)
	_, cerr := io.Copy(h, out)
	if err := cmd.Wait(); err != nil || cerr != nil {
		b.Fatalf("dstore get %s: %v %v", root, err, cerr)
	}
	return time.Since(t0), h.Sum32()
}

// startProcessGateway runs `dstore gateway` with a memory cache of cacheBytes and returns its URL.
func startProcessGateway(b *testing.B, exe, home string, cacheBytes int64) string {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "--home", home, "gateway", "--listen", "127.0.0.1:0", "--cache-size", fmt.Sprint(cacheBytes))
	return startURLProcess(b, cmd, cancel)
}

// startURLProcess starts cmd, made with exec.CommandContext on a context that cancel ends (which
// the benchmark's cleanup does, stopping cmd with SIGTERM), and returns the URL cmd prints as the
// first line of its stdout.
func startURLProcess(b *testing.B, cmd *exec.Cmd, cancel context.CancelFunc) string {
	b.Helper()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("%s printed no URL: %v", filepath.Base(cmd.Path), err)
	}
	return strings.TrimSpace(line)
}

// startNginx serves www with Debian's nginx on a free loopback port; "" without nginx.
func startNginx(b *testing.B, dir, www string) string {
	b.Helper()
	const exe = "/usr/sbin/nginx"
	if _, err := os.Stat(exe); err != nil {
		b.Logf("no nginx at %s (apt-get install -y nginx): no nginx figures", exe)
		return ""
	}
	addr := freeAddr(b)
	prefix := filepath.Join(dir, "nginx")
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		b.Fatal(err)
	}
	conf := filepath.Join(prefix, "nginx.conf")
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the temp dirs are private to this user
	}
	cfg := fmt.Sprintf(`daemon off; worker_processes 1; %[4]s pid %[1]s/nginx.pid; error_log %[1]s/error.log;
events { worker_connections 64; }
http {
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  server { listen %[2]s; root %[3]s; }
}
`, prefix, addr, www, user)
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "-c", conf, "-p", prefix)
	// SIGTERM: the master stops its workers too (a killed master would leave them behind).
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	waitListening(b, addr)
	return "http://" + addr
}

// goHTTPEnv, in the environment of the test binary, makes it Go's file server of that directory
// (TestMain) rather than the tests.
const goHTTPEnv = "DSTORE_BENCH_GOHTTP_DIR"

// TestMain serves a directory with net/http's FileServer when goHTTPEnv names one, printing its
// URL, until it is killed; else it runs the tests.
func TestMain(m *testing.M) {
	dir := os.Getenv(goHTTPEnv)
	if dir == "" {
		os.Exit(m.Run())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	err = (&http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// startGoHTTP runs this test binary as Go's file server of www (a process of its own, as nginx
// is) and returns its URL.
func startGoHTTP(b *testing.B, www string) string {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), goHTTPEnv+"="+www)
	return startURLProcess(b, cmd, cancel)
}

// kuboGateway is a kubo daemon whose gateway listens on a known port.
type kuboGateway struct {
	kuboDaemon
	gateway string
}

// startKuboGateway runs kubo with its gateway on a free loopback port; nil if no kubo is at hand.
func startKuboGateway(b *testing.B, dir string) *kuboGateway {
	b.Helper()
	exe := os.Getenv("DSTORE_KUBO")
	if exe == "" {
		exe = buildKubo(b, dir)
	}
	k := &kuboGateway{kuboDaemon: kuboDaemon{exe: exe, repo: filepath.Join(dir, "kubo")}}
	k.run(b, "init", "--profile", "test")
	addr := freeAddr(b)
	host, port, _ := net.SplitHostPort(addr)
	k.run(b, "config", "Addresses.Gateway", fmt.Sprintf("/ip4/%s/tcp/%s", host, port))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "daemon", "--offline")
	cmd.Env = append(os.Environ(), "IPFS_PATH="+k.repo)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	waitListening(b, addr)
	k.gateway = "http://" + addr
	return k
}

func freeAddr(b *testing.B) string {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitListening waits up to 60 s for a TCP listener on addr.
func waitListening(b *testing.B, addr string) {
	b.Helper()
	for range 600 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("nothing listens on %s after 60 s", addr)
}

// BenchmarkNetnsGateway (benchmark 6): the gateway, uncached, on the namespace topology of
// BenchmarkNetnsDelays (nodes 5 to 160 ms away, one way): the median time to first byte of five
// distinct 1 MiB files, each the first read of its CID by a fresh gateway (manifest lookup
// included), against the k-th smallest round trip (the goal: at most that plus 15 ms).
func BenchmarkNetnsGateway(b *testing.B) {
	delays := []time.Duration{5, 10, 20, 40, 80, 160}
	var parts []string
	for i := range delays {
		delays[i] *= time.Millisecond
		parts = append(parts, delays[i].String())
	}
	n := startNetns(b, strings.Join(parts, ","), "")
	kthRTT := 2 * delays[n.file.K-1]
	var roots []string
	for i := range 5 {
		r, _ := n.put(b, 1<<20, byte(20+i))
		roots = append(roots, r.String())
	}
	b.ResetTimer()
	for range b.N {
		gw, err := gateway.New(gateway.Config{Source: n.client(b)})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(gw.Handler())
		client := &http.Client{}
		var ttfbs []time.Duration
		for _, r := range roots {
			ttfb, _, _ := timedHTTP(b, client, srv.URL+"/ipfs/"+r)
			ttfbs = append(ttfbs, ttfb)
		}
		srv.Close()
		b.ReportMetric(ms(kthRTT), "kth-RTT-ms")
		b.ReportMetric(ms(median(ttfbs)), "gateway-1MiB-uncached-TTFB-ms")
		b.ReportMetric(ms(median(ttfbs)-kthRTT), "TTFB-minus-kth-RTT-ms")
	}
}
