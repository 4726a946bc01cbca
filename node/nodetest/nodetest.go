package nodetest

import (
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/storetest"
)

// StartNodes starts n nodes; every node after the first joins the DHT through the first. They stop
// when the test ends.
func StartNodes(t testing.TB, n int) []*node.Node {
	t.Helper()
	return StartNodesConfig(t, n, node.Config{})
}

// StartNodesConfig starts n nodes as StartNodes does, each with cfg, its own repo and the first
// node as its bootstrap peer.
func StartNodesConfig(t testing.TB, n int, cfg node.Config) []*node.Node {
	t.Helper()
	var nodes []*node.Node
	var boot []peer.AddrInfo
	for i := 0; i < n; i++ {
		cfg.Repo, cfg.Bootstrap = t.TempDir(), boot
		nd := StartConfig(t, cfg)
		if i == 0 {
			boot = []peer.AddrInfo{{ID: nd.ID(), Addrs: nd.Host().Addrs()}}
		}
		nodes = append(nodes, nd)
	}
	return nodes
}

// Start starts one node on repo and runs it until the test ends.
func Start(t testing.TB, repo string, bootstrap []peer.AddrInfo) *node.Node {
	t.Helper()
	return StartConfig(t, node.Config{Repo: repo, Bootstrap: bootstrap})
}

// Restart closes n and starts a node again on its repo, with the same identity, ports, pieces
// and configuration (n.Config()), joining the DHT through bootstrap.
func Restart(t testing.TB, n *node.Node, bootstrap []peer.AddrInfo) *node.Node {
	t.Helper()
	if err := n.Close(); err != nil {
		t.Fatalf("closing node %s: %v", n.ID(), err)
	}
	cfg := n.Config()
	cfg.Bootstrap = bootstrap
	return StartConfig(t, cfg)
}

// StartConfig starts one node with cfg and runs it until the test ends.
func StartConfig(t testing.TB, cfg node.Config) *node.Node {
	t.Helper()
	nd, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = nd.Run(t.Context())
	}()
	t.Cleanup(func() {
		nd.Close()
		<-done
	})
	return nd
}

// Allow puts the client peer p on the allow-list of every node: it may store without tickets.
func Allow(p peer.ID, nodes ...*node.Node) {
	for _, n := range nodes {
		n.Allow(p)
	}
}

// CorruptPiece flips one byte of a stored piece, as a failing disk would.
func CorruptPiece(t testing.TB, n *node.Node, root cid.Cid, shard, segment int) {
	t.Helper()
	storetest.Damage(t, n.Store(), store.Ref{Root: root, Shard: shard, Segment: segment}, func(v []byte) { v[len(v)-1] ^= 0xff })
}
