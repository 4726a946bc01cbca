package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/dstore-net/dstore/chain/bindings"
)

// DeployConfig sets the marketplace's economic constants. Zero values mean the
// documented defaults.
type DeployConfig struct {
	// SlashPercentage of a slot's collateral is slashed per missed proof; default 10.
	SlashPercentage uint64 `json:"slashPercentage"`
	// RewardPercentage of the slashed amount goes to the reporter, the rest to the client;
	// default 10, at most 25 (MaxRewardPercentage).
	RewardPercentage uint64 `json:"rewardPercentage"`
	// MaxMissedProofs frees the slot (forfeiting the rest of the collateral); default 3.
	MaxMissedProofs uint64 `json:"maxMissedProofs"`
	// FinishGrace is how many blocks, after the period in which the last period's misses
	// can be reported, finishRequest still waits; default 64 (NoFinishGrace for none).
	FinishGrace uint64 `json:"finishGrace"`
	// Verifier, if set, is an already deployed Groth16 verifier to reuse.
	Verifier common.Address `json:"verifier"`
	// EscrowWithdrawDelay is the retrieval escrow's delay, in blocks, between a client's
	// withdrawal request and its payout; default DefaultEscrowWithdrawDelay.
	EscrowWithdrawDelay uint64 `json:"escrowWithdrawDelay"`
	// BlocksPerYear is the year of the permanent deals' price decline, in blocks; default
	// DefaultBlocksPerYear (12 s blocks).
	BlocksPerYear uint64 `json:"blocksPerYear"`
}

func (c DeployConfig) withDefaults() DeployConfig {
	if c.SlashPercentage == 0 {
		c.SlashPercentage = 10
	}
	if c.RewardPercentage == 0 {
		c.RewardPercentage = 10
	}
	switch c.FinishGrace {
	case 0:
		c.FinishGrace = DefaultFinishGrace
	case NoFinishGrace:
		c.FinishGrace = 0
	}
	if c.MaxMissedProofs == 0 {
		c.MaxMissedProofs = 3
	}
	if c.EscrowWithdrawDelay == 0 {
		c.EscrowWithdrawDelay = DefaultEscrowWithdrawDelay
	}
	if c.BlocksPerYear == 0 {
		c.BlocksPerYear = DefaultBlocksPerYear
	}
	return c
}

// Validate reports what is wrong with c.
func (c DeployConfig) Validate() error {
	if c.SlashPercentage > 100 {
		return fmt.Errorf("%w: slash percentage %d above 100", ErrInvalidConfig, c.SlashPercentage)
	}
	if c.RewardPercentage > MaxRewardPercentage {
		return fmt.Errorf("%w: reward percentage %d above %d: a provider reporting its own miss from a second account would get most of the slash back", ErrInvalidConfig, c.RewardPercentage, MaxRewardPercentage)
	}
	if c.FinishGrace > 1<<32 && c.FinishGrace != NoFinishGrace {
		return fmt.Errorf("%w: finish grace of %d blocks", ErrInvalidConfig, c.FinishGrace)
	}
	return nil
}

const (
	// MaxRewardPercentage is the contract's cap on the reporter's share of a slash.
	MaxRewardPercentage = 25
	// DefaultFinishGrace is the default FinishGrace, in blocks (about 13 minutes at 12 s a block).
	DefaultFinishGrace = 64
	// NoFinishGrace as DeployConfig.FinishGrace deploys without a grace (tests).
	NoFinishGrace = ^uint64(0)
)

// Deployment says where the contracts live; it is what the devnet writes down and
// what nodes, clients and auditors need to find the market.
type Deployment struct {
	ChainID     *big.Int          `json:"chainId"`
	Verifier    common.Address    `json:"verifier"`
	Marketplace common.Address    `json:"marketplace"`
	Escrow      common.Address    `json:"escrow,omitempty"`    // the retrieval escrow (zero in endpoints written before it existed)
	Endowment   common.Address    `json:"endowment,omitempty"` // permanent deals (zero in endpoints written before it existed)
	Block       uint64            `json:"block"`               // block of the marketplace's creation: follow events from here
	Gas         map[string]uint64 `json:"gas"`                 // gas used by each deployment
}

// Deploy deploys the Groth16 verifier (unless cfg.Verifier names one), the
// marketplace, the retrieval escrow and the endowment of permanent deals from key's account, and waits until both are mined.
func Deploy(ctx context.Context, b Backend, key *ecdsa.PrivateKey, cfg DeployConfig) (Deployment, error) {
	if key == nil {
		return Deployment{}, ErrNoKey
	}
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Deployment{}, err
	}
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return Deployment{}, fmt.Errorf("chain id: %w", err)
	}
	d := Deployment{ChainID: chainID, Verifier: cfg.Verifier, Gas: map[string]uint64{}}
	if d.Verifier == (common.Address{}) {
		md, ok := bindings.Contracts["Groth16Verifier"]
		if !ok {
			return Deployment{}, ErrNoVerifier
		}
		addr, tx, err := deploy(ctx, b, key, chainID, md, nil)
		if err != nil {
			return Deployment{}, fmt.Errorf("deploy verifier: %w", err)
		}
		d.Verifier, d.Gas["Groth16Verifier"] = addr, tx.GasUsed
	}
	mp := bindings.NewMarketplace()
	args := mp.PackConstructor(d.Verifier, new(big.Int).SetUint64(cfg.SlashPercentage),
		new(big.Int).SetUint64(cfg.RewardPercentage), new(big.Int).SetUint64(cfg.MaxMissedProofs),
		new(big.Int).SetUint64(cfg.FinishGrace))
	addr, tx, err := deploy(ctx, b, key, chainID, &bindings.MarketplaceMetaData, args)
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy marketplace: %w", err)
	}
	d.Marketplace, d.Gas["Marketplace"], d.Block = addr, tx.GasUsed, tx.Block
	esc := bindings.NewRetrievalEscrow()
	addr, tx, err = deploy(ctx, b, key, chainID, &bindings.RetrievalEscrowMetaData, esc.PackConstructor(cfg.EscrowWithdrawDelay))
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy retrieval escrow: %w", err)
	}
	d.Escrow, d.Gas["RetrievalEscrow"] = addr, tx.GasUsed
	end := bindings.NewEndowment()
	addr, tx, err = deploy(ctx, b, key, chainID, &bindings.EndowmentMetaData, end.PackConstructor(d.Marketplace, cfg.BlocksPerYear))
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy endowment: %w", err)
	}
	d.Endowment, d.Gas["Endowment"] = addr, tx.GasUsed
	return d, nil
}

func deploy(ctx context.Context, b Backend, key *ecdsa.PrivateKey, chainID *big.Int, md *bind.MetaData, args []byte) (common.Address, Tx, error) {
	code, err := hexutil.Decode(md.Bin)
	if err != nil {
		return common.Address{}, Tx{}, fmt.Errorf("bytecode: %w", err)
	}
	abi, err := md.ParseABI()
	if err != nil {
		return common.Address{}, Tx{}, err
	}
	addr, tx, err := bind.DeployContract(opts(ctx, key, chainID, nil), code, b, args)
	if err != nil {
		return common.Address{}, Tx{}, decodeRevert("deploy", err, abi)
	}
	r, err := waitMined(ctx, b, tx.Hash())
	if err != nil {
		return common.Address{}, Tx{}, err
	}
	out := txFromReceipt(r)
	if r.Status != 1 {
		return common.Address{}, out, fmt.Errorf("deploy: %w", ErrReverted)
	}
	return addr, out, nil
}
