// Package devnettest helps the tests and benchmarks that run a devnet (the cli tests in this
// process, the benchmarks as `dstore devnet` processes): what `dstore put --json` printed, and
// which devnet node holds each shard.
package devnettest

import (
	"encoding/json"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/sharding"
)

// Put is what `dstore put --json` prints of a stored file: its root and its placement, the
// holders of each shard's replicas in order.
type Put struct {
	Root      cid.Cid
	Placement [][]sharding.Location
}

// ParsePut reads what `dstore put --json` printed.
func ParsePut(t testing.TB, out string) Put {
	t.Helper()
	var res struct {
		Root      string                `json:"root"`
		Placement [][]sharding.Location `json:"placement"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("put --json: %v\n%s", err, out)
	}
	root, err := cid.Decode(res.Root)
	if err != nil {
		t.Fatalf("put --json printed the root %q: %v", res.Root, err)
	}
	return Put{Root: root, Placement: res.Placement}
}

// Holders returns the devnet index of the node that holds replica r of each shard (0: the one
// the manifest names first). It fails t when a shard has no replica r or holds it outside f.
func (p Put) Holders(t testing.TB, f *devnet.File, r int) []int {
	t.Helper()
	out := make([]int, len(p.Placement))
	for s, locs := range p.Placement {
		if len(locs) <= r {
			t.Fatalf("shard %d has %d holders, no replica %d", s, len(locs), r)
		}
		out[s] = -1
		for _, n := range f.Nodes {
			if n.PeerID == locs[r].Peer {
				out[s] = n.Index
			}
		}
		if out[s] < 0 {
			t.Fatalf("shard %d is on %s, not a devnet node", s, locs[r].Peer)
		}
	}
	return out
}
