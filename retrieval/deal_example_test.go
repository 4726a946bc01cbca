package retrieval_test

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"os"
	"time"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

// Upload a file, then make its storage deal: the holders' slot roots are spot-checked against the
// file and committed on chain, each slot reserved for the node that holds its shard.
func ExampleClient_MakeDeal() {
	ctx := context.Background()
	var c *retrieval.Client  // retrieval.New(retrieval.Config{Host: h, Peers: nodes})
	var market *chain.Market // chain.NewMarket(ctx, backend, endpoint.Marketplace, clientKey)

	f, err := os.Open("movie.mkv")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	put, m, err := c.Put(ctx, f, fi.Size(), retrieval.PutOptions{})
	if err != nil {
		log.Fatal(err)
	}
	deal, err := c.MakeDeal(ctx, f, m, put.Placement, retrieval.DealOptions{
		Market:   market,
		Duration: 1000, ProofPeriod: 20, ProofProbability: 1,
		PricePerPeriod: big.NewInt(1e9), Collateral: big.NewInt(1e16),
		FillTimeout: 2 * time.Minute,
	})
	if err != nil {
		log.Fatal(err) // a *retrieval.SlotError or *retrieval.OpeningError names the shard and node
	}
	fmt.Printf("request %s: %d of %d slots filled\n", deal.Request, deal.Filled(), len(deal.Slots))

	// Later, `dstore status`: every request made for the file, with its slots and last proofs.
	statuses, err := retrieval.DealStatuses(ctx, market, 0, put.Root)
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range statuses {
		for _, s := range st.Slots {
			fmt.Println(st.Request.ID, s.Slot, s.PeerID, s.Proven, s.Missed, s.LastProofPeriod)
		}
	}
}
