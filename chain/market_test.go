package chain_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/chain/simchain"
)

// TestFullRound: register, request, fill, challenge, prove, verify on chain, pay;
// a forged proof and replayed proofs (other slot, other period) rejected; a missed
// proof reported: provider slashed, reporter paid; balances add up to the wei.
func TestFullRound(t *testing.T) {
	if testing.Short() {
		t.Skip("real Groth16 proofs")
	}
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 3)
	slots := chaintest.Slots(t, 3, 64<<10)

	price, collateral := chaintest.Gwei(10_000_000), chaintest.Ether(1) // 0.01 ether per slot-period
	const period = 16
	for i, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{
				PeerID: "12D3KooWProvider" + string(rune('A'+i)),
				Addrs:  []string{"/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/udp/4001/quic-v1"},
				Price:  price,
			}, chaintest.Ether(2))
		})
	}
	info, ok, err := e.Client.M.Provider(ctx, e.Providers[1].Addr)
	if err != nil || !ok || info.PeerID != "12D3KooWProviderB" || len(info.Addrs) != 2 {
		t.Fatalf("provider entry = %+v, %v, %v", info, ok, err)
	}

	req := chain.Request{
		RootCID: []byte("root-cid"), ManifestCID: []byte("manifest-cid"), Size: 128 << 10,
		K: 2, M: 1, Duration: 2, ProofPeriod: period, ProofProbability: 1,
		PricePerPeriod: price, Collateral: collateral,
	}
	for _, s := range slots {
		req.SlotRoots = append(req.SlotRoots, s.Tree.RootBytes())
	}
	e.MineToNextPeriod(t, period)
	var id chain.RequestID
	tx := chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, req)
		return tx, err
	})
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ri.Client != e.Client.Addr || ri.StartPeriod != tx.Block/period+1 || ri.EndPeriod != ri.StartPeriod+2 ||
		!bytes.Equal(ri.RootCID, req.RootCID) || ri.SlotRoots[2] != req.SlotRoots[2] {
		t.Fatalf("request read back as %+v", ri)
	}
	chaintest.RequireEq(t, "escrow", ri.Escrow, req.Escrow())

	for i, p := range e.Providers {
		chaintest.Do(t, p, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.FillSlot(ctx, id, uint64(i), nil)
		})
	}
	_, err = e.Providers[0].M.FillSlot(ctx, id, 0, nil)
	chaintest.RequireErr(t, "fill a taken slot", err, chain.ErrSlotTaken)

	// Period 1: every slot proves.
	start := ri.StartPeriod
	e.MineToPeriod(t, period, start)
	var first [3][]byte
	for i, p := range e.Providers {
		ch, proof := chaintest.Prove(t, p, id, uint64(i), slots[i])
		if ch.Period != start {
			t.Fatalf("challenge for period %d, want %d", ch.Period, start)
		}
		first[i] = proof
		if i == 0 {
			// A forged proof: one byte of a valid proof changed.
			forged := bytes.Clone(proof)
			forged[100] ^= 1
			_, err := p.M.SubmitProof(ctx, id, 0, forged)
			chaintest.RequireErr(t, "forged proof", err, chain.ErrInvalidProof)
			_, err = p.M.SubmitProof(ctx, id, 0, proof[:255])
			chaintest.RequireErr(t, "truncated proof", err, chain.ErrInvalidProof)
		}
		tx := chaintest.Do(t, p, "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.SubmitProof(ctx, id, uint64(i), proof)
		})
		evs := p.M.TxEvents(tx)
		if i == 0 { // the period's first proof records its entropy
			if len(evs) != 2 || evs[0].Name != "EntropyRecorded" || evs[0].Data.(*chain.EntropyRecorded).Entropy != ch.Entropy {
				t.Fatalf("first submitProof of the period: events %+v", evs)
			}
			evs = evs[1:]
		}
		if len(evs) != 1 || evs[0].Name != "ProofSubmitted" {
			t.Fatalf("submitProof events = %+v", evs)
		}
		ps := evs[0].Data.(*chain.ProofSubmitted)
		if ps.Period.Uint64() != start || ps.Challenge.Cmp(ch.Value) != 0 || ps.Payment.Cmp(price) != 0 || !bytes.Equal(ps.Proof, proof) {
			t.Fatalf("ProofSubmitted = %+v", ps)
		}
	}
	// Replays: a proof again in its own period, another slot's proof, a proof of
	// the same slot made for the previous period.
	_, err = e.Providers[0].M.SubmitProof(ctx, id, 0, first[0])
	chaintest.RequireErr(t, "same period twice", err, chain.ErrAlreadyDone)
	_, err = e.Providers[0].M.SubmitProof(ctx, id, 1, first[1])
	chaintest.RequireErr(t, "proof for a slot held by another", err, chain.ErrNotSlotProvider)

	e.MineToPeriod(t, period, start+1)
	_, err = e.Providers[1].M.SubmitProof(ctx, id, 1, first[0])
	chaintest.RequireErr(t, "slot 0's proof replayed for slot 1", err, chain.ErrInvalidProof)
	_, err = e.Providers[1].M.SubmitProof(ctx, id, 1, first[1])
	chaintest.RequireErr(t, "last period's proof replayed", err, chain.ErrInvalidProof)

	// Period 2: slots 0 and 1 prove, slot 2 misses.
	for i, p := range e.Providers[:2] {
		_, proof := chaintest.Prove(t, p, id, uint64(i), slots[i])
		chaintest.Do(t, p, "submitProof", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.SubmitProof(ctx, id, uint64(i), proof)
		})
	}
	_, err = e.Reporter.M.MarkProofAsMissing(ctx, id, 2, start+1)
	chaintest.RequireErr(t, "report during the window", err, chain.ErrWindowOpen)
	e.MineToPeriod(t, period, start+2)
	_, err = e.Reporter.M.MarkProofAsMissing(ctx, id, 0, start+1)
	chaintest.RequireErr(t, "report a proven period", err, chain.ErrAlreadyDone)
	tx = chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.MarkProofAsMissing(ctx, id, 2, start+1)
	})
	pm := e.Reporter.M.TxEvents(tx)[0].Data.(*chain.ProofMissed)
	slashed := new(big.Int).Div(collateral, big.NewInt(10)) // 10%
	reward := new(big.Int).Div(slashed, big.NewInt(10))     // 10% of it
	chaintest.RequireEq(t, "slashed", pm.Slashed, slashed)
	chaintest.RequireEq(t, "reward", pm.Reward, reward)
	if pm.Provider != e.Providers[2].Addr || pm.Reporter != e.Reporter.Addr {
		t.Fatalf("ProofMissed = %+v", pm)
	}
	_, err = e.Reporter.M.MarkProofAsMissing(ctx, id, 2, start+1)
	chaintest.RequireErr(t, "report twice", err, chain.ErrAlreadyDone)
	s2, err := e.Client.M.Slot(ctx, id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Missed != 1 || s2.Proven != 1 {
		t.Fatalf("slot 2 = %+v", s2)
	}
	chaintest.RequireEq(t, "slot 2 collateral", s2.Collateral, new(big.Int).Sub(collateral, slashed))

	// End: one period after the last challenged one and the finish grace, anyone settles.
	_, err = e.Client.M.FinishRequest(ctx, id)
	chaintest.RequireErr(t, "finish early", err, chain.ErrRequestNotEnded)
	e.MineToPeriod(t, period, start+3)
	_, err = e.Client.M.FinishRequest(ctx, id)
	chaintest.RequireErr(t, "finish within the grace", err, chain.ErrRequestNotEnded)
	e.MineToFinish(t, id)
	chaintest.Do(t, e.Reporter, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FinishRequest(ctx, id)
	})

	// Expected net gain of each actor, from the economics alone.
	escrow := req.Escrow()
	refund := new(big.Int).Sub(escrow, new(big.Int).Mul(price, big.NewInt(5)))
	refund.Add(refund, new(big.Int).Sub(slashed, reward))
	want := map[*chaintest.Actor]*big.Int{
		e.Client:       new(big.Int).Sub(refund, escrow),
		e.Reporter:     reward,
		e.Providers[0]: new(big.Int).Mul(price, big.NewInt(2)),
		e.Providers[1]: new(big.Int).Mul(price, big.NewInt(2)),
		e.Providers[2]: new(big.Int).Sub(price, slashed),
	}
	e.Settle(t, want)
}

// TestMissedProofsFreeSlot: a provider that never proves is reported each period,
// slashed each time, and loses the slot after MaxMissedProofs; another provider
// takes the slot over. No proof is needed, so this runs without the prover.
func TestMissedProofsFreeSlot(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{SlashPercentage: 20, RewardPercentage: 25, MaxMissedProofs: 2}, 2)
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	const period = 4
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name, Price: price}, nil)
		})
	}
	req := chain.Request{
		RootCID: []byte("root"), K: 1, M: 1, SlotRoots: [][32]byte{{1}, {2}}, Duration: 6, ProofPeriod: period,
		ProofProbability: 1, PricePerPeriod: price, Collateral: collateral,
	}
	_, _, err := e.Client.M.CreateRequest(ctx, chain.Request{RootCID: []byte("r"), K: 1, SlotRoots: [][32]byte{{0xff}}, Duration: 1, ProofPeriod: period, ProofProbability: 1})
	chaintest.RequireErr(t, "slot root outside the field", err, chain.ErrInvalidParams)
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, req)
		return tx, err
	})
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p0, p1 := e.Providers[0], e.Providers[1]
	_, err = p0.M.FillSlot(ctx, id, 0, nil)
	chaintest.RequireErr(t, "fill without collateral", err, chain.ErrInsufficientCollateral)
	chaintest.Do(t, p0, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 0, collateral)
	})
	filled := ri.StartPeriod - 1
	if s, _ := e.Client.M.Slot(ctx, id, 0); s.FilledPeriod > filled {
		filled = s.FilledPeriod
	}
	// p0 misses two periods: two reports, then the slot is free.
	slashed := new(big.Int).Div(new(big.Int).Mul(collateral, big.NewInt(20)), big.NewInt(100))
	reward := new(big.Int).Div(slashed, big.NewInt(4))
	for k := uint64(1); k <= 2; k++ {
		e.MineToPeriod(t, period, filled+k+1)
		chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.MarkProofAsMissing(ctx, id, 0, filled+k)
		})
	}
	s, err := e.Client.M.Slot(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Provider != (common.Address{}) {
		t.Fatalf("slot still held by %s after 2 misses", s.Provider)
	}
	_, err = p0.M.SubmitProof(ctx, id, 0, make([]byte, 256))
	chaintest.RequireErr(t, "proof from the evicted provider", err, chain.ErrNotSlotProvider)
	// p1 takes the slot over with collateral already deposited, and also misses once.
	chaintest.Do(t, p1, "deposit", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.Deposit(ctx, chaintest.Ether(3))
	})
	tx := chaintest.Do(t, p1, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FillSlot(ctx, id, 0, nil) })
	refilled := tx.Block / period
	e.MineToPeriod(t, period, refilled+2)
	chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.MarkProofAsMissing(ctx, id, 0, refilled+1)
	})
	_, err = e.Reporter.M.MarkProofAsMissing(ctx, id, 0, refilled)
	chaintest.RequireErr(t, "report a period before the fill", err, chain.ErrNotChallenged)

	e.MineToFinish(t, id)
	chaintest.Do(t, e.Client, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, id) })
	_, err = e.Reporter.M.MarkProofAsMissing(ctx, id, 0, refilled+2)
	chaintest.RequireErr(t, "report after the end", err, chain.ErrRequestFinished)

	// p0 lost its whole collateral (two slashes, the rest forfeited on eviction),
	// p1 one slash but earned the repair reward for refilling the freed slot; the
	// reporter earned three rewards; the client got its whole escrow back (nothing
	// proven) plus what was slashed beyond the rewards.
	rewards := new(big.Int).Mul(reward, big.NewInt(3))
	repair := new(big.Int).Div(new(big.Int).Mul(collateral, big.NewInt(chain.RepairRewardPercentage)), big.NewInt(100))
	lost := new(big.Int).Add(collateral, slashed)
	want := map[*chaintest.Actor]*big.Int{
		e.Reporter: rewards,
		p0:         new(big.Int).Neg(collateral),
		p1:         new(big.Int).Sub(repair, slashed),
		e.Client:   new(big.Int).Sub(new(big.Int).Sub(lost, rewards), repair),
	}
	e.Settle(t, want)
}

// TestSimJSONRPC serves the embedded chain on 127.0.0.1 and uses it from an
// ethclient, as the devnet's node processes do.
func TestSimJSONRPC(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sim, err := simchain.New(simchain.Config{RPCAddr: "127.0.0.1:0", BlockInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sim.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })

	rpc, err := chain.Dial(ctx, sim.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()

	dir := t.TempDir()
	keyPath := filepath.Join(dir, "faucet.key")
	if err := chain.SaveKey(keyPath, sim.Faucet()); err != nil {
		t.Fatal(err)
	}
	if err := chain.SaveKey(keyPath, sim.Faucet()); err == nil {
		t.Fatal("SaveKey overwrote a key file")
	}
	key, err := chain.LoadKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if chain.Address(key) != chain.Address(sim.Faucet()) {
		t.Fatal("key changed on the way through its file")
	}
	os.WriteFile(filepath.Join(dir, "bad.key"), []byte("0xnothex"), 0o600)
	if _, err := chain.LoadKey(filepath.Join(dir, "bad.key")); err == nil {
		t.Fatal("LoadKey accepted a bad key file")
	}

	to := crypto.PubkeyToAddress(mustKey(t).PublicKey)
	tx, err := chain.Transfer(ctx, rpc, key, to, chaintest.Ether(3))
	if err != nil {
		t.Fatal(err)
	}
	if tx.GasUsed != 21000 {
		t.Fatalf("transfer used %d gas", tx.GasUsed)
	}
	got, err := rpc.BalanceAt(ctx, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "balance over JSON-RPC", got, chaintest.Ether(3))

	dep, err := chain.Deploy(ctx, rpc, key, chain.DeployConfig{})
	if err != nil {
		t.Fatalf("deploy over JSON-RPC: %v", err)
	}
	m, err := chain.NewMarket(ctx, rpc, dep.Marketplace, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooWrpc"}, chaintest.Ether(1)); err != nil {
		t.Fatal(err)
	}
	head, err := rpc.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := m.Events(ctx, dep.Block, head)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Name != "ProviderRegistered" || evs[1].Name != "Deposited" {
		t.Fatalf("events over JSON-RPC = %+v", evs)
	}
	// A header read over JSON-RPC hashes to its block's hash on chain: the entropy of a
	// period (the RANDAO value of its first block) is read and recorded over JSON-RPC.
	p := head/4 - 1
	e, err := m.PeriodEntropy(ctx, 4, p)
	if err != nil {
		t.Fatalf("period entropy over JSON-RPC: %v", err)
	}
	if _, err := m.RecordEntropy(ctx, 4, p); err != nil {
		t.Fatalf("record the entropy over JSON-RPC: %v", err)
	}
	if rec, ok, err := m.RecordedEntropy(ctx, 4, p); err != nil || !ok || rec != e {
		t.Fatalf("recorded entropy %x, %v, %v; read %x", rec, ok, err, e)
	}
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestMain prints the gas of every call the tests made (go test -v ./chain/).
func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		used := chaintest.Gas.Snapshot()
		names := make([]string, 0, len(used))
		for n := range used {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Println("gas per call (min / max over the tests):")
		for _, n := range names {
			v := used[n]
			fmt.Printf("  %-20s %8d / %8d  (%d calls)\n", n, slices.Min(v), slices.Max(v), len(v))
		}
	}
	os.Exit(code)
}

// TestFillRules: designated hosts, one slot per provider and request, no fill
// once nothing is left to prove, registered providers only.
func TestFillRules(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 2)
	p0, p1 := e.Providers[0], e.Providers[1]
	_, err := p0.M.FillSlot(ctx, chain.RequestID{1}, 0, nil)
	chaintest.RequireErr(t, "fill an unknown request", err, chain.ErrUnknownRequest)
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(10))
		})
	}
	const period = 4
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, chain.Request{
			RootCID: []byte("root"), K: 1, M: 1, SlotRoots: [][32]byte{{1}, {2}}, Hosts: []common.Address{p1.Addr, {}},
			Duration: 2, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: chaintest.Gwei(1), Collateral: chaintest.Ether(1),
		})
		return tx, err
	})
	_, err = e.Client.M.FillSlot(ctx, id, 1, chaintest.Ether(1))
	chaintest.RequireErr(t, "fill by an unregistered account", err, chain.ErrNotRegistered)
	_, err = p0.M.FillSlot(ctx, id, 0, nil)
	chaintest.RequireErr(t, "fill a slot reserved for another host", err, chain.ErrNotHost)
	_, err = p0.M.FillSlot(ctx, id, 2, nil)
	chaintest.RequireErr(t, "fill a slot that does not exist", err, chain.ErrBadSlot)
	chaintest.Do(t, p1, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FillSlot(ctx, id, 0, nil) })
	_, err = p1.M.FillSlot(ctx, id, 1, nil)
	chaintest.RequireErr(t, "a second slot of the same request", err, chain.ErrAlreadyHoldsSlot)
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	e.MineToPeriod(t, period, ri.EndPeriod-1)
	_, err = p0.M.FillSlot(ctx, id, 1, nil)
	chaintest.RequireErr(t, "fill in the last period", err, chain.ErrTooLate)
	_, _, err = e.Client.M.CreateRequest(ctx, chain.Request{RootCID: []byte("r"), K: 1, SlotRoots: [][32]byte{{1}}, Duration: 1, ProofPeriod: 1000, ProofProbability: 1})
	chaintest.RequireErr(t, "a period longer than the block hash window", err, chain.ErrInvalidParams)
}

// TestFreedSlotLosesItsHost: a slot reserved for a host that stops proving is freed after
// MaxMissedProofs reports, and the reservation goes with it: before, another registered
// provider cannot fill the slot (NotHost); after, it takes the slot over. Balances add up.
func TestFreedSlotLosesItsHost(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 2) // 10% slash, 10% reward, 3 misses
	host, other := e.Providers[0], e.Providers[1]
	for _, p := range e.Providers {
		chaintest.Do(t, p, "registerProvider", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.RegisterProvider(ctx, chain.ProviderInfo{PeerID: "12D3KooW" + p.Name}, chaintest.Ether(2))
		})
	}
	const period, misses = 8, 3
	price, collateral := chaintest.Gwei(1_000_000), chaintest.Ether(1)
	req := chain.Request{
		RootCID: []byte("root"), K: 1, M: 1, SlotRoots: [][32]byte{{1}, {2}}, Hosts: []common.Address{host.Addr, {}},
		Duration: 8, ProofPeriod: period, ProofProbability: 1, PricePerPeriod: price, Collateral: collateral,
	}
	var id chain.RequestID
	chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
		id, tx, err = m.CreateRequest(ctx, req)
		return tx, err
	})
	tx := chaintest.Do(t, host, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 0, nil)
	})
	filled := tx.Block / period
	_, err := other.M.FillSlot(ctx, id, 0, nil)
	chaintest.RequireErr(t, "fill a slot reserved for the host that holds it", err, chain.ErrNotHost)

	// The host never proves: reported every period, freed at the third report.
	var freeing chain.Tx
	for k := uint64(1); k <= misses; k++ {
		if k < misses { // the reservation stands until the slot is freed
			_, err = other.M.FillSlot(ctx, id, 0, nil)
			chaintest.RequireErr(t, fmt.Sprintf("fill by another provider after %d misses", k-1), err, chain.ErrNotHost)
		}
		e.MineToPeriod(t, period, filled+k+1)
		freeing = chaintest.Do(t, e.Reporter, "markProofAsMissing", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.MarkProofAsMissing(ctx, id, 0, filled+k)
		})
	}
	var freed *chain.SlotFreed
	for _, ev := range e.Reporter.M.TxEvents(freeing) {
		if d, ok := ev.Data.(*chain.SlotFreed); ok {
			freed = d
		}
	}
	if freed == nil || freed.Provider != host.Addr || freed.SlotIndex.Uint64() != 0 {
		t.Fatalf("no SlotFreed for the host in the third report's events: %+v", e.Reporter.M.TxEvents(freeing))
	}
	t.Logf("markProofAsMissing that frees a reserved slot: %d gas", freeing.GasUsed)
	ri, err := e.Client.M.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ri.Hosts[0] != (common.Address{}) || ri.Hosts[1] != (common.Address{}) {
		t.Fatalf("hosts after the eviction = %v, want none", ri.Hosts)
	}

	// Another provider takes the slot over; the evicted host cannot come back.
	chaintest.Do(t, other, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 0, nil)
	})
	s, err := e.Client.M.Slot(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Provider != other.Addr || s.Missed != 0 {
		t.Fatalf("slot 0 after the take-over = %+v", s)
	}
	chaintest.Do(t, host, "fillSlot", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
		return m.FillSlot(ctx, id, 1, nil) // the other, open slot: the eviction let go of its hold on the request
	})

	e.MineToFinish(t, id)
	chaintest.Do(t, e.Client, "finishRequest", func(ctx context.Context, m *chain.Market) (chain.Tx, error) { return m.FinishRequest(ctx, id) })
	// The host lost the collateral of slot 0 (three slashes, the rest forfeited) and got
	// slot 1's back unslashed (nobody reported it); the reporter earned three rewards;
	// nothing was proven, so the client got its escrow back and the collateral beyond
	// the rewards.
	// The other provider earned the repair reward for refilling the freed slot.
	slashed := new(big.Int).Div(collateral, big.NewInt(10))
	rewards := new(big.Int).Mul(new(big.Int).Div(slashed, big.NewInt(10)), big.NewInt(misses))
	repair := new(big.Int).Div(new(big.Int).Mul(collateral, big.NewInt(chain.RepairRewardPercentage)), big.NewInt(100))
	e.Settle(t, map[*chaintest.Actor]*big.Int{
		host:       new(big.Int).Neg(collateral),
		e.Reporter: rewards,
		other:      repair,
		e.Client:   new(big.Int).Sub(new(big.Int).Sub(collateral, rewards), repair),
	})
}

// TestRequestManifest: the manifest CID a client gives createRequest is stored with the request,
// carried by its RequestCreated event, and listed by ManifestsByRoot, newest request first and
// for that root only.
func TestRequestManifest(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	create := func(root, manifest string) chain.RequestID {
		var id chain.RequestID
		chaintest.Do(t, e.Client, "createRequest", func(ctx context.Context, m *chain.Market) (tx chain.Tx, err error) {
			id, tx, err = m.CreateRequest(ctx, chain.Request{
				RootCID: []byte(root), ManifestCID: []byte(manifest), K: 1, SlotRoots: [][32]byte{{1}},
				Duration: 1, ProofPeriod: 4, ProofProbability: 1,
			})
			if err == nil {
				evs := m.TxEvents(tx)
				if rc, ok := evs[0].Data.(*chain.RequestCreated); !ok || string(rc.ManifestCid) != manifest {
					t.Fatalf("RequestCreated events = %+v", evs)
				}
			}
			return tx, err
		})
		return id
	}
	first := create("root", "manifest-1")
	create("other root", "manifest-x")
	second := create("root", "manifest-2")
	ri, err := e.Client.M.Request(ctx, first)
	if err != nil || string(ri.ManifestCID) != "manifest-1" {
		t.Fatalf("request read back with manifest %q, %v", ri.ManifestCID, err)
	}
	got, err := e.Client.M.ManifestsByRoot(ctx, 0, []byte("root"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Request != second || string(got[0].ManifestCID) != "manifest-2" ||
		got[1].Request != first || string(got[1].ManifestCID) != "manifest-1" || got[0].Block <= got[1].Block {
		t.Fatalf("ManifestsByRoot = %+v", got)
	}
	_, _, err = e.Client.M.CreateRequest(ctx, chain.Request{
		RootCID: []byte("root"), ManifestCID: make([]byte, 129), K: 1, SlotRoots: [][32]byte{{1}},
		Duration: 1, ProofPeriod: 4, ProofProbability: 1,
	})
	chaintest.RequireErr(t, "a manifest CID of 129 bytes", err, chain.ErrInvalidParams)
}
