package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// A node process run with --max-storage refuses the piece that would pass it, keeps the others,
// and reports its usage in its metrics.
func TestNodeMaxStorageOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node process")
	}
	if code, _, errOut := dstore(t, "node", "run", "--repo", t.TempDir(), "--max-storage", "lots"); code != 2 || !strings.Contains(errOut, "--max-storage") {
		t.Fatalf("a bad size: exit %d, %q", code, errOut)
	}
	repo := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	// The client's peer is on the node's allow-list (--allow): it stores without tickets.
	h := p2ptest.NewHost(t)
	cmd := exec.Command(os.Args[0], "node", "run", "--repo", repo, "--max-storage", "300KiB", "--metrics", metricsAddr, "--allow", h.ID().String())
	cmd.Env = append(os.Environ(), "DSTORE_EXEC_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	var info node.Info
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if info, err = node.ReadInfo(repo); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node did not start: %v\n%s", err, stderr.String())
		}
	}
	id, err := peer.Decode(info.PeerID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range info.Addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			t.Fatal(err)
		}
		if ai, err := peer.AddrInfoFromP2pAddr(m); err == nil {
			h.Peerstore().AddAddrs(id, ai.Addrs, time.Hour)
		}
	}
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	// A file of 10 pieces of 100 KiB, one shard: its manifest first, then its pieces.
	var data []byte
	for seg := range 10 {
		data = append(data, bytes.Repeat([]byte{byte(seg + 1)}, 100<<10)...)
	}
	fm, err := sharding.Import(t.Context(), bytes.NewReader(data), sharding.Params{K: 1, M: 0, PieceSize: 100 << 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := fm.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StoreManifest(t.Context(), id, mb); err != nil {
		t.Fatal(err)
	}
	root := fm.Root
	var stored [][]byte
	for seg := range 10 {
		p := data[seg*(100<<10) : (seg+1)*(100<<10)]
		if err = c.StorePiece(t.Context(), id, wire.PieceRef{Root: root, Segment: seg}, fm.PieceSum(p), p); err != nil {
			break
		}
		stored = append(stored, p)
	}
	if !errors.Is(err, wire.ErrFull) || len(stored) != 2 {
		t.Fatalf("after %d pieces: %v, want ErrFull after 2", len(stored), err)
	}
	for seg, p := range stored {
		if got, err := c.GetPiece(t.Context(), id, wire.PieceRef{Root: root, Segment: seg}, 0, -1); err != nil || !bytes.Equal(got, p) {
			t.Fatalf("piece %d: %v", seg, err)
		}
	}
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if want := fmt.Sprintf("dstore_store_max_bytes %d", 300<<10); !strings.Contains(string(body), want) {
		t.Fatalf("metrics do not say %q", want)
	}
	var used float64
	if _, err := fmt.Sscanf(grepLines(string(body), "dstore_store_used_bytes "), "dstore_store_used_bytes %g", &used); err != nil || used < 2*100<<10 || used > 2*101<<10 {
		t.Fatalf("metrics do not count two pieces of 100 KiB (%v):\n%s", err, grepLines(string(body), "dstore_store"))
	}
}

// grepLines returns the lines of s that start with prefix sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
