package netns

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// current is set while this process has a topology.
var current atomic.Bool

// Prefix starts the name of every namespace, bridge and link this package makes.
const Prefix = "dsn"

// ErrNotRoot is returned by New when the process cannot manage network namespaces.
var ErrNotRoot = errors.New("network namespaces need root: run as root, or without --netns")

// Config describes a topology. Delays and Rates are per node; the last value repeats for the
// nodes after it, and an empty list means none.
type Config struct {
	// Nodes is how many node namespaces to make. Required, at most 250.
	Nodes int
	// Delays is each node's one-way delay, added in each direction by its relay.
	Delays []time.Duration
	// Rates caps each node's link in each direction, in bits per second; 0 means no cap.
	Rates []int64
	// Ports are the ports a node listens on, on 127.0.0.1 inside its namespace; its relay listens
	// on the same ports, TCP and UDP, on the namespace's outer address. Default 4001.
	Ports []int
	// Relay is the command that runs RelayMain (for the dstore binary: the executable and its
	// hidden relay subcommand); the relay's flags are appended. Required.
	Relay []string
	// RelayEnv is added to the relay's environment.
	RelayEnv []string
	// Dir holds the delay files and the relays' logs. Required.
	Dir string
}

// Node is one node's namespace.
type Node struct {
	Index     int
	Namespace string
	// Addr is the namespace's outer address, reachable from the client's side; the relay listens
	// there.
	Addr netip.Addr
	// DelayFile holds the delay the relay applies now (a Go duration); SetDelay rewrites it.
	DelayFile string
	Delay     time.Duration
	Rate      int64 // bits per second, 0 without a cap
	relay     *exec.Cmd
}

// Topology is a set of node namespaces on one bridge.
type Topology struct {
	cfg    Config
	Name   string     // dsn<pid>
	Bridge string     // the bridge's link name
	Host   netip.Addr // the bridge's address: the client's side, reachable from every namespace
	Nodes  []Node
	closed bool
}

// Check tells whether this process can make topologies: ErrNotRoot, or a missing tool.
func Check() error {
	if os.Geteuid() != 0 {
		return ErrNotRoot
	}
	for _, tool := range []string{"ip", "tc"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("network namespaces need %s from iproute2: %w", tool, err)
		}
	}
	return nil
}

// pick returns the i-th value of a per-node list whose last value repeats.
func pick[T any](list []T, i int) T {
	var zero T
	if len(list) == 0 {
		return zero
	}
	return list[min(i, len(list)-1)]
}

// New makes the namespaces, links, qdiscs and relays of cfg. It first removes what dead
// processes left behind (Cleanup). On error, everything made so far is removed.
func New(ctx context.Context, cfg Config) (*Topology, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if cfg.Nodes < 1 || cfg.Nodes > 250 {
		return nil, fmt.Errorf("netns: %d nodes: between 1 and 250 fit one topology", cfg.Nodes)
	}
	if len(cfg.Relay) == 0 || cfg.Dir == "" {
		return nil, errors.New("netns: Config.Relay and Config.Dir are required")
	}
	if len(cfg.Ports) == 0 {
		cfg.Ports = []int{4001}
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := Cleanup(ctx); err != nil {
		return nil, err
	}
	// Names carry the pid alone (link names are short): one topology per process at a time.
	if !current.CompareAndSwap(false, true) {
		return nil, errors.New("netns: this process already has a topology; close it first")
	}
	name := Prefix + strconv.Itoa(os.Getpid())
	t := &Topology{cfg: cfg, Name: name, Bridge: name + "b"}
	// Several topologies may live at once (tests of several packages): each takes a /24 of its
	// own, chosen under a lock so that two starting together do not take the same one.
	unlock, err := lockFile(filepath.Join(os.TempDir(), "dstore-netns.lock"))
	if err != nil {
		current.Store(false)
		return nil, err
	}
	subnet, err := freeSubnet(ctx)
	if err != nil {
		unlock()
		current.Store(false)
		return nil, err
	}
	t.Host = subnet.Addr().Next()
	err = t.makeBridge(ctx, subnet)
	unlock()
	if err != nil {
		t.Close()
		return nil, err
	}
	addr := t.Host
	for i := range cfg.Nodes {
		addr = addr.Next()
		n := Node{Index: i, Namespace: fmt.Sprintf("%s-%d", name, i), Addr: addr,
			DelayFile: filepath.Join(cfg.Dir, fmt.Sprintf("delay-%d", i)),
			Delay:     pick(cfg.Delays, i), Rate: pick(cfg.Rates, i)}
		t.Nodes = append(t.Nodes, n)
		if err := t.makeNode(ctx, &t.Nodes[i], subnet.Bits()); err != nil {
			t.Close()
			return nil, fmt.Errorf("netns: node %d: %w", i, err)
		}
	}
	return t, nil
}

func (t *Topology) makeBridge(ctx context.Context, subnet netip.Prefix) error {
	if err := run(ctx, "ip", "link", "add", t.Bridge, "type", "bridge"); err != nil {
		return err
	}
	if err := run(ctx, "ip", "addr", "add", netip.PrefixFrom(t.Host, subnet.Bits()).String(), "dev", t.Bridge); err != nil {
		return err
	}
	return run(ctx, "ip", "link", "set", t.Bridge, "up")
}

func (t *Topology) makeNode(ctx context.Context, n *Node, bits int) error {
	host := fmt.Sprintf("%sh%d", t.Name, n.Index)
	steps := [][]string{
		{"ip", "netns", "add", n.Namespace},
		{"ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", n.Namespace},
		{"ip", "link", "set", host, "master", t.Bridge},
		{"ip", "link", "set", host, "up"},
		{"ip", "-n", n.Namespace, "addr", "add", netip.PrefixFrom(n.Addr, bits).String(), "dev", "eth0"},
		{"ip", "-n", n.Namespace, "link", "set", "eth0", "up"},
		{"ip", "-n", n.Namespace, "link", "set", "lo", "up"},
	}
	if n.Rate > 0 {
		// Both directions: the host end's egress is what the node receives, eth0's what it sends.
		steps = append(steps, tbf(host, n.Rate), append([]string{"ip", "netns", "exec", n.Namespace}, tbf("eth0", n.Rate)...))
	}
	for _, s := range steps {
		if err := run(ctx, s[0], s[1:]...); err != nil {
			return err
		}
	}
	if err := writeDelay(n.DelayFile, n.Delay); err != nil {
		return err
	}
	return t.startRelay(n)
}

// tbf is the tc command capping dev's egress at rate bits per second.
func tbf(dev string, rate int64) []string {
	// The bucket holds 10 ms at the rate (at least 64 KiB, above what one timer tick lets through),
	// the queue 50 ms more.
	burst := max(rate/8/100, 64<<10)
	return []string{"tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", strconv.FormatInt(rate, 10) + "bit",
		"burst", strconv.FormatInt(burst, 10), "latency", "50ms"}
}

func (t *Topology) startRelay(n *Node) error {
	// The relay's timing is the topology's: on a loaded machine a late wake-up adds to every delay,
	// so it runs ahead of ordinary processes.
	args := append([]string{"netns", "exec", n.Namespace, "nice", "-n", "-15"}, t.cfg.Relay...)
	// Each flag one word (--name=value): a command line that moves flags around keeps them whole.
	args = append(args, "--listen="+n.Addr.String(), "--target=127.0.0.1", "--delay-file="+n.DelayFile)
	for _, p := range t.cfg.Ports {
		args = append(args, "--port="+strconv.Itoa(p))
	}
	logf, err := os.OpenFile(filepath.Join(t.cfg.Dir, fmt.Sprintf("relay-%d.log", n.Index)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command("ip", args...)
	cmd.Env = append(os.Environ(), t.cfg.RelayEnv...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// The relay dies with us; what a SIGKILL leaves behind, the next Cleanup removes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the relay: %w", err)
	}
	n.relay = cmd
	go func() { _ = cmd.Wait() }()
	// Ready once it accepts on its first port.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := dialTCP(netip.AddrPortFrom(n.Addr, uint16(t.cfg.Ports[0])), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the relay did not listen on %s within 10s; see %s", n.Addr, logf.Name())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Command returns a command that runs name with args inside node i's namespace.
func (t *Topology) Command(i int, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", t.Nodes[i].Namespace, name}, args...)...)
}

// SetDelay changes node i's delay; its relay applies it to every chunk from then on (within
// about 20 ms).
func (t *Topology) SetDelay(i int, d time.Duration) error {
	t.Nodes[i].Delay = d
	return writeDelay(t.Nodes[i].DelayFile, d)
}

func writeDelay(path string, d time.Duration) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(d.String()+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Close stops the relays and every process still running in the namespaces, and removes the
// namespaces, links and qdiscs. It may be called more than once.
func (t *Topology) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	defer current.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, n := range t.Nodes {
		if n.relay != nil && n.relay.Process != nil {
			_ = n.relay.Process.Kill()
		}
	}
	return removeOwned(ctx, t.Name)
}

// namePattern matches what this package names, with the owner's pid.
var namePattern = regexp.MustCompile(`^` + Prefix + `([0-9]+)(?:-[0-9]+|b|h[0-9]+)$`)

// Cleanup removes the namespaces, bridges and links left by processes that are gone, and stops
// the processes still running in those namespaces.
func Cleanup(ctx context.Context) error {
	owners := map[string]bool{}
	names, err := ownedNames(ctx)
	if err != nil {
		return err
	}
	for _, name := range names {
		m := namePattern.FindStringSubmatch(name)
		pid, _ := strconv.Atoi(m[1])
		if !alive(pid) {
			owners[Prefix+m[1]] = true
		}
	}
	var errs []error
	for owner := range owners {
		errs = append(errs, removeOwned(ctx, owner))
	}
	return errors.Join(errs...)
}

// Leftovers lists the namespaces and links of this package that exist now, of any owner.
func Leftovers(ctx context.Context) ([]string, error) { return ownedNames(ctx) }

// ownedNames lists the namespaces and links named by this package.
func ownedNames(ctx context.Context) ([]string, error) {
	var names []string
	out, err := output(ctx, "ip", "netns", "list")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && namePattern.MatchString(f[0]) {
			names = append(names, f[0])
		}
	}
	out, err = output(ctx, "ip", "-o", "link", "show")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(out, "\n") {
		// "12: dsn123h0@if2: <...>"
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), "@")
		if namePattern.MatchString(name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// removeOwned removes everything named after owner (dsn<pid>).
func removeOwned(ctx context.Context, owner string) error {
	names, err := ownedNames(ctx)
	if err != nil {
		return err
	}
	var errs []error
	var links []string
	for _, name := range names {
		m := namePattern.FindStringSubmatch(name)
		if Prefix+m[1] != owner {
			continue
		}
		if strings.HasPrefix(name, owner+"-") {
			killNamespace(ctx, name)
			if err := run(ctx, "ip", "netns", "del", name); err != nil {
				errs = append(errs, err)
			}
		} else {
			links = append(links, name)
		}
	}
	for _, l := range links {
		// Deleting a namespace removes its veth pairs; what is left is the bridge and links whose
		// namespace was never made.
		if err := run(ctx, "ip", "link", "del", l); err != nil && linkExists(ctx, l) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// killNamespace kills every process in namespace ns and waits briefly for them to go.
func killNamespace(ctx context.Context, ns string) {
	for range 50 {
		out, err := output(ctx, "ip", "netns", "pids", ns)
		if err != nil || strings.TrimSpace(out) == "" {
			return
		}
		for _, f := range strings.Fields(out) {
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func linkExists(ctx context.Context, name string) bool {
	return run(ctx, "ip", "link", "show", name) == nil
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// freeSubnet returns a /24 of 198.18.0.0/15 that no link of this network namespace has an address in.
func freeSubnet(ctx context.Context) (netip.Prefix, error) {
	out, err := output(ctx, "ip", "-o", "-4", "addr", "show")
	if err != nil {
		return netip.Prefix{}, err
	}
	used := map[netip.Prefix]bool{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "inet" {
				if p, err := netip.ParsePrefix(f[i+1]); err == nil {
					if q, err := p.Addr().Prefix(24); err == nil {
						used[q] = true
					}
				}
			}
		}
	}
	// Start at a place of our own, so that topologies of different processes rarely meet.
	start := os.Getpid() % 500
	for j := range 510 {
		k := (start + j) % 510
		a := netip.AddrFrom4([4]byte{198, 18 + byte(k/255), byte(k%255 + 1), 0})
		p := netip.PrefixFrom(a, 24)
		if !used[p] {
			return p, nil
		}
	}
	return netip.Prefix{}, errors.New("netns: every /24 of 198.18.0.0/15 is in use")
}

func run(ctx context.Context, name string, args ...string) error {
	_, err := output(ctx, name, args...)
	return err
}

func output(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// lockFile takes an exclusive lock on path until the returned function is called.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

func dialTCP(a netip.AddrPort, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", a.String(), timeout)
}
