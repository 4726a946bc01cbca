package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/devnet"
	"time"
)

// statusDeals is the part of `status --json` the deal test reads.
type statusDeals struct {
	Shards []struct {
		Shard int    `json:"shard"`
		Peer  string `json:"peer"`
	} `json:"shards"`
	Deals []struct {
		Request struct {
			ID string `json:"id"`
		} `json:"request"`
		Slots []struct {
			Slot            uint64      `json:"slot"`
			Provider        string      `json:"provider"`
			PeerID          string      `json:"peerId"`
			Proven          uint32      `json:"proven"`
			Missed          uint32      `json:"missed"`
			LastProofPeriod uint64      `json:"lastProofPeriod"`
			Paid            json.Number `json:"paid"`
		} `json:"slots"`
	} `json:"deals"`
}

// auditReport is the part of `audit --json` the deal test reads.
type auditReport struct {
	Requests []struct {
		ID    string `json:"id"`
		Slots []struct {
			Slot           uint64 `json:"slot"`
			Proofs         int    `json:"proofs"`
			VerifiedOffCh  int    `json:"verifiedOffChain"`
			FailedOffChain int    `json:"failedOffChain"`
			Missed         int    `json:"missed"`
			Reported       int    `json:"reported"`
		} `json:"slots"`
	} `json:"requests"`
	Rewards  json.Number `json:"rewards"`
	Problems []string    `json:"problems"`
}

// TestDealOverProcesses runs the whole market on the devnet: node processes on the
// embedded chain with real proofs; put makes the deal, the providers fill and prove,
// status and audit show it, and a killed node is reported, slashed and the auditor paid.
func TestDealOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes and proves")
	}
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: 3, K: 2, M: 1, Log: io.Discard, NoRepair: true}) // the auditor, not the repairer, reports the killed node
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)

	src, _ := writeFile(t, t.TempDir(), "f", 300<<10, 7)
	// Periods of 60 blocks (one a second): the three providers prove in turn on the machine's
	// cores, and with the rest of the suite running beside them three proofs did not always fit
	// in 30, so a live node missed its period.
	code, out, errOut := dstore(t, "--home", home, "--json", "--quiet", "put", "--k", "2", "--m", "1",
		"--piece-size", "65536", "--proof-period", "60", "--fill-timeout", "1m", src)
	if code != 0 {
		t.Fatalf("put: exit %d: %s", code, errOut)
	}
	var put struct {
		Root string `json:"root"`
		Deal struct {
			Request string `json:"request"`
			Slots   []struct {
				Shard   int    `json:"shard"`
				Peer    string `json:"peer"`
				Root    string `json:"root"`
				Checked int    `json:"checked"`
				Filled  bool   `json:"filled"`
			} `json:"slots"`
		} `json:"deal"`
	}
	if err := json.Unmarshal([]byte(out), &put); err != nil {
		t.Fatalf("put --json: %v\n%s", err, out)
	}
	if len(put.Deal.Slots) != 3 {
		t.Fatalf("deal has %d slots, want 3:\n%s", len(put.Deal.Slots), out)
	}
	for _, s := range put.Deal.Slots {
		if !s.Filled || s.Checked == 0 || len(s.Root) != 66 {
			t.Fatalf("slot %d not filled or not checked: %+v", s.Shard, s)
		}
	}

	status := func() statusDeals {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "--json", "status", put.Root)
		if code != 0 {
			t.Fatalf("status: exit %d: %s", code, errOut)
		}
		var st statusDeals
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("status --json: %v\n%s", err, out)
		}
		if len(st.Deals) != 1 || st.Deals[0].Request.ID != put.Deal.Request {
			t.Fatalf("status shows deals %+v, want request %s", st.Deals, put.Deal.Request)
		}
		return st
	}
	audit := func() auditReport {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "--json", "audit")
		if code != 0 {
			t.Fatalf("audit: exit %d: %s", code, errOut)
		}
		var r auditReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("audit --json: %v\n%s", err, out)
		}
		if len(r.Problems) != 0 {
			t.Fatalf("audit found problems: %v", r.Problems)
		}
		return r
	}
	// waitFor polls cond every second for at most limit.
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(limit); !cond(); {
			if time.Now().After(deadline) {
				t.Fatalf("no %s within %v", what, limit)
			}
			time.Sleep(time.Second)
		}
	}

	// Every slot proven once: status shows it with the provider's peer and the payment.
	start := time.Now()
	waitFor("first proof of every slot", 4*time.Minute, func() bool {
		for _, s := range status().Deals[0].Slots {
			if s.Proven == 0 {
				return false
			}
		}
		return true
	})
	t.Logf("every slot proven %v after the deal", time.Since(start).Round(time.Second))
	st := status()
	for i, s := range st.Deals[0].Slots {
		if s.PeerID != put.Deal.Slots[i].Peer || s.LastProofPeriod == 0 || s.Paid == "0" {
			t.Fatalf("slot %d: %+v, want held by %s, proven and paid", i, s, put.Deal.Slots[i].Peer)
		}
	}
	// Each provider exposes what it did as Prometheus metrics.
	for _, n := range d.File().Nodes {
		resp, err := http.Get("http://" + n.Metrics + "/metrics")
		if err != nil {
			t.Fatalf("node %d metrics: %v", n.Index, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"dstore_slots_filled 1", "dstore_fills_total 1"} {
			if !strings.Contains(string(body), want+"\n") {
				t.Fatalf("node %d metrics lack %q", n.Index, want)
			}
		}
		if !regexp.MustCompile(`(?m)^dstore_proofs_submitted_total [1-9]`).Match(body) {
			t.Fatalf("node %d metrics show no proof submitted", n.Index)
		}
	}
	// The auditor re-verifies every proof off chain.
	r := audit()
	if len(r.Requests) != 1 {
		t.Fatalf("audit sees %d requests, want 1", len(r.Requests))
	}
	for _, s := range r.Requests[0].Slots {
		if s.Proofs == 0 || s.VerifiedOffCh != s.Proofs || s.FailedOffChain != 0 {
			t.Fatalf("audit of slot %d: %+v", s.Slot, s)
		}
	}

	// Kill the holder of slot 0: it misses its next challenge, the auditor reports it,
	// the chain slashes the provider and pays the auditor.
	for _, n := range d.File().Nodes {
		if n.PeerID == put.Deal.Slots[0].Peer {
			if err := d.Kill(n.Index); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitFor("report of the killed node's missed proof", 4*time.Minute, func() bool {
		r = audit()
		return r.Requests[0].Slots[0].Reported > 0
	})
	if r.Rewards == "0" || r.Rewards == "" {
		t.Fatalf("auditor reported a miss but earned %q", r.Rewards)
	}
	st = status()
	if st.Deals[0].Slots[0].Missed == 0 {
		t.Fatalf("status does not show slot 0's missed proof: %+v", st.Deals[0].Slots[0])
	}
	for _, s := range st.Deals[0].Slots[1:] {
		if s.Missed != 0 {
			t.Fatalf("slot %d of a live node missed a proof: %+v", s.Slot, s)
		}
	}
	if !strings.HasPrefix(put.Deal.Request, "0x") {
		t.Fatalf("request id %q", put.Deal.Request)
	}
}
