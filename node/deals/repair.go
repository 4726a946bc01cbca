package deals

import (
	"context"
	"slices"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
)

// RepairSlots answers, from the marketplace, whether a shard of a file is open for repair: a slot
// of a request for the file, freed after missed proofs, waits for a provider. It is the node's
// node.RepairSlots: a ticket for such a shard is taken from any account (a repairer's).
type RepairSlots struct {
	Market    *chain.Market
	FromBlock uint64 // the marketplace's deployment block
}

var _ node.RepairSlots = RepairSlots{}

// OpenForRepair reads the requests created for root and the repair state of their slot shard.
func (r RepairSlots) OpenForRepair(ctx context.Context, root cid.Cid, shard int) (bool, error) {
	if shard < 0 {
		return false, nil
	}
	ids, err := r.Market.RequestsByRoot(ctx, r.FromBlock, root.Bytes())
	if err != nil {
		return false, err
	}
	for _, id := range slices.Backward(ids) {
		st, err := r.Market.Repair(ctx, id, uint64(shard))
		if err != nil {
			continue // finished, or an index past its slots
		}
		if st.Open {
			return true, nil
		}
	}
	return false, nil
}

// pendingRepair is a freed slot the service may refill once the node holds its shard.
type pendingRepair struct {
	root     cid.Cid
	inflight bool
}

// onRepairOpened records a slot open for repair; tryRepairs fills it once the shard is here.
func (s *Service) onRepairOpened(ctx context.Context, d *chain.SlotRepairOpened) error {
	if d.FormerProvider == s.me {
		return nil // evicted for missing proofs: the slot goes to another provider
	}
	info, err := s.cfg.Market.Request(ctx, d.RequestId)
	if err != nil {
		return nil // finished meanwhile (the request failed): nothing to repair
	}
	root, err := cid.Cast(info.RootCID)
	if err != nil {
		return nil
	}
	ref := chain.SlotRef{Request: d.RequestId, Slot: d.SlotIndex.Uint64()}
	s.mu.Lock()
	if s.repairs == nil {
		s.repairs = make(map[chain.SlotRef]*pendingRepair)
	}
	s.repairs[ref] = &pendingRepair{root: root}
	s.mu.Unlock()
	s.log.Info("slot open for repair", "request", ref.Request, "slot", ref.Slot, "root", root, "reward", d.Reward, "lost", d.Lost)
	return nil
}

// repairDone forgets the pending repairs of a slot refilled, or of every slot of a request over.
func (s *Service) repairDone(id chain.RequestID, slot uint64, all bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ref := range s.repairs {
		if ref.Request == id && (all || ref.Slot == slot) {
			delete(s.repairs, ref)
		}
	}
}

// refillRepairs runs tryRepairs every Poll until ctx is done: a shard handed over arrives
// whether or not the chain moves.
func (s *Service) refillRepairs(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.tryRepairs(ctx)
		}
	}
}

// tryRepairs starts a fill for each slot open for repair whose shard the node now holds whole,
// under an accepted upload (a repairer hands the shard over, then the node fills the slot after
// checking its tree's root against the slot root).
func (s *Service) tryRepairs(ctx context.Context) {
	s.mu.Lock()
	var todo []chain.SlotRef
	for ref, p := range s.repairs {
		if !p.inflight {
			todo = append(todo, ref)
		}
	}
	s.mu.Unlock()
	for _, ref := range todo {
		s.mu.Lock()
		p := s.repairs[ref]
		s.mu.Unlock()
		if p == nil {
			continue
		}
		held, err := s.cfg.Node.HeldShards(ctx, p.root)
		if err != nil || !slices.Contains(held, int(ref.Slot)) {
			continue
		}
		if s.holdsReplica(ref, p.root) {
			continue // a second slot of the same shard here would leave it on one node for two
		}
		if s.cfg.Uploads != nil {
			if _, ok := s.cfg.Uploads.Accepted(ctx, p.root, int(ref.Slot)); !ok {
				continue
			}
		}
		info, err := s.cfg.Market.Request(ctx, ref.Request)
		if err != nil {
			s.repairDone(ref.Request, 0, true)
			continue
		}
		s.mu.Lock()
		p.inflight = true
		s.mu.Unlock()
		s.log.Info("refilling a slot open for repair with the shard handed to us", "request", ref.Request, "slot", ref.Slot, "root", p.root)
		s.fills.Add(1)
		go func() {
			defer s.fills.Done()
			s.fillRequest(ctx, info, p.root, []candidate{{slot: ref.Slot, repair: true}})
			s.mu.Lock()
			p.inflight = false
			if e := s.slots[ref]; e != nil && (e.State == StateRefused || e.State == StateRejected) {
				delete(s.repairs, ref) // outside the policy, or not the slot's bytes: trying again changes nothing
			}
			s.mu.Unlock()
		}()
	}
}

// holdsReplica tells whether the node holds, under another request for root, the slot of the
// same shard as ref (a replica): refilling ref as well would put both copies on one node.
func (s *Service) holdsReplica(ref chain.SlotRef, root cid.Cid) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for r, e := range s.slots {
		if r.Request != ref.Request && r.Slot == ref.Slot && e.root.Equals(root) &&
			(e.State == StateFilled || e.State == StateFilling) {
			return true
		}
	}
	return false
}
