package deals

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/node/wire"
)

// ReceiptSource hands out the retrieval receipts a node took (node.Node implements it).
type ReceiptSource interface {
	PendingReceipts(limit int) []wire.Receipt
	ReturnReceipts(rs []wire.Receipt)
}

// Redeemer redeems a node's retrieval receipts at the escrow, the latest of each session, in
// batches of up to chain.MaxRedeemBatch, one transaction each.
type Redeemer struct {
	src      ReceiptSource
	escrow   *chain.Escrow
	interval time.Duration
	log      *slog.Logger
}

// NewRedeemer redeems src's receipts through escrow (signing as the node's payee) every interval
// (default 1 minute: well within any escrow's withdrawal delay).
func NewRedeemer(src ReceiptSource, escrow *chain.Escrow, interval time.Duration, log *slog.Logger) *Redeemer {
	if interval <= 0 {
		interval = time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Redeemer{src: src, escrow: escrow, interval: interval, log: log}
}

// RedeemOnce redeems every pending receipt now and returns what was paid. Receipts whose
// transaction failed go back to the node for the next round; receipts the escrow refused
// (forged, stale, over the client's deposit) are dropped and logged.
func (r *Redeemer) RedeemOnce(ctx context.Context) (*big.Int, error) {
	paid := new(big.Int)
	for {
		batch := r.src.PendingReceipts(chain.MaxRedeemBatch)
		if len(batch) == 0 {
			return paid, nil
		}
		in := make([]chain.EscrowReceipt, len(batch))
		for i, q := range batch {
			in[i] = EscrowReceipt(q)
		}
		red, tx, err := r.escrow.Redeem(ctx, in)
		if err != nil {
			r.src.ReturnReceipts(batch)
			return paid, err
		}
		paid.Add(paid, red.Paid)
		for i, why := range red.Refused {
			r.log.Warn("receipt refused by the escrow", "client", common.Address(batch[i].Client).Hex(), "reason", why.String())
		}
		r.log.Info("receipts redeemed", "receipts", red.Redeemed, "paid", red.Paid, "gas", tx.GasUsed)
	}
}

// Run redeems every interval until ctx ends, then once more.
func (r *Redeemer) Run(ctx context.Context) error {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := r.RedeemOnce(fctx); err != nil {
				r.log.Warn("redeeming receipts at shutdown", "err", err)
			}
			return nil
		case <-t.C:
			if _, err := r.RedeemOnce(ctx); err != nil && !errors.Is(err, context.Canceled) {
				r.log.Warn("redeeming receipts", "err", err)
			}
		}
	}
}

// EscrowReceipt is a wire receipt as the escrow contract takes it.
func EscrowReceipt(q wire.Receipt) chain.EscrowReceipt {
	return chain.EscrowReceipt{
		Client: common.Address(q.Client), Session: q.Session, Bytes: q.Bytes, Price: new(big.Int).SetUint64(q.Price),
		Amount: q.Amount, TTFBMicros: q.TTFBMicros, Sig: q.Sig,
	}
}

// EscrowAccounts tells a node what clients have left in the escrow (node.EscrowReader).
type EscrowAccounts struct{ Escrow *chain.Escrow }

// Available implements node.EscrowReader.
func (e EscrowAccounts) Available(ctx context.Context, client [20]byte) (*big.Int, bool, error) {
	a, err := e.Escrow.AccountOf(ctx, client)
	if err != nil {
		return nil, false, err
	}
	return a.Available(), a.UnlockBlock != 0, nil
}
