package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/dstore-net/dstore/chain/bindings"
)

// DefaultBlocksPerYear is the year of the endowment's price decline, in blocks: 12 s blocks.
const DefaultBlocksPerYear = 2_629_800

// DefaultDeclinePPM is the yearly decline of the price of storage a permanent deal assumes by
// default, in parts per million: 0.5% a year, the figure Arweave uses.
const DefaultDeclinePPM = 5000

// DealID names a permanent deal.
type DealID = RequestID

// DealInfo is a permanent deal's state in the endowment contract.
type DealInfo struct {
	ID          DealID         `json:"id"`
	Owner       common.Address `json:"owner"`
	Created     uint64         `json:"created"`     // block
	TermPeriods uint64         `json:"termPeriods"` // periods per term
	Terms       uint64         `json:"terms"`       // storage requests made so far
	DeclinePPM  uint32         `json:"declinePpm"`
	Exhausted   bool           `json:"exhausted"`
	BasePrice   *big.Int       `json:"basePrice"`  // per slot per period at creation, wei
	Balance     *big.Int       `json:"balance"`    // the endowment left, wei
	Spent       *big.Int       `json:"spent"`      // paid into terms' escrows
	Refunded    *big.Int       `json:"refunded"`   // returned by finished terms
	Current     RequestID      `json:"current"`    // the current term's storage request
	TermEscrow  *big.Int       `json:"termEscrow"` // what the current term's request was paid
}

// Endowment is a client of the deployed Endowment contract (permanent deals), signing with
// one key (nil: read-only).
type Endowment struct {
	b       Backend
	addr    common.Address
	c       *bindings.Endowment
	abi     abi.ABI
	inst    *bind.BoundContract
	key     *ecdsa.PrivateKey
	chainID *big.Int
	mu      sync.Mutex
}

// NewEndowment binds to the Endowment at addr.
func NewEndowment(ctx context.Context, b Backend, addr common.Address, key *ecdsa.PrivateKey) (*Endowment, error) {
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("endowment code: %w", err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no endowment contract at %s", ErrInvalidConfig, addr)
	}
	c := bindings.NewEndowment()
	return &Endowment{b: b, addr: addr, c: c, abi: c.GetABI(), inst: c.Instance(b, addr), key: key, chainID: chainID}, nil
}

// Contract is the endowment's address.
func (e *Endowment) Contract() common.Address { return e.addr }

func (e *Endowment) send(ctx context.Context, method string, data []byte, value *big.Int) (Tx, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return send(ctx, e.b, e.inst, e.key, e.chainID, method, data, value, &e.abi)
}

// sendHeadroom sends a transaction with twice its estimated gas: renew calls the Marketplace
// inside try/catch, and an estimate can starve a call that is meant to fail (it then fails for
// want of gas, is caught, and the estimate is too low for the path the transaction takes).
func (e *Endowment) sendHeadroom(ctx context.Context, method string, data []byte) (Tx, error) {
	if e.key == nil {
		return Tx{}, ErrNoKey
	}
	gas, err := e.b.EstimateGas(ctx, ethereum.CallMsg{From: Address(e.key), To: &e.addr, Data: data})
	if err != nil {
		return Tx{}, decodeRevert(method, err, &e.abi)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	o := opts(ctx, e.key, e.chainID, nil)
	o.GasLimit = 2 * gas
	t, err := bind.Transact(e.inst, o, data)
	if err != nil {
		return Tx{}, decodeRevert(method, err, &e.abi)
	}
	r, err := waitMined(ctx, e.b, t.Hash())
	if err != nil {
		return Tx{}, fmt.Errorf("%s: %w", method, err)
	}
	out := txFromReceipt(r)
	if r.Status != types.ReceiptStatusSuccessful {
		return out, fmt.Errorf("%s: %w (tx %s, gas %d)", method, ErrReverted, r.TxHash, r.GasUsed)
	}
	return out, nil
}

func endowmentCall[T any](ctx context.Context, e *Endowment, method string, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(e.inst, &bind.CallOpts{Context: ctx}, data, unpack)
	if err != nil {
		var zero T
		return zero, decodeRevert(method, err, &e.abi)
	}
	return v, nil
}

func requestParams(r Request) bindings.IStorageMarketRequestParams {
	roots := make([]*big.Int, len(r.SlotRoots))
	for i, root := range r.SlotRoots {
		roots[i] = new(big.Int).SetBytes(root[:])
	}
	return bindings.IStorageMarketRequestParams{
		RootCid: r.RootCID, ManifestCid: r.ManifestCID, Size: r.Size, K: r.K, M: r.M, SlotRoots: roots, Hosts: r.Hosts,
		Duration: r.Duration, ProofPeriod: r.ProofPeriod, ProofProbability: r.ProofProbability,
		PricePerPeriod: bigOrZero(r.PricePerPeriod), Collateral: bigOrZero(r.Collateral),
	}
}

// Required is the least endowment for a permanent deal of r (r.Duration periods a term) under a
// yearly price decline of declinePPM: r's yearly cost divided by the decline.
func (e *Endowment) Required(ctx context.Context, r Request, declinePPM uint32) (*big.Int, error) {
	data, err := e.c.TryPackRequired(requestParams(r), declinePPM)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	return endowmentCall(ctx, e, "required", data, e.c.UnpackRequired)
}

// Create makes a permanent deal of r, paying endowment wei once, and starts its first term (a
// storage request of r.Duration periods at r.PricePerPeriod, which it returns).
func (e *Endowment) Create(ctx context.Context, r Request, declinePPM uint32, endowment *big.Int) (DealID, RequestID, Tx, error) {
	data, err := e.c.TryPackCreate(requestParams(r), declinePPM)
	if err != nil {
		return DealID{}, RequestID{}, Tx{}, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	tx, err := e.send(ctx, "create", data, endowment)
	if err != nil {
		return DealID{}, RequestID{}, tx, err
	}
	var id DealID
	var req RequestID
	for _, l := range tx.Receipt.Logs {
		if l.Address != e.addr {
			continue
		}
		if ev, err := e.c.UnpackDealCreatedEvent(l); err == nil {
			id = DealID(ev.DealId)
		} else if ev, err := e.c.UnpackTermStartedEvent(l); err == nil {
			req = RequestID(ev.RequestId)
		}
	}
	if id == (DealID{}) || req == (RequestID{}) {
		return id, req, tx, fmt.Errorf("create: %w: DealCreated and TermStarted", ErrEventNotFound)
	}
	return id, req, tx, nil
}

// Renew settles a deal's ended term and starts the next at the then-current price; it returns
// the new term's storage request (zero when the endowment is exhausted) and the refund taken back.
func (e *Endowment) Renew(ctx context.Context, id DealID) (next RequestID, refund *big.Int, tx Tx, err error) {
	tx, err = e.sendHeadroom(ctx, "renew", e.c.PackRenew(id))
	if err != nil {
		return RequestID{}, nil, tx, err
	}
	refund = new(big.Int)
	for _, l := range tx.Receipt.Logs {
		if l.Address != e.addr {
			continue
		}
		if ev, err := e.c.UnpackTermSettledEvent(l); err == nil {
			refund = ev.Refund
		} else if ev, err := e.c.UnpackTermStartedEvent(l); err == nil {
			next = RequestID(ev.RequestId)
		}
	}
	return next, refund, tx, nil
}

// Deal reads a deal's state (ErrUnknownDeal if there is none).
func (e *Endowment) Deal(ctx context.Context, id DealID) (DealInfo, error) {
	v, err := endowmentCall(ctx, e, "getDeal", e.c.PackGetDeal(id), e.c.UnpackGetDeal)
	if err != nil {
		return DealInfo{}, err
	}
	return DealInfo{
		ID: id, Owner: v.Owner, Created: v.Created, TermPeriods: v.TermPeriods, Terms: v.Terms, DeclinePPM: v.DeclinePpm,
		Exhausted: v.Exhausted, BasePrice: v.BasePrice, Balance: v.Balance, Spent: v.Spent, Refunded: v.Refunded, Current: v.Current,
		TermEscrow: v.TermEscrow,
	}, nil
}

// PriceAt is the price per slot per period the deal offers at a block.
func (e *Endowment) PriceAt(ctx context.Context, id DealID, block uint64) (*big.Int, error) {
	return endowmentCall(ctx, e, "priceAt", e.c.PackPriceAt(id, new(big.Int).SetUint64(block)), e.c.UnpackPriceAt)
}

// DealOf is the permanent deal a storage request is a term of; ok is false for a request that is
// not.
func (e *Endowment) DealOf(ctx context.Context, req RequestID) (id DealID, ok bool, err error) {
	v, err := endowmentCall(ctx, e, "dealOf", e.c.PackDealOf(req), e.c.UnpackDealOf)
	return DealID(v), err == nil && v != [32]byte{}, err
}

// Unattributed is what the endowment swept in from the Marketplace that no deal has taken yet
// (the refunds of terms settled by someone else before their deal renewed, and their compensation).
func (e *Endowment) Unattributed(ctx context.Context) (*big.Int, error) {
	return endowmentCall(ctx, e, "unattributed", e.c.PackUnattributed(), e.c.UnpackUnattributed)
}

// BlocksPerYear is the endowment's year, in blocks.
func (e *Endowment) BlocksPerYear(ctx context.Context) (uint64, error) {
	return endowmentCall(ctx, e, "blocksPerYear", e.c.PackBlocksPerYear(), e.c.UnpackBlocksPerYear)
}

// DeclinedPrice is what the contract's priceAt computes: base declined by declinePPM for each of
// years, in 18-decimal fixed point by squaring, never below 1 wei.
func DeclinedPrice(base *big.Int, declinePPM uint32, years uint64) *big.Int {
	one := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	x := new(big.Int).Mul(big.NewInt(1_000_000-int64(declinePPM)), big.NewInt(1e12))
	r := new(big.Int).Set(one)
	for n := years; n > 0; n >>= 1 {
		if n&1 == 1 {
			r.Div(r.Mul(r, x), one)
		}
		x.Div(x.Mul(x, x), one)
	}
	p := r.Div(r.Mul(bigOrZero(base), r), one)
	if p.Sign() == 0 {
		return big.NewInt(1)
	}
	return p
}

// YearsFunded says how long an endowment balance stores a deal: at today's price per slot per
// period with slots slots and periodsPerYear periods a year, flat is the years it pays without
// any decline; declining is the years it pays if the price declines declinePPM a year
// (math.Inf(1): forever, the balance covers the whole geometric series).
func YearsFunded(balance, price *big.Int, slots, periodsPerYear uint64, declinePPM uint32) (flat, declining float64) {
	yearly := new(big.Float).SetInt(new(big.Int).Mul(bigOrZero(price), new(big.Int).SetUint64(slots*periodsPerYear)))
	if yearly.Sign() == 0 {
		return math.Inf(1), math.Inf(1)
	}
	flat, _ = new(big.Float).Quo(new(big.Float).SetInt(bigOrZero(balance)), yearly).Float64()
	d := float64(declinePPM) / 1e6
	if d <= 0 {
		return flat, flat
	}
	// sum_{i<Y} (1-d)^i = (1-(1-d)^Y)/d = flat  =>  Y = ln(1 - flat d) / ln(1-d)
	if flat*d >= 1 {
		return flat, math.Inf(1)
	}
	return flat, math.Log(1-flat*d) / math.Log(1-d)
}
