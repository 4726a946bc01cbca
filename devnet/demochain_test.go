package devnet

import (
	"testing"
	"time"
)

// TestDemoPeriodHoldsEveryProof: the demo deal's period leaves room for every slot's proof in
// turn, with a second each for the turn and the transaction, at the proof times measured on the
// 2-core machine alone (4-7 s) and beside a second test suite (load ~15: 10-16 s, 12 typical), where the
// 30-block period let honest holders miss proofs until the audit freed three slots of six and
// the request failed. A fast machine keeps the 30-block period; no period passes the
// marketplace's longest.
func TestDemoPeriodHoldsEveryProof(t *testing.T) {
	tests := []struct {
		name  string
		prove time.Duration
		slots int
	}{
		{"fast machine", time.Second, 6},
		{"2 cores alone", 6 * time.Second, 6},
		{"2 cores beside a test suite", 12 * time.Second, 6},
		{"one slot", 16 * time.Second, 1},
	}
	if p := demoPeriod(time.Minute, 6); p != demoMaxPeriod {
		t.Fatalf("period %d blocks for proofs of a minute, want the marketplace's longest, %d", p, demoMaxPeriod)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := demoPeriod(tt.prove, tt.slots)
			if p < demoProofPeriod {
				t.Fatalf("period %d blocks, under the demo's least %d", p, demoProofPeriod)
			}
			if need := time.Duration(tt.slots) * (tt.prove + time.Second); time.Duration(p)*time.Second < need {
				t.Fatalf("period %d blocks (one a second) for %d proofs of %v in turn: they need %v", p, tt.slots, tt.prove, need)
			}
			if tt.prove <= 2*time.Second && p != demoProofPeriod {
				t.Fatalf("period %d blocks on a fast machine, want %d", p, demoProofPeriod)
			}
		})
	}
}
