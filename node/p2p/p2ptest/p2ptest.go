package p2ptest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/dstore-net/dstore/node/p2p"
)

// Listen is where a test host listens: TCP on loopback, any free port.
const Listen = "/ip4/127.0.0.1/tcp/0"

// Option adjusts the host NewHost starts.
type Option func(*config)

type config struct {
	libp2p []libp2p.Option
	dstore bool
	peers  []host.Host
}

// Peer is anything that runs a libp2p host, such as a node.
type Peer interface{ Host() host.Host }

// Knowing puts the addresses of each peer's host in the new host's peerstore for an hour, so that
// it reaches them by their IDs alone.
func Knowing[P Peer](peers ...P) Option {
	return func(c *config) {
		for _, p := range peers {
			c.peers = append(c.peers, p.Host())
		}
	}
}

// Libp2p adds opts to libp2p's defaults, after the loopback listen address: a resource
// manager, say.
func Libp2p(opts ...libp2p.Option) Option {
	return func(c *config) { c.libp2p = append(c.libp2p, opts...) }
}

// Dstore starts the host dstore's clients run (p2p.NewHost) rather than libp2p's default one:
// TCP and QUIC on loopback, dstore's dial order and stream window. It takes no Libp2p options.
func Dstore() Option {
	return func(c *config) { c.dstore = true }
}

// NewHost starts a libp2p host with a fresh identity on 127.0.0.1 (Listen, libp2p's defaults
// otherwise, unless opts say else) and closes it when t ends.
func NewHost(t testing.TB, opts ...Option) host.Host {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	var h host.Host
	var err error
	if c.dstore {
		if len(c.libp2p) > 0 {
			t.Fatal("p2ptest: dstore's host takes no libp2p options")
		}
		var key crypto.PrivKey
		key, _, err = crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		h, err = p2p.NewHost(p2p.HostConfig{Key: key})
	} else {
		h, err = libp2p.New(append([]libp2p.Option{libp2p.ListenAddrStrings(Listen)}, c.libp2p...)...)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for _, p := range c.peers {
		h.Peerstore().AddAddrs(p.ID(), p.Addrs(), time.Hour)
	}
	return h
}
