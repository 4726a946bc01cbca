// Package retrievaltest holds helpers for the tests of readers (the retrieval and cli tests): a
// look at the DHT as a fresh reader would take it.
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
