package audit

import (
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// WriteText writes the report for people: one line per request and per slot, then the problems.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "head %d, rewards earned %s wei\n", r.Head, r.Rewards)
	for _, rq := range r.Requests {
		state := "active"
		if rq.Finished {
			state = "finished"
		}
		fmt.Fprintf(w, "request %s  k=%d m=%d  periods %d..%d of %d blocks  %s\n",
			rq.ID, rq.K, rq.M, rq.StartPeriod, rq.EndPeriod, rq.ProofPeriod, state)
		for _, s := range rq.Slots {
			provider := "free"
			if s.Provider != (common.Address{}) {
				provider = s.Provider.Hex()
			}
			fmt.Fprintf(w, "  slot %-3d %-42s proofs %d (verified off chain %d, failed %d) last %d  missed %d (reported by us %d)  paid %s  slashed %s\n",
				s.Slot, provider, s.Proofs, s.VerifiedOffCh, s.FailedOffChain, s.LastProof, s.Missed, s.Reported, weiString(s.Paid), weiString(s.Slashed))
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM %s\n", p)
	}
	return nil
}

func weiString(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}
