package dashboard_test

import (
	"context"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
)

// With a chain, the dashboard lists every file with a storage request, also one that was not put
// from its HOME, and picks up requests created after it started.
func TestEveryFileOnChain(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	c, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t)})
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

// Nobody watching, the dashboard refreshes every IdlePoll, not every Poll: each refresh pings every
// node. A read of its state makes it refresh every Poll again.
func TestIdleDashboardRefreshesSlowly(t *testing.T) {
	node := p2ptest.NewHost(t)
	c, err := retrieval.New(retrieval.Config{Host: p2ptest.NewHost(t)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dashboard.New(dashboard.Config{Client: c, Poll: 20 * time.Millisecond, IdlePoll: time.Hour,
		Nodes: func() ([]peer.AddrInfo, error) { return []peer.AddrInfo{{ID: node.ID(), Addrs: node.Addrs()}}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	updated := func() time.Time { return d.State().Updated }
	deadline := time.Now().Add(10 * time.Second)
	for updated().IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("no first refresh in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if s := d.State(); len(s.Nodes) != 1 || !s.Nodes[0].Up {
		t.Fatalf("first refresh: nodes %+v, want the one node up", s.Nodes)
	}
	first := updated()
	time.Sleep(500 * time.Millisecond) // 25 Polls
	if u := updated(); !u.Equal(first) {
		t.Fatalf("refreshed at %v while nobody watched, %v after the first refresh; want no refresh before IdlePoll", u, u.Sub(first))
	}

	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dashboard/state", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /dashboard/state: %d", rec.Code)
	}
	for updated().Equal(first) {
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatal("no refresh within 10 s of a read of the state")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
