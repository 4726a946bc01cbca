package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/devnet"
)

func needNetns(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts node processes in network namespaces")
	}
	if err := netns.Check(); err != nil {
		t.Skipf("skipped: %v", err)
	}
}

// startNetnsDevnet starts n nodes in namespaces in this process and stops them at the end of the test.
func startNetnsDevnet(t *testing.T, n int, delays []time.Duration, rates []int64) (*devnet.Devnet, string) {
	t.Helper()
	needNetns(t)
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: n, K: 4, M: 2, Log: io.Discard, NoChain: true,
		NetNS: true, Delays: delays, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, home
}

// devnetProcess runs `dstore devnet --netns` as a process of its own and returns it once the
// devnet is up, with the name its network things carry.
func devnetProcess(t *testing.T, home string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	args := append([]string{os.Args[0], "--home", home, "devnet", "--nodes", "3", "--k", "2", "--m", "1", "--netns", "--delay", "1ms"}, extra...)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "DSTORE_EXEC_MAIN=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "devnet:") {
			go io.Copy(io.Discard, out)
			return cmd, netns.Prefix + strconv.Itoa(cmd.Process.Pid)
		}
	}
	t.Fatalf("the devnet exited before it was up: %v", cmd.Wait())
	return nil, ""
}

// leftovers lists what the topology named name still has in the kernel.
func leftovers(t *testing.T, name string) []string {
	t.Helper()
	all, err := netns.Leftovers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range all {
		if strings.HasPrefix(n, name+"-") || n == name+"b" || strings.HasPrefix(n, name+"h") {
			out = append(out, n)
		}
	}
	return out
}

// TestNetnsDevnetCleanup: a devnet --netns whose node crashed leaves nothing after SIGINT; one that
// was killed leaves its namespaces, which the next devnet removes, node and relay processes with them.
func TestNetnsDevnetCleanup(t *testing.T) {
	needNetns(t)
	home := t.TempDir()
	cmd, name := devnetProcess(t, home, "--no-chain")
	if got := leftovers(t, name); len(got) != 7 { // 3 namespaces, 3 host links, the bridge
		t.Fatalf("the devnet made %v", got)
	}
	f, err := devnet.ReadFile(home)
	if err != nil {
		t.Fatal(err)
	}
	// A node crashes.
	if err := syscall.Kill(f.Nodes[1].PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the devnet ended with %v after SIGINT", err)
	}
	if got := leftovers(t, name); len(got) > 0 {
		t.Fatalf("left after SIGINT: %v", got)
	}

	// The devnet itself is killed: nothing of it can clean up.
	cmd, name = devnetProcess(t, t.TempDir(), "--no-chain")
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if got := leftovers(t, name); len(got) == 0 {
		t.Fatal("a killed devnet's namespaces vanished by themselves; the test proves nothing")
	}
	startNetnsDevnet(t, 1, nil, nil) // its start cleans up
	if got := leftovers(t, name); len(got) > 0 {
		t.Fatalf("left after a killed devnet and a new start: %v", got)
	}
}

// TestNetnsDevnetChain: with the chain, the nodes in their namespaces reach its JSON-RPC (through
// the forward on the bridge) and register as providers, which the devnet waits for.
func TestNetnsDevnetChain(t *testing.T) {
	needNetns(t)
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: 2, K: 1, M: 1, Log: io.Discard, NetNS: true,
		Delays: []time.Duration{time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !strings.HasPrefix(d.File().RPC, "http://"+d.Topology().Host.String()+":") {
		t.Fatalf("the chain's endpoint %s is not on the bridge %s", d.File().RPC, d.Topology().Host)
	}
}

func TestDevnetNetnsFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{name: "delay without netns", args: []string{"--delay", "5ms"}},
		{name: "rate without netns", args: []string{"--rate", "200mbit"}},
		{name: "bad delay", args: []string{"--netns", "--delay", "5 parsecs"}},
		{name: "negative delay", args: []string{"--netns", "--delay", "-5ms"}},
		{name: "bad rate", args: []string{"--netns", "--rate", "fast"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := dstore(t, append([]string{"--home", t.TempDir(), "devnet", "--no-chain"}, tc.args...)...)
			if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Fatalf("exit %d, stderr %q; want a one-line usage error", code, errOut)
			}
		})
	}
}
