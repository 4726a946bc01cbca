package retrieval

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/chain"
)

// DealStatus is the state of one storage request on chain, for `dstore status`.
type DealStatus struct {
	Request chain.RequestInfo `json:"request"`
	Head    uint64            `json:"head"`   // the block the status was read at (about)
	Period  uint64            `json:"period"` // the request's current period: Head / ProofPeriod
	Slots   []SlotDealStatus  `json:"slots"`
}

// SlotDealStatus is the state of one slot of a request: the contract's view (chain.SlotInfo), the
// provider's registry entry and balance, and its last accepted proof.
type SlotDealStatus struct {
	Slot uint64 `json:"slot"`
	chain.SlotInfo
	PeerID          string      `json:"peerId,omitempty"`          // the provider's libp2p peer ID in the registry
	LastProofPeriod uint64      `json:"lastProofPeriod,omitempty"` // period of the last proof accepted, 0 when none
	LastProofBlock  uint64      `json:"lastProofBlock,omitempty"`
	LastProofTx     common.Hash `json:"lastProofTx,omitzero"`
	ProviderBalance *big.Int    `json:"providerBalance,omitempty"` // withdrawable balance in the contract, wei
	// Repairs counts the refills of the slot after it was freed (SlotRepaired events, or a
	// SlotFilled after a SlotFreed); Repairing is true while the slot is freed and not refilled.
	Repairs   int  `json:"repairs"`
	Repairing bool `json:"repairing,omitempty"`
}

// DealStatuses reads every storage request created for root in blocks [from, head], oldest first,
// with the state of each slot. It returns an empty slice when there is none. from is usually the
// marketplace's deployment block.
func DealStatuses(ctx context.Context, m StatusMarket, from uint64, root cid.Cid) ([]DealStatus, error) {
	ids, err := m.RequestsByRoot(ctx, from, root.Bytes())
	if err != nil {
		return nil, fmt.Errorf("finding the requests for %s: %w", root, err)
	}
	out := []DealStatus{}
	if len(ids) == 0 {
		return out, nil
	}
	head, err := m.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	// One pass over the events finds the last proof of every slot of every request.
	type slotKey struct {
		id   chain.RequestID
		slot uint64
	}
	want := make(map[chain.RequestID]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	evs, err := m.Events(ctx, from, head)
	if err != nil {
		return nil, fmt.Errorf("reading the proofs of %s: %w", root, err)
	}
	last := make(map[slotKey]chain.Event)
	freed := make(map[slotKey]bool) // freed and not refilled yet
	repairs := make(map[slotKey]int)
	for _, ev := range evs {
		switch d := ev.Data.(type) {
		case *chain.ProofSubmitted:
			if want[chain.RequestID(d.RequestId)] {
				last[slotKey{chain.RequestID(d.RequestId), d.SlotIndex.Uint64()}] = ev
			}
		case *chain.SlotFreed:
			freed[slotKey{chain.RequestID(d.RequestId), d.SlotIndex.Uint64()}] = true
		case *chain.SlotFilled:
			if k := (slotKey{chain.RequestID(d.RequestId), d.SlotIndex.Uint64()}); freed[k] {
				freed[k] = false
				repairs[k]++
			}
		}
	}
	peerIDs := make(map[common.Address]string)
	for _, id := range ids {
		info, err := m.Request(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("request %s: %w", id, err)
		}
		st := DealStatus{Request: info, Head: head}
		if info.ProofPeriod > 0 {
			st.Period = head / info.ProofPeriod
		}
		for i := uint64(0); i < uint64(info.K)+uint64(info.M); i++ {
			si, err := m.Slot(ctx, id, i)
			if err != nil {
				return nil, fmt.Errorf("request %s, slot %d: %w", id, i, err)
			}
			s := SlotDealStatus{Slot: i, SlotInfo: si, Repairs: repairs[slotKey{id, i}], Repairing: freed[slotKey{id, i}] && !info.Finished}
			if ev, ok := last[slotKey{id, i}]; ok {
				p := ev.Data.(*chain.ProofSubmitted)
				s.LastProofPeriod = p.Period.Uint64()
				s.LastProofBlock = ev.Block
				s.LastProofTx = ev.TxHash
			}
			if si.Provider != (common.Address{}) {
				pid, ok := peerIDs[si.Provider]
				if !ok {
					p, _, err := m.Provider(ctx, si.Provider)
					if err != nil {
						return nil, fmt.Errorf("provider %s: %w", si.Provider, err)
					}
					pid = p.PeerID
					peerIDs[si.Provider] = pid
				}
				s.PeerID = pid
				if s.ProviderBalance, err = m.Balance(ctx, si.Provider); err != nil {
					return nil, fmt.Errorf("balance of %s: %w", si.Provider, err)
				}
			}
			st.Slots = append(st.Slots, s)
		}
		out = append(out, st)
	}
	return out, nil
}
