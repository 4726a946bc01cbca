package cli

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/repair"
)

// putDeal is the part of `put --json` the repair drill reads.
type putDeal struct {
	Request string `json:"request"`
	Slots   []struct {
		Shard  int    `json:"shard"`
		Peer   string `json:"peer"`
		Filled bool   `json:"filled"`
	} `json:"slots"`
}

// TestRepairOverProcesses is the repair drill on the devnet, with node processes, the embedded
// chain and real proofs, and no auditor: the devnet's repairer alone watches the holders. A file
// of k = 2, m = 1 is put with 2 replicas: two storage requests, one per replica, six slots on six
// nodes; a seventh node holds nothing. The holder of slot 0 of the first request is killed for
// good; the repairer counts it dead (3 failed pings over 30 s), reports its missed proofs until
// the slot is freed, rebuilds the shard from k others and hands it to the seventh node, which
// checks it against the slot root, refills the slot and proves it. Then m more original holders
// of that request die, and both replica holders of shard 1 too: the file reads back byte for
// byte, shard 0 from the repaired node, which only the chain names as its holder. Every slot of
// both requests is proven (the killed node's until it was killed).
func TestRepairOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes and proves")
	}
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: 7, K: 2, M: 1, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)

	src, sum := writeFile(t, t.TempDir(), "f", 300<<10, 11)
	code, out, errOut := dstore(t, "--home", home, "--json", "--quiet", "put", "--k", "2", "--m", "1", "--replicas", "2",
		"--piece-size", "65536", "--proof-period", "30", "--fill-timeout", "1m", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	var put struct {
		Root         string    `json:"root"`
		Deal         putDeal   `json:"deal"`
		ReplicaDeals []putDeal `json:"replicaDeals"`
	}
	if err := json.Unmarshal([]byte(out), &put); err != nil {
		t.Fatalf("put --json: %v\n%s", err, out)
	}
	if len(put.ReplicaDeals) != 1 || put.ReplicaDeals[0].Request == put.Deal.Request {
		t.Fatalf("put --replicas 2 made deals %s and %+v, want one more request", put.Deal.Request, put.ReplicaDeals)
	}
	deals := []putDeal{put.Deal, put.ReplicaDeals[0]}
	holders := map[string]bool{}
	for _, dl := range deals {
		for _, s := range dl.Slots {
			if !s.Filled || holders[s.Peer] {
				t.Fatalf("slot %d of %s not filled, or its node holds another replica: %s", s.Shard, dl.Request, out)
			}
			holders[s.Peer] = true
		}
	}
	var lastStatus string
	status := func() map[string]statusDeals {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "--json", "status", put.Root)
		lastStatus = out
		if code != 0 {
			t.Fatalf("status: exit %d: %s", code, errOut)
		}
		var st statusDeals
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("status --json: %v\n%s", err, out)
		}
		byReq := map[string]statusDeals{}
		for _, dl := range st.Deals {
			byReq[dl.Request.ID] = statusDeals{Deals: append(st.Deals[:0:0], dl)}
		}
		return byReq
	}
	slotOf := func(req string, slot int) (peer string, proven uint32) {
		st, ok := status()[req]
		if !ok || len(st.Deals[0].Slots) <= slot {
			return "", 0
		}
		s := st.Deals[0].Slots[slot]
		return s.PeerID, s.Proven
	}
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(limit); !cond(); {
			if time.Now().After(deadline) {
				logf, _ := os.ReadFile(filepath.Join(home, "repair.log"))
				var nodeLogs strings.Builder
				for _, n := range d.File().Nodes {
					b, _ := os.ReadFile(filepath.Join(home, "nodes", strconv.Itoa(n.Index), "node.log"))
					lines := strings.Split(strings.TrimSpace(string(b)), "\n")
					fmt.Fprintf(&nodeLogs, "node %d (%s):\n%s\n", n.Index, n.PeerID, strings.Join(lines[max(0, len(lines)-12):], "\n"))
				}
				t.Fatalf("no %s within %v; status:\n%s\nrepair.log:\n%s\n%s", what, limit, lastStatus, logf, nodeLogs.String())
			}
			time.Sleep(2 * time.Second)
		}
	}
	kill := func(peer string) {
		t.Helper()
		for _, n := range d.File().Nodes {
			if n.PeerID == peer {
				if err := d.Kill(n.Index); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no node %s", peer)
	}

	kill(put.Deal.Slots[0].Peer)
	killed := time.Now()
	// Bounded: the holder counts dead within a minute, its slot is freed after three misses (three
	// 30-block periods), and the rebuild of a small shard takes seconds.
	waitFor("repair of slot 0", 6*time.Minute, func() bool {
		p, _ := slotOf(put.Deal.Request, 0)
		return p != "" && !holders[p]
	})
	back := time.Since(killed)
	repairs := d.Repairer().Repairs()
	var rep *repair.Status
	for i, s := range repairs {
		if s.Request.String() == put.Deal.Request && s.Slot == 0 {
			rep = &repairs[i]
		}
	}
	if rep == nil || rep.State != repair.StateRepaired || rep.Stats == nil || rep.Reported == 0 || rep.DeadAt.IsZero() {
		t.Fatalf("the repairer's record of slot 0: %+v (all: %+v)", rep, repairs)
	}
	for _, s := range repairs {
		if s.Request.String() != put.Deal.Request || s.Slot != 0 {
			t.Fatalf("the repairer repaired a slot whose holder lives: %+v", s)
		}
	}
	st := rep.Stats
	if st.Stored != st.ShardLen || st.Fetched > 2*st.ShardLen {
		t.Fatalf("repair moved %d bytes in and %d out for a shard of %d (k = 2)", st.Fetched, st.Stored, st.ShardLen)
	}
	t.Logf("kill -> holder counted dead %v -> slot freed after %d misses reported by the repairer -> every shard back on a live node %v after the kill; fetched %d, stored %d (shard %d bytes)",
		rep.DeadAt.Sub(killed).Round(time.Second), rep.Reported, back.Round(time.Second), st.Fetched, st.Stored, st.ShardLen)
	// `dstore repair` (one pass, from the chain's events) reports the same repair.
	code, out, errOut = dstore(t, "--home", home, "--json", "repair", "--timeout", "1m")
	var cliRep struct {
		Repairs []repair.Status `json:"repairs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &cliRep) != nil {
		t.Fatalf("repair: exit %d: %s %s", code, out, errOut)
	}
	if len(cliRep.Repairs) != 1 || cliRep.Repairs[0].State != repair.StateRepaired || cliRep.Repairs[0].Holder != put.Deal.Slots[0].Peer ||
		holders[cliRep.Repairs[0].Peer] {
		t.Fatalf("dstore repair reports %s", out)
	}
	waitFor("proof of the repaired slot", 5*time.Minute, func() bool {
		_, proven := slotOf(put.Deal.Request, 0)
		return proven > 0
	})
	// Every replica's slots are proven like the first's.
	waitFor("a proof of every replica's slots", 2*time.Minute, func() bool {
		for _, dl := range deals {
			for i := range dl.Slots {
				if p, proven := slotOf(dl.Request, i); proven == 0 && p != put.Deal.Slots[0].Peer {
					return false
				}
			}
		}
		return true
	})

	// m more original holders of the first request die, and the other replica of shards 0 and 1:
	// shard 0 is left on the repaired node alone.
	for _, p := range []string{put.Deal.Slots[1].Peer, put.ReplicaDeals[0].Slots[0].Peer, put.ReplicaDeals[0].Slots[1].Peer} {
		kill(p)
	}
	dst := filepath.Join(t.TempDir(), "out")
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "-o", dst, put.Root); code != 0 {
		t.Fatalf("get after a repair and three more losses: exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(got) != sum {
		t.Fatal("the file read back after the repair differs")
	}
}

// TestRepairWithoutDealOverProcesses: `dstore repair` keeps a file put without a deal (no chain)
// whole, as its uploader. Of five node processes, three hold the file (k = 2, m = 1); the holder
// of shard 0 is killed for good. One pass of `dstore repair` from the uploader's HOME counts it
// dead, rebuilds shard 0 onto a node that held nothing of the file (the nodes store it for HOME's
// client key, as for put) and says so; then m more original holders die and `get` reads the file
// back byte for byte, shard 0 from the new node, found through its DHT record.
func TestRepairWithoutDealOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	d, home := startTestDevnet(t, 5)
	src, sum := writeFile(t, t.TempDir(), "f", 200<<10, 13)
	code, out, errOut := dstore(t, "--home", home, "--quiet", "put", "--k", "2", "--m", "1", "--piece-size", "32768", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	root := strings.TrimSpace(out)
	code, out, errOut = dstore(t, "--home", home, "--json", "status", root)
	var st struct {
		Shards []struct {
			Shard int    `json:"shard"`
			Peer  string `json:"peer"`
		} `json:"shards"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || len(st.Shards) != 3 {
		t.Fatalf("status: exit %d: %s %s", code, out, errOut)
	}
	holderOf := map[int]string{}
	for _, s := range st.Shards {
		holderOf[s.Shard] = s.Peer
	}
	kill := func(peer string) {
		t.Helper()
		for _, n := range d.File().Nodes {
			if n.PeerID == peer {
				if err := d.Kill(n.Index); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no node %s", peer)
	}
	kill(holderOf[0])
	code, out, errOut = dstore(t, "--home", home, "--json", "repair", "--check-interval", "200ms", "--dead-checks", "2", "--dead-after", "1s", "--timeout", "2m")
	var rep struct {
		Repairs []repair.Status `json:"repairs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("repair: exit %d: %s %s", code, out, errOut)
	}
	if len(rep.Repairs) != 1 || rep.Repairs[0].State != repair.StateRepaired || rep.Repairs[0].Slot != 0 || rep.Repairs[0].Root != root ||
		rep.Repairs[0].Holder != holderOf[0] || rep.Repairs[0].Stats == nil || rep.Repairs[0].Stats.Stored != rep.Repairs[0].Stats.ShardLen {
		t.Fatalf("repair reports %s", out)
	}
	for _, p := range holderOf {
		if rep.Repairs[0].Peer == p {
			t.Fatalf("shard 0 went to %s, which held a shard of the file", p)
		}
	}
	kill(holderOf[1])
	dst := filepath.Join(t.TempDir(), "out")
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "-o", dst, root); code != 0 {
		t.Fatalf("get after the repair and one more loss: exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(got) != sum {
		t.Fatal("the file read back after the repair differs")
	}
}
