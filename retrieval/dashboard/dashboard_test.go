package dashboard_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
)

// With a chain, the dashboard lists every file with a storage request, also one that was not put
// from its HOME, and picks up requests created after it started.
func TestEveryFileOnChain(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	c, err := retrieval.New(retrieval.Config{Host: h})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dashboard.New(dashboard.Config{Client: c, Nodes: func() ([]peer.AddrInfo, error) { return nil, nil },
		Home: t.TempDir(), Market: e.Client.M, FromBlock: e.Dep.Block})
	if err != nil {
		t.Fatal(err)
	}
	request := func(name string) cid.Cid {
		root, _ := cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256}.Sum([]byte(name))
		chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			_, tx, err := m.CreateRequest(ctx, chain.Request{RootCID: root.Bytes(), K: 1, SlotRoots: [][32]byte{{1}},
				Duration: 2, ProofPeriod: 8, ProofProbability: 1, PricePerPeriod: new(big.Int), Collateral: chaintest.Ether(1)})
			return tx, err
		})
		return root
	}
	listed := func(roots ...cid.Cid) {
		t.Helper()
		if err := d.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		files := d.State().Files
		if len(files) != len(roots) {
			t.Fatalf("the dashboard lists %d files, want %d", len(files), len(roots))
		}
		for i, r := range roots {
			if files[i].Root != r.String() {
				t.Fatalf("file %d is %s, want %s", i, files[i].Root, r)
			}
		}
	}
	first := request("first")
	listed(first)
	second := request("second")
	listed(first, second)
	listed(first, second) // read once, not again
}
