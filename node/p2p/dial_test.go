package p2p

import (
	"testing"

	ma "github.com/multiformats/go-multiaddr"
)

func TestDialRanker(t *testing.T) {
	tests := []struct {
		name  string
		addrs []string
		first string // the address dialed first, with no delay
	}{
		{"loopback: TCP first", []string{"/ip4/127.0.0.1/udp/4001/quic-v1", "/ip4/127.0.0.1/tcp/4001"}, "/ip4/127.0.0.1/tcp/4001"},
		{"elsewhere: TCP first too", []string{"/ip4/198.18.0.2/udp/4001/quic-v1", "/ip4/198.18.0.2/tcp/4001"}, "/ip4/198.18.0.2/tcp/4001"},
		{"QUIC alone", []string{"/ip4/198.18.0.2/udp/4001/quic-v1"}, "/ip4/198.18.0.2/udp/4001/quic-v1"},
		{"loopback WebSocket is not plain TCP", []string{"/ip4/127.0.0.1/tcp/4002/ws", "/ip4/127.0.0.1/udp/4001/quic-v1"}, "/ip4/127.0.0.1/udp/4001/quic-v1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var addrs []ma.Multiaddr
			for _, s := range tc.addrs {
				addrs = append(addrs, ma.StringCast(s))
			}
			got := DialRanker(addrs)
			if len(got) != len(addrs) {
				t.Fatalf("ranked %d addresses of %d", len(got), len(addrs))
			}
			if got[0].Addr.String() != tc.first || got[0].Delay != 0 {
				t.Fatalf("first dial %s after %v, want %s at once", got[0].Addr, got[0].Delay, tc.first)
			}
			for _, d := range got[1:] {
				if d.Delay <= 0 {
					t.Fatalf("%s dialed at once too, want it delayed", d.Addr)
				}
			}
		})
	}
}
