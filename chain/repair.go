package chain

import (
	"context"
	"math/big"
)

// RepairRewardPercentage is the share of a slot's collateral, out of what its evicted provider
// forfeited, that the marketplace pays the provider that refills a freed slot.
const RepairRewardPercentage = 10

// RepairState is where a slot stands for repair.
type RepairState struct {
	// Open says the slot was freed after missed proofs and waits for a provider to refill it
	// with the shard that hashes to its root.
	Open bool `json:"open"`
	// Reward is what the refilling provider gets, in wei (zero once paid).
	Reward *big.Int `json:"reward"`
}

// Repair reads a slot's repair state.
func (m *Market) Repair(ctx context.Context, id RequestID, slot uint64) (RepairState, error) {
	s := new(big.Int).SetUint64(slot)
	open, err := call(ctx, m, "repairOpen", m.c.PackRepairOpen(id, s), m.c.UnpackRepairOpen)
	if err != nil {
		return RepairState{}, err
	}
	reward, err := call(ctx, m, "repairReward", m.c.PackRepairReward(id, s), m.c.UnpackRepairReward)
	if err != nil {
		return RepairState{}, err
	}
	return RepairState{Open: open, Reward: reward}, nil
}

// LostSlots is how many of a request's slots are freed and not refilled yet. The request fails
// (RequestFailed, then RequestFinished with the refund) when it exceeds the request's M.
func (m *Market) LostSlots(ctx context.Context, id RequestID) (uint32, error) {
	return call(ctx, m, "lostSlots", m.c.PackLostSlots(id), m.c.UnpackLostSlots)
}
