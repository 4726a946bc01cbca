package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/dstore-net/dstore/devnet/devnettest"
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
	res := devnettest.ParsePut(t, out)
	near := make([]string, len(res.Placement))
	for s, far := range res.Holders(t, d.File(), 0) {
		if len(res.Placement[s]) != 2 {
			t.Fatalf("shard %d has %d holders, want 2: %s", s, len(res.Placement[s]), out)
		}
		if err := d.SetDelay(far, 40*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		near[s] = res.Placement[s][1].Peer
	}
	time.Sleep(100 * time.Millisecond) // the relays read their delay files every 20 ms
	get := func() retrieval.GetStats {
		t.Helper()
		dst := filepath.Join(t.TempDir(), "out")
		code, out, errOut := dstore(t, "--home", home, "--quiet", "--json", "get", "-o", dst, res.Root.String())
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
