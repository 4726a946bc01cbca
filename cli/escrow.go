package cli

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

// escrowCommand returns `dstore escrow deposit|withdraw|status`: the client's account in the
// retrieval escrow, out of which nodes are paid for the bytes they serve.
func escrowCommand() *ucli.Command {
	flags := []ucli.Flag{
		&ucli.StringFlag{Name: "rpc", Usage: "JSON-RPC endpoint of the chain (default: HOME/chain.json)", EnvVars: []string{"DSTORE_RPC"}},
		&ucli.StringFlag{Name: "escrow", Usage: "retrieval escrow address (with --rpc)"},
		&ucli.StringFlag{Name: "eth-key", Usage: "key file of the paying account (default: HOME/client.key, funded by the devnet)"},
	}
	return &ucli.Command{
		Name:  "escrow",
		Usage: "the client's deposit in the retrieval escrow, which pays nodes for the bytes they serve",
		Subcommands: []*ucli.Command{{
			Name:      "deposit",
			Usage:     "deposit AMOUNT (wei, or 1gwei, 0.01ether) into the retrieval escrow",
			UsageText: "dstore escrow deposit AMOUNT",
			Flags:     flags,
			Action:    escrowDeposit,
		}, {
			Name: "withdraw",
			Usage: "announce a withdrawal of what is left (nodes have the escrow's delay to redeem their receipts), " +
				"or, once the delay is over, withdraw it",
			UsageText: "dstore escrow withdraw",
			Flags:     flags,
			Action:    escrowWithdraw,
		}, {
			Name:      "status",
			Usage:     "deposited, spent (receipts signed), redeemed (by nodes), withdrawn and available, in wei",
			UsageText: "dstore escrow status [--json]",
			Flags:     append(flags, &ucli.BoolFlag{Name: "json", Usage: "print the status as JSON"}),
			Action:    escrowStatus,
		}},
	}
}

// clientEscrow is the user's escrow client with what closes it.
type clientEscrow struct {
	*chain.Escrow
	b     chain.Backend
	close func()
}

// dialEscrow resolves the escrow (--rpc/--escrow, else HOME/chain.json) and binds it, signing as
// the user.
func dialEscrow(c *ucli.Context) (*clientEscrow, error) {
	var ep chain.Endpoint
	if c.String("escrow") != "" {
		if c.String("rpc") == "" || !common.IsHexAddress(c.String("escrow")) {
			return nil, usagef("--rpc and --escrow go together (escrow: a 0x address)")
		}
		ep = chain.Endpoint{RPC: c.String("rpc"), Deployment: chain.Deployment{Escrow: common.HexToAddress(c.String("escrow"))}}
	} else {
		path := filepath.Join(c.String("home"), chain.EndpointFile)
		var err error
		if ep, err = chain.ReadEndpoint(path); err != nil {
			return nil, usagef("no chain known: pass --rpc and --escrow, or start `dstore devnet` (it writes %s)", path)
		}
		if ep.Escrow == (common.Address{}) {
			return nil, usagef("%s names no retrieval escrow: deploy the contracts again with `dstore chain deploy`", path)
		}
	}
	key, err := loadClientKey(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	b, err := chain.Dial(ctx, ep.RPC)
	if err != nil {
		return nil, err
	}
	e, err := chain.NewEscrow(ctx, b, ep.Escrow, key)
	if err != nil {
		b.Close()
		return nil, err
	}
	return &clientEscrow{Escrow: e, b: b, close: b.Close}, nil
}

func escrowDeposit(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usagef("escrow deposit takes one AMOUNT (wei, or 1gwei, 0.01ether)")
	}
	amount, err := parseWei(c.Args().First())
	if err != nil {
		return usagef("%v", err)
	}
	if amount.Sign() == 0 {
		return usagef("a deposit of 0 wei deposits nothing")
	}
	e, err := dialEscrow(c)
	if err != nil {
		return err
	}
	defer e.close()
	ctx, cancel := context.WithTimeout(c.Context, 2*time.Minute)
	defer cancel()
	tx, err := e.Deposit(ctx, amount)
	if err != nil {
		return err
	}
	if wantJSON(c) {
		return printJSON(c.App.Writer, map[string]any{"deposited": amount.String(), "tx": tx})
	}
	fmt.Fprintf(c.App.Writer, "deposited %s wei into the retrieval escrow %s (tx %s, gas %d)\n", amount, e.Contract(), tx.Hash, tx.GasUsed)
	return nil
}

func escrowWithdraw(c *ucli.Context) error {
	e, err := dialEscrow(c)
	if err != nil {
		return err
	}
	defer e.close()
	ctx, cancel := context.WithTimeout(c.Context, 2*time.Minute)
	defer cancel()
	acct, err := e.AccountOf(ctx, e.Account())
	if err != nil {
		return err
	}
	head, err := e.b.BlockNumber(ctx)
	if err != nil {
		return err
	}
	w := c.App.Writer
	switch {
	case acct.UnlockBlock == 0:
		if acct.Available().Sign() == 0 {
			return fmt.Errorf("nothing to withdraw: the escrow holds no wei of %s", e.Account())
		}
		tx, err := e.RequestWithdraw(ctx)
		if err != nil {
			return err
		}
		acct, err = e.AccountOf(ctx, e.Account())
		if err != nil {
			return err
		}
		if wantJSON(c) {
			return printJSON(w, map[string]any{"announced": true, "unlockBlock": acct.UnlockBlock, "tx": tx})
		}
		fmt.Fprintf(w, "withdrawal announced: nodes may redeem receipts until block %d; run `dstore escrow withdraw` again from then (the head is %d)\n", acct.UnlockBlock, tx.Block)
		return nil
	case head < acct.UnlockBlock: // estimated on the head block
		return fmt.Errorf("the withdrawal pays out from block %d; the head is %d: run it again then", acct.UnlockBlock, head)
	}
	left := acct.Available()
	tx, err := e.Withdraw(ctx)
	if err != nil {
		return err
	}
	if wantJSON(c) {
		return printJSON(w, map[string]any{"withdrawn": left.String(), "tx": tx})
	}
	fmt.Fprintf(w, "withdrew %s wei from the retrieval escrow (tx %s)\n", left, tx.Hash)
	return nil
}

// escrowReport is `dstore escrow status --json`: amounts in wei, as decimal strings.
type escrowReport struct {
	Escrow      common.Address `json:"escrow"`
	Account     common.Address `json:"account"`
	Deposited   string         `json:"deposited"`
	Spent       string         `json:"spent"` // receipts signed, by this home's ledger
	Redeemed    string         `json:"redeemed"`
	Withdrawn   string         `json:"withdrawn"`
	Available   string         `json:"available"` // deposited - redeemed - withdrawn
	UnlockBlock uint64         `json:"unlockBlock,omitempty"`
	Delay       uint64         `json:"withdrawDelay"` // blocks
}

func escrowStatus(c *ucli.Context) error {
	e, err := dialEscrow(c)
	if err != nil {
		return err
	}
	defer e.close()
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	acct, err := e.AccountOf(ctx, e.Account())
	if err != nil {
		return err
	}
	delay, err := e.WithdrawDelay(ctx)
	if err != nil {
		return err
	}
	spent := new(big.Int)
	if c.String("home") != "" {
		l, err := retrieval.OpenLedger(filepath.Join(c.String("home"), retrieval.LedgerFile))
		if err != nil {
			return err
		}
		spent = l.Spent()
	}
	r := escrowReport{
		Escrow: e.Contract(), Account: e.Account(), Deposited: acct.Deposited.String(), Spent: spent.String(),
		Redeemed: acct.Redeemed.String(), Withdrawn: acct.Withdrawn.String(), Available: acct.Available().String(),
		UnlockBlock: acct.UnlockBlock, Delay: delay,
	}
	if wantJSON(c) {
		return printJSON(c.App.Writer, r)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "escrow     %s\naccount    %s\n", r.Escrow, r.Account)
	fmt.Fprintf(w, "deposited  %s wei\nspent      %s wei (receipts signed)\nredeemed   %s wei (by nodes)\nwithdrawn  %s wei\navailable  %s wei\n",
		r.Deposited, r.Spent, r.Redeemed, r.Withdrawn, r.Available)
	if r.UnlockBlock != 0 {
		fmt.Fprintf(w, "withdrawal announced: pays out from block %d\n", r.UnlockBlock)
	}
	return nil
}
