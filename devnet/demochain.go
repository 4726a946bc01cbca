package devnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/audit"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// The demo's deal: every slot challenged every period, of at least 30 blocks at one block a
// second (demoPeriod), for 1000 periods.
const (
	demoProofPeriod = 30
	demoMaxPeriod   = 128 // the marketplace's MAX_PROOF_PERIOD
	demoDuration    = 1000
)

// demoPeriod is the deal's proof period, in blocks of a second, for slots holders proving in
// turn on this machine (the devnet's nodes share its cores and prove one at a time, each with
// all of them), a proof taking prove here now: room for every slot's proof, a second more each
// for the turn, the challenge and the transaction, and a quarter more for the load to vary.
// A shorter period makes honest holders miss proofs for want of CPU, and the audit then frees
// their slots as if they were down. Never under demoProofPeriod, nor over the marketplace's
// longest period (128 blocks).
func demoPeriod(prove time.Duration, slots int) uint64 {
	need := time.Duration(slots) * (prove + time.Second) * 5 / 4
	return min(max(demoProofPeriod, uint64((need+time.Second-1)/time.Second)), demoMaxPeriod)
}

// timeProof proves one challenge of the devnet's circuit against a small random slot, with
// the devnet's cached keys, and returns how long the proof took.
func timeProof(ctx context.Context) (time.Duration, error) {
	r, err := prover.Bench(ctx, prover.DevnetParams, 1<<20, 1, prover.WithKeyDir(prover.KeyDir()))
	if err != nil {
		return 0, fmt.Errorf("timing a proof: %w", err)
	}
	return time.Duration(r.ProveSeconds * float64(time.Second)), nil
}

// demoChain is the chain half of the demo: the client's and the auditor's
// market clients on the devnet's chain.
type demoChain struct {
	out     io.Writer
	dep     chain.Deployment
	client  *chain.Market
	auditor *audit.Auditor
	req     chain.RequestID
	slots   []retrieval.DealSlot
	backend interface{ Close() }
	period  uint64 // of the deal, in blocks (demoPeriod)
}

func newDemoChain(ctx context.Context, f *File, out io.Writer, period uint64) (*demoChain, error) {
	ep, err := chain.ReadEndpoint(f.Chain)
	if err != nil {
		return nil, err
	}
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		return nil, err
	}
	dc := &demoChain{out: out, dep: ep.Deployment, backend: b, period: period}
	ck, err := chain.LoadKey(f.ClientKey)
	if err != nil {
		dc.close()
		return nil, err
	}
	if dc.client, err = chain.NewMarket(ctx, b, ep.Marketplace, ck); err != nil {
		dc.close()
		return nil, err
	}
	ak, err := chain.LoadKey(f.AuditorKey)
	if err != nil {
		dc.close()
		return nil, err
	}
	am, err := chain.NewMarket(ctx, b, ep.Marketplace, ak)
	if err != nil {
		dc.close()
		return nil, err
	}
	vk, err := prover.LoadVerifyingKey(prover.KeyDir(), prover.DevnetParams)
	if err != nil {
		dc.close()
		return nil, err
	}
	if dc.auditor, err = audit.New(audit.Config{Market: am, Verifier: audit.KeyVerifier{VK: vk}, FromBlock: ep.Block, NoClaim: true}); err != nil {
		dc.close()
		return nil, err
	}
	return dc, nil
}

func (dc *demoChain) close() { dc.backend.Close() }

// filledBlock is the first block a slot of the deal was filled in.
func (dc *demoChain) filledBlock() uint64 {
	var b uint64
	for i, s := range dc.slots {
		if i == 0 || s.FilledBlock < b {
			b = s.FilledBlock
		}
	}
	return b
}

// periodTime is the deal's period on the clock (one block a second).
func (dc *demoChain) periodTime() time.Duration { return time.Duration(dc.period) * time.Second }

func (dc *demoChain) step(format string, args ...any) {
	fmt.Fprintf(dc.out, "==> "+format+"\n", args...)
}

// deal makes the storage deal of the file just put.
func (dc *demoChain) deal(ctx context.Context, client *retrieval.Client, src io.ReaderAt, m *sharding.Manifest, res *retrieval.PutResult) error {
	dc.step("storage deal: each holder's slot root, %d random cells per shard checked against our own bytes", retrieval.DefaultOpenings)
	gwei := big.NewInt(1e9)
	collateral := big.NewInt(1e16) // 0.01 ether
	r, err := client.MakeDeal(ctx, src, m, res.Placement, retrieval.DealOptions{
		Market: dc.client, Duration: demoDuration, ProofPeriod: dc.period, ProofProbability: 1,
		PricePerPeriod: gwei, Collateral: collateral, FillTimeout: 2 * time.Minute,
	})
	if err != nil {
		return err
	}
	dc.req, dc.slots = r.Request, r.Slots
	fmt.Fprintf(dc.out, "    roots in %v, spot checks in %v, request %s (gas %d, escrow %s wei), filled in %v\n",
		r.RootsIn.Round(time.Millisecond), r.CheckIn.Round(time.Millisecond), r.Request, r.Gas, r.Escrow, r.FillIn.Round(time.Millisecond))
	for _, s := range r.Slots {
		fmt.Fprintf(dc.out, "    slot %d  root %s…  %d cells checked  host %s  filled at block %d\n", s.Shard, s.Root[:18], s.Checked, s.Account.Hex(), s.FilledBlock)
	}
	if r.Filled() != len(r.Slots) {
		return fmt.Errorf("only %d of %d slots were filled in 2 minutes; see the node logs", r.Filled(), len(r.Slots))
	}
	return nil
}

// proofs waits until every slot of the deal has proven once, then audits.
func (dc *demoChain) proofs(ctx context.Context, root cid.Cid, putStart time.Time) error {

	dc.step("waiting for the first proof of every slot (periods of %d blocks, one block a second)", dc.period)
	seen := make(map[uint64]bool)
	// The nodes take turns proving (a devnet shares one machine), so on a loaded machine a
	// period may have room for only some of the six proofs; the others come in the next ones.
	const periods = 8
	deadline := time.Now().Add(periods * dc.periodTime())
	for len(seen) < len(dc.slots) {
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d slots proven within %d periods; see the node logs", len(seen), len(dc.slots), periods)
		}
		if err := sleepCtx(ctx, time.Second); err != nil {
			return err
		}
		st, err := retrieval.DealStatuses(ctx, dc.client, dc.dep.Block, root)
		if err != nil {
			return err
		}
		for _, ds := range st {
			if ds.Request.ID != dc.req {
				continue
			}
			for _, s := range ds.Slots {
				if s.LastProofBlock != 0 && !seen[s.Slot] {
					seen[s.Slot] = true
					fmt.Fprintf(dc.out, "    slot %d proven for period %d at block %d, %v after put began: paid %s wei\n",
						s.Slot, s.LastProofPeriod, s.LastProofBlock, time.Since(putStart).Round(time.Millisecond), s.Paid)
				}
			}
		}
	}
	dc.step("audit: every proof on chain re-verified off chain with the verifying key")
	if err := dc.auditor.Sync(ctx); err != nil {
		return err
	}
	return dc.auditor.Report().WriteText(dc.out)
}

// misses waits until a missed proof of each of the first killed slots was reported (by the
// demo's auditor, or the devnet's repairer, which finds their holders dead), and shows the slashing.
func (dc *demoChain) misses(ctx context.Context, killed int) error {
	dc.step("waiting for the killed nodes to miss a proof; it is reported and the chain slashes them")
	deadline := time.Now().Add(3 * dc.periodTime())
	for {
		if err := dc.auditor.Sync(ctx); err != nil {
			return err
		}
		rep := dc.auditor.Report()
		var slots []audit.SlotReport // the killed nodes' slots of our request
		for _, rq := range rep.Requests {
			if rq.ID == dc.req {
				slots = rq.Slots[:min(killed, len(rq.Slots))]
			}
		}
		done := 0
		for _, s := range slots {
			if s.Missed > 0 {
				done++
			}
		}
		if done >= killed {
			for _, s := range slots {
				fmt.Fprintf(dc.out, "    slot %d (%s): missed %d, slashed %s wei\n", s.Slot, providerName(s.Provider), s.Missed, s.Slashed)
			}
			fmt.Fprintf(dc.out, "    auditor earned %s wei in rewards\n", rep.Rewards)
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("the auditor saw no missed proof from the killed nodes within three periods")
		}
		if err := sleepCtx(ctx, time.Second); err != nil {
			return err
		}
	}
}

func providerName(a common.Address) string {
	if a == (common.Address{}) {
		return "freed"
	}
	return a.Hex()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// repairs waits, without the auditor, for the devnet's repairer to count the killed holders (by
// peer ID) dead, report their misses until their slots (by index) are freed, and rebuild each
// freed slot's shard on a spare node, which refills the slot (SlotRepaired). It prints each step.
func (dc *demoChain) repairs(ctx context.Context, r *repair.Repairer, killed []string, slots []uint64, killedAt time.Time) error {
	dc.step("waiting for the repairer (no auditor now): it pings the holders, counts the killed ones dead, reports their missed proofs until their slots are freed (3 misses), rebuilds each shard from k others on a spare node, which checks it against the slot root and refills the slot")
	// The chain is read from the deal on: the repairer works while the auditor waits for the
	// misses, and a killed slot may be freed and refilled before this step begins.
	from := dc.filledBlock()
	start := time.Now()
	deadline := start.Add(7 * dc.periodTime())
	repaired := map[uint64]bool{}
	freed := map[uint64]bool{}
	// The holders' liveness is read from the repairer's checks, which go on after a slot is freed:
	// on a loaded machine a holder that missed proofs before it was killed can have its slot freed
	// by those misses before the checks count it dead.
	dead := map[string]bool{}
	for len(repaired) < len(killed) || r != nil && len(dead) < len(killed) {
		if r != nil {
			for _, h := range r.Holders() {
				if h.Dead && slices.Contains(killed, h.Peer) && !dead[h.Peer] {
					dead[h.Peer] = true
					fmt.Fprintf(dc.out, "    holder %s counted dead %s after the kill (%d failed checks)\n", h.Peer, time.Since(killedAt).Round(time.Second), h.Fails)
				}
			}
		}
		head, err := dc.client.BlockNumber(ctx)
		if err != nil {
			return err
		}
		evs, err := dc.client.Events(ctx, from, head)
		if err != nil {
			return err
		}
		from = head + 1
		for _, ev := range evs {
			switch d := ev.Data.(type) {
			case *chain.SlotRepairOpened:
				if chain.RequestID(d.RequestId) == dc.req && slices.Contains(slots, d.SlotIndex.Uint64()) && !freed[d.SlotIndex.Uint64()] {
					freed[d.SlotIndex.Uint64()] = true
					fmt.Fprintf(dc.out, "    slot %d freed at block %d (%s after the kill), open for repair with a reward of %s wei\n",
						d.SlotIndex, ev.Block, time.Since(killedAt).Round(time.Second), d.Reward)
				}
			case *chain.SlotRepaired:
				if chain.RequestID(d.RequestId) == dc.req && slices.Contains(slots, d.SlotIndex.Uint64()) && !repaired[d.SlotIndex.Uint64()] {
					repaired[d.SlotIndex.Uint64()] = true
					fmt.Fprintf(dc.out, "    slot %d repaired at block %d by %s (%s after the kill), reward %s wei\n",
						d.SlotIndex, ev.Block, d.Provider.Hex(), time.Since(killedAt).Round(time.Second), d.Reward)
				}
			}
		}
		if len(repaired) >= len(killed) && (r == nil || len(dead) >= len(killed)) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d killed slots repaired and %d of their holders counted dead within %v; see HOME/repair.log", len(repaired), len(killed), len(dead), 7*dc.periodTime())
		}
		if err := sleepCtx(ctx, 2*time.Second); err != nil {
			return err
		}
	}
	return nil
}
