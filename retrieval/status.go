package retrieval

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// ReplicaStatus is what one node holding a shard answers.
type ReplicaStatus struct {
	Shard    int    `json:"shard"`
	Peer     string `json:"peer"`
	Online   bool   `json:"online"`
	Segments int    `json:"segments"` // segments of the shard the node holds
	Bytes    int64  `json:"bytes"`
	Error    string `json:"error,omitempty"`
	// The holder's background scrub of the shard: when it last checked every piece (nil:
	// never), the pieces it found damaged and has not repaired yet (it does not serve them
	// meanwhile), and those it repaired in place. ScrubError says why the holder did not answer.
	LastScrub  *time.Time `json:"lastScrub,omitempty"`
	Damaged    int        `json:"damaged"`
	Repaired   int        `json:"repairedPieces"`
	ScrubError string     `json:"scrubError,omitempty"`
	// Live: the holder answers and holds every segment of the shard, none of them damaged.
	Live bool `json:"live"`
	// The last proof accepted on chain for the shard's slot from this holder (NoteProofs):
	// its period and block, 0 when none.
	LastProofPeriod uint64 `json:"lastProofPeriod,omitempty"`
	LastProofBlock  uint64 `json:"lastProofBlock,omitempty"`
}

// NoteProofs sets the last proof of each replica from the deals: that of the slot of its shard
// whose provider's registered peer ID is the replica's, the latest over the deals.
func NoteProofs(reps []ReplicaStatus, deals []DealStatus) {
	for i := range reps {
		r := &reps[i]
		for _, d := range deals {
			for _, s := range d.Slots {
				if int(s.Slot) == r.Shard && s.PeerID == r.Peer && s.LastProofBlock > r.LastProofBlock {
					r.LastProofPeriod, r.LastProofBlock = s.LastProofPeriod, s.LastProofBlock
				}
			}
		}
	}
}

// FileHealth sums up how close a file is to being lost.
type FileHealth struct {
	K     int `json:"k"`     // shards any K of which rebuild the file
	Total int `json:"total"` // K+M
	// Live counts the shards with at least one live holder; Lost lists the others.
	Live int   `json:"live"`
	Lost []int `json:"lost,omitempty"`
	// Margin is Live-K: how many more shards may be lost before the file is; negative when the
	// file cannot be read back.
	Margin int `json:"margin"`
	// RepairsDone counts the slots refilled after they were freed, RepairsInProgress the slots
	// freed and not refilled yet, over the file's deals on chain (when they were read).
	RepairsDone       int `json:"repairsDone"`
	RepairsInProgress int `json:"repairsInProgress"`
}

// Health sums up the replicas of the shards of m and the file's deals (nil: not read).
func Health(m *sharding.Manifest, reps []ReplicaStatus, deals []DealStatus) FileHealth {
	h := FileHealth{K: m.K, Total: m.K + m.M}
	live := make([]bool, m.K+m.M)
	for _, r := range reps {
		if r.Live && r.Shard >= 0 && r.Shard < len(live) {
			live[r.Shard] = true
		}
	}
	for i, ok := range live {
		if ok {
			h.Live++
		} else {
			h.Lost = append(h.Lost, i)
		}
	}
	h.Margin = h.Live - h.K
	for _, d := range deals {
		for _, s := range d.Slots {
			h.RepairsDone += s.Repairs
			if s.Repairing {
				h.RepairsInProgress++
			}
		}
	}
	return h
}

// Status reports where each shard of root lives, whether its node answers and holds it whole,
// and what the node's scrub found; Health sums it up.
func (c *Client) Status(ctx context.Context, root cid.Cid) (*sharding.Manifest, []ReplicaStatus, error) {
	m, err := c.Manifest(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	m = c.Located(ctx, m)
	var out []ReplicaStatus
	for i, locs := range m.Placement {
		for _, l := range locs {
			out = append(out, ReplicaStatus{Shard: i, Peer: l.Peer})
		}
	}
	var wg sync.WaitGroup
	idx := 0
	for _, locs := range m.Placement {
		for _, l := range locs {
			rs := &out[idx]
			idx++
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, err := c.addLocation(l)
				if err != nil {
					rs.Error = err.Error()
					return
				}
				st, err := c.wire.Stat(ctx, id, root, rs.Shard)
				if err != nil {
					rs.Error = err.Error()
					return
				}
				rs.Online = true
				rs.Segments = st.Segments
				rs.Bytes = st.Bytes
				sc, err := c.wire.Scrub(ctx, id, root, rs.Shard)
				switch {
				case err == nil:
					if !sc.Last.IsZero() {
						rs.LastScrub = &sc.Last
					}
					rs.Damaged, rs.Repaired = int(sc.Damaged), int(sc.Repaired)
				case !errors.Is(err, wire.ErrNotFound):
					rs.ScrubError = err.Error()
				}
				rs.Live = rs.Segments == m.NumSegments() && rs.Damaged == 0
			}()
		}
	}
	wg.Wait()
	return m, out, nil
}
