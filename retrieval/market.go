package retrieval

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
)

// DealMarket is what making a deal needs of the settlement chain; *chain.Market signing with the
// client's key implements it.
type DealMarket interface {
	Account() common.Address
	CreateRequest(ctx context.Context, r chain.Request) (chain.RequestID, chain.Tx, error)
	Provider(ctx context.Context, addr common.Address) (p chain.ProviderInfo, ok bool, err error)
	Follow(ctx context.Context, from uint64, poll time.Duration, fn func(chain.Event) error, head func(uint64) error) error
}

// StatusMarket is what DealStatuses reads of the settlement chain; *chain.Market implements it.
type StatusMarket interface {
	BlockNumber(ctx context.Context) (uint64, error)
	Events(ctx context.Context, from, to uint64) ([]chain.Event, error)
	RequestsByRoot(ctx context.Context, from uint64, rootCID []byte) ([]chain.RequestID, error)
	Request(ctx context.Context, id chain.RequestID) (chain.RequestInfo, error)
	Slot(ctx context.Context, id chain.RequestID, slot uint64) (chain.SlotInfo, error)
	Provider(ctx context.Context, addr common.Address) (p chain.ProviderInfo, ok bool, err error)
	Balance(ctx context.Context, account common.Address) (*big.Int, error)
}

var (
	_ DealMarket   = (*chain.Market)(nil)
	_ StatusMarket = (*chain.Market)(nil)
)
