package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScrubOverProcesses is the corruption drill as a user would run it: a node process is
// stopped, a byte of one of its pieces is flipped in badger's value log, and the node is started
// again; its scrub finds the piece and repairs it in place from the other nodes, `status` shows
// the repair and the last scrub, and the file reads back byte for byte.
func TestScrubOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	d, home := startTestDevnet(t, 3)
	dir := t.TempDir()
	src, sum := writeFile(t, dir, "f", 300<<10, 7)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--k", "2", "--m", "1", "--piece-size", "65536", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	root := strings.TrimSpace(out)
	type shardStatus struct {
		Shard     int        `json:"shard"`
		Peer      string     `json:"peer"`
		Live      bool       `json:"live"`
		LastScrub *time.Time `json:"lastScrub"`
		Damaged   int        `json:"damaged"`
		Repaired  int        `json:"repairedPieces"`
	}
	status := func() (shards []shardStatus, live int) {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "--json", "status", root)
		var st struct {
			Shards []shardStatus `json:"shards"`
			Health struct {
				Live int `json:"live"`
			} `json:"health"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
			t.Fatalf("status: exit %d: %s %s", code, out, errOut)
		}
		return st.Shards, st.Health.Live
	}
	shards, live := status()
	if live != 3 || len(shards) != 3 {
		t.Fatalf("status of the stored file: %d shards live, %+v", live, shards)
	}
	victim := -1
	for i, n := range d.File().Nodes {
		if n.PeerID == shards[0].Peer {
			victim = i
		}
	}
	if victim < 0 {
		t.Fatalf("no node holds shard 0")
	}
	if err := d.Kill(victim); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the process gone
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// Piece 0 of segment 1 holds bytes [128 KiB, 192 KiB) of the file.
	needle := orig[128<<10+1000 : 128<<10+1064]
	vlogs, _ := filepath.Glob(filepath.Join(home, "nodes", strconv.Itoa(victim), "store", "*.vlog"))
	flipped := false
	for _, f := range vlogs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Every copy: a staged piece's value was written again under the file's root at the
		// commit, and its first copy stays in the value log until badger collects it.
		found := false
		for off := 0; ; {
			i := bytes.Index(b[off:], needle)
			if i < 0 {
				break
			}
			b[off+i+7] ^= 0x20
			off += i + len(needle)
			found = true
		}
		if found {
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			flipped = true
		}
	}
	if !flipped {
		t.Fatalf("no value log of node %d holds the piece", victim)
	}
	start := time.Now()
	if err := d.Restart(t.Context(), victim); err != nil {
		t.Fatal(err)
	}
	for {
		shards, live = status()
		if s := shards[0]; s.Repaired == 1 && s.Damaged == 0 && s.LastScrub != nil && s.Live && live == 3 {
			break
		}
		if time.Since(start) > time.Minute {
			t.Fatalf("no repair within a minute: %+v", shards)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("restart to the piece repaired and shown by status: %v", time.Since(start).Round(time.Millisecond))
	code, out, errOut = dstore(t, "--home", home, "status", root)
	if code != 0 || !strings.Contains(out, "health: 3 of 3 shards live") || !strings.Contains(out, "(1 repaired)") {
		t.Fatalf("status after the repair: exit %d: %s %s", code, out, errOut)
	}
	dst := filepath.Join(dir, "out")
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", root, "-o", dst); code != 0 || fileSum(t, dst) != sum {
		t.Fatalf("get after the repair: exit %d: %s", code, errOut)
	}
}
