package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/dstore-net/dstore/retrieval"
)

// TestNetnsReadsTakeTheNearerReplica: put --replicas 2 on a namespace devnet, then the first
// holder of every shard is moved 40 ms away (an 80 ms round trip) and the others stay 2 ms: after
// a get that meets the nodes (its measurements are kept in HOME), `get --json` says that every piece
// came from the nearer replica of its shard, though the manifest names the far one first.
func TestNetnsReadsTakeTheNearerReplica(t *testing.T) {
	d, home := startNetnsDevnet(t, 6, []time.Duration{2 * time.Millisecond}, nil)
	src, sum := writeFile(t, t.TempDir(), "f", 1<<20, 43)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "--json", "put", "--k", "2", "--m", "1", "--replicas", "2", "--piece-size", "65536", src)
	if code != 0 {
		t.Fatalf("put --replicas 2: exit %d: %s", code, errOut)
	}
	var res struct {
		Root      string `json:"root"`
		Placement [][]struct {
			Peer string `json:"peer"`
		} `json:"placement"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("put --json: %v\n%s", err, out)
	}
	near := make([]string, len(res.Placement))
	for s, locs := range res.Placement {
		if len(locs) != 2 {
			t.Fatalf("shard %d has %d holders, want 2: %s", s, len(locs), out)
		}
		for _, n := range d.File().Nodes {
			if n.PeerID == locs[0].Peer {
				if err := d.SetDelay(n.Index, 40*time.Millisecond); err != nil {
					t.Fatal(err)
				}
			}
		}
		near[s] = locs[1].Peer
	}
	time.Sleep(100 * time.Millisecond) // the relays read their delay files every 20 ms
	get := func() retrieval.GetStats {
		t.Helper()
		dst := filepath.Join(t.TempDir(), "out")
		code, out, errOut := dstore(t, "--home", home, "--quiet", "--json", "get", "-o", dst, res.Root)
		if code != 0 {
			t.Fatalf("get: exit %d: %s", code, errOut)
		}
		if fileSum(t, dst) != sum {
			t.Fatal("the file read back differs")
		}
		var st retrieval.GetStats
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("get --json: %v\n%s", err, out)
		}
		return st
	}
	get() // meets the nodes: pings, its own fetches, kept in HOME/estimates.json
	st := get()
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Peer != near[p.Piece] {
				t.Fatalf("segment %d: piece %d came from %s, not from the near replica %s", s.Segment, p.Piece, p.Peer, near[p.Piece])
			}
		}
	}
}
