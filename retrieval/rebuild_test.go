package retrieval_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// movedHolders is the holder resolver of a test: shard -> the node it moved to.
type movedHolders map[int]*node.Node

func (h movedHolders) Holders(_ context.Context, m *sharding.Manifest) ([][]sharding.Location, error) {
	out := make([][]sharding.Location, m.K+m.M)
	for i, n := range h {
		loc := sharding.Location{Peer: n.ID().String()}
		for _, a := range n.Host().Addrs() {
			loc.Addrs = append(loc.Addrs, a.String())
		}
		out[i] = []sharding.Location{loc}
	}
	return out, nil
}

var _ retrieval.HolderResolver = movedHolders(nil)

// TestRebuildShard: the holder of a shard dies; RebuildShard rebuilds the shard from k others onto a
// spare node, moving k shards' worth of bytes in and one out. For a data shard the spare is
// restarted in the middle of the hand-over (3 of 8 pieces there), and the repair run again
// finishes it. Then the original holders die until only k shards are left,
// the spare's among them: a reader that resolves the holders (the manifest still names the dead
// node) reads the file back byte for byte.
func TestRebuildShard(t *testing.T) {
	for _, tt := range []struct {
		name    string
		shard   int
		restart bool
	}{
		{"data shard, spare restarted mid-repair", 1, true},
		{"parity shard", 5, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			nodes := nodetest.StartNodes(t, 6)
			c := newClient(t, nodes, retrieval.Config{})
			data := randomBytes(7*int(smallParams.SegmentSize())+1234, 61)
			res, m := put(t, c, data, smallParams)
			boot := []peer.AddrInfo{{ID: nodes[0].ID(), Addrs: nodes[0].Host().Addrs()}}
			spare := nodetest.Start(t, t.TempDir(), boot)
			spare.Allow(c.Host().ID())
			victim := nodeOf(t, nodes, m, tt.shard)
			nodes[victim].Close()

			ctx := t.Context()
			if tt.restart {
				cctx, cancel := context.WithCancel(ctx)
				_, err := c.RebuildShard(cctx, m, tt.shard, spare.Host().Peerstore().PeerInfo(spare.ID()), retrieval.RebuildOptions{
					Progress: func(done, total int) {
						if done == 3 {
							cancel()
						}
					},
				})
				cancel()
				if err == nil {
					t.Fatal("a repair cancelled after 3 of 8 segments succeeded")
				}
				if held, _ := spare.HeldShards(ctx, m.Root); len(held) != 0 {
					t.Fatalf("the spare holds shards %v after 3 of 8 pieces", held)
				}
				spare = nodetest.Restart(t, spare, boot)
				spare.Allow(c.Host().ID())
			}
			st, err := c.RebuildShard(ctx, m, tt.shard, spare.Host().Peerstore().PeerInfo(spare.ID()), retrieval.RebuildOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("rebuilt shard %d (%d bytes): fetched %d, stored %d, in %v", tt.shard, st.ShardLen, st.Fetched, st.Stored, st.Elapsed)
			if st.Stored != st.ShardLen || st.Fetched > int64(m.K)*st.ShardLen {
				t.Fatalf("repair moved %d bytes in, %d out for a shard of %d (k = %d)", st.Fetched, st.Stored, st.ShardLen, m.K)
			}
			held, err := spare.HeldShards(ctx, m.Root)
			if err != nil || !slices.Equal(held, []int{tt.shard}) {
				t.Fatalf("the spare holds shards %v (%v), want [%d]", held, err, tt.shard)
			}

			// m more original holders die: k shards are left, the rebuilt one among them.
			for i, closed := 0, 0; closed < m.M; i++ {
				if i != tt.shard {
					nodes[nodeOf(t, nodes, m, i)].Close()
					closed++
				}
			}
			r := newClient(t, append(slices.Clone(nodes), spare), retrieval.Config{Holders: movedHolders{tt.shard: spare}})
			got, _, err := get(t, r, res)
			if err != nil {
				t.Fatalf("read with the rebuilt shard: %v", err)
			}
			if !bytes.Equal(got, data) {
				t.Fatal("the file read back differs")
			}
		})
	}
}

// TestRebuildRefusesWrongBytes: a repairer that hands over bytes other than the shard's is refused
// piece by piece (the node checks each against the manifest's hash), the new node keeps none of
// them, and the file still reads back.
func TestRebuildRefusesWrongBytes(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(3*int(smallParams.SegmentSize()), 62)
	res, m := put(t, c, data, smallParams)
	spare := nodetest.Start(t, t.TempDir(), []peer.AddrInfo{{ID: nodes[0].ID(), Addrs: nodes[0].Host().Addrs()}})
	spare.Allow(c.Host().ID())
	nodes[nodeOf(t, nodes, m, 4)].Close()
	_, err := c.RebuildShard(t.Context(), m, 4, spare.Host().Peerstore().PeerInfo(spare.ID()), retrieval.RebuildOptions{
		Tamper: func(_ int, piece []byte) { piece[len(piece)/2] ^= 1 },
	})
	if !errors.Is(err, wire.ErrHashMismatch) {
		t.Fatalf("handing over tampered pieces: %v, want a hash mismatch", err)
	}
	if held, _ := spare.HeldShards(t.Context(), m.Root); len(held) != 0 {
		t.Fatalf("the spare kept shards %v of tampered bytes", held)
	}
	got, _, err := get(t, newClient(t, nodes, retrieval.Config{}), res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read after the refused repair: %v", err)
	}
}

// A holder that serves other bytes than its piece's during a repair: the rebuilt piece fails its
// hash, the repair fetches the segment again with every piece checked, finds the bad one, takes
// the shard's other holder instead, and hands over the right shard; the file then reads back from
// the new holder byte for byte.
func TestRebuildSurvivesALyingHolder(t *testing.T) {
	nodes := nodetest.StartNodes(t, 6)
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(4*int(smallParams.SegmentSize())+321, 63)
	res, m := put(t, c, data, smallParams)
	liar := newHostile(t)
	liar.piece = randomBytes(int(smallParams.PieceSize), 64)
	// The manifest the repair reads with names the liar first for shard 2; the client knows it,
	// so that it is asked before the shard's real holder.
	lied := *m
	lied.Placement = slices.Clone(m.Placement)
	lied.Placement[2] = append([]sharding.Location{{Peer: liar.h.ID().String(), Addrs: []string{liar.h.Addrs()[0].String()}}}, m.Placement[2]...)
	if err := c.Host().Connect(t.Context(), liar.info()); err != nil {
		t.Fatal(err)
	}
	// Shards 0 (to repair) and 5 are gone: the repair needs shard 2.
	nodes[nodeOf(t, nodes, m, 0)].Close()
	nodes[nodeOf(t, nodes, m, 5)].Close()
	spare := nodetest.Start(t, t.TempDir(), []peer.AddrInfo{{ID: nodes[nodeOf(t, nodes, m, 1)].ID(), Addrs: nodes[nodeOf(t, nodes, m, 1)].Host().Addrs()}})
	spare.Allow(c.Host().ID())
	st, err := c.RebuildShard(t.Context(), &lied, 0, spare.Host().Peerstore().PeerInfo(spare.ID()), retrieval.RebuildOptions{})
	if err != nil {
		t.Fatalf("repair with a lying holder: %v", err)
	}
	if st.Fetched <= int64(m.K)*st.ShardLen {
		t.Fatalf("the repair fetched %d bytes for a shard of %d (k = %d): the liar was never met", st.Fetched, st.ShardLen, m.K)
	}
	if held, err := spare.HeldShards(t.Context(), m.Root); err != nil || !slices.Equal(held, []int{0}) {
		t.Fatalf("the new holder holds shards %v (%v), want [0]", held, err)
	}
	// Shard 3's holder goes too: the file reads only with the repaired shard.
	nodes[nodeOf(t, nodes, m, 3)].Close()
	got, _, err := get(t, newClient(t, append(slices.Clone(nodes), spare), retrieval.Config{Holders: movedHolders{0: spare}}), res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read with the repaired shard: %v", err)
	}
}
