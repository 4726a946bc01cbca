package p2p

import (
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// loopbackFallback is how long a client waits for a loopback TCP connection before it dials a
// node's other addresses too.
const loopbackFallback = 100 * time.Millisecond

// DialRanker orders a host's dials to a peer (NewHost sets it): TCP first on loopback, where it
// moves a byte at a third of QUIC's CPU cost (one 64 KiB write is one system call, where QUIC sends
// a datagram of 1.2 KiB at a time, each encrypted on its own), and libp2p's default order for every
// other address (QUIC first: one round trip fewer to connect, which counts over a real network).
func DialRanker(addrs []ma.Multiaddr) []network.AddrDelay {
	var tcp, rest []ma.Multiaddr
	for _, a := range addrs {
		if isLoopbackTCP(a) {
			tcp = append(tcp, a)
		} else {
			rest = append(rest, a)
		}
	}
	out := swarm.DefaultDialRanker(rest)
	if len(tcp) == 0 {
		return out
	}
	for i := range out {
		out[i].Delay += loopbackFallback
	}
	first := make([]network.AddrDelay, 0, len(tcp)+len(out))
	for _, a := range tcp {
		first = append(first, network.AddrDelay{Addr: a})
	}
	return append(first, out...)
}

// isLoopbackTCP says whether a is plain TCP (no WebSocket or other protocol on top) on loopback.
func isLoopbackTCP(a ma.Multiaddr) bool {
	if !manet.IsIPLoopback(a) {
		return false
	}
	ps := a.Protocols()
	return len(ps) == 2 && ps[1].Code == ma.P_TCP
}
