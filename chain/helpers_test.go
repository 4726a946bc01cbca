package chain_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
)

var ether = big.NewInt(1e18)

func eth(n int64) *big.Int  { return new(big.Int).Mul(big.NewInt(n), ether) }
func gwei(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }

// actor is one account with its market client and the fees it paid.
type actor struct {
	name string
	key  *ecdsa.PrivateKey
	addr common.Address
	m    *chain.Market
	fees *big.Int
}

// env is a fresh embedded chain with the contracts deployed and funded actors.
type env struct {
	sim       *chain.Sim
	dep       chain.Deployment
	client    *actor
	reporter  *actor
	providers []*actor
	funding   *big.Int // each actor's starting ether
}

func newEnv(t testing.TB, cfg chain.DeployConfig, providers int) *env {
	t.Helper()
	ctx := context.Background()
	sim, err := chain.NewSim(chain.SimConfig{AutoMine: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dep, err := chain.Deploy(ctx, sim.Client(), sim.Faucet(), cfg)
	if errors.Is(err, chain.ErrNoVerifier) {
		t.Skip("Groth16Verifier.sol not generated yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sim: sim, dep: dep, funding: eth(1000)}
	newActor := func(name string) *actor {
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Fund(ctx, e.funding, chain.Address(key)); err != nil {
			t.Fatal(err)
		}
		m, err := chain.NewMarket(ctx, sim.Client(), dep.Marketplace, key)
		if err != nil {
			t.Fatal(err)
		}
		return &actor{name: name, key: key, addr: chain.Address(key), m: m, fees: new(big.Int)}
	}
	e.client = newActor("client")
	e.reporter = newActor("reporter")
	for i := range providers {
		e.providers = append(e.providers, newActor("provider"+string(rune('0'+i))))
	}
	return e
}

func (e *env) actors() []*actor { return append([]*actor{e.client, e.reporter}, e.providers...) }

// gasLog records the gas of every call, for TestGasReport and docs/chain.md.
type gasLog struct {
	mu   sync.Mutex
	used map[string][]uint64
}

var gas = &gasLog{used: map[string][]uint64{}}

func (g *gasLog) add(name string, v uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.used[name] = append(g.used[name], v)
}

// do runs a transaction of a, charging its fee to a and recording its gas.
func do(t testing.TB, a *actor, name string, f func(ctx context.Context, m *chain.Market) (chain.Tx, error)) chain.Tx {
	t.Helper()
	tx, err := f(context.Background(), a.m)
	if tx.Fee != nil {
		a.fees.Add(a.fees, tx.Fee)
	}
	if err != nil {
		t.Fatalf("%s by %s: %v", name, a.name, err)
	}
	gas.add(name, tx.GasUsed)
	return tx
}

// mineTo mines empty blocks until the head is at least block n.
func (e *env) mineTo(t testing.TB, n uint64) {
	t.Helper()
	head, err := e.sim.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if head < n {
		e.sim.Mine(int(n - head))
	}
}

// mineToPeriod mines until the head is the first block of period p.
func (e *env) mineToPeriod(t testing.TB, proofPeriod, p uint64) {
	t.Helper()
	e.mineTo(t, p*proofPeriod)
}

// etherBalance is an account's ether on chain.
func (e *env) etherBalance(t testing.TB, a common.Address) *big.Int {
	t.Helper()
	b, err := e.sim.Client().BalanceAt(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) inContract(t testing.TB, a common.Address) *big.Int {
	t.Helper()
	b, err := e.client.m.Balance(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func requireEq(t testing.TB, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s (off by %s)", what, got, want, new(big.Int).Sub(got, want))
	}
}

func requireErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}
