package deals_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// TestRepairFill is the provider's side of a repair on the EVM. Slot 2 of a k=2, m=1 request is
// freed after three reported misses and opened for repair. A hostile repairer hands one provider
// wrong bytes for the shard under a forged manifest (same root, the piece hashes of its bytes), so
// every piece passes the node's hash check: the provider commits to them, finds that the tree's
// root is not the slot root on chain and does not fill; the slot stays open. An honest repairer
// hands another provider the genuine shard: it refills the slot, earns the repair reward
// (SlotRepaired), confirms the upload, and proves the slot.
func TestRepairFill(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 5)
	holders, hostile, honest := e.Providers[:3], e.Providers[3], e.Providers[4]
	for _, p := range holders {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(1))
		})
	}
	// The file, its shards and their slot roots.
	tmp := nodetest.StartConfig(t, node.Config{Repo: t.TempDir()})
	m, shards := storeShards(t, []*node.Node{tmp})
	roots := make([][32]byte, len(shards))
	for i, s := range shards {
		tree, err := prover.Commit(ctx, prover.BytesSlot(s), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		roots[i] = tree.RootBytes()
	}
	const period = 20
	id := createRequest(t, e, chain.Request{
		RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: uint32(m.K), M: uint32(m.M), SlotRoots: roots,
		Duration: 40, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Gwei(1000),
	})
	var filled uint64
	for i, p := range holders {
		tx := chaintest.Do(t, p, "fillSlot", func(ctx context.Context, mk *chain.Market) (chain.Tx, error) {
			return mk.FillSlot(ctx, id, uint64(i), nil)
		})
		filled = max(filled, tx.Block/period)
	}
	// Slot 2's holder never proves: three reports free the slot and open it for repair.
	for k := uint64(1); k <= 3; k++ {
		e.MineToPeriod(t, period, filled+k+1)
		chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, mk *chain.Market) (chain.Tx, error) {
			return mk.MarkProofAsMissing(ctx, id, 2, filled+k)
		})
	}
	if st, err := e.Client.M.Repair(ctx, id, 2); err != nil || !st.Open {
		t.Fatalf("slot 2 not open for repair: %+v, %v", st, err)
	}

	// Two new providers, each with a node and a deals service.
	keys := chaintest.DevnetKeys(t)
	start := func(p *chaintest.Actor) (*node.Node, *service) {
		n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Account: p.Addr})
		svc := startService(t, deals.Config{
			Node: n, Market: p.M, FromBlock: e.Dep.Block, Uploads: n,
			Keys: func(context.Context) (*prover.Keys, error) { return keys, nil },
			Poll: 100 * time.Millisecond, Logger: testLogger(t, p.Name),
		})
		waitFor(t, ctx, p.Name+" registered", func() (bool, error) {
			_, ok, err := p.M.Provider(ctx, p.Addr)
			return ok, err
		})
		return n, svc
	}
	hn, hsvc := start(hostile)

	// The hostile repairer: shard 2's bytes changed, a manifest forged to match them.
	forged := *m.Content()
	forged.Segments = make([][][32]byte, len(m.Segments))
	wrong := make([][]byte, len(m.Segments))
	for j := range m.Segments {
		forged.Segments[j] = append([][32]byte(nil), m.Segments[j]...)
		ps := int(m.SegmentPieceSize(j))
		off := 0
		for jj := 0; jj < j; jj++ {
			off += int(m.SegmentPieceSize(jj))
		}
		wrong[j] = append([]byte(nil), shards[2][off:off+ps]...)
		wrong[j][0] ^= 0xff
		forged.Segments[j][2] = forged.PieceSum(wrong[j])
	}
	handOver(t, hn, &forged, 2, wrong)
	waitFor(t, ctx, "the hostile hand-over refused", func() (bool, error) {
		st, ok := status(hsvc.svc, id, 2)
		return ok && st.State == deals.StateRejected, nil
	})
	st, _ := status(hsvc.svc, id, 2)
	if !strings.Contains(st.LastError, "commits to") {
		t.Fatalf("refusal %q does not name the slot root", st.LastError)
	}
	if s, err := e.Client.M.Slot(ctx, id, 2); err != nil || s.Provider != (common.Address{}) {
		t.Fatalf("slot 2 after wrong bytes: %+v, %v", s, err)
	}

	// The honest repairer: the genuine shard under the genuine manifest.
	on, osvc := start(honest)
	var genuine [][]byte
	off := 0
	for j := range m.Segments {
		ps := int(m.SegmentPieceSize(j))
		genuine = append(genuine, shards[2][off:off+ps])
		off += ps
	}
	handOver(t, on, m, 2, genuine)
	waitFor(t, ctx, "slot 2 refilled by the honest provider", func() (bool, error) {
		s, err := e.Client.M.Slot(ctx, id, 2)
		return err == nil && s.Provider == honest.Addr, err
	})
	if st, err := e.Client.M.Repair(ctx, id, 2); err != nil || st.Open {
		t.Fatalf("slot 2 still open for repair after the refill: %+v, %v", st, err)
	}
	if n, _ := e.Client.M.LostSlots(ctx, id); n != 0 {
		t.Fatalf("lost slots after the repair: %d", n)
	}
	if info, ok := on.Accepted(ctx, m.Root, 2); !ok || !info.Confirmed {
		t.Fatalf("the repaired upload is not confirmed: %+v, %v", info, ok)
	}
	// The repaired slot is proven like any other.
	refilled, _ := status(osvc.svc, id, 2)
	for p := refilled.FilledBlock/period + 1; ; p++ {
		e.MineToPeriod(t, period, p)
		ok := false
		waitFor(t, ctx, "a proof period of the repaired slot", func() (bool, error) {
			st, _ := status(osvc.svc, id, 2)
			ok = st.Proofs > 0
			return ok || head(t, e) > (p+1)*period-3, nil
		})
		if ok {
			break
		}
		if p > refilled.FilledBlock/period+3 {
			t.Fatal("the repaired slot was not proven within 3 periods")
		}
	}
}

// handOver stores a manifest and one shard's pieces on n as an allow-listed client would.
func handOver(t *testing.T, n *node.Node, m *sharding.Manifest, shard int, pieces [][]byte) {
	t.Helper()
	h := p2ptest.NewHost(t, p2ptest.Knowing(n))
	n.Allow(h.ID())
	c := wire.NewClient(h, wire.WithTimeout(10*time.Second))
	content, err := m.Content().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StoreManifest(t.Context(), n.ID(), content); err != nil {
		t.Fatal(err)
	}
	for j, p := range pieces {
		if err := c.StorePiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root, Shard: shard, Segment: j}, m.PieceSum(p), p); err != nil {
			t.Fatal(err)
		}
	}
}
