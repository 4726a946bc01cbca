package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/retrievaltest"
	"github.com/dstore-net/dstore/sharding"
)

// A shard moved to a node the manifest does not name, its old holder killed and the holder of
// another shard too, so that the manifest's placement leaves fewer than k shards: `dstore get`
// and the devnet's gateway find the new holder by the shard's record on the DHT and read the
// file byte for byte, and get --json says the new holder served every piece of the moved shard. A
// `dstore gateway` that read the file before the move reads it again after it, without a new
// manifest: its fetches run out of nodes and look the holders up again. status shows the new
// holder, live.
func TestMovedShardOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: 4, K: 2, M: 1, Log: io.Discard, NoChain: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	src, sum := writeFile(t, t.TempDir(), "f", 700<<10, 21)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--k", "2", "--m", "1", "--piece-size", "65536", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	root, err := cid.Decode(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}

	// A gateway of its own that keeps (almost) nothing in its cache reads the file while every
	// holder is up: it has the manifest, and the holders of record as they were, before the move.
	gw := startGatewayProcess(t, home, "--cache-size", "1KiB")
	if body := httpGet(t, gw+"/ipfs/"+root.String()); sha256.Sum256(body) != sum {
		t.Fatal("the gateway served other bytes before the move")
	}

	// Move shard 0 to the node that holds nothing of the file, as the devnet's client (whose
	// key the nodes allow), through the Go API.
	peers, err := d.File().AddrInfos()
	if err != nil {
		t.Fatal(err)
	}
	key, err := retrieval.LoadPeerKey(home)
	if err != nil {
		t.Fatal(err)
	}
	c, closeC, err := retrieval.Dial(t.Context(), key, peers, retrieval.Config{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Manifest(t.Context(), root)
	if err != nil {
		closeC()
		t.Fatal(err)
	}
	index := func(p string) int {
		for _, n := range d.File().Nodes {
			if n.PeerID == p {
				return n.Index
			}
		}
		return -1
	}
	var spare peer.AddrInfo
	for i, n := range d.File().Nodes {
		if !slices.ContainsFunc(m.Placement, func(locs []sharding.Location) bool { return locs[0].Peer == n.PeerID }) {
			spare = peers[i]
		}
	}
	if _, err := c.RebuildShard(t.Context(), m, 0, spare, retrieval.RebuildOptions{}); err != nil {
		closeC()
		t.Fatal(err)
	}
	closeC()
	for _, shard := range []int{0, 2} {
		if err := d.Kill(index(m.Placement[shard][0].Peer)); err != nil {
			t.Fatal(err)
		}
	}
	live := []peer.AddrInfo{peers[index(m.Placement[1][0].Peer)], spare}
	retrievaltest.WaitRecord(t, live, m, 0, spare.ID)

	dst := filepath.Join(t.TempDir(), "out")
	code, out, errOut = dstore(t, "--home", home, "--json", "--quiet", "get", "-o", dst, root.String())
	if code != 0 {
		t.Fatalf("get with shard 0 moved: exit %d: %s", code, errOut)
	}
	if fileSum(t, dst) != sum {
		t.Fatal("the file read back differs")
	}
	var st retrieval.GetStats
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("get --json: %v\n%s", err, out)
	}
	served := 0
	for _, s := range st.PerSegment {
		for _, p := range s.Pieces {
			if p.Piece == 0 && p.Peer == spare.ID.String() {
				served++
				break
			}
		}
	}
	if served != m.NumSegments() {
		t.Fatalf("the new holder served piece 0 of %d segments of %d:\n%s", served, m.NumSegments(), out)
	}

	// status names the new holder of shard 0, live, found without a new manifest.
	code, out, errOut = dstore(t, "--home", home, "--json", "status", root.String())
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var status struct {
		Shards []retrieval.ReplicaStatus `json:"shards"`
	}
	if err := json.Unmarshal([]byte(out), &status); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if !slices.ContainsFunc(status.Shards, func(r retrieval.ReplicaStatus) bool {
		return r.Shard == 0 && r.Peer == spare.ID.String() && r.Live
	}) {
		t.Fatalf("status does not show the new holder of shard 0 live:\n%s", out)
	}

	for _, url := range []string{d.File().Gateway, gw} {
		if body := httpGet(t, url+"/ipfs/"+root.String()); sha256.Sum256(body) != sum {
			t.Fatalf("the gateway at %s served %d bytes that differ from the file", url, len(body))
		}
	}
}

// startGatewayProcess runs `dstore gateway` on home with args as a process of its own until the
// test ends, and returns its URL.
func startGatewayProcess(t *testing.T, home string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"--home", home, "gateway", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "DSTORE_EXEC_MAIN=1")
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dstore gateway printed no URL: %v", err)
	}
	return strings.TrimSpace(line)
}
