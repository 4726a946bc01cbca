// Package retrievaltest holds helpers for the tests of readers and writers (the retrieval,
// gateway, cli and bench tests): a client that knows a list of storage nodes, and a look at the
// DHT as a fresh reader would take it. The tests in package retrieval itself cannot use it, since
// it imports retrieval.
package retrievaltest

import (
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/p2p"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// Node is a storage node a client stores on, such as a *node.Node: a host, and an allow-list
// of the peers that may store without tickets.
type Node interface {
	p2ptest.Peer
	Allow(p peer.ID)
}

// NewClient starts a client on a loopback host of its own (or on cfg.Host, if set) that knows
// nodes, after cfg.Peers, and that every node allows to store without tickets. The host closes
// when t ends.
func NewClient[N Node](t testing.TB, nodes []N, cfg retrieval.Config) *retrieval.Client {
	t.Helper()
	if cfg.Host == nil {
		cfg.Host = p2ptest.NewHost(t)
	}
	for _, n := range nodes {
		n.Allow(cfg.Host.ID())
	}
	return NewStranger(t, nodes, cfg)
}

// NewStranger is NewClient without the nodes' allow-lists: a client that stores with tickets,
// or only reads, or is refused.
func NewStranger[P p2ptest.Peer](t testing.TB, nodes []P, cfg retrieval.Config) *retrieval.Client {
	t.Helper()
	if cfg.Host == nil {
		cfg.Host = p2ptest.NewHost(t)
	}
	cfg.Peers = slices.Clip(cfg.Peers) // the caller's slice stays as it was
	for _, n := range nodes {
		cfg.Peers = append(cfg.Peers, peer.AddrInfo{ID: n.Host().ID(), Addrs: n.Host().Addrs()})
	}
	c, err := retrieval.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// WaitRecord waits until the DHT, joined through peers by a host of its own, names holder among
// the holders of record of shard of m (a node announces a shard it holds whole in the
// background). It fails t after 30 s.
func WaitRecord(t testing.TB, peers []peer.AddrInfo, m *sharding.Manifest, shard int, holder peer.ID) {
	t.Helper()
	h := p2ptest.NewHost(t, p2ptest.Dstore())
	defer h.Close() // the look ends here, not with the test
	kad, err := p2p.NewDHT(t.Context(), h, false, peers)
	if err != nil {
		t.Fatal(err)
	}
	defer kad.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		hs, err := retrieval.DHTHolders{Routing: kad, Timeout: 2 * time.Second}.Holders(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(hs[shard], func(l sharding.Location) bool { return l.Peer == holder.String() }) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the DHT names %v as the holders of shard %d, not %s", hs[shard], shard, holder)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
