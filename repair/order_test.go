package repair

import (
	"testing"
	"time"

	"github.com/dstore-net/dstore/sharding"
)

// TestRepairOrder: the files with the least margin left (live shards - K) are repaired first,
// then those with the fewest live shards; a file within Margin is not repaired.
func TestRepairOrder(t *testing.T) {
	files := []struct {
		root       string
		k, m, lost int
	}{
		{"a", 2, 2, 1}, // 3 live, margin 1
		{"b", 2, 1, 1}, // 2 live, margin 0
		{"c", 4, 2, 2}, // 4 live, margin 0
		{"d", 2, 1, 2}, // 1 live: nothing to rebuild from
	}
	for _, tt := range []struct {
		margin int
		want   []string
	}{
		{0, []string{"b", "c", "a"}},
		{1, []string{"c"}},
	} {
		r := &Repairer{cfg: Config{Margin: tt.margin}, live: newLiveness(nil, time.Second, 3, time.Second), files: map[string]*file{}, repairs: map[key]*Status{}}
		for _, f := range files {
			r.files[f.root] = &file{m: &sharding.Manifest{K: f.k, M: f.m}}
			for i := range f.lost {
				r.repairs[key{root: f.root, slot: uint64(i)}] = &Status{Root: f.root, Slot: uint64(i), State: StatePending, Lost: f.lost}
			}
		}
		var got []string
		for {
			c, ok := r.next(t.Context())
			if !ok {
				break
			}
			if len(got) == 0 || got[len(got)-1] != c.k.root {
				got = append(got, c.k.root)
			}
			r.repairs[c.k].State = StateRepaired
		}
		if len(got) != len(tt.want) {
			t.Fatalf("margin %d: repaired %v, want %v", tt.margin, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Fatalf("margin %d: repaired %v, want %v", tt.margin, got, tt.want)
			}
		}
	}
}
