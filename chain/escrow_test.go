package chain_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node/wire"
)

// escrowActor is an account with its escrow client.
type escrowActor struct {
	*chaintest.Actor
	E *chain.Escrow
}

func newEscrowActor(t *testing.T, e *chaintest.Env, name string) escrowActor {
	t.Helper()
	a := e.NewActor(t, name)
	es, err := chain.NewEscrow(context.Background(), e.Sim.Client(), e.Dep.Escrow, a.Key)
	if err != nil {
		t.Fatal(err)
	}
	return escrowActor{a, es}
}

// escrowDo runs a transaction, charging its fee and logging its gas.
func escrowDo(t *testing.T, a escrowActor, name string, f func(ctx context.Context) (chain.Tx, error)) chain.Tx {
	t.Helper()
	tx, err := f(context.Background())
	if tx.Fee != nil {
		a.Fees.Add(a.Fees, tx.Fee)
	}
	if err != nil {
		t.Fatalf("%s by %s: %v", name, a.Name, err)
	}
	chaintest.Gas.Record(name, tx.GasUsed)
	return tx
}

// signReceipt makes the receipt key's account signs for bytes of session, read from node.
func signReceipt(t *testing.T, es *chain.Escrow, key *ecdsa.PrivateKey, node common.Address, session byte, bytes uint64, price uint64, amount *big.Int) chain.EscrowReceipt {
	t.Helper()
	r := wire.Receipt{Client: chain.Address(key), Node: node, Session: [32]byte{session}, Bytes: bytes, Price: price, Amount: amount, TTFBMicros: 1500}
	d := r.Digest(es.ChainID().Uint64(), es.Contract())
	sig, err := chain.TicketSigner{Key: key}.SignTicket(d[:])
	if err != nil {
		t.Fatal(err)
	}
	return chain.EscrowReceipt{Client: r.Client, Session: r.Session, Bytes: r.Bytes, Price: new(big.Int).SetUint64(price), Amount: r.Amount, TTFBMicros: r.TTFBMicros, Sig: sig}
}

// TestEscrowReceipts: a client deposits and signs cumulative receipts; a node redeems the latest
// of each session in one transaction and is paid to the wei; replayed, out-of-order, forged,
// misdirected, above-price and over-spent receipts are refused without failing the batch; the
// client withdraws the rest only after the delay, and nodes redeem within it.
func TestEscrowReceipts(t *testing.T) {
	ctx := context.Background()
	const delay = 10
	e := chaintest.New(t, chain.DeployConfig{EscrowWithdrawDelay: delay}, 0)
	client := newEscrowActor(t, e, "client")
	node := newEscrowActor(t, e, "node")
	other := newEscrowActor(t, e, "other node")
	deposit := big.NewInt(1_000_000)

	_, err := client.E.Withdraw(ctx)
	chaintest.RequireErr(t, "withdraw without a request", err, chain.ErrNotUnlocked)
	escrowDo(t, client, "escrow deposit", func(ctx context.Context) (chain.Tx, error) { return client.E.Deposit(ctx, deposit) })

	const price = 10 // wei a byte
	s1a := signReceipt(t, client.E, client.Key, node.Addr, 1, 1000, price, big.NewInt(10_000))
	s1b := signReceipt(t, client.E, client.Key, node.Addr, 1, 3000, price, big.NewInt(30_000))
	s2 := signReceipt(t, client.E, client.Key, node.Addr, 2, 500, price, big.NewInt(4_000)) // a free allowance: below bytes*price
	before := e.EtherBalance(t, node.Addr)
	var red chain.Redemption
	escrowDo(t, node, "escrow redeem (2 receipts)", func(ctx context.Context) (tx chain.Tx, err error) {
		red, tx, err = node.E.Redeem(ctx, []chain.EscrowReceipt{s1b, s2})
		return tx, err
	})
	chaintest.RequireEq(t, "paid", red.Paid, big.NewInt(34_000))
	chaintest.RequireEq(t, "node's ether", e.EtherBalance(t, node.Addr), new(big.Int).Sub(new(big.Int).Add(before, big.NewInt(34_000)), node.Fees))
	if red.Redeemed != 2 || len(red.Refused) != 0 {
		t.Fatalf("redeemed %d, refused %v", red.Redeemed, red.Refused)
	}

	// The contract's digest is the wire's.
	got, err := client.E.SessionRedeemed(ctx, client.Addr, node.Addr, [32]byte{1})
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "session 1 redeemed", got, big.NewInt(30_000))

	forged := signReceipt(t, client.E, other.Key, node.Addr, 3, 100, price, big.NewInt(1000))
	forged.Client = client.Addr // signed by another key in the client's name
	inflated := s1b
	inflated.Amount = big.NewInt(40_000) // the node raises the amount after the client signed
	s1c := signReceipt(t, client.E, client.Key, node.Addr, 1, 4000, price, big.NewInt(40_000))
	above := signReceipt(t, client.E, client.Key, node.Addr, 4, 10, price, big.NewInt(101))
	over := signReceipt(t, client.E, client.Key, node.Addr, 5, 1_000_000, price, big.NewInt(2_000_000))
	escrowDo(t, node, "escrow redeem (7 receipts)", func(ctx context.Context) (tx chain.Tx, err error) {
		red, tx, err = node.E.Redeem(ctx, []chain.EscrowReceipt{s1b, s1a, forged, inflated, above, over, s1c})
		return tx, err
	})
	want := map[int]chain.RefusalReason{
		0: chain.RefusedStale, 1: chain.RefusedStale, 2: chain.RefusedSignature, 3: chain.RefusedSignature,
		4: chain.RefusedAbovePrice, 5: chain.RefusedOverspent,
	}
	for i, r := range want {
		if red.Refused[i] != r {
			t.Errorf("receipt %d: refused %v, want %v", i, red.Refused[i], r)
		}
	}
	chaintest.RequireEq(t, "paid for the one good receipt", red.Paid, big.NewInt(10_000))

	// Another node cannot redeem receipts made out to this one.
	escrowDo(t, other, "escrow redeem (1 receipt)", func(ctx context.Context) (tx chain.Tx, err error) {
		red, tx, err = other.E.Redeem(ctx, []chain.EscrowReceipt{signReceipt(t, client.E, client.Key, node.Addr, 6, 10, price, big.NewInt(100))})
		return tx, err
	})
	if red.Refused[0] != chain.RefusedSignature || red.Paid.Sign() != 0 {
		t.Fatalf("a receipt redeemed by another node: %+v", red)
	}

	// Withdraw: announced, refused before the delay, nodes still redeem within it.
	escrowDo(t, client, "escrow requestWithdraw", func(ctx context.Context) (chain.Tx, error) { return client.E.RequestWithdraw(ctx) })
	_, err = client.E.Withdraw(ctx)
	chaintest.RequireErr(t, "withdraw within the delay", err, chain.ErrNotUnlocked)
	late := signReceipt(t, client.E, client.Key, node.Addr, 7, 100, price, big.NewInt(1000))
	escrowDo(t, node, "escrow redeem (1 receipt)", func(ctx context.Context) (tx chain.Tx, err error) {
		red, tx, err = node.E.Redeem(ctx, []chain.EscrowReceipt{late})
		return tx, err
	})
	chaintest.RequireEq(t, "redeemed within the delay", red.Paid, big.NewInt(1000))
	acct, err := client.E.AccountOf(ctx, client.Addr)
	if err != nil {
		t.Fatal(err)
	}
	e.MineTo(t, acct.UnlockBlock)
	before = e.EtherBalance(t, client.Addr)
	fees := new(big.Int).Set(client.Fees)
	escrowDo(t, client, "escrow withdraw", func(ctx context.Context) (chain.Tx, error) { return client.E.Withdraw(ctx) })
	left := big.NewInt(1_000_000 - 34_000 - 10_000 - 1000)
	chaintest.RequireEq(t, "withdrawn", e.EtherBalance(t, client.Addr), new(big.Int).Sub(new(big.Int).Add(before, left), new(big.Int).Sub(client.Fees, fees)))
	acct, err = client.E.AccountOf(ctx, client.Addr)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "deposited", acct.Deposited, deposit)
	chaintest.RequireEq(t, "redeemed", acct.Redeemed, big.NewInt(45_000))
	chaintest.RequireEq(t, "withdrawn", acct.Withdrawn, left)
	chaintest.RequireEq(t, "available", acct.Available(), new(big.Int))

	// After the withdrawal, nothing is left to redeem.
	escrowDo(t, node, "escrow redeem (1 receipt)", func(ctx context.Context) (tx chain.Tx, err error) {
		red, tx, err = node.E.Redeem(ctx, []chain.EscrowReceipt{signReceipt(t, client.E, client.Key, node.Addr, 8, 100, price, big.NewInt(1000))})
		return tx, err
	})
	if red.Refused[0] != chain.RefusedOverspent {
		t.Fatalf("a receipt past the withdrawal: %+v", red)
	}
}

// TestEscrowRedeemGas redeems batches of new and of known sessions, for the gas table in
// docs/economics.md (go test -v -run 'TestEscrowRedeemGas' ./chain/).
func TestEscrowRedeemGas(t *testing.T) {
	e := chaintest.New(t, chain.DeployConfig{}, 0)
	client := newEscrowActor(t, e, "client")
	node := newEscrowActor(t, e, "node")
	escrowDo(t, client, "escrow deposit", func(ctx context.Context) (chain.Tx, error) { return client.E.Deposit(ctx, big.NewInt(1e15)) })
	for _, n := range []int{1, 16, 64} {
		for _, known := range []bool{false, true} {
			batch := make([]chain.EscrowReceipt, n)
			for i := range batch {
				amount := int64(1000)
				if known {
					amount = 2000 // the same sessions again, further on
				}
				batch[i] = signReceipt(t, client.E, client.Key, node.Addr, byte(i)+byte(n), uint64(amount), 1, big.NewInt(amount))
			}
			name := fmt.Sprintf("escrow redeem (%d new sessions)", n)
			if known {
				name = fmt.Sprintf("escrow redeem (%d known sessions)", n)
			}
			var red chain.Redemption
			tx := escrowDo(t, node, name, func(ctx context.Context) (tx chain.Tx, err error) {
				red, tx, err = node.E.Redeem(ctx, batch)
				return tx, err
			})
			if red.Redeemed != n {
				t.Fatalf("%s: %d redeemed, refused %v", name, red.Redeemed, red.Refused)
			}
			t.Logf("%s: %d gas, %d a receipt", name, tx.GasUsed, tx.GasUsed/uint64(n))
		}
	}
}
