package cli

import (
	"fmt"
	"io"
	"math/big"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

func statusCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "status",
		Usage:     "show where each shard of a file lives, whether its node answers, and the file's deals on chain",
		ArgsUsage: "CID",
		Flags: []ucli.Flag{
			bootstrapFlag,
			&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint of the chain (default: HOME/chain.json)", EnvVars: []string{"DSTORE_RPC"}},
			&ucli.StringFlag{Name: "market", Usage: "marketplace address (with --rpc)"},
		},
		Action: func(c *ucli.Context) error {
			root, err := cidArg(c, "status")
			if err != nil {
				return err
			}
			env, err := newClientEnv(c, nil)
			if err != nil {
				return err
			}
			defer env.close()
			m, reps, err := env.client.Status(c.Context, root)
			if err != nil {
				return err
			}
			encrypted, encErr := env.client.Encrypted(c.Context, m)
			// The deals are extra: an unreachable chain is reported, not fatal.
			var deals []retrieval.DealStatus
			market, ok, chainErr := dialMarket(c, false)
			if ok && chainErr == nil {
				defer market.close()
				deals, chainErr = retrieval.DealStatuses(c.Context, market.Market, market.ep.Block, root)
			}
			if chainErr != nil {
				ok = true
				chainErr = fmt.Errorf("reading the deals on chain: %w", chainErr)
			}
			retrieval.NoteProofs(reps, deals)
			health := retrieval.Health(m, reps, deals)
			if wantJSON(c) {
				mc, _ := m.CID()
				out := map[string]any{
					"root": root.String(), "manifest": mc.String(), "size": m.Size,
					"k": m.K, "m": m.M, "segments": m.NumSegments(), "shards": reps, "health": health,
					"estimates": nodeEstimates(env.client.Estimator(), reps),
				}
				if encErr != nil {
					out["encryptedError"] = encErr.Error()
				} else {
					out["encrypted"] = encrypted
				}
				if chainErr != nil {
					out["dealsError"] = chainErr.Error()
				} else if ok {
					views := make([]dealView, len(deals))
					for i, d := range deals {
						views[i] = newDealView(d)
						if views[i].Endowment, err = endowmentOf(c.Context, market, d.Request); err != nil {
							out["endowmentError"] = err.Error()
						}
					}
					out["deals"] = views
				}
				return printJSON(c.App.Writer, out)
			}
			w := c.App.Writer
			fmt.Fprintf(w, "%s  %d bytes  %d+%d shards  %d segments%s\n", root, m.Size, m.K, m.M, m.NumSegments(), encryptedNote(encrypted, encErr))
			fmt.Fprintln(w, healthText(health, ok && chainErr == nil))
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SHARD\tNODE\tSTATE\tSEGMENTS\tBYTES\tLAST SCRUB\tLAST PROOF\tESTIMATE")
			now := time.Now()
			for _, r := range reps {
				state := "live"
				switch {
				case !r.Online:
					state = "unreachable: " + r.Error
				case r.Damaged > 0:
					state = fmt.Sprintf("%d pieces damaged, repairing", r.Damaged)
				case !r.Live:
					state = "incomplete"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%d\t%s\t%s\t%s\n", r.Shard, r.Peer, state, r.Segments, m.NumSegments(), r.Bytes,
					scrubText(r, now), proofText(r), estimateText(env.client.Estimator(), r.Peer))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if chainErr != nil {
				fmt.Fprintf(c.App.ErrWriter, "dstore: %v\n", chainErr)
				return nil
			}
			if ok {
				if err := printDeals(w, deals); err != nil {
					return err
				}
				for _, d := range deals { // permanent deals: cli/permanent.go
					if v, err := endowmentOf(c.Context, market, d.Request); err != nil {
						fmt.Fprintf(c.App.ErrWriter, "dstore: reading the endowment: %v\n", err)
					} else if v != nil {
						printEndowment(w, v)
					}
				}
			}
			return nil
		},
	}
}

// healthText is the file's health in one line: live shards against k and k+m, the margin
// left, and the repairs the deals show (when they were read).
func healthText(h retrieval.FileHealth, deals bool) string {
	s := fmt.Sprintf("health: %d of %d shards live (any %d read the file)", h.Live, h.Total, h.K)
	switch {
	case h.Margin < 0:
		s += fmt.Sprintf(", %d too few: the file cannot be read until %d shards are repaired", -h.Margin, -h.Margin)
	case h.Margin == 0:
		s += ", no margin: losing one more shard loses the file"
	default:
		s += fmt.Sprintf(", margin %d: the file survives the loss of %d more", h.Margin, h.Margin)
	}
	if len(h.Lost) > 0 {
		s += fmt.Sprintf("; not live: shards %v", h.Lost)
	}
	if deals {
		s += fmt.Sprintf("; repairs on chain: %d done, %d in progress", h.RepairsDone, h.RepairsInProgress)
	}
	return s
}

// scrubText says when the holder last scrubbed the shard, and how many pieces it repaired.
func scrubText(r retrieval.ReplicaStatus, now time.Time) string {
	switch {
	case r.ScrubError != "":
		return "unknown"
	case r.LastScrub == nil:
		return "never"
	}
	s := now.Sub(*r.LastScrub).Round(time.Second).String() + " ago"
	if r.Repaired > 0 {
		s += fmt.Sprintf(" (%d repaired)", r.Repaired)
	}
	return s
}

func proofText(r retrieval.ReplicaStatus) string {
	if r.LastProofBlock == 0 {
		return "-"
	}
	return fmt.Sprintf("period %d", r.LastProofPeriod)
}

// printDeals writes the deals of a file as text: the request, then one line per slot.
func printDeals(w io.Writer, deals []retrieval.DealStatus) error {
	if len(deals) == 0 {
		fmt.Fprintln(w, "no storage deal on chain")
		return nil
	}
	for _, d := range deals {
		r := d.Request
		state := "active"
		switch {
		case r.Finished:
			state = "finished"
		case d.Period >= r.EndPeriod:
			state = "ended"
		case d.Period < r.StartPeriod:
			state = "starting"
		}
		fmt.Fprintf(w, "deal %s  %s  period %d of %d..%d (%d blocks)  escrow %s wei  price %s wei/slot/period  collateral %s wei\n",
			r.ID, state, d.Period, r.StartPeriod, r.EndPeriod, r.ProofPeriod, weiString(r.Escrow), weiString(r.PricePerPeriod), weiString(r.Collateral))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SLOT\tPROVIDER\tPEER\tPROVEN\tMISSED\tLAST PROOF\tREPAIRS\tPAID\tCOLLATERAL\tBALANCE")
		for _, s := range d.Slots {
			provider, peerID, last := "free", "-", "-"
			if s.Provider != (common.Address{}) {
				provider, peerID = s.Provider.Hex(), s.PeerID
			}
			if s.LastProofBlock != 0 {
				last = fmt.Sprintf("period %d (block %d)", s.LastProofPeriod, s.LastProofBlock)
			}
			repairs := fmt.Sprint(s.Repairs)
			if s.Repairing {
				repairs += ", in progress"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", s.Slot, provider, peerID, s.Proven, s.Missed, last, repairs,
				weiString(s.Paid), weiString(s.Collateral), weiString(s.ProviderBalance))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// dealView is a deal as `status --json` prints it: CIDs and roots as strings.
type dealView struct {
	Request dealRequestView            `json:"request"`
	Head    uint64                     `json:"head"`
	Period  uint64                     `json:"period"`
	Slots   []retrieval.SlotDealStatus `json:"slots"`
	// Endowment is the permanent deal the request is a term of (absent for other requests).
	Endowment *endowmentView `json:"endowment,omitempty"`
}

type dealRequestView struct {
	ID               chain.RequestID  `json:"id"`
	Client           common.Address   `json:"client"`
	Root             string           `json:"root"`
	Manifest         string           `json:"manifest"`
	Size             uint64           `json:"size"`
	K                uint32           `json:"k"`
	M                uint32           `json:"m"`
	SlotRoots        []string         `json:"slotRoots"`
	Hosts            []common.Address `json:"hosts,omitempty"`
	StartPeriod      uint64           `json:"startPeriod"`
	EndPeriod        uint64           `json:"endPeriod"`
	ProofPeriod      uint64           `json:"proofPeriod"`
	ProofProbability uint64           `json:"proofProbability"`
	PricePerPeriod   *big.Int         `json:"pricePerPeriod"`
	Collateral       *big.Int         `json:"collateral"`
	Escrow           *big.Int         `json:"escrow"`
	Finished         bool             `json:"finished"`
}

func newDealView(d retrieval.DealStatus) dealView {
	r := d.Request
	v := dealRequestView{
		ID: r.ID, Client: r.Client, Root: cidString(r.RootCID), Manifest: cidString(r.ManifestCID),
		Size: r.Size, K: r.K, M: r.M, Hosts: r.Hosts, StartPeriod: r.StartPeriod, EndPeriod: r.EndPeriod,
		ProofPeriod: r.ProofPeriod, ProofProbability: r.ProofProbability, PricePerPeriod: r.PricePerPeriod,
		Collateral: r.Collateral, Escrow: r.Escrow, Finished: r.Finished,
	}
	for _, root := range r.SlotRoots {
		v.SlotRoots = append(v.SlotRoots, hexutil.Encode(root[:]))
	}
	return dealView{Request: v, Head: d.Head, Period: d.Period, Slots: d.Slots}
}

// cidString prints a binary CID from the chain, or its hex when it is not one.
func cidString(b []byte) string {
	c, err := cid.Cast(b)
	if err != nil {
		return hexutil.Encode(b)
	}
	return c.String()
}

// nodeEstimates returns the client's estimate of each node holding a shard.
func nodeEstimates(est *retrieval.Estimator, reps []retrieval.ReplicaStatus) []retrieval.NodeEstimate {
	var out []retrieval.NodeEstimate
	seen := make(map[string]bool)
	for _, r := range reps {
		p, err := peer.Decode(r.Peer)
		if err != nil || seen[r.Peer] {
			continue
		}
		seen[r.Peer] = true
		out = append(out, est.Estimate(p))
	}
	return out
}

// estimateText describes what the client expects of a node: time to first byte, its P95 and
// throughput, measured by its own reads (kept in HOME/estimates.json) or seeded by a ping.
func estimateText(est *retrieval.Estimator, id string) string {
	p, err := peer.Decode(id)
	if err != nil {
		return "-"
	}
	e := est.Estimate(p)
	switch {
	case e.Samples < 0.01 && e.RTT == 0:
		return "not measured yet"
	case e.Samples < 0.01:
		return fmt.Sprintf("ping %s", e.RTT.Round(10*time.Microsecond))
	}
	s := fmt.Sprintf("ttfb %s (p95 %s), %.0f MB/s", e.TTFB.Round(10*time.Microsecond), e.TTFBP95.Round(10*time.Microsecond), e.Throughput/1e6)
	if e.Failures >= 0.05 {
		s += fmt.Sprintf(", %.1f failures", e.Failures)
	}
	if e.Down {
		s += ", down"
	}
	return s
}

func weiString(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}
