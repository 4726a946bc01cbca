package retrieval

import (
	"context"
	"sync"

	"github.com/ipfs/go-cid"

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
}

// Status reports where each shard of root lives and whether its node answers.
func (c *Client) Status(ctx context.Context, root cid.Cid) (*sharding.Manifest, []ReplicaStatus, error) {
	m, err := c.Manifest(ctx, root)
	if err != nil {
		return nil, nil, err
	}
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
			}()
		}
	}
	wg.Wait()
	return m, out, nil
}
