package repair_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// dial joins the nodes as a client with key (nil: a new identity).
func dial(t *testing.T, key crypto.PrivKey, nodes []*node.Node, cfg retrieval.Config) *retrieval.Client {
	t.Helper()
	if key == nil {
		var err error
		if key, err = retrieval.LoadPeerKey(""); err != nil {
			t.Fatal(err)
		}
	}
	c, closeC, err := retrieval.Dial(t.Context(), key, addrInfos(nodes), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeC)
	return c
}

func addrInfos(nodes []*node.Node) []peer.AddrInfo {
	var out []peer.AddrInfo
	for _, n := range nodes {
		out = append(out, peer.AddrInfo{ID: n.ID(), Addrs: n.Host().Addrs()})
	}
	return out
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, limit)
		}
	}
}

// fastLiveness counts a holder dead after 2 failed checks over 300 ms, for tests.
func fastLiveness(cfg repair.Config) repair.Config {
	cfg.CheckInterval, cfg.DeadChecks, cfg.DeadAfter = 150*time.Millisecond, 2, 300*time.Millisecond
	return cfg
}

// TestRepairFileWithoutDeal: a file put without a deal (k = 2, m = 1) on three of five nodes; its
// holders of record are the DHT's shard records. The holder of shard 0 dies for good. A stranger
// who runs a repairer without the uploader's key is refused by every node it tries (the nodes
// store only for the uploader, on their allow-list, as for put): nothing is stored, nothing lost.
// The uploader's repairer counts the holder dead and rebuilds shard 0 onto a spare node as the
// uploader; the spare announces it on the DHT. Then m more original holders die: a new reader,
// which finds the holders on the DHT only (the manifest still names the dead nodes), reads the
// file back byte for byte.
func TestRepairFileWithoutDeal(t *testing.T) {
	nodes := nodetest.StartNodes(t, 5)
	upKey, err := retrieval.LoadPeerKey("")
	if err != nil {
		t.Fatal(err)
	}
	up := dial(t, upKey, nodes, retrieval.Config{})
	nodetest.Allow(up.Host().ID(), nodes...)
	data := randomBytes(5*2*(16<<10)+777, 3)
	res, m, err := up.Put(t.Context(), bytes.NewReader(data), int64(len(data)), retrieval.PutOptions{
		Params: sharding.Params{K: 2, M: 1, PieceSize: 16 << 10, ChunkSize: 256 << 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	holderOf := func(shard int) *node.Node {
		for _, n := range nodes {
			if n.ID().String() == m.Placement[shard][0].Peer {
				return n
			}
		}
		t.Fatalf("no node holds shard %d", shard)
		return nil
	}
	var spares []*node.Node
	for _, n := range nodes {
		if held, _ := n.HeldShards(t.Context(), res.Root); len(held) == 0 {
			spares = append(spares, n)
		}
	}
	if len(spares) != 2 {
		t.Fatalf("%d nodes hold nothing of the file, want 2", len(spares))
	}
	// Every holder announced its shard on the DHT before the test kills one.
	reader := dial(t, nil, nodes, retrieval.Config{})
	recs := retrieval.DHTHolders{Routing: reader.Routing(), Timeout: 2 * time.Second}
	waitUntil(t, "a shard record of every shard", time.Minute, func() bool {
		hs, err := recs.Holders(t.Context(), m)
		return err == nil && !slices.ContainsFunc(hs, func(h []sharding.Location) bool { return len(h) == 0 })
	})
	victim := holderOf(0)
	victim.Close()
	files := func(context.Context) ([]cid.Cid, error) { return []cid.Cid{res.Root}, nil }
	nodesFn := func(context.Context) ([]peer.AddrInfo, error) { return addrInfos(nodes), nil }

	run := func(cfg repair.Config) (*repair.Repairer, context.CancelFunc) {
		r, err := repair.New(fastLiveness(cfg))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := r.Run(ctx); err != nil {
				t.Errorf("Run: %v", err)
			}
		}()
		t.Cleanup(func() { cancel(); <-done })
		return r, func() { cancel(); <-done }
	}
	shard0 := func(r *repair.Repairer) repair.Status {
		for _, s := range r.Repairs() {
			if s.Root == res.Root.String() && s.Slot == 0 {
				return s
			}
		}
		return repair.Status{}
	}

	// The stranger: no uploader key.
	stranger, stop := run(repair.Config{Client: dial(t, nil, nodes, retrieval.Config{}), Files: files, Nodes: nodesFn})
	waitUntil(t, "the stranger's repair refused", time.Minute, func() bool {
		s := shard0(stranger)
		return s.State == repair.StateFailed && s.Attempts >= 2
	})
	stop()
	if s := shard0(stranger); !strings.Contains(s.LastError, "may not store") || s.Holder != victim.ID().String() {
		t.Fatalf("the stranger's repair: %+v", s)
	}
	for _, n := range spares {
		if held, _ := n.HeldShards(t.Context(), res.Root); len(held) != 0 {
			t.Fatalf("a spare took shards %v from a stranger", held)
		}
		if _, ok := n.Accepted(t.Context(), res.Root, 0); ok {
			t.Fatal("a spare accepted shard 0 from a stranger")
		}
	}

	// The uploader's repairer.
	var repairedAt time.Time
	killed := time.Now()
	r, _ := run(repair.Config{
		Client: dial(t, nil, nodes, retrieval.Config{}), Files: files, Nodes: nodesFn,
		Uploader: func(context.Context) (*retrieval.Client, func(), error) { return up, func() {}, nil },
	})
	waitUntil(t, "shard 0 repaired", time.Minute, func() bool {
		s := shard0(r)
		if s.State == repair.StateRepaired {
			repairedAt = s.DoneAt
			return true
		}
		return false
	})
	s := shard0(r)
	if s.Holder != victim.ID().String() || s.Stats == nil || s.Stats.Stored != m.ShardSize() || s.Stats.Fetched > 2*m.ShardSize() {
		t.Fatalf("the repair of shard 0: %+v %+v", s, s.Stats)
	}
	t.Logf("shard 0 back on a live node %v after the repairer started: fetched %d, stored %d", repairedAt.Sub(killed).Round(time.Millisecond), s.Stats.Fetched, s.Stats.Stored)
	var spare *node.Node
	for _, n := range spares {
		if n.ID().String() == s.Peer {
			spare = n
		}
	}
	if spare == nil {
		t.Fatalf("shard 0 went to %s, not a spare", s.Peer)
	}
	waitUntil(t, "the spare's shard record", time.Minute, func() bool {
		hs, err := recs.Holders(t.Context(), m)
		return err == nil && slices.ContainsFunc(hs[0], func(l sharding.Location) bool { return l.Peer == spare.ID().String() })
	})
	for _, rs := range r.Repairs() {
		if rs.Slot != 0 {
			t.Fatalf("a shard with a live holder was repaired: %+v", rs)
		}
	}

	// m more of the original holders die.
	holderOf(1).Close()
	fresh := dial(t, nil, nodes, retrieval.Config{ShardRecords: true})
	var buf bytes.Buffer
	if _, _, err := fresh.Get(t.Context(), res.Root, &buf, retrieval.GetOptions{}); err != nil {
		t.Fatalf("get after the repair and one more loss: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("the file read back after the repair differs")
	}
}
