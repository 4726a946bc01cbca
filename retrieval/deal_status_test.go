package retrieval_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

// registerProviders registers each actor with the matching peer ID.
func registerProviders(t testing.TB, actors []*chaintest.Actor, peerIDs []string) {
	t.Helper()
	for i, a := range actors {
		chaintest.Do(t, a, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: peerIDs[i], Price: chaintest.Gwei(1)}, chaintest.Ether(10))
		})
	}
}

// TestDealStatuses: two requests for one root, one for another; slots filled, one proven with a
// real Groth16 proof. DealStatuses finds the two requests, oldest first, with each slot's provider,
// peer ID, balance and last proof.
func TestDealStatuses(t *testing.T) {
	ctx := t.Context()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	registerProviders(t, e.Providers, []string{"12D3KooWStatusA", "12D3KooWStatusB"})
	root, err := sharding.RootCID(ctx, bytes.NewReader([]byte("status test file")), 0)
	if err != nil {
		t.Fatal(err)
	}
	other, err := sharding.RootCID(ctx, bytes.NewReader([]byte("another file")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := retrieval.DealStatuses(ctx, e.Client.M, 0, root); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no request yet: got %v, %v; want an empty slice", got, err)
	}

	slots := chaintest.Slots(t, 2, 8<<10)
	const period = 8
	create := func(r []byte) chain.RequestID {
		req := chain.Request{
			RootCID: r, ManifestCID: []byte("manifest"), Size: 16 << 10, K: 1, M: 1,
			SlotRoots: [][32]byte{slots[0].Tree.RootBytes(), slots[1].Tree.RootBytes()},
			Duration:  4, ProofPeriod: period, ProofProbability: 1,
			PricePerPeriod: chaintest.Gwei(5), Collateral: chaintest.Gwei(1000),
		}
		var id chain.RequestID
		chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
			id, tx, err = m.CreateRequest(ctx, req)
			return tx, err
		})
		return id
	}
	first := create(root.Bytes())
	create(other.Bytes())
	second := create(root.Bytes())
	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, second, uint64(i), nil)
		})
	}
	info, err := e.Client.M.Request(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	e.MineToPeriod(t, period, info.StartPeriod)
	_, proof := chaintest.Prove(t, e.Providers[1], second, 1, slots[1])
	proofTx := chaintest.Do(t, e.Providers[1], "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.SubmitProof(ctx, second, 1, proof)
	})

	got, err := retrieval.DealStatuses(ctx, e.Client.M, 0, root)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Request.ID != first || got[1].Request.ID != second {
		t.Fatalf("found %d requests, want %s then %s", len(got), first, second)
	}
	st := got[1]
	if st.Period != info.StartPeriod || len(st.Slots) != 2 {
		t.Fatalf("period %d (want %d), %d slots", st.Period, info.StartPeriod, len(st.Slots))
	}
	for i, s := range st.Slots {
		p := e.Providers[i]
		if s.Slot != uint64(i) || s.Provider != p.Addr || s.PeerID != []string{"12D3KooWStatusA", "12D3KooWStatusB"}[i] {
			t.Fatalf("slot %d: %+v", i, s)
		}
		bal, err := e.Client.M.Balance(ctx, p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		chaintest.RequireEq(t, "provider balance", s.ProviderBalance, bal)
	}
	if s := st.Slots[0]; s.Proven != 0 || s.LastProofPeriod != 0 || s.LastProofTx != (common.Hash{}) {
		t.Fatalf("slot 0 never proved: %+v", s)
	}
	if s := st.Slots[1]; s.Proven != 1 || s.LastProofPeriod != info.StartPeriod || s.LastProofBlock != proofTx.Block || s.LastProofTx != proofTx.Hash {
		t.Fatalf("slot 1 proved in period %d, block %d, tx %s: %+v", info.StartPeriod, proofTx.Block, proofTx.Hash, s)
	}
	for _, s := range got[0].Slots {
		if s.Provider != (common.Address{}) || s.PeerID != "" || s.ProviderBalance != nil {
			t.Fatalf("unfilled slot of the first request: %+v", s)
		}
	}
}
