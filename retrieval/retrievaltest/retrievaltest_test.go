package retrievaltest_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// A client stores on the nodes it was given, which allow it; a stranger on the same nodes is
// refused and on no allow-list. Neither touches the caller's list of peers.
func TestNewClientAndStranger(t *testing.T) {
	all := nodetest.StartNodes(t, 4)
	nodes := all[:3]
	params := retrieval.PutOptions{Params: sharding.Params{K: 2, M: 1, PieceSize: 4 << 10}}
	data := bytes.Repeat([]byte("dstore"), 2000)
	// The caller's own peer is a storage node too, one that allows neither client: a put may
	// try it (a bare host would answer "protocol not supported" instead of a refusal).
	given := make([]peer.AddrInfo, 1, 8)
	given[0] = peer.AddrInfo{ID: all[3].ID(), Addrs: all[3].Host().Addrs()}
	tests := []struct {
		name    string
		client  func(t testing.TB, cfg retrieval.Config) *retrieval.Client
		allowed bool
	}{
		{"client", func(t testing.TB, cfg retrieval.Config) *retrieval.Client {
			return retrievaltest.NewClient(t, nodes, cfg)
		}, true},
		{"stranger", func(t testing.TB, cfg retrieval.Config) *retrieval.Client {
			return retrievaltest.NewStranger(t, nodes, cfg)
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := p2ptest.NewHost(t)
			c := tc.client(t, retrieval.Config{Host: h, Peers: given})
			if c.Host() != h {
				t.Fatal("the client does not run on the host given")
			}
			if got := given[:cap(given)][1]; got.ID != "" {
				t.Fatalf("the caller's peers were written over: %v", got)
			}
			for i, n := range nodes {
				if n.Allowed(h.ID()) != tc.allowed {
					t.Fatalf("node %d allows the client: %v, want %v", i, n.Allowed(h.ID()), tc.allowed)
				}
			}
			_, _, err := c.Put(t.Context(), bytes.NewReader(data), int64(len(data)), params)
			if tc.allowed && err != nil {
				t.Fatalf("put: %v", err)
			}
			if !tc.allowed && !errors.Is(err, wire.ErrForbidden) {
				t.Fatalf("put: %v, want ErrForbidden", err)
			}
		})
	}
	if c := retrievaltest.NewClient(t, nodes, retrieval.Config{}); c.Host() == nil {
		t.Fatal("no host of its own")
	}
}
