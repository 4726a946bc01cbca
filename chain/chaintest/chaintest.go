// Package chaintest sets up the real embedded chain for tests: a simulated
// go-ethereum chain that mines on every transaction, the contracts deployed,
// funded accounts with their market clients, and the devnet prover whose keys
// match the committed Solidity verifier.
package chaintest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/prover/field"
)

// Ether returns n ether in wei.
func Ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// Gwei returns n gwei in wei.
func Gwei(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }

// Actor is one funded account with its market client and the fees it paid.
type Actor struct {
	Name string
	Key  *ecdsa.PrivateKey
	Addr common.Address
	M    *chain.Market
	Fees *big.Int
}

// Env is a fresh embedded chain with the contracts deployed and funded actors.
type Env struct {
	Sim       *simchain.Chain
	Dep       chain.Deployment
	Client    *Actor
	Reporter  *Actor
	Providers []*Actor
	Funding   *big.Int // each actor's starting ether
}

// New starts a chain that mines on every transaction, deploys the contracts with
// cfg and funds a client, a reporter and n providers with 1000 ether each.
func New(t testing.TB, cfg chain.DeployConfig, n int) *Env {
	t.Helper()
	sim, err := simchain.New(simchain.Config{AutoMine: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dep, err := chain.Deploy(context.Background(), sim.Client(), sim.Faucet(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range dep.Gas {
		Gas.add("deploy "+name, g)
	}
	e := &Env{Sim: sim, Dep: dep, Funding: Ether(1000)}
	e.Client = e.NewActor(t, "client")
	e.Reporter = e.NewActor(t, "reporter")
	for i := range n {
		e.Providers = append(e.Providers, e.NewActor(t, fmt.Sprintf("provider%d", i)))
	}
	return e
}

// NewActor funds a new account and binds a market client to it.
func (e *Env) NewActor(t testing.TB, name string) *Actor {
	t.Helper()
	ctx := context.Background()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Sim.Fund(ctx, e.Funding, chain.Address(key)); err != nil {
		t.Fatal(err)
	}
	e.Sim.Mine(1) // the funding settled: a first estimate right after it saw no balance now and then
	m, err := chain.NewMarket(ctx, e.Sim.Client(), e.Dep.Marketplace, key)
	if err != nil {
		t.Fatal(err)
	}
	return &Actor{Name: name, Key: key, Addr: chain.Address(key), M: m, Fees: new(big.Int)}
}

// Actors are the client, the reporter and the providers.
func (e *Env) Actors() []*Actor { return append([]*Actor{e.Client, e.Reporter}, e.Providers...) }

// GasLog records the gas of every call by name.
type GasLog struct {
	mu   sync.Mutex
	Used map[string][]uint64
}

// Gas is the log Do writes to.
var Gas = &GasLog{Used: map[string][]uint64{}}

func (g *GasLog) add(name string, v uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Used[name] = append(g.Used[name], v)
}

// Snapshot copies the log.
func (g *GasLog) Snapshot() map[string][]uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string][]uint64, len(g.Used))
	for k, v := range g.Used {
		out[k] = append([]uint64(nil), v...)
	}
	return out
}

// Do runs a transaction of a, charging its fee to a and logging its gas; it
// fails the test on error.
func Do(t testing.TB, a *Actor, name string, f func(ctx context.Context, m *chain.Market) (chain.Tx, error)) chain.Tx {
	t.Helper()
	tx, err := f(context.Background(), a.M)
	if tx.Fee != nil {
		a.Fees.Add(a.Fees, tx.Fee)
	}
	if err != nil {
		t.Fatalf("%s by %s: %v", name, a.Name, err)
	}
	Gas.add(name, tx.GasUsed)
	return tx
}

// MineTo mines empty blocks until the head is at least block n.
func (e *Env) MineTo(t testing.TB, n uint64) {
	t.Helper()
	head, err := e.Sim.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if head < n {
		e.Sim.Mine(int(n - head))
	}
}

// MineToPeriod mines until the head is the second block of period p: the first in which
// the period's entropy is final (it is the RANDAO value of the period's first block).
func (e *Env) MineToPeriod(t testing.TB, proofPeriod, p uint64) {
	t.Helper()
	e.MineTo(t, p*proofPeriod+1)
}

// MineToNextPeriod mines to the start of the next period, so that a request created now and its
// fills land in one period however many blocks came before (a slot is not challenged in the
// period it is filled).
func (e *Env) MineToNextPeriod(t testing.TB, proofPeriod uint64) {
	t.Helper()
	head, err := e.Sim.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.MineToPeriod(t, proofPeriod, head/proofPeriod+1)
}

// MineToFinish mines until finishRequest accepts the request (its FinishBlock).
func (e *Env) MineToFinish(t testing.TB, id chain.RequestID) {
	t.Helper()
	b, err := e.Client.M.FinishBlock(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	e.MineTo(t, b)
}

// EtherBalance is an account's ether on chain.
func (e *Env) EtherBalance(t testing.TB, a common.Address) *big.Int {
	t.Helper()
	b, err := e.Sim.Client().BalanceAt(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Slot is the content of one test slot and its commitment.
type Slot struct {
	Data prover.BytesSlot
	Tree *prover.Tree
}

// Slots makes n random slots of size bytes, committed with the devnet parameters.
func Slots(t testing.TB, n, size int) []Slot {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), uint64(size)))
	out := make([]Slot, n)
	for i := range out {
		b := make([]byte, size)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		tree, err := prover.Commit(context.Background(), prover.BytesSlot(b), prover.DevnetParams)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Slot{Data: b, Tree: tree}
	}
	return out
}

var (
	keysOnce sync.Once
	keys     *prover.Keys
	keysErr  error
)

// DevnetKeys are the devnet keys, those of the committed Solidity verifier (set up
// once per machine and cached by package prover).
func DevnetKeys(t testing.TB) *prover.Keys {
	t.Helper()
	keysOnce.Do(func() { keys, keysErr = prover.LoadOrSetup(context.Background(), prover.DevnetParams) })
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keys
}

// Prove answers the current challenge of a slot held by a with the real prover,
// checking on the way that the chain's challenge is prover.Challenge's.
func Prove(t testing.TB, a *Actor, id chain.RequestID, slot uint64, s Slot) (chain.Challenge, []byte) {
	t.Helper()
	ctx := context.Background()
	ch, err := a.M.Challenge(ctx, id, slot)
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Required {
		t.Fatalf("slot %d not challenged in period %d", slot, ch.Period)
	}
	want := prover.Challenge(ch.Entropy, id, slot, a.Addr)
	var got field.Element
	got.SetBigInt(ch.Value)
	if !got.Equal(&want) {
		t.Fatalf("chain challenge %s differs from prover.Challenge %s", ch.Value, want.String())
	}
	proof, err := prover.NewProver(DevnetKeys(t)).Prove(ctx, s.Data, s.Tree, want)
	if err != nil {
		t.Fatal(err)
	}
	return ch, proof.Solidity()
}

// RequireEq fails unless got == want.
func RequireEq(t testing.TB, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s (off by %s)", what, got, want, new(big.Int).Sub(got, want))
	}
}

// RequireErr fails unless errors.Is(err, want).
func RequireErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

// Settle withdraws everyone's balance and checks that each actor's ether moved
// by exactly its expected gain (want, nil = 0) minus the fees it paid, that the
// gains sum to zero and that the marketplace holds no ether.
func (e *Env) Settle(t testing.TB, want map[*Actor]*big.Int) {
	t.Helper()
	total := new(big.Int)
	for _, a := range e.Actors() {
		Do(t, a, "withdraw", func(ctx context.Context, m *chain.Market) (chain.Tx, error) {
			return m.Withdraw(ctx)
		})
		got := new(big.Int).Sub(e.EtherBalance(t, a.Addr), e.Funding)
		got.Add(got, a.Fees)
		w := want[a]
		if w == nil {
			w = new(big.Int)
		}
		RequireEq(t, a.Name+" net gain", got, w)
		total.Add(total, w)
	}
	RequireEq(t, "sum of gains", total, new(big.Int))
	RequireEq(t, "marketplace ether", e.EtherBalance(t, e.Dep.Marketplace), new(big.Int))
}

// Record logs the gas of a call made without Do.
func (g *GasLog) Record(name string, v uint64) { g.add(name, v) }
