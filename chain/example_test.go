package chain_test

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
)

// The devnet side: start the embedded chain with JSON-RPC for the node processes,
// fund accounts, deploy, write HOME/chain.json. Then a provider registers, a client
// creates a request (what `dstore put` does once the slot roots are known) and the
// provider fills its slot.
func Example() {
	ctx := context.Background()
	sim, err := simchain.New(simchain.Config{RPCAddr: "127.0.0.1:0", BlockInterval: time.Second, AutoMine: true})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go sim.Run(runCtx) // a block a second: periods advance even when idle

	dep, err := chain.Deploy(ctx, sim.Client(), sim.Faucet(), chain.DeployConfig{})
	if err != nil {
		log.Fatal(err)
	}
	home, _ := os.MkdirTemp("", "dstore-home")
	defer os.RemoveAll(home)
	if err := (chain.Endpoint{RPC: sim.RPCURL(), Deployment: dep}).Write(filepath.Join(home, chain.EndpointFile)); err != nil {
		log.Fatal(err)
	}

	// Node and client keys, funded from the faucet (a node would LoadOrCreateKey in its repo).
	nodeKey, _ := crypto.GenerateKey()
	clientKey, _ := crypto.GenerateKey()
	ether := big.NewInt(1e18)
	if err := sim.Fund(ctx, new(big.Int).Mul(ether, big.NewInt(100)), chain.Address(nodeKey), chain.Address(clientKey)); err != nil {
		log.Fatal(err)
	}

	// A node process would chain.Dial(ctx, endpoint.RPC) instead of sim.Client().
	node, _ := chain.NewMarket(ctx, sim.Client(), dep.Marketplace, nodeKey)
	client, _ := chain.NewMarket(ctx, sim.Client(), dep.Marketplace, clientKey)
	if _, err := node.RegisterProvider(ctx, chain.ProviderInfo{
		PeerID: "12D3KooWExample", Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}, Price: big.NewInt(1e9),
	}, ether); err != nil {
		log.Fatal(err)
	}

	var root fr.Element // the slot's Poseidon2 root: prover.Commit(...).RootBytes()
	root.SetUint64(42)
	id, _, err := client.CreateRequest(ctx, chain.Request{
		RootCID: []byte("root CID bytes"), ManifestCID: []byte("manifest CID bytes"), Size: 1 << 20,
		K: 1, M: 0, SlotRoots: [][32]byte{root.Bytes()},
		Duration: 100, ProofPeriod: 10, ProofProbability: 1,
		PricePerPeriod: big.NewInt(1e12), Collateral: new(big.Int).Div(ether, big.NewInt(10)),
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := node.FillSlot(ctx, id, 0, nil); err != nil {
		log.Fatal(err)
	}
	slot, _ := client.Slot(ctx, id, 0)
	fmt.Println("slot 0 held by the node:", slot.Provider == chain.Address(nodeKey))
	// Output: slot 0 held by the node: true
}
