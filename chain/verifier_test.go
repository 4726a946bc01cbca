package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/prover"
)

// TestCheckVerifier: the deployed verifier holds every constant of the devnet key it was
// generated from; a key with one constant changed, or a contract that is no verifier (the
// marketplace), is refused. The embedded chain is a devnet; the same chain with another ID is not.
func TestCheckVerifier(t *testing.T) {
	ctx := context.Background()
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	keys := chaintest.DevnetKeys(t)
	if !prover.IsDevKey(keys.VK, prover.DevnetParams) {
		t.Fatal("the devnet key is not recognized as the devnet key")
	}
	consts, err := prover.VerifierConstants(keys.VK, prover.DevnetParams)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Client.M.CheckMarketVerifier(ctx, consts); err != nil {
		t.Fatalf("the devnet verifier against the devnet key: %v", err)
	}
	other := map[string]*big.Int{}
	for k, v := range consts {
		other[k] = v
	}
	other["DELTA_NEG_X_0"] = new(big.Int).Add(consts["DELTA_NEG_X_0"], big.NewInt(1))
	chaintest.RequireErr(t, "a key with another delta", e.Client.M.CheckMarketVerifier(ctx, other), chain.ErrVerifierMismatch)
	chaintest.RequireErr(t, "the marketplace as verifier", chain.CheckVerifier(ctx, e.Sim.Client(), e.Dep.Marketplace, consts), chain.ErrVerifierMismatch)

	id, err := e.Sim.Client().ChainID(ctx)
	if err != nil || !chain.IsDevnet(id) {
		t.Fatalf("the embedded chain's id %v (%v) is not a devnet's", id, err)
	}
	real, err := simchain.New(simchain.Config{ChainID: big.NewInt(8453), AutoMine: true})
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	if id, err := real.Client().ChainID(ctx); err != nil || id.Int64() != 8453 || chain.IsDevnet(id) {
		t.Fatalf("chain with id 8453: %v, %v", id, err)
	}
	if _, err := chain.Deploy(ctx, real.Client(), real.Faucet(), chain.DeployConfig{}); err != nil {
		t.Fatalf("deploy on chain 8453: %v", err)
	}
}
