package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Backend is the Ethereum chain the marketplace runs on: what the bindings need to
// call, transact and filter logs, plus balances and the head. Both the embedded
// simulated chain (Sim.Client) and a JSON-RPC endpoint (Dial) implement it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

var _ Backend = (*ethclient.Client)(nil)

// Dial connects to an Ethereum JSON-RPC endpoint (http://, ws:// or an IPC path):
// geth --dev, anvil, a testnet, an L2, or the devnet's embedded chain.
func Dial(ctx context.Context, url string) (*ethclient.Client, error) {
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	if _, err := c.ChainID(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("dial %s: chain id: %w", url, err)
	}
	return c, nil
}

// LoadKey reads a secp256k1 private key stored as hex (optionally 0x-prefixed,
// surrounding whitespace ignored), the format of `geth account` exports and of
// SaveKey.
func LoadKey(path string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKeyFile, err)
	}
	s := strings.TrimPrefix(strings.TrimSpace(string(data)), "0x")
	key, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadKeyFile, path, err)
	}
	return key, nil
}

// SaveKey writes key as hex to path with mode 0600, refusing to overwrite a file.
func SaveKey(path string, key *ecdsa.PrivateKey) error {
	if key == nil {
		return ErrNoKey
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save key: %w", err)
	}
	_, err = fmt.Fprintf(f, "%x\n", crypto.FromECDSA(key))
	return errors.Join(err, f.Close())
}

// LoadOrCreateKey loads the key at path, creating a new random one first if the
// file does not exist.
func LoadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	key, err := LoadKey(path)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	key, err = crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	if err := SaveKey(path, key); err != nil {
		return nil, err
	}
	return key, nil
}

// Address is the account of a key.
func Address(key *ecdsa.PrivateKey) common.Address {
	return crypto.PubkeyToAddress(key.PublicKey)
}
