package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/sec"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
)

// countingConn counts the writes that reach a TCP connection.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

// securePair runs a gathering TLS handshake over a loopback TCP connection and returns both ends
// and the client's counted TCP connection.
func securePair(t *testing.T) (client, server sec.SecureConn, craw *countingConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	transport := func() (*gatheringTLS, peer.ID) {
		k, _, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := newGatheringTLS(libp2ptls.ID, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		id, err := peer.IDFromPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return tr, id
	}
	ct, _ := transport()
	st, sid := transport()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var serr error
	wg.Go(func() {
		c, err := ln.Accept()
		if err != nil {
			serr = err
			return
		}
		server, serr = st.SecureInbound(ctx, c, "")
	})
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	craw = &countingConn{Conn: c}
	client, err = ct.SecureOutbound(ctx, craw, sid)
	wg.Wait()
	if err != nil || serr != nil {
		t.Fatalf("handshake: client %v, server %v", err, serr)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server, craw
}

func TestGatheredRecords(t *testing.T) {
	client, server, raw := securePair(t)
	const frame = 1<<20 + 12 // a yamux frame of a whole piece
	const frames = 8
	sent := make([]byte, frames*frame)
	rand.Read(sent)
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(server, int64(len(sent))))
		got <- b
	}()
	before := raw.writes.Load()
	for i := range frames {
		if n, err := client.Write(sent[i*frame : (i+1)*frame]); err != nil || n != frame {
			t.Fatalf("write %d: %d bytes, %v", i, n, err)
		}
	}
	writes := raw.writes.Load() - before
	if b := <-got; !bytes.Equal(b, sent) {
		t.Fatalf("the server read %d bytes that differ from the %d sent", len(b), len(sent))
	}
	// 65 records a frame, 15 of them in a batch: 5 writes, where TLS alone makes 65.
	if perFrame := float64(writes) / frames; perFrame > 6 {
		t.Fatalf("%.1f TCP writes a frame of %d bytes, want at most 6 (TLS alone makes one a 16 KiB record)", perFrame, frame)
	}
	t.Logf("%d TCP writes for %d frames of %d bytes", writes, frames, frame)

	// Small writes go out at once, not when a batch fills.
	go func() { client.Write([]byte("ping")) }()
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 4)
	if _, err := io.ReadFull(server, b); err != nil || string(b) != "ping" {
		t.Fatalf("a small write did not arrive on its own: %q, %v", b, err)
	}
}

// A host from NewHost and a libp2p host with only libp2p's own TLS open a stream to each other
// and move a few MiB both ways: the gathered records are plain TLS on the wire.
func TestGatheringTLSSpeaksLibp2pTLS(t *testing.T) {
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := NewHost(HostConfig{Key: k, Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	theirs, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.Security(libp2ptls.ID, libp2ptls.New))
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	const proto = "/dstore/test/echo"
	theirs.SetStreamHandler(proto, func(s network.Stream) {
		defer s.Close()
		io.Copy(s, s)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := ours.Connect(ctx, peer.AddrInfo{ID: theirs.ID(), Addrs: theirs.Addrs()}); err != nil {
		t.Fatal(err)
	}
	if conns := ours.Network().ConnsToPeer(theirs.ID()); len(conns) != 1 || conns[0].ConnState().Security != libp2ptls.ID {
		t.Fatalf("connections %v, want one secured by %s", conns, libp2ptls.ID)
	}
	s, err := ours.NewStream(ctx, theirs.ID(), proto)
	if err != nil {
		t.Fatal(err)
	}
	sent := make([]byte, 3<<20)
	rand.Read(sent)
	go func() {
		s.Write(sent)
		s.CloseWrite()
	}()
	got, err := io.ReadAll(s)
	if err != nil || !bytes.Equal(got, sent) {
		t.Fatalf("echo: %d bytes of %d back, equal %v, err %v", len(got), len(sent), bytes.Equal(got, sent), err)
	}
}

// BenchmarkStream moves 1 MiB writes over a yamux stream between two hosts on loopback, secured by
// libp2p's TLS as it is and by the gathering TLS of NewHost, and reports the CPU time of both
// ends (the process's) per MiB: the figure the gathering is for.
func BenchmarkStream(b *testing.B) {
	for _, tc := range []struct {
		name     string
		security libp2p.Option
	}{
		{"libp2p-tls", libp2p.Security(libp2ptls.ID, libp2ptls.New)},
		{"gathered-tls", libp2p.Security(libp2ptls.ID, newGatheringTLS)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var hosts [2]host.Host
			for i := range hosts {
				h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), tc.security,
					libp2p.Muxer(yamux.ID, streamMuxer()), libp2p.DisableMetrics())
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close()
				hosts[i] = h
			}
			const proto = "/dstore/bench/sink"
			done := make(chan int64, 1)
			hosts[1].SetStreamHandler(proto, func(s network.Stream) {
				n, _ := io.Copy(io.Discard, s)
				s.Close()
				done <- n
			})
			ctx := context.Background()
			if err := hosts[0].Connect(ctx, peer.AddrInfo{ID: hosts[1].ID(), Addrs: hosts[1].Addrs()}); err != nil {
				b.Fatal(err)
			}
			s, err := hosts[0].NewStream(ctx, hosts[1].ID(), proto)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 1<<20)
			rand.Read(buf)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			cpu0 := processCPU(b)
			b.ResetTimer()
			for range b.N {
				if _, err := s.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			s.CloseWrite()
			if n := <-done; n != int64(b.N)*int64(len(buf)) {
				b.Fatalf("the sink read %d bytes of %d", n, b.N*len(buf))
			}
			b.StopTimer()
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/MiB")
		})
	}
}

// processCPU is the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
