package netns

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
)

// RelayConfig configures a relay.
type RelayConfig struct {
	Listen netip.Addr // where clients reach it (the namespace's outer address)
	Target netip.Addr // where the node listens (127.0.0.1)
	Ports  []int      // forwarded over TCP and UDP, the same port on both sides
	// DelayFile holds the one-way delay as a Go duration ("50ms"); it is read again every
	// delayPoll, so the delay can change while connections are open.
	DelayFile string
	// Delay is used while DelayFile is empty or missing.
	Delay time.Duration
}

const (
	delayPoll   = 20 * time.Millisecond
	chunkSize   = 64 << 10
	queueChunks = 1024     // chunks in flight per direction of a TCP connection
	queueBytes  = 32 << 20 // bytes in flight per direction of a TCP connection
	maxBatch    = 64       // chunks written at once, at most (writev takes up to 1024)
	udpQueue    = 4096     // datagrams in flight per direction of a UDP session, the rest dropped
	udpIdle     = 2 * time.Minute
)

// RelayMain runs a relay from command-line flags until SIGINT or SIGTERM, and returns the exit
// code. The dstore binary runs it as a hidden subcommand inside a node's namespace.
func RelayMain(args []string) int {
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	listen := fs.String("listen", "", "address to listen on")
	target := fs.String("target", "127.0.0.1", "address to forward to")
	delayFile := fs.String("delay-file", "", "file holding the one-way delay")
	delay := fs.Duration("delay", 0, "one-way delay while the file holds none")
	var ports []int
	fs.Func("port", "port to forward, TCP and UDP (repeatable)", func(s string) error {
		p, err := strconv.Atoi(s)
		if err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("port %q", s)
		}
		ports = append(ports, p)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := RelayConfig{Ports: ports, DelayFile: *delayFile, Delay: *delay}
	var err error
	if cfg.Listen, err = netip.ParseAddr(*listen); err != nil {
		fmt.Fprintf(os.Stderr, "relay: --listen: %v\n", err)
		return 2
	}
	if cfg.Target, err = netip.ParseAddr(*target); err != nil {
		fmt.Fprintf(os.Stderr, "relay: --target: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := RunRelay(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		return 1
	}
	return 0
}

// RunRelay forwards cfg.Ports from cfg.Listen to cfg.Target, TCP and UDP, holding every chunk for
// the current delay in each direction, until ctx ends.
func RunRelay(ctx context.Context, cfg RelayConfig) error {
	if len(cfg.Ports) == 0 {
		return errors.New("no ports to forward")
	}
	r := &relay{cfg: cfg}
	r.delay.Store(int64(cfg.Delay))
	r.readDelay()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		t := time.NewTicker(delayPoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				r.readDelay()
			}
		}
	})
	for _, p := range cfg.Ports {
		ln, err := net.Listen("tcp", netip.AddrPortFrom(cfg.Listen, uint16(p)).String())
		if err != nil {
			return err
		}
		pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(cfg.Listen, uint16(p))))
		if err != nil {
			ln.Close()
			return err
		}
		context.AfterFunc(ctx, func() { ln.Close(); pc.Close() })
		target := netip.AddrPortFrom(cfg.Target, uint16(p))
		g.Go(func() error { return r.serveTCP(ctx, ln, target) })
		g.Go(func() error { return r.serveUDP(ctx, pc, target) })
	}
	return g.Wait()
}

type relay struct {
	cfg   RelayConfig
	delay atomic.Int64
}

func (r *relay) readDelay() {
	if r.cfg.DelayFile == "" {
		return
	}
	b, err := os.ReadFile(r.cfg.DelayFile)
	if err != nil {
		return
	}
	if d, err := time.ParseDuration(strings.TrimSpace(string(b))); err == nil && d >= 0 {
		r.delay.Store(int64(d))
	}
}

func (r *relay) due() time.Time { return time.Now().Add(time.Duration(r.delay.Load())) }

// chunkPool holds the TCP relay's read buffers.
var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

type chunk struct {
	b   []byte
	due time.Time
}

// sleepUntil waits until t, or returns false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (r *relay) serveTCP(ctx context.Context, ln net.Listener, target netip.AddrPort) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.pipeTCP(ctx, c.(*net.TCPConn), target)
		}()
	}
}

// pipeTCP forwards one connection both ways until both sides have closed.
func (r *relay) pipeTCP(ctx context.Context, in *net.TCPConn, target netip.AddrPort) {
	defer in.Close()
	d := net.Dialer{Timeout: 10 * time.Second}
	oc, err := d.DialContext(ctx, "tcp", target.String())
	if err != nil {
		return
	}
	out := oc.(*net.TCPConn)
	defer out.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	context.AfterFunc(ctx, func() { in.Close(); out.Close() })
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.oneWay(ctx, cancel, in, out) }()
	go func() { defer wg.Done(); r.oneWay(ctx, cancel, out, in) }()
	wg.Wait()
}

// oneWay copies src to dst, each chunk held until its due time; at src's end it closes dst's
// write side, and on an error it ends both directions.
func (r *relay) oneWay(ctx context.Context, fail context.CancelFunc, src, dst *net.TCPConn) {
	q := make(chan chunk, queueChunks)
	room := make(chan struct{}, 1) // signalled when bytes leave the queue
	var inFlight atomic.Int64
	go func() {
		defer close(q)
		for {
			buf := chunkPool.Get().(*[]byte)
			n, err := src.Read(*buf)
			if n > 0 {
				b := (*buf)[:n]
				for inFlight.Load()+int64(n) > queueBytes {
					select {
					case <-room:
					case <-ctx.Done():
						return
					}
				}
				inFlight.Add(int64(n))
				select {
				case q <- chunk{b, r.due()}:
				case <-ctx.Done():
					return
				}
			}
			if n == 0 {
				chunkPool.Put(buf)
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					fail()
				}
				return
			}
		}
	}()
	// The chunks already due when one is written leave with it in one write (writev): a node's
	// answer arrives as many reads of a TLS record or two each, and a write and a wake-up of the
	// reader per read cost the relays, six beside the nodes and the client on two cores, CPU for
	// every MiB read.
	var (
		next  chunk
		have  bool
		bufs  net.Buffers
		batch [][]byte
	)
	for {
		if !have {
			if next, have = <-q; !have {
				break
			}
		}
		if !sleepUntil(ctx, next.due) {
			return
		}
		batch, have = append(batch[:0], next.b), false
		now := time.Now()
	more:
		for len(batch) < maxBatch {
			select {
			case c, ok := <-q:
				if !ok {
					break more
				}
				if c.due.After(now) {
					next, have = c, true
					break more
				}
				batch = append(batch, c.b)
			default:
				break more
			}
		}
		bufs = append(bufs[:0], batch...)
		n, err := bufs.WriteTo(dst)
		if err != nil {
			fail()
			return
		}
		inFlight.Add(-n)
		for i, b := range batch {
			b = b[:cap(b)]
			chunkPool.Put(&b)
			batch[i] = nil
		}
		select {
		case room <- struct{}{}:
		default:
		}
	}
	_ = dst.CloseWrite()
}

// udpSession is one client address's flow through the relay.
type udpSession struct {
	conn *net.UDPConn  // connected to the target
	last atomic.Int64  // unix nanos of the last datagram either way
	up   chan chunk    // client to node
	done chan struct{} // closed when the session ends
}

func (r *relay) serveUDP(ctx context.Context, pc *net.UDPConn, target netip.AddrPort) error {
	var mu sync.Mutex
	sessions := map[netip.AddrPort]*udpSession{}
	var wg sync.WaitGroup
	defer wg.Wait()
	down := make(chan struct {
		chunk
		to netip.AddrPort
	}, udpQueue)
	// One writer for everything sent back to clients, in order of due time.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-down:
				if !sleepUntil(ctx, c.due) {
					return
				}
				_, _ = pc.WriteToUDPAddrPort(c.b, c.to)
			}
		}
	}()
	// Idle sessions are closed.
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(udpIdle / 4)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				mu.Lock()
				for _, s := range sessions {
					s.conn.Close()
				}
				mu.Unlock()
				return
			case <-t.C:
				mu.Lock()
				for a, s := range sessions {
					if time.Since(time.Unix(0, s.last.Load())) > udpIdle {
						s.conn.Close()
						close(s.done)
						delete(sessions, a)
					}
				}
				mu.Unlock()
			}
		}
	}()
	buf := make([]byte, 65536)
	for {
		n, from, err := pc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		mu.Lock()
		s := sessions[from]
		if s == nil {
			conn, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(target))
			if err != nil {
				mu.Unlock()
				continue
			}
			s = &udpSession{conn: conn, up: make(chan chunk, udpQueue), done: make(chan struct{})}
			sessions[from] = s
			wg.Add(2)
			go func() { // client to node
				defer wg.Done()
				for {
					select {
					case <-ctx.Done():
						return
					case <-s.done:
						return
					case c := <-s.up:
						if !sleepUntil(ctx, c.due) {
							return
						}
						if _, err := s.conn.Write(c.b); err != nil && errors.Is(err, net.ErrClosed) {
							return
						}
					}
				}
			}()
			go func() { // node to client
				defer wg.Done()
				b := make([]byte, 65536)
				for {
					n, err := s.conn.Read(b)
					if err != nil {
						if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
							return
						}
						continue
					}
					s.last.Store(time.Now().UnixNano())
					c := struct {
						chunk
						to netip.AddrPort
					}{chunk{append([]byte(nil), b[:n]...), r.due()}, from}
					select {
					case down <- c:
					default: // a full queue drops, as a router would
					}
				}
			}()
		}
		mu.Unlock()
		s.last.Store(time.Now().UnixNano())
		select {
		case s.up <- chunk{append([]byte(nil), buf[:n]...), r.due()}:
		default:
		}
	}
}

// Forward accepts TCP connections on ln and forwards each to target, without delay, until ctx
// ends: a service of the client's side (the devnet's chain) made reachable from the namespaces on
// the bridge's address.
func Forward(ctx context.Context, ln net.Listener, target string) {
	context.AfterFunc(ctx, func() { ln.Close() })
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			var d net.Dialer
			t, err := d.DialContext(ctx, "tcp", target)
			if err != nil {
				return
			}
			defer t.Close()
			stop := context.AfterFunc(ctx, func() { c.Close(); t.Close() })
			defer stop()
			done := make(chan struct{})
			go func() {
				_, _ = io.Copy(t, c)
				_ = t.(*net.TCPConn).CloseWrite()
				close(done)
			}()
			_, _ = io.Copy(c, t)
			_ = c.(*net.TCPConn).CloseWrite()
			<-done
		}()
	}
}

// ParseRate parses a link rate: a number of bits per second with an optional kbit, mbit or gbit
// suffix ("200mbit"); "0" means no cap.
func ParseRate(rate string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(rate))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}, {"bit", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*float64(mult) > 1e12 {
		return 0, fmt.Errorf("rate %q: want bits per second like 200mbit, 1gbit or 0", rate)
	}
	return int64(f * float64(mult)), nil
}
