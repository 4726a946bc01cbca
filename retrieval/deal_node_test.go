package retrieval_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// startDealNodes starts one node per account (a zero account runs without a chain), building
// their trees with dealProofs.
func startDealNodes(t testing.TB, accounts [][20]byte) []*node.Node {
	t.Helper()
	var nodes []*node.Node
	var boot []peer.AddrInfo
	for i, a := range accounts {
		n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Bootstrap: boot, Proofs: dealProofs, Account: a})
		if i == 0 {
			boot = []peer.AddrInfo{{ID: n.ID(), Addrs: n.Host().Addrs()}}
		}
		nodes = append(nodes, n)
	}
	return nodes
}

func accountsOf(actors []*chaintest.Actor) [][20]byte {
	out := make([][20]byte, len(actors))
	for i, a := range actors {
		out[i] = a.Addr
	}
	return out
}

func peerIDs(nodes []*node.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID().String()
	}
	return out
}

// hostsOf returns the actor whose node holds each shard.
func hostsOf(t testing.TB, nodes []*node.Node, actors []*chaintest.Actor, m *sharding.Manifest) []*chaintest.Actor {
	t.Helper()
	out := make([]*chaintest.Actor, m.K+m.M)
	for i := range out {
		out[i] = actors[nodeOf(t, nodes, m, i)]
	}
	return out
}

// fillOnCreate waits for the n-th request of root and fills its slots except those in skip, each
// with the actor hosting it.
func fillOnCreate(t testing.TB, e *chaintest.Env, root []byte, n int, hosts []*chaintest.Actor, skip map[int]bool) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		ctx := t.Context()
		for {
			ids, err := e.Client.M.RequestsByRoot(ctx, 0, root)
			if err != nil {
				done <- err
				return
			}
			if len(ids) >= n {
				for i, h := range hosts {
					if skip[i] {
						continue
					}
					if _, err := h.M.FillSlot(ctx, ids[n-1], uint64(i), nil); err != nil {
						done <- err
						return
					}
				}
				done <- nil
				return
			}
			select {
			case <-ctx.Done():
				done <- ctx.Err()
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return done
}

// TestMakeDeal: put to real nodes that build their trees, then MakeDeal: the request on chain
// has the roots of the shards (committed here from the file) and the holders' accounts as hosts,
// DealStatuses finds it by the root CID, and the wait for fills reports the slots filled by the
// deadline, or returns as soon as all are.
func TestMakeDeal(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 6)
	nodes := startDealNodes(t, accountsOf(e.Providers))
	registerProviders(t, e.Providers, peerIDs(nodes))
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(10*int(dealParams.SegmentSize())+4321, 31) // 660 cells per shard: 300 are sampled
	put0 := time.Now()
	res0, m := put(t, c, data, dealParams)
	t.Logf("put %d bytes in %s", len(data), time.Since(put0))
	hosts := hostsOf(t, nodes, e.Providers, m)
	shards := shardBytes(t, data, m)
	opt := dealOptions(e.Client.M)

	var stages []string
	opt.Progress = func(stage string, done, total int) {
		if done == total {
			stages = append(stages, stage)
		}
	}
	res, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, res0.Placement, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("roots in %s, checked in %s, createRequest %d gas; stages %v", res.RootsIn, res.CheckIn, res.Gas, stages)
	checkRequest(t, e, res, m, shards, hosts)
	// The file is re-encoded while the holders build their trees: "encode" may end before "roots".
	if got := strings.Join(stages, ","); got != "roots,encode,check,request" && got != "encode,roots,check,request" {
		t.Fatalf("stages completed in the order %s", got)
	}
	for _, s := range res.Slots {
		if s.Checked != retrieval.DefaultOpenings || s.Filled {
			t.Fatalf("slot %+v: want %d cells checked and no fill awaited", s, retrieval.DefaultOpenings)
		}
	}
	st, err := retrieval.DealStatuses(t.Context(), e.Client.M, 0, res0.Root)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 1 || st[0].Request.ID != res.Request || len(st[0].Slots) != 6 {
		t.Fatalf("DealStatuses found %d requests, want %s", len(st), res.Request)
	}

	t.Run("fill timeout", func(t *testing.T) {
		filled := fillOnCreate(t, e, m.Root.Bytes(), 2, hosts, map[int]bool{5: true})
		opt := dealOptions(e.Client.M)
		opt.FillTimeout = 3 * time.Second
		res, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-filled; err != nil {
			t.Fatal(err)
		}
		if res.Filled() != 5 || res.Slots[5].Filled || res.FillIn < opt.FillTimeout {
			t.Fatalf("%d slots filled after %s: %+v", res.Filled(), res.FillIn, res.Slots)
		}
		for _, s := range res.Slots[:5] {
			if s.FilledBlock <= res.Block {
				t.Fatalf("slot %d filled in block %d, the request is in block %d", s.Shard, s.FilledBlock, res.Block)
			}
		}
	})
	t.Run("all filled", func(t *testing.T) {
		filled := fillOnCreate(t, e, m.Root.Bytes(), 3, hosts, nil)
		opt := dealOptions(e.Client.M)
		opt.FillTimeout = time.Minute
		res, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-filled; err != nil {
			t.Fatal(err)
		}
		if res.Filled() != 6 || res.FillIn > 30*time.Second {
			t.Fatalf("%d slots filled after %s", res.Filled(), res.FillIn)
		}
		st, err := retrieval.DealStatuses(t.Context(), e.Client.M, 0, res0.Root)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) != 3 || st[2].Request.ID != res.Request {
			t.Fatalf("DealStatuses found %d requests", len(st))
		}
		for i, s := range st[2].Slots {
			if s.Provider != hosts[i].Addr || s.PeerID != res.Slots[i].Peer {
				t.Fatalf("slot %d held by %s (%s), want %s (%s)", i, s.Provider, s.PeerID, hosts[i].Addr, res.Slots[i].Peer)
			}
		}
	})
}

// TestMakeDealCorruptShard: a piece of shard 1 flips a byte on its node's disk right after the
// upload. The node finds it while building the tree or while opening the cells over it; either way
// the deal fails naming shard 1 and its node, and no request is made, unless the node repaired the
// piece in place before the client asked (it then holds the shard the client checks).
func TestMakeDealCorruptShard(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 6)
	nodes := startDealNodes(t, accountsOf(e.Providers))
	registerProviders(t, e.Providers, peerIDs(nodes))
	c := newClient(t, nodes, retrieval.Config{})
	data := randomBytes(3*int(dealParams.SegmentSize()), 41)
	res0, m := put(t, c, data, dealParams)
	victim := nodes[nodeOf(t, nodes, m, 1)]
	nodetest.CorruptPiece(t, victim, res0.Root, 1, 1)

	opt := dealOptions(e.Client.M)
	opt.Openings = int(prover.NumCells(dealProofs, m.ShardSize())) // every cell, the damaged ones included
	_, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, opt)
	var se *retrieval.SlotError
	var oe *retrieval.OpeningError
	switch {
	case errors.As(err, &se):
		if se.Shard != 1 || se.Peer != victim.ID().String() || !errors.Is(err, wire.ErrCorrupt) {
			t.Fatalf("got %v, want shard 1 on %s damaged", err, victim.ID())
		}
	case errors.As(err, &oe):
		if oe.Shard != 1 || oe.Peer != victim.ID().String() {
			t.Fatalf("got %v, want shard 1 on %s", err, victim.ID())
		}
	case err == nil && victim.ScrubStats().Repaired >= 1:
		// The node repaired the piece in place (from the other holders) before the client read
		// its root: the deal, whose every cell was checked against the client's bytes, is sound.
		t.Log("the node repaired its shard before the deal read it")
		return
	default:
		t.Fatalf("got %v, want a SlotError or OpeningError naming shard 1", err)
	}
	t.Log(err)
	if ids, err := e.Client.M.RequestsByRoot(t.Context(), 0, res0.Root.Bytes()); err != nil || len(ids) != 0 {
		t.Fatalf("requests after a failed deal: %v, %v", ids, err)
	}
}

// TestMakeDealHostChecks: a holder whose account is not registered, registered under another
// peer ID, or that runs without an account fails the deal naming its shard; so does a root that
// does not come in time.
func TestMakeDealHostChecks(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 6)
	// Node 6 runs without a chain account.
	nodes := startDealNodes(t, append(accountsOf(e.Providers), [20]byte{}))
	ids := peerIDs(nodes)
	c := newClient(t, nodes[:6], retrieval.Config{})
	data := randomBytes(2*int(dealParams.SegmentSize())+99, 51)
	_, m := put(t, c, data, dealParams)
	h := nodeOf(t, nodes, m, 2) // the holder of shard 2 is not registered at first
	var others []*chaintest.Actor
	var otherIDs []string
	for i, a := range e.Providers {
		if i != h {
			others = append(others, a)
			otherIDs = append(otherIDs, ids[i])
		}
	}
	registerProviders(t, others, otherIDs)

	check := func(t *testing.T, c *retrieval.Client, m *sharding.Manifest, opt retrieval.DealOptions, shard int, want error, says string) {
		t.Helper()
		_, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, opt)
		var se *retrieval.SlotError
		if !errors.As(err, &se) || !errors.Is(err, want) || !strings.Contains(err.Error(), says) {
			t.Fatalf("got %v, want a SlotError: %v (%q)", err, want, says)
		}
		if se.Shard != shard || se.Peer != m.Placement[shard][0].Peer {
			t.Fatalf("error names shard %d on %s, want shard %d on %s", se.Shard, se.Peer, shard, m.Placement[shard][0].Peer)
		}
		t.Log(err)
	}
	t.Run("not registered", func(t *testing.T) {
		check(t, c, m, dealOptions(e.Client.M), 2, retrieval.ErrHostNotRegistered, "not a registered provider")
	})
	t.Run("registered for another peer", func(t *testing.T) {
		registerProviders(t, e.Providers[h:h+1], ids[6:7])
		check(t, c, m, dealOptions(e.Client.M), 2, retrieval.ErrHostNotRegistered, "registered for peer")
	})
	t.Run("registered", func(t *testing.T) {
		registerProviders(t, e.Providers[h:h+1], ids[h:h+1])
		if _, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, dealOptions(e.Client.M)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("no account", func(t *testing.T) {
		// A client that knows node 6 instead of the holder of shard 2.
		var known []*node.Node
		for i, n := range nodes {
			if i != h {
				known = append(known, n)
			}
		}
		c := newClient(t, known, retrieval.Config{})
		data := randomBytes(len(data), 52)
		_, m := put(t, c, data, dealParams)
		shard := -1
		for i := range m.Placement {
			if m.Placement[i][0].Peer == ids[6] {
				shard = i
			}
		}
		if shard < 0 {
			t.Fatal("node 6 holds no shard")
		}
		_, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, dealOptions(e.Client.M))
		var se *retrieval.SlotError
		if !errors.As(err, &se) || !errors.Is(err, retrieval.ErrHostNotRegistered) || se.Shard != shard || !strings.Contains(err.Error(), "without a chain account") {
			t.Fatalf("got %v, want shard %d without a chain account", err, shard)
		}
		t.Log(err)
	})
	t.Run("root timeout", func(t *testing.T) {
		opt := dealOptions(e.Client.M)
		opt.RootTimeout = time.Nanosecond
		_, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, nil, opt)
		var se *retrieval.SlotError
		if !errors.As(err, &se) || !errors.Is(err, retrieval.ErrRootTimeout) {
			t.Fatalf("got %v, want ErrRootTimeout", err)
		}
	})
}

// BenchmarkMakeDealNodes puts a 4 MiB file (default cutting: 4+2 shards of 1 MiB) to six real
// nodes that build their trees with the devnet parameters, then makes its deal with 300 openings
// per shard. roots-s is the wait for the trees after Put returned (the nodes start building when
// the manifest arrives), check-s the spot checks, request-s createRequest on the simulated chain.
func BenchmarkMakeDealNodes(b *testing.B) {
	e := chaintest.New(b, chain.DeployConfig{}, 6)
	accounts := accountsOf(e.Providers)
	var nodes []*node.Node
	for _, a := range accounts {
		nodes = append(nodes, nodetest.StartConfig(b, node.Config{Repo: b.TempDir(), Account: a}))
	}
	registerProviders(b, e.Providers, peerIDs(nodes))
	c := newClient(b, nodes, retrieval.Config{})
	opt := dealOptions(e.Client.M)
	opt.Proofs = prover.DevnetParams
	const size = 4 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var roots, check, request time.Duration
	seed := uint64(0)
	for b.Loop() {
		b.StopTimer()
		seed++
		data := randomBytes(size, seed)
		res0, m := put(b, c, data, sharding.Params{})
		b.StartTimer()
		start := time.Now()
		res, err := c.MakeDeal(b.Context(), bytes.NewReader(data), m, res0.Placement, opt)
		if err != nil {
			b.Fatal(err)
		}
		roots += res.RootsIn
		check += res.CheckIn
		request += time.Since(start) - res.RootsIn - res.CheckIn
	}
	n := float64(b.N)
	b.ReportMetric(roots.Seconds()/n, "roots-s/op")
	b.ReportMetric(check.Seconds()/n, "check-s/op")
	b.ReportMetric(request.Seconds()/n, "request-s/op")
	b.ReportMetric(6*retrieval.DefaultOpenings*n/check.Seconds(), "openings/s")
}
