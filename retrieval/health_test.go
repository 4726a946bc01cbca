package retrieval

import (
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

func TestHealth(t *testing.T) {
	m := &sharding.Manifest{K: 2, M: 2}
	rep := func(shard int, live bool) ReplicaStatus { return ReplicaStatus{Shard: shard, Live: live} }
	slots := func(s ...SlotDealStatus) []DealStatus { return []DealStatus{{Slots: s}} }
	tests := []struct {
		name  string
		reps  []ReplicaStatus
		deals []DealStatus
		want  FileHealth
	}{
		{"whole", []ReplicaStatus{rep(0, true), rep(1, true), rep(2, true), rep(3, true)}, nil,
			FileHealth{K: 2, Total: 4, Live: 4, Margin: 2}},
		{"a replica covers a dead holder", []ReplicaStatus{rep(0, false), rep(0, true), rep(1, true), rep(2, true), rep(3, true)}, nil,
			FileHealth{K: 2, Total: 4, Live: 4, Margin: 2}},
		{"two lost, repairs on chain", []ReplicaStatus{rep(0, false), rep(1, true), rep(2, true), rep(3, false)},
			slots(SlotDealStatus{Slot: 0, Repairs: 1, Repairing: true}, SlotDealStatus{Slot: 3, Repairs: 2}),
			FileHealth{K: 2, Total: 4, Live: 2, Lost: []int{0, 3}, Margin: 0, RepairsDone: 3, RepairsInProgress: 1}},
		{"unreadable", []ReplicaStatus{rep(1, true)}, nil,
			FileHealth{K: 2, Total: 4, Live: 1, Lost: []int{0, 2, 3}, Margin: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Health(m, tt.reps, tt.deals)
			if got.K != tt.want.K || got.Total != tt.want.Total || got.Live != tt.want.Live || got.Margin != tt.want.Margin ||
				len(got.Lost) != len(tt.want.Lost) || got.RepairsDone != tt.want.RepairsDone || got.RepairsInProgress != tt.want.RepairsInProgress {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got.Lost {
				if got.Lost[i] != tt.want.Lost[i] {
					t.Fatalf("lost %v, want %v", got.Lost, tt.want.Lost)
				}
			}
		})
	}
}
