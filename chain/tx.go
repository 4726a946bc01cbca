package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Tx is a mined transaction: what it cost and where it landed.
type Tx struct {
	Hash    common.Hash    `json:"hash"`
	Block   uint64         `json:"block"`
	GasUsed uint64         `json:"gasUsed"`
	Fee     *big.Int       `json:"fee"` // GasUsed * effective gas price, in wei
	Receipt *types.Receipt `json:"-"`
}

func txFromReceipt(r *types.Receipt) Tx {
	fee := new(big.Int).SetUint64(r.GasUsed)
	if r.EffectiveGasPrice != nil {
		fee.Mul(fee, r.EffectiveGasPrice)
	}
	return Tx{Hash: r.TxHash, Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed, Fee: fee, Receipt: r}
}

// receiptPoll is how often a sent transaction's receipt is polled for.
const receiptPoll = 100 * time.Millisecond

// waitMined polls for the receipt of hash until it is mined, and then until the chain's head has
// reached its block, or ctx is done. A node may serve a block's receipts before it makes the block
// its head (the embedded chain writes the block, then moves the head): a call that reads the
// latest state right after, such as the next deployment's constructor checking this one's code,
// would not see the transaction in between.
func waitMined(ctx context.Context, b Backend, hash common.Hash) (*types.Receipt, error) {
	var r *types.Receipt
	err := poll(ctx, hash.String(), func() (bool, error) {
		var err error
		if r, err = b.TransactionReceipt(ctx, hash); err == nil {
			return true, nil
		}
		if !notYet(err) {
			return false, fmt.Errorf("receipt %s: %w", hash, err)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = poll(ctx, fmt.Sprintf("the head to reach block %d", r.BlockNumber), func() (bool, error) {
		head, err := b.BlockNumber(ctx)
		if err != nil {
			return false, fmt.Errorf("head block: %w", err)
		}
		return head >= r.BlockNumber.Uint64(), nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// poll calls try every receiptPoll until it is done or fails, or ctx is done; what names the wait
// in ctx's error.
func poll(ctx context.Context, what string, try func() (done bool, err error)) error {
	t := time.NewTicker(receiptPoll)
	defer t.Stop()
	for {
		done, err := try()
		if done || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-t.C:
		}
	}
}

// notYet tells the errors of a receipt that is not available yet: not mined, or
// the node still indexing transactions (right after start).
func notYet(err error) bool {
	if errors.Is(err, ethereum.NotFound) {
		return true
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok && s == "transaction indexing is in progress" {
			return true
		}
	}
	return false
}

// opts builds transaction options for key on b's chain.
func opts(ctx context.Context, key *ecdsa.PrivateKey, chainID *big.Int, value *big.Int) *bind.TransactOpts {
	o := bind.NewKeyedTransactor(key, chainID)
	o.Context = ctx
	o.Value = value
	return o
}

// send signs and sends a transaction from key, waits until it is mined, and turns
// reverts (at estimation or in the block) into errors.
func send(ctx context.Context, b Backend, c *bind.BoundContract, key *ecdsa.PrivateKey, chainID *big.Int, method string, data []byte, value *big.Int, errABI *abi.ABI) (Tx, error) {
	if key == nil {
		return Tx{}, ErrNoKey
	}
	tx, err := bind.Transact(c, opts(ctx, key, chainID, value), data)
	if err != nil {
		return Tx{}, decodeRevert(method, err, errABI)
	}
	r, err := waitMined(ctx, b, tx.Hash())
	if err != nil {
		return Tx{}, fmt.Errorf("%s: %w", method, err)
	}
	out := txFromReceipt(r)
	if r.Status != types.ReceiptStatusSuccessful {
		return out, fmt.Errorf("%s: %w (tx %s, gas %d)", method, ErrReverted, r.TxHash, r.GasUsed)
	}
	return out, nil
}

// decodeRevert translates a revert carrying one of the contract's custom errors
// into a *RevertError; other errors are wrapped as they are.
func decodeRevert(method string, err error, errABI *abi.ABI) error {
	data, ok := ethclient.RevertErrorData(err)
	if !ok || errABI == nil || len(data) < 4 {
		return fmt.Errorf("%s: %w", method, err)
	}
	for name, e := range errABI.Errors {
		if string(e.ID[:4]) != string(data[:4]) {
			continue
		}
		args, uerr := e.Inputs.Unpack(data[4:])
		if uerr != nil {
			args = nil
		}
		sentinel, ok := contractErrors[name]
		if !ok {
			sentinel = ErrReverted
		}
		return &RevertError{Method: method, Name: name, Args: args, Err: sentinel}
	}
	return &RevertError{Method: method, Err: fmt.Errorf("%w: %w", ErrReverted, err)}
}

// Transfer sends amount wei from key to to and waits until it is mined.
func Transfer(ctx context.Context, b Backend, key *ecdsa.PrivateKey, to common.Address, amount *big.Int) (Tx, error) {
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return Tx{}, err
	}
	from := Address(key)
	nonce, err := b.PendingNonceAt(ctx, from)
	if err != nil {
		return Tx{}, fmt.Errorf("transfer: nonce: %w", err)
	}
	tip, err := b.SuggestGasTipCap(ctx)
	if err != nil {
		return Tx{}, fmt.Errorf("transfer: tip: %w", err)
	}
	head, err := b.HeaderByNumber(ctx, nil)
	if err != nil {
		return Tx{}, fmt.Errorf("transfer: head: %w", err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21000, To: &to, Value: amount,
	})
	if err != nil {
		return Tx{}, err
	}
	if err := b.SendTransaction(ctx, tx); err != nil {
		return Tx{}, fmt.Errorf("transfer: %w", err)
	}
	r, err := waitMined(ctx, b, tx.Hash())
	if err != nil {
		return Tx{}, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return txFromReceipt(r), fmt.Errorf("transfer: %w", ErrReverted)
	}
	return txFromReceipt(r), nil
}
