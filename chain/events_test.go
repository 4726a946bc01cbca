package chain_test

import (
	"testing"
	"time"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
)

// TestEventsUpToTheHeadWhileMining asks for the marketplace's events up to the head while blocks
// are mined, for 5 s, and every query is answered. go-ethereum 1.17's log index, updated behind
// the head, failed such a query now and then ("failed to retrieve log value pointer after last
// block N"), which stopped `dstore demo` while it followed its request's events.
func TestEventsUpToTheHeadWhileMining(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	ctx := t.Context()
	stop := make(chan struct{})
	mined := make(chan struct{})
	go func() {
		defer close(mined)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				e.Sim.Mine(1)
			}
		}
	}()
	defer func() { close(stop); <-mined }()
	queries := 0
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); queries++ {
		head, err := e.Sim.Client().BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Client.M.Events(ctx, max(head, 5)-5, head); err != nil {
			t.Fatalf("query %d, events of blocks up to the head %d: %v", queries, head, err)
		}
	}
	t.Logf("%d queries up to the head", queries)
}
