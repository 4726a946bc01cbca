package deals_test

import (
	"context"
	"fmt"
	"log"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/prover"
)

// A node joins the market: what `dstore node run --chain HOME/chain.json` does.
func Example() {
	ctx := context.Background()
	ep, err := chain.ReadEndpoint("HOME/chain.json")
	if err != nil {
		log.Fatal(err)
	}
	key, err := chain.LoadOrCreateKey("REPO/eth.key") // funded by the devnet
	if err != nil {
		log.Fatal(err)
	}
	n, err := node.New(node.Config{Repo: "REPO", Account: chain.Address(key)})
	if err != nil {
		log.Fatal(err)
	}
	defer n.Close()
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		log.Fatal(err)
	}
	market, err := chain.NewMarket(ctx, b, ep.Marketplace, key)
	if err != nil {
		log.Fatal(err)
	}
	svc, err := deals.New(deals.Config{
		Node: n, Market: market, FromBlock: ep.Block, Price: big.NewInt(1e9),
		Keys: func(ctx context.Context) (*prover.Keys, error) { return prover.LoadOrSetup(ctx, n.Proofs()) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close() // before the node: reverse order of start
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return n.Run(ctx) })
	g.Go(func() error { return svc.Run(ctx) })

	// Meanwhile: what the node holds on chain and how its proofs go.
	for _, s := range svc.Slots() {
		fmt.Println(s.Request, s.Slot, s.State, s.Proofs, s.LastGas, s.LastError)
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
}

// The node side: one proving loop answers every challenge of the slots the node
// holds, with the prover over the slot's bytes and the tree it keeps.
func ExampleRunProvingLoop() {
	ctx := context.Background()
	ep, err := chain.ReadEndpoint("HOME/chain.json")
	if err != nil {
		log.Fatal(err)
	}
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		log.Fatal(err)
	}
	key, _ := chain.LoadOrCreateKey("REPO/chain.key")
	market, _ := chain.NewMarket(ctx, b, ep.Marketplace, key)

	keys, _ := prover.LoadOrSetup(ctx, prover.DevnetParams)
	pr := prover.NewProver(keys)
	var slotData prover.Slot  // the node's shard, read from badger
	var tree *prover.Tree     // its Poseidon2 tree, built in the background
	held := []chain.SlotRef{} // filled by market.FillSlot when the node took the slot

	_ = deals.RunProvingLoop(ctx, deals.ProvingLoopConfig{
		Market: market,
		Slots:  func() []chain.SlotRef { return held },
		Prove: func(ctx context.Context, id chain.RequestID, slot uint64, c fr.Element) ([]byte, error) {
			proof, err := pr.Prove(ctx, slotData, tree, c)
			if err != nil {
				return nil, err
			}
			return proof.Solidity(), nil
		},
	})
}
