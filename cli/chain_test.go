package cli

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/devnet"
)

// startRPCChain runs the embedded chain behind JSON-RPC on 127.0.0.1, mining every 100 ms,
// with a funded key saved in dir; it returns the RPC URL and the key file.
func startRPCChain(t *testing.T, dir string) (string, string) {
	t.Helper()
	return startRPCChainID(t, dir, nil)
}

// startRPCChainID is startRPCChain with a chain ID other than the embedded chain's (nil: 1337).
func startRPCChainID(t *testing.T, dir string, id *big.Int) (string, string) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "deployer.key")
	if err := chain.SaveKey(keyFile, key); err != nil {
		t.Fatal(err)
	}
	sim, err := simchain.New(simchain.Config{
		Alloc:         map[common.Address]*big.Int{chain.Address(key): devnet.Funds},
		BlockInterval: 100 * time.Millisecond,
		RPCAddr:       "127.0.0.1:0",
		ChainID:       id,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sim.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		sim.Close()
	})
	return sim.RPCURL(), keyFile
}

// TestChainDeployAndAuditOverRPC deploys with `dstore chain deploy` to a JSON-RPC endpoint and
// audits the empty market through the endpoint file it wrote and through --rpc/--market.
func TestChainDeployAndAuditOverRPC(t *testing.T) {
	// audit verifies with the devnet keys: on a fresh machine, set them up first (about 30 s).
	if err := devnet.EnsureKeys(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	url, keyFile := startRPCChain(t, dir)
	home := filepath.Join(dir, "home")

	code, out, errOut := dstore(t, "--home", home, "chain", "deploy", "--rpc", url, "--key", keyFile, "--json")
	if code != 0 {
		t.Fatalf("deploy: exit %d: %s", code, errOut)
	}
	var ep chain.Endpoint
	if err := json.Unmarshal([]byte(out), &ep); err != nil {
		t.Fatalf("deploy --json: %v\n%s", err, out)
	}
	written, err := chain.ReadEndpoint(filepath.Join(home, chain.EndpointFile))
	if err != nil || written.Marketplace != ep.Marketplace || written.RPC != url {
		t.Fatalf("endpoint file %+v (%v), want %s at %s", written, err, ep.Marketplace, url)
	}
	if ep.Gas["Groth16Verifier"] == 0 || ep.Gas["Marketplace"] == 0 {
		t.Fatalf("deployment gas not reported: %v", ep.Gas)
	}

	for _, args := range [][]string{
		{"--home", home, "audit", "--json"},
		{"--home", t.TempDir(), "audit", "--json", "--rpc", url, "--market", ep.Marketplace.Hex()},
	} {
		code, out, errOut = dstore(t, args...)
		if code != 0 {
			t.Fatalf("audit %v: exit %d: %s", args, code, errOut)
		}
		var r struct {
			Head     uint64            `json:"head"`
			Requests []json.RawMessage `json:"requests"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.Head == 0 || len(r.Requests) != 0 {
			t.Fatalf("audit %v: %+v (%v)\n%s", args, r, err, out)
		}
	}

	// An account without ether cannot deploy: one clear sentence, exit 1.
	poor := filepath.Join(dir, "poor.key")
	if _, err := chain.LoadOrCreateKey(poor); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = dstore(t, "--home", t.TempDir(), "chain", "deploy", "--rpc", url, "--key", poor)
	if code != 1 || !strings.Contains(errOut, "funds") {
		t.Fatalf("deploy from an empty account: exit %d: %q", code, errOut)
	}
}

// TestRealChainRefusesDevnetKeys: on a chain whose ID is not a devnet's (8453 here), `chain
// deploy` refuses to deploy the bundled verifier of the public devnet keys, `audit` and `node
// run --chain` refuse to start on them; --insecure-devnet-keys lets each through. A marketplace
// whose verifier is not the key's (here: another contract) is refused at start even then.
func TestRealChainRefusesDevnetKeys(t *testing.T) {
	if err := devnet.EnsureKeys(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	url, keyFile := startRPCChainID(t, dir, big.NewInt(8453))
	home := filepath.Join(dir, "home")

	code, _, errOut := dstore(t, "--home", home, "chain", "deploy", "--rpc", url, "--key", keyFile)
	if code != 1 || !strings.Contains(errOut, "chain 8453 is not a devnet") || !strings.Contains(errOut, "--insecure-devnet-keys") {
		t.Fatalf("deploy of the devnet verifier on chain 8453: exit %d: %q", code, errOut)
	}
	code, out, errOut := dstore(t, "--home", home, "chain", "deploy", "--rpc", url, "--key", keyFile, "--insecure-devnet-keys", "--json")
	if code != 0 {
		t.Fatalf("deploy --insecure-devnet-keys: exit %d: %s", code, errOut)
	}
	var ep chain.Endpoint
	if err := json.Unmarshal([]byte(out), &ep); err != nil {
		t.Fatal(err)
	}

	code, _, errOut = dstore(t, "--home", home, "audit")
	if code != 1 || !strings.Contains(errOut, "public devnet Groth16 keys") {
		t.Fatalf("audit on chain 8453 with the devnet keys: exit %d: %q", code, errOut)
	}
	if code, _, errOut = dstore(t, "--home", home, "audit", "--insecure-devnet-keys"); code != 0 {
		t.Fatalf("audit --insecure-devnet-keys: exit %d: %s", code, errOut)
	}
	repo := filepath.Join(dir, "node")
	code, _, errOut = dstore(t, "node", "run", "--repo", repo, "--chain", filepath.Join(home, chain.EndpointFile))
	if code != 1 || !strings.Contains(errOut, "public devnet Groth16 keys") {
		t.Fatalf("node run on chain 8453 with the devnet keys: exit %d: %q", code, errOut)
	}

	// A marketplace whose "verifier" is the first marketplace: refused at start, whatever the flags.
	b, err := chain.Dial(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	key, err := chain.LoadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := chain.Deploy(t.Context(), b, key, chain.DeployConfig{Verifier: ep.Marketplace})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = dstore(t, "--home", t.TempDir(), "audit", "--insecure-devnet-keys", "--rpc", url, "--market", bad.Marketplace.Hex())
	if code != 1 || !strings.Contains(errOut, "is not the verifier of the key") {
		t.Fatalf("audit of a market with a foreign verifier: exit %d: %q", code, errOut)
	}
	code, _, errOut = dstore(t, "--home", t.TempDir(), "chain", "deploy", "--rpc", url, "--key", keyFile, "--insecure-devnet-keys", "--verifier", ep.Marketplace.Hex())
	if code != 1 || !strings.Contains(errOut, "is not the verifier of the key") {
		t.Fatalf("deploy with a foreign --verifier: exit %d: %q", code, errOut)
	}
}
