package p2ptest_test

import (
	"testing"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/dstore-net/dstore/node/p2p/p2ptest"
)

// runs is a Peer around a bare host.
type runs struct{ h host.Host }

func (r runs) Host() host.Host { return r.h }

// transports lists the transports h listens on, failing t if one address is not on loopback.
func transports(t *testing.T, h host.Host) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, a := range h.Addrs() {
		if ip, err := a.ValueForProtocol(ma.P_IP4); err != nil || ip != "127.0.0.1" {
			t.Errorf("%s is not on 127.0.0.1", a)
		}
		switch {
		case len(a.Protocols()) > 2 && a.Protocols()[2].Code == ma.P_QUIC_V1:
			got["quic"] = true
		case a.Protocols()[1].Code == ma.P_TCP:
			got["tcp"] = true
		default:
			got[a.String()] = true
		}
	}
	return got
}

func TestNewHostListensOnLoopback(t *testing.T) {
	tests := []struct {
		name string
		opts []p2ptest.Option
		want []string
	}{
		{"libp2p's defaults", nil, []string{"tcp"}},
		{"dstore's host", []p2ptest.Option{p2ptest.Dstore()}, []string{"tcp", "quic"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := transports(t, p2ptest.NewHost(t, tc.opts...))
			if len(got) != len(tc.want) {
				t.Errorf("listens on %v, want %v", got, tc.want)
			}
			for _, tr := range tc.want {
				if !got[tr] {
					t.Errorf("listens on %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// A host that knows another reaches it by its ID alone.
func TestKnowing(t *testing.T) {
	a, b := p2ptest.NewHost(t), p2ptest.NewHost(t)
	c := p2ptest.NewHost(t, p2ptest.Knowing(runs{a}, runs{b}))
	for _, h := range []host.Host{a, b} {
		if len(c.Peerstore().Addrs(h.ID())) != len(h.Addrs()) {
			t.Fatalf("knows %v of %s, want %v", c.Peerstore().Addrs(h.ID()), h.ID(), h.Addrs())
		}
		if err := c.Connect(t.Context(), peer.AddrInfo{ID: h.ID()}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLibp2pOptions(t *testing.T) {
	h := p2ptest.NewHost(t, p2ptest.Libp2p(libp2p.ResourceManager(&network.NullResourceManager{})))
	if _, ok := h.Network().ResourceManager().(*network.NullResourceManager); !ok {
		t.Fatalf("resource manager %T, want the one given", h.Network().ResourceManager())
	}
}

// The host closes when its test ends: nothing answers at its address after.
func TestClosedWithTheTest(t *testing.T) {
	var gone peer.AddrInfo
	t.Run("open", func(t *testing.T) {
		h := p2ptest.NewHost(t)
		gone = peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}
		if err := p2ptest.NewHost(t).Connect(t.Context(), gone); err != nil {
			t.Fatalf("while its test runs: %v", err)
		}
	})
	if err := p2ptest.NewHost(t).Connect(t.Context(), gone); err == nil {
		t.Fatal("a host still answers after its test ended")
	}
}
