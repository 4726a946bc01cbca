package deals_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/prover"
)

// TestScrubDrill is the corruption drill on the real chain with real proofs: a provider proves
// its slot; while its node is stopped a byte of one of its pieces is flipped in badger's value
// log, as a failing disk (or a user) would; after the restart the scrub finds the piece, repairs
// it in place from the file's other holders, and the next challenge of the slot is proven
// against the same slot root on chain.
func TestScrubDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	e := chaintest.New(t, chain.DeployConfig{}, 1)
	p := e.Providers[0]
	keys := chaintest.DevnetKeys(t)
	others := nodetest.StartNodes(t, 2)
	holders := func(_ context.Context, _ cid.Cid, shard int) ([]peer.AddrInfo, error) {
		if shard == 0 {
			return nil, nil
		}
		o := others[shard-1]
		return []peer.AddrInfo{{ID: o.ID(), Addrs: o.Host().Addrs()}}, nil
	}
	cfg := node.Config{Repo: t.TempDir(), Account: p.Addr, Holders: holders, ScrubInterval: time.Second, Logger: testLogger(t, "node")}
	n := nodetest.StartConfig(t, cfg)
	m, shards := storeShards(t, []*node.Node{n, others[0], others[1]}) // shard i on the i-th
	roots := make([][32]byte, len(shards))
	for i, sh := range shards {
		tree, err := prover.Commit(ctx, prover.BytesSlot(sh), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		roots[i] = tree.RootBytes()
	}
	dcfg := deals.Config{
		Node: n, Market: p.M, FromBlock: e.Dep.Block,
		Keys:   func(context.Context) (*prover.Keys, error) { return keys, nil },
		Poll:   100 * time.Millisecond,
		Logger: testLogger(t, p.Name),
	}
	svc := startService(t, dcfg)
	waitFor(t, ctx, "provider registered", func() (bool, error) {
		_, ok, err := p.M.Provider(ctx, p.Addr)
		return ok, err
	})
	const period = 20
	e.MineToPeriod(t, period, head(t, e)/period+1)
	id := createRequest(t, e, chain.Request{
		RootCID: m.Root.Bytes(), Size: uint64(m.Size), K: 2, M: 1, SlotRoots: roots,
		Hosts: []common.Address{p.Addr, {}, {}}, Duration: 3, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: chaintest.Gwei(1_000_000), Collateral: chaintest.Ether(1),
	})
	waitFor(t, ctx, "slot 0 filled", func() (bool, error) {
		st, ok := status(svc.svc, id, 0)
		return ok && st.State == deals.StateFilled, nil
	})
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	proven := func(n uint32) func() (bool, error) {
		return func() (bool, error) {
			s, err := e.Client.M.Slot(ctx, id, 0)
			return err == nil && s.Proven >= n, err
		}
	}
	e.MineToPeriod(t, period, ri.StartPeriod)
	waitFor(t, ctx, "first period proven", proven(1))

	// Stop the provider and flip a byte of segment 1's piece where badger keeps it on disk.
	svc.stop(t)
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	piece := shards[0][4096:8192] // segment 1 of shard 0: pieces of 4 KiB
	flipInValueLog(t, filepath.Join(cfg.Repo, "store"), piece[100:164])

	restart := time.Now()
	n = nodetest.StartConfig(t, cfg)
	dcfg.Node = n
	svc = startService(t, dcfg)
	waitFor(t, ctx, "the damaged piece repaired", func() (bool, error) {
		st := n.ScrubStats()
		return st.Repaired >= 1 && st.Pending == 0, nil
	})
	st := n.ScrubStats()
	t.Logf("restart to repaired piece: %v (%+v)", time.Since(restart).Round(time.Millisecond), st)
	if st.Damaged != 1 || st.Repaired != 1 { // the flipped byte damages one piece, nothing else
		t.Fatalf("scrub found %d damaged pieces and repaired %d, want 1", st.Damaged, st.Repaired)
	}
	r, err := n.ShardReader(ctx, m, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, r.Size())
	if _, err := r.ReadAt(got, 0); err != nil || !bytes.Equal(got, shards[0]) {
		t.Fatalf("the shard after its repair differs (%v)", err)
	}
	e.MineToPeriod(t, period, ri.StartPeriod+1)
	waitFor(t, ctx, "the next period proven", proven(2))
	s, err := e.Client.M.Slot(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Provider != p.Addr || s.Missed != 0 {
		t.Fatalf("slot 0 after the drill: %+v", s)
	}
}

// flipInValueLog flips one byte of the first occurrence of needle in the value log files of the
// badger database in dir, as a failing disk would; the database must be closed.
func flipInValueLog(t *testing.T, dir string, needle []byte) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.vlog"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(b, needle)
		if i < 0 {
			continue
		}
		if bytes.Contains(b[i+1:], needle) {
			t.Fatalf("%s holds the piece's bytes twice", f)
		}
		fh, err := os.OpenFile(f, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		if _, err := fh.WriteAt([]byte{b[i+10] ^ 0x5a}, int64(i+10)); err != nil {
			t.Fatal(err)
		}
		if err := fh.Sync(); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("no value log in %s holds the piece", dir)
}
