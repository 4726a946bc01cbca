package cli

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

// maxPriceFlag is the flag of the commands that read (get, gateway): what they pay nodes a byte.
var maxPriceFlag = &ucli.StringFlag{Name: "max-price", Value: "0", Usage: "the most wei a byte paid to a node for reads, out of the retrieval escrow " +
	"(dstore escrow deposit; receipts signed by --eth-key, default HOME/client.key); 0 reads from free nodes only"}

// clientPayConfig reads --max-price: nil when the client pays nothing.
func clientPayConfig(c *ucli.Context) (*retrieval.PayConfig, error) {
	maxPrice, err := weiFlag(c, "max-price")
	if err != nil {
		return nil, err
	}
	if maxPrice.Sign() == 0 {
		return nil, nil
	}
	if !maxPrice.IsUint64() {
		return nil, usagef("--max-price is wei a byte: at most %d", uint64(1<<63))
	}
	path := filepath.Join(c.String("home"), chain.EndpointFile)
	ep, err := chain.ReadEndpoint(path)
	if err != nil {
		return nil, usagef("--max-price pays through the chain's retrieval escrow: no chain known (%s: %v)", path, err)
	}
	if ep.Escrow == (common.Address{}) || ep.ChainID == nil {
		return nil, usagef("%s names no retrieval escrow: deploy the contracts again with `dstore chain deploy`", path)
	}
	key, err := loadClientKey(c)
	if err != nil {
		return nil, err
	}
	ledger, err := retrieval.OpenLedger(filepath.Join(c.String("home"), retrieval.LedgerFile))
	if err != nil {
		return nil, err
	}
	return &retrieval.PayConfig{Signer: chain.TicketSigner{Key: key}, Verifier: chain.TicketVerifier{},
		ChainID: ep.ChainID.Uint64(), Escrow: ep.Escrow, MaxPrice: maxPrice.Uint64(), Ledger: ledger}, nil
}

// newPayingClientEnv is newClientEnv for a command that reads and pays per --max-price.
func newPayingClientEnv(c *ucli.Context) (*clientEnv, error) {
	pay, err := clientPayConfig(c)
	if err != nil {
		return nil, err
	}
	return clientEnvWith(c, nil, pay)
}

// settle sends the nodes a paying client read from their last receipts and saves its ledger.
func settle(client *retrieval.Client, log *slog.Logger) {
	pay := client.Payments()
	if pay == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pay.Settle(ctx); err != nil && log != nil {
		log.Warn("sending the last receipts", "err", err)
	}
}
