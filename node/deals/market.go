package deals

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
)

// Market is what the deal service needs of the settlement chain: *chain.Market signing with the
// provider's key implements it; tests of one step can give a smaller fake.
type Market interface {
	ProvingMarket
	// Registry.
	Provider(ctx context.Context, addr common.Address) (p chain.ProviderInfo, ok bool, err error)
	RegisterProvider(ctx context.Context, p chain.ProviderInfo, deposit *big.Int) (chain.Tx, error)
	// Requests and slots.
	Follow(ctx context.Context, from uint64, poll time.Duration, fn func(chain.Event) error, head func(uint64) error) error
	Request(ctx context.Context, id chain.RequestID) (chain.RequestInfo, error)
	FillSlot(ctx context.Context, id chain.RequestID, slot uint64, deposit *big.Int) (chain.Tx, error)
	BlockTime(ctx context.Context, n uint64) (time.Duration, error)
	// Settlement.
	FinishGrace(ctx context.Context) (uint64, error)
	FinishRequest(ctx context.Context, id chain.RequestID) (chain.Tx, error)
	TxEvents(tx chain.Tx) []chain.Event
	Balance(ctx context.Context, account common.Address) (*big.Int, error)
	Withdraw(ctx context.Context) (chain.Tx, error)
}

var _ Market = (*chain.Market)(nil)
