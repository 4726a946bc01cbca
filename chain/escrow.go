package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dstore-net/dstore/chain/bindings"
)

// DefaultEscrowWithdrawDelay is the default number of blocks between a client's withdrawal
// request and the block from which the retrieval escrow pays it out (about 24 hours at 12 s a
// block): nodes redeem their receipts within it.
const DefaultEscrowWithdrawDelay = 7200

// MaxRedeemBatch is the most receipts one Redeem call takes (the contract's MAX_BATCH).
const MaxRedeemBatch = 256

// EscrowReceipt is a retrieval receipt as the escrow contract takes it: the client owes Amount
// wei in total to the node redeeming it for the Bytes served in Session at Price wei a byte;
// TTFBMicros is the time to first byte the client measured. Sig is the client's EIP-191 signature
// of the receipt's digest (wire.Receipt.Digest).
type EscrowReceipt struct {
	Client     common.Address
	Session    [32]byte
	Bytes      uint64
	Price      *big.Int
	Amount     *big.Int
	TTFBMicros uint32
	Sig        []byte
}

// RefusalReason says why the escrow refused one receipt of a batch.
type RefusalReason uint8

// The contract's refusal reasons.
const (
	RefusedSignature  RefusalReason = 1 // not signed by the receipt's client: forged
	RefusedStale      RefusalReason = 2 // not above what the session already redeemed: replayed or out of order
	RefusedOverspent  RefusalReason = 3 // more than the client has left in the escrow
	RefusedAbovePrice RefusalReason = 4 // amount above bytes times price
)

func (r RefusalReason) String() string {
	switch r {
	case RefusedSignature:
		return "bad signature"
	case RefusedStale:
		return "replayed or out of order"
	case RefusedOverspent:
		return "over the client's deposit"
	case RefusedAbovePrice:
		return "amount above bytes times price"
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Redemption is the outcome of one Redeem call.
type Redemption struct {
	Paid     *big.Int              // wei paid to the node in all
	Redeemed int                   // receipts that paid
	Refused  map[int]RefusalReason // index in the batch => why it was refused
}

// EscrowAccount is a client's account in the retrieval escrow, in wei.
type EscrowAccount struct {
	Deposited   *big.Int `json:"deposited"`   // every deposit, ever
	Redeemed    *big.Int `json:"redeemed"`    // paid to nodes, ever
	Withdrawn   *big.Int `json:"withdrawn"`   // paid back, ever
	UnlockBlock uint64   `json:"unlockBlock"` // 0, or the block from which Withdraw pays out
}

// Available is what the client has left for nodes to redeem.
func (a EscrowAccount) Available() *big.Int {
	v := new(big.Int).Sub(bigOrZero(a.Deposited), bigOrZero(a.Redeemed))
	return v.Sub(v, bigOrZero(a.Withdrawn))
}

// Escrow is a client of a deployed RetrievalEscrow, signing with one key (nil: read-only). Safe
// for concurrent use; its transactions are sent one at a time.
type Escrow struct {
	b       Backend
	addr    common.Address
	c       *bindings.RetrievalEscrow
	abi     abi.ABI
	inst    *bind.BoundContract
	key     *ecdsa.PrivateKey
	chainID *big.Int
	mu      sync.Mutex
}

// NewEscrow binds to the RetrievalEscrow at addr.
func NewEscrow(ctx context.Context, b Backend, addr common.Address, key *ecdsa.PrivateKey) (*Escrow, error) {
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("escrow code: %w", err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no retrieval escrow at %s", ErrInvalidConfig, addr)
	}
	c := bindings.NewRetrievalEscrow()
	return &Escrow{b: b, addr: addr, c: c, abi: c.GetABI(), inst: c.Instance(b, addr), key: key, chainID: chainID}, nil
}

// Contract is the escrow's address.
func (e *Escrow) Contract() common.Address { return e.addr }

// ChainID is the chain's ID, part of every receipt's digest.
func (e *Escrow) ChainID() *big.Int { return new(big.Int).Set(e.chainID) }

// Account is the signing account (zero when read-only).
func (e *Escrow) Account() common.Address {
	if e.key == nil {
		return common.Address{}
	}
	return Address(e.key)
}

func (e *Escrow) send(ctx context.Context, method string, data []byte, value *big.Int) (Tx, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return send(ctx, e.b, e.inst, e.key, e.chainID, method, data, value, &e.abi)
}

func escrowCall[T any](ctx context.Context, e *Escrow, method string, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(e.inst, &bind.CallOpts{Context: ctx}, data, unpack)
	if err != nil {
		var zero T
		return zero, decodeRevert(method, err, &e.abi)
	}
	return v, nil
}

// Deposit adds amount wei to the caller's deposit (and cancels an announced withdrawal).
func (e *Escrow) Deposit(ctx context.Context, amount *big.Int) (Tx, error) {
	if amount == nil || amount.Sign() <= 0 {
		return Tx{}, fmt.Errorf("%w: deposit of %v wei", ErrInvalidParams, amount)
	}
	return e.send(ctx, "deposit", e.c.PackDeposit(), amount)
}

// RequestWithdraw announces a withdrawal: Withdraw pays out WithdrawDelay blocks later.
func (e *Escrow) RequestWithdraw(ctx context.Context) (Tx, error) {
	return e.send(ctx, "requestWithdraw", e.c.PackRequestWithdraw(), nil)
}

// Withdraw pays the caller what it has left, once the announced delay has passed
// (ErrNotUnlocked before).
func (e *Escrow) Withdraw(ctx context.Context) (Tx, error) {
	return e.send(ctx, "withdraw", e.c.PackWithdraw(), nil)
}

// WithdrawDelay is the delay, in blocks, between RequestWithdraw and Withdraw.
func (e *Escrow) WithdrawDelay(ctx context.Context) (uint64, error) {
	return escrowCall(ctx, e, "withdrawDelay", e.c.PackWithdrawDelay(), e.c.UnpackWithdrawDelay)
}

// AccountOf reads a client's account.
func (e *Escrow) AccountOf(ctx context.Context, client common.Address) (EscrowAccount, error) {
	v, err := escrowCall(ctx, e, "account", e.c.PackAccount(client), e.c.UnpackAccount)
	if err != nil {
		return EscrowAccount{}, err
	}
	return EscrowAccount{Deposited: v.Deposited, Redeemed: v.Redeemed, Withdrawn: v.Withdrawn, UnlockBlock: v.UnlockBlock}, nil
}

// SessionRedeemed is what the node has redeemed so far of a client's session, in wei.
func (e *Escrow) SessionRedeemed(ctx context.Context, client, node common.Address, session [32]byte) (*big.Int, error) {
	key := crypto.Keccak256Hash(common.LeftPadBytes(client.Bytes(), 32), common.LeftPadBytes(node.Bytes(), 32), session[:])
	return escrowCall(ctx, e, "sessionRedeemed", e.c.PackSessionRedeemed([32]byte(key)), e.c.UnpackSessionRedeemed)
}

// Redeem redeems a batch of receipts (at most MaxRedeemBatch) for the caller in one transaction.
// Receipts the contract refuses (forged, replayed, out of order, over the client's deposit) are
// listed in the result; they do not fail the batch.
func (e *Escrow) Redeem(ctx context.Context, rs []EscrowReceipt) (Redemption, Tx, error) {
	if len(rs) == 0 || len(rs) > MaxRedeemBatch {
		return Redemption{}, Tx{}, fmt.Errorf("%w: batch of %d receipts, 1 to %d", ErrInvalidParams, len(rs), MaxRedeemBatch)
	}
	in := make([]bindings.RetrievalEscrowReceipt, len(rs))
	for i, r := range rs {
		in[i] = bindings.RetrievalEscrowReceipt{
			Client: r.Client, Session: r.Session, Bytes: r.Bytes, Price: bigOrZero(r.Price),
			Amount: bigOrZero(r.Amount), TtfbMicros: r.TTFBMicros, Sig: r.Sig,
		}
	}
	data, err := e.c.TryPackRedeem(in)
	if err != nil {
		return Redemption{}, Tx{}, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	tx, err := e.send(ctx, "redeem", data, nil)
	if err != nil {
		return Redemption{}, tx, err
	}
	// Events come in batch order, one per receipt.
	out := Redemption{Paid: new(big.Int), Refused: map[int]RefusalReason{}}
	i := 0
	for _, l := range tx.Receipt.Logs {
		if l.Address != e.addr {
			continue
		}
		if ev, err := e.c.UnpackReceiptRedeemedEvent(l); err == nil {
			out.Paid.Add(out.Paid, ev.Paid)
			out.Redeemed++
			i++
		} else if ev, err := e.c.UnpackReceiptRefusedEvent(l); err == nil {
			out.Refused[i] = RefusalReason(ev.Reason)
			i++
		}
	}
	if i != len(rs) {
		return out, tx, fmt.Errorf("redeem: %w: %d receipt events for %d receipts", ErrEventNotFound, i, len(rs))
	}
	return out, tx, nil
}
