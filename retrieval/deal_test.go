package retrieval_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// dealProofs are small proof parameters: trees build fast and a shard has a few hundred cells.
var dealProofs = prover.Params{Samples: 3, MaxDepth: 16, CellSize: 256}

// dealParams cuts pieces that are not a whole number of cells, so that cells straddle pieces.
var dealParams = sharding.Params{K: 4, M: 2, PieceSize: 16<<10 + 64, ChunkSize: 256 << 10}

func dealOptions(m *chain.Market) retrieval.DealOptions {
	return retrieval.DealOptions{
		Market: m, Proofs: dealProofs, Duration: 10, ProofPeriod: 8, ProofProbability: 1,
		PricePerPeriod: chaintest.Gwei(3), Collateral: chaintest.Gwei(100),
		RootTimeout: time.Minute,
	}
}

func importFile(t testing.TB, data []byte, p sharding.Params) *sharding.Manifest {
	t.Helper()
	m, err := sharding.Import(t.Context(), bytes.NewReader(data), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkRequest checks the request MakeDeal made against the file's shards, committed here.
func checkRequest(t testing.TB, e *chaintest.Env, res *retrieval.DealResult, m *sharding.Manifest, shards [][]byte, hosts []*chaintest.Actor) {
	t.Helper()
	info, err := e.Client.M.Request(t.Context(), res.Request)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.RootCID, m.Root.Bytes()) || info.K != uint32(m.K) || info.M != uint32(m.M) || info.Size != uint64(m.Size) {
		t.Fatalf("request %+v for file %s", info, m.Root)
	}
	chaintest.RequireEq(t, "escrow", info.Escrow, res.Escrow)
	mc, err := m.CID()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.ManifestCID, mc.Bytes()) || res.Manifest != mc.String() {
		t.Fatalf("request names manifest %x (result %s), want %s", info.ManifestCID, res.Manifest, mc)
	}
	for i, s := range shards {
		tree, err := prover.Commit(t.Context(), prover.BytesSlot(s), dealProofs)
		if err != nil {
			t.Fatal(err)
		}
		want := tree.RootBytes()
		if info.SlotRoots[i] != want {
			t.Fatalf("slot %d root %x, want %x", i, info.SlotRoots[i], want)
		}
		if info.Hosts[i] != hosts[i].Addr {
			t.Fatalf("slot %d host %s, want %s (%s)", i, info.Hosts[i], hosts[i].Addr, hosts[i].Name)
		}
		sl := res.Slots[i]
		if sl.Shard != i || sl.Root != "0x"+hex.EncodeToString(want[:]) || sl.Account != hosts[i].Addr || sl.Cells != tree.Cells() {
			t.Fatalf("result slot %d: %+v", i, sl)
		}
	}
}

// TestMakeDealWithFakes runs MakeDeal against holders that serve honest trees, and against one
// that announces the root of its shard with one cell changed: the spot check of every cell names
// that cell.
func TestMakeDealWithFakes(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 6)
	data := randomBytes(3*int(dealParams.SegmentSize())+12345, 21)
	m := importFile(t, data, dealParams)
	shards := shardBytes(t, data, m)
	c := newClient(t, nil, retrieval.Config{})

	start := func(liar int, badCell uint64) [][]sharding.Location {
		placement := make([][]sharding.Location, len(shards))
		var ids []string
		for i, s := range shards {
			if i == liar {
				s = bytes.Clone(s)
				s[badCell*uint64(dealProofs.CellSize)+7] ^= 1
			}
			f := startFakeHolder(t, dealProofs, i, s, e.Providers[i].Addr)
			placement[i] = []sharding.Location{f.location()}
			ids = append(ids, f.h.ID().String())
		}
		registerProviders(t, e.Providers, ids)
		return placement
	}

	t.Run("honest", func(t *testing.T) {
		placement := start(-1, 0)
		opt := dealOptions(e.Client.M)
		res, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, placement, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, e, res, m, shards, e.Providers)
		t.Logf("roots in %s, checked in %s, createRequest %d gas", res.RootsIn, res.CheckIn, res.Gas)
	})
	t.Run("wrong root", func(t *testing.T) {
		cells := prover.NumCells(dealProofs, m.ShardSize())
		placement := start(3, cells/2)
		opt := dealOptions(e.Client.M)
		opt.Openings = int(cells) // every cell: the changed one cannot be missed
		_, err := c.MakeDeal(t.Context(), bytes.NewReader(data), m, placement, opt)
		var oe *retrieval.OpeningError
		if !errors.As(err, &oe) || !errors.Is(err, retrieval.ErrBadRoot) || !errors.Is(err, prover.ErrBadOpening) {
			t.Fatalf("got %v, want an OpeningError", err)
		}
		if oe.Shard != 3 || oe.Cell != cells/2 || oe.Peer != placement[3][0].Peer {
			t.Fatalf("error names shard %d, cell %d, peer %s; want shard 3, cell %d, peer %s", oe.Shard, oe.Cell, oe.Peer, cells/2, placement[3][0].Peer)
		}
		t.Log(err)
	})
}

// BenchmarkMakeDeal measures the check and the request of an 8 MiB file (default cutting: 4+2
// shards of 2 MiB) with the devnet proof parameters and 300 openings per shard, against holders
// in this process whose trees are already built: the time of the spot checks (the holders
// computing the openings, the client re-encoding the file and verifying them) and createRequest.
func BenchmarkMakeDeal(b *testing.B) {
	e := chaintest.New(b, chain.DeployConfig{}, 6)
	data := randomBytes(8<<20, 5)
	m := importFile(b, data, sharding.Params{})
	shards := shardBytes(b, data, m)
	placement := make([][]sharding.Location, len(shards))
	var ids []string
	for i, s := range shards {
		f := startFakeHolder(b, prover.DevnetParams, i, s, e.Providers[i].Addr)
		placement[i] = []sharding.Location{f.location()}
		ids = append(ids, f.h.ID().String())
	}
	registerProviders(b, e.Providers, ids)
	c := newClient(b, nil, retrieval.Config{})
	opt := dealOptions(e.Client.M)
	opt.Proofs = prover.DevnetParams
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var check time.Duration
	for b.Loop() {
		res, err := c.MakeDeal(b.Context(), bytes.NewReader(data), m, placement, opt)
		if err != nil {
			b.Fatal(err)
		}
		check += res.CheckIn
	}
	b.ReportMetric(float64(len(shards)*retrieval.DefaultOpenings*b.N)/check.Seconds(), "openings/s")
	b.ReportMetric(check.Seconds()/float64(b.N), "check-s/op")
}
