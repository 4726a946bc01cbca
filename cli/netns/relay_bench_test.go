package netns_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/dstore-net/dstore/cli/netns"
)

// BenchmarkRelay moves 1 MiB answers through a relay on loopback with a 5 ms delay, as a node's
// answer to a piece read crosses its namespace's relay: the node writes 16 KiB at a time (TLS
// records) and the reader asks for the next answer once it has the last. It reports the CPU the
// whole process (relay, writer and reader) spent per MiB; the writer's and the reader's share does
// not change with the relay.
func BenchmarkRelay(b *testing.B) {
	const answer = 1 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		rec := make([]byte, 16<<10)
		ask := make([]byte, 1)
		for {
			if _, err := io.ReadFull(c, ask); err != nil {
				return
			}
			for range answer / len(rec) {
				if _, err := c.Write(rec); err != nil {
					return
				}
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- netns.RunRelay(ctx, netns.RelayConfig{
			Listen: netip.MustParseAddr("127.0.0.2"), Target: netip.MustParseAddr("127.0.0.1"),
			Ports: []int{port}, Delay: 5 * time.Millisecond,
		})
	}()
	defer func() { cancel(); <-done }()
	var c net.Conn
	for range 100 {
		if c, err = net.Dial("tcp", fmt.Sprintf("127.0.0.2:%d", port)); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, answer)
	b.SetBytes(answer)
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write([]byte{1}); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/MiB")
}

// cpuTime is the CPU time the process has spent, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
