package netns_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dstore-net/dstore/cli/netns"
)

// TestMain lets the test binary stand in for the relay and for the small servers the tests run
// inside namespaces.
func TestMain(m *testing.M) {
	switch os.Getenv("NETNS_TEST_ROLE") {
	case "relay":
		os.Exit(netns.RelayMain(os.Args[1:]))
	case "echo":
		os.Exit(echo(os.Args[1]))
	case "topology":
		os.Exit(holdTopology(os.Args[1]))
	}
	os.Exit(m.Run())
}

// echo serves TCP and UDP echo on addr until killed.
func echo(addr string) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() {
		b := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(b)
			if err != nil {
				return
			}
			pc.WriteTo(b[:n], from)
		}
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			return 1
		}
		go func() { io.Copy(c, c); c.Close() }()
	}
}

// holdTopology makes a topology, prints its name and waits for SIGINT, then closes it.
func holdTopology(dir string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	topo, err := netns.New(ctx, config(dir, 2, nil, nil))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(topo.Name)
	<-ctx.Done()
	if err := topo.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func config(dir string, nodes int, delays []time.Duration, rates []int64) netns.Config {
	return netns.Config{Nodes: nodes, Delays: delays, Rates: rates, Ports: []int{4001},
		Relay: []string{os.Args[0]}, RelayEnv: []string{"NETNS_TEST_ROLE=relay"}, Dir: dir}
}

func needRoot(t *testing.T) {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Skipf("skipped: %v", err)
	}
}

func newTopology(t *testing.T, nodes int, delays []time.Duration, rates []int64) *netns.Topology {
	t.Helper()
	needRoot(t)
	topo, err := netns.New(t.Context(), config(t.TempDir(), nodes, delays, rates))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := topo.Close(); err != nil {
			t.Error(err)
		}
	})
	return topo
}

// startEcho runs the echo server on 127.0.0.1:4001 in node i's namespace.
func startEcho(t *testing.T, topo *netns.Topology, i int) {
	t.Helper()
	cmd := topo.Command(i, "nice", "-n", "-15", os.Args[0], "127.0.0.1:4001")
	cmd.Env = append(os.Environ(), "NETNS_TEST_ROLE=echo")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
}

// rtts measures n round trips of a small message over c, after one to warm up, and returns the
// smallest and the median.
func rtts(t *testing.T, c net.Conn, n int) (lo, median time.Duration) {
	t.Helper()
	var rtts []time.Duration
	buf := make([]byte, 16)
	c.SetDeadline(time.Now().Add(time.Duration(n+2) * 2 * time.Second))
	for i := range n + 1 {
		t0 := time.Now()
		if _, err := c.Write([]byte("ping-0123456789a")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			rtts = append(rtts, time.Since(t0))
		}
	}
	slices.Sort(rtts)
	return rtts[0], rtts[len(rtts)/2]
}

func dialEcho(t *testing.T, network string, topo *netns.Topology, i int) net.Conn {
	t.Helper()
	var c net.Conn
	var err error
	for range 50 { // until the echo server listens
		if c, err = net.DialTimeout(network, netip.AddrPortFrom(topo.Nodes[i].Addr, 4001).String(), time.Second); err == nil {
			if network == "udp" {
				return c
			}
			// The relay accepts before the echo server listens: check that it answers.
			c.SetDeadline(time.Now().Add(time.Second))
			if _, err = c.Write([]byte("x")); err == nil {
				if _, err = io.ReadFull(c, make([]byte, 1)); err == nil {
					c.SetDeadline(time.Time{})
					return c
				}
			}
			c.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the echo server in node %d's namespace does not answer: %v", i, err)
	return nil
}

// TestRelayRTT calibrates the relay: a one-way delay of 50 ms must give a 100 ms round trip within
// 10%, over TCP and UDP, before any figure measured on the topology is trusted; and a delay changed
// at run time applies to the connection already open.
func TestRelayRTT(t *testing.T) {
	topo := newTopology(t, 2, []time.Duration{50 * time.Millisecond, 0}, nil)
	startEcho(t, topo, 0)
	startEcho(t, topo, 1)
	for _, network := range []string{"tcp", "udp"} {
		c := dialEcho(t, network, topo, 0)
		lo, med := rtts(t, c, 10)
		t.Logf("%s: 50 ms one-way delay, round trip %v (median %v)", network, lo, med)
		checkRTT(t, network, lo, med, 100*time.Millisecond)
		c.Close()
	}
	// The node without delay answers fast: the delay is the relay's, not the path's.
	c := dialEcho(t, "tcp", topo, 1)
	defer c.Close()
	if lo, _ := rtts(t, c, 10); lo > 5*time.Millisecond {
		t.Errorf("round trip %v with no delay", lo)
	}
	if err := topo.SetDelay(1, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	lo, med := rtts(t, c, 5)
	t.Logf("delay raised to 100 ms on an open connection: round trip %v (median %v)", lo, med)
	checkRTT(t, "raised", lo, med, 200*time.Millisecond)
}

// checkRTT wants the round trip within 10% of want. A loaded machine only adds to a round trip
// (late wake-ups of the relay, the echo server and the test), so the smallest of several is the
// relay's own and must be within 10%; the median, with the machine's noise, within 25%.
func checkRTT(t *testing.T, what string, lo, median, want time.Duration) {
	t.Helper()
	if lo < want*9/10 || lo > want*11/10 {
		t.Errorf("%s: round trip %v, want %v within 10%%", what, lo, want)
	}
	if median > want*5/4 {
		t.Errorf("%s: median round trip %v, want %v within 25%%", what, median, want)
	}
}

// TestRate checks the tc cap: 40 mbit moves 4 MiB in about 0.84 s, never much faster.
func TestRate(t *testing.T) {
	topo := newTopology(t, 1, nil, []int64{40e6})
	startEcho(t, topo, 0)
	c := dialEcho(t, "tcp", topo, 0)
	defer c.Close()
	const size = 4 << 20
	t0 := time.Now()
	go func() { c.Write(make([]byte, size)) }()
	if _, err := io.CopyN(io.Discard, c, size); err != nil {
		t.Fatal(err)
	}
	el := time.Since(t0)
	rate := float64(size*8) / el.Seconds() / 1e6
	t.Logf("4 MiB echoed through a 40 mbit link in %v: %.1f mbit/s", el, rate)
	if rate > 44 || rate < 20 {
		t.Errorf("%.1f mbit/s through a 40 mbit cap", rate)
	}
}

// startHolder runs a process that makes a topology and holds it; it returns the process and the
// topology's name.
func startHolder(t *testing.T) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], t.TempDir())
	cmd.Env = append(os.Environ(), "NETNS_TEST_ROLE=topology")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the topology process failed: %v", err)
	}
	return cmd, strings.TrimSpace(line)
}

func owned(t *testing.T, name string) []string {
	t.Helper()
	all, err := netns.Leftovers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for _, n := range all {
		if strings.HasPrefix(n, name+"-") || strings.HasPrefix(n, name+"b") || strings.HasPrefix(n, name+"h") {
			mine = append(mine, n)
		}
	}
	return mine
}

// TestCleanup: a topology is gone after its process closes it on SIGINT; one whose process was
// killed is removed, relays included, by the next New (its Cleanup), while a live one is kept.
func TestCleanup(t *testing.T) {
	needRoot(t)
	cmd, name := startHolder(t)
	if got := owned(t, name); len(got) < 5 { // 2 namespaces, 2 host links, a bridge
		t.Fatalf("topology %s made %v", name, got)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the topology process ended with %v", err)
	}
	if got := owned(t, name); len(got) > 0 {
		t.Fatalf("left after SIGINT: %v", got)
	}

	killed, name := startHolder(t)
	live, liveName := startHolder(t)
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	if got := owned(t, name); len(got) == 0 {
		t.Fatal("a killed process's topology vanished by itself; the test proves nothing")
	}
	topo := newTopology(t, 1, nil, nil) // its New cleans up
	_ = topo
	if got := owned(t, name); len(got) > 0 {
		t.Fatalf("left after a SIGKILL and a new topology: %v", got)
	}
	if got := owned(t, liveName); len(got) < 5 {
		t.Fatalf("the cleanup removed a live process's topology: left %v", got)
	}
	live.Process.Signal(os.Interrupt)
	live.Wait()
}
