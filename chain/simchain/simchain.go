package simchain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	gethlog "github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"

	"github.com/dstore-net/dstore/chain"
)

// Config configures the embedded chain. Zero values mean the documented defaults.
type Config struct {
	// Alloc funds accounts at genesis, in wei.
	Alloc map[common.Address]*big.Int
	// FaucetBalance is the genesis balance of the chain's faucet account (Chain.Fund);
	// default 10^9 ether.
	FaucetBalance *big.Int
	// BlockInterval mines a block at this interval while Run is running; 0 means 1s.
	BlockInterval time.Duration
	// ChainID, if set, replaces the embedded chain's ID (1337): tests of what a real chain
	// (one that is not a devnet, see IsDevnet) requires.
	ChainID *big.Int
	// AutoMine mines a block as soon as a transaction is sent through Client, so
	// in-process callers see their receipts at once (tests).
	AutoMine bool
	// RPCAddr, when set ("127.0.0.1:0" picks a free port), serves the chain's
	// JSON-RPC (eth, net, web3) over HTTP so other processes can share it.
	RPCAddr string
	// Logger receives go-ethereum's log lines (it sets go-ethereum's process-wide
	// logger); nil leaves go-ethereum's logging as it is.
	Logger *slog.Logger
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	if c.BlockInterval < 0 {
		return fmt.Errorf("%w: negative block interval", chain.ErrInvalidConfig)
	}
	if c.RPCAddr != "" {
		host, _, err := net.SplitHostPort(c.RPCAddr)
		if err != nil {
			return fmt.Errorf("%w: rpc address %q: %w", chain.ErrInvalidConfig, c.RPCAddr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%w: rpc address %q: the embedded chain serves loopback only", chain.ErrInvalidConfig, c.RPCAddr)
		}
	}
	return nil
}

// Chain is the embedded chain: go-ethereum's simulated backend (a real EVM and a
// real dev chain, in process), mining blocks on a timer, optionally on every
// transaction, and optionally serving JSON-RPC on 127.0.0.1.
type Chain struct {
	cfg     Config
	backend *simulated.Backend
	client  chain.Backend
	faucet  *ecdsa.PrivateKey
	rpcURL  string

	mu sync.Mutex // serializes block production
}

// New starts the embedded chain. Close it when done.
func New(cfg Config) (s *Chain, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.BlockInterval == 0 {
		cfg.BlockInterval = time.Second
	}
	faucet, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	fb := cfg.FaucetBalance
	if fb == nil {
		fb = new(big.Int).Mul(big.NewInt(1_000_000_000), big.NewInt(1e18))
	}
	alloc := types.GenesisAlloc{chain.Address(faucet): {Balance: fb}}
	for a, v := range cfg.Alloc {
		alloc[a] = types.Account{Balance: new(big.Int).Set(v)}
	}
	s = &Chain{cfg: cfg, faucet: faucet}
	if cfg.Logger != nil {
		// go-ethereum logs through one process-wide logger.
		gethlog.SetDefault(gethlog.NewLogger(cfg.Logger.With("subsystem", "chain").Handler()))
	}

	var rpcHost string
	var rpcPort int
	if cfg.RPCAddr != "" {
		rpcHost, rpcPort, err = freePort(cfg.RPCAddr)
		if err != nil {
			return nil, err
		}
		s.rpcURL = "http://" + net.JoinHostPort(rpcHost, strconv.Itoa(rpcPort))
	}
	opt := func(nc *node.Config, ec *ethconfig.Config) {
		if rpcHost != "" {
			nc.HTTPHost = rpcHost
			nc.HTTPPort = rpcPort
			nc.HTTPModules = []string{"eth", "net", "web3"}
			nc.HTTPVirtualHosts = []string{"*"}
		}
		// Mainnet's current rules (Osaka), not the simulated backend's default of
		// every scheduled fork, so gas figures are what Ethereum charges today.
		rules := *params.AllDevChainProtocolChanges
		rules.BogotaTime = nil
		rules.AmsterdamTime = nil
		if cfg.ChainID != nil {
			rules.ChainID = new(big.Int).Set(cfg.ChainID)
		}
		ec.Genesis.Config = &rules
		// Allow eth_call and estimation of large calls (the verifier).
		ec.RPCGasCap = 100_000_000
		// Serve logs from history: the auditor filters from block 0.
		ec.LogNoHistory = false
		// Keep every block's state (an archive): balances at old blocks stay readable, as the
		// accounting of a settled request needs once the finish grace has passed 128 blocks.
		ec.NoPruning = true
		ec.StateScheme = rawdb.HashScheme
	}
	// NewBackend panics on setup errors (a port taken, say): report them instead.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("start embedded chain: %v", r)
		}
	}()
	s.backend = simulated.NewBackend(alloc, opt)
	s.client = s.backend.Client()
	if cfg.AutoMine {
		s.client = autoMine{Backend: s.client, sim: s}
	}
	return s, nil
}

// freePort resolves "host:0" to a free port on host.
func freePort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	if port != "" && port != "0" {
		p, err := strconv.Atoi(port)
		return host, p, err
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", 0, fmt.Errorf("rpc address: %w", err)
	}
	defer l.Close()
	return host, l.Addr().(*net.TCPAddr).Port, nil
}

// Client is the in-process client of the chain.
func (s *Chain) Client() chain.Backend { return s.client }

// RPCURL is the chain's JSON-RPC endpoint, "" unless Config.RPCAddr was set.
func (s *Chain) RPCURL() string { return s.rpcURL }

// Faucet is the funded account behind Fund; use it to deploy on the devnet.
func (s *Chain) Faucet() *ecdsa.PrivateKey { return s.faucet }

// Mine seals n blocks, with whatever transactions are pending in the first.
func (s *Chain) Mine(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.backend.Commit()
	}
}

// Fund sends amount wei from the faucet to each account and waits until mined.
func (s *Chain) Fund(ctx context.Context, amount *big.Int, to ...common.Address) error {
	for _, a := range to {
		if _, err := chain.Transfer(ctx, s.client, s.faucet, a, amount); err != nil {
			return fmt.Errorf("fund %s: %w", a, err)
		}
	}
	return nil
}

// Run mines a block every BlockInterval until ctx is done.
func (s *Chain) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.BlockInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.Mine(1)
		}
	}
}

// Close stops the chain and its RPC server.
func (s *Chain) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backend.Close()
}

// autoMine mines a block after every transaction it sends.
type autoMine struct {
	chain.Backend
	sim *Chain
}

func (a autoMine) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := a.Backend.SendTransaction(ctx, tx); err != nil {
		return err
	}
	a.sim.Mine(1)
	return nil
}
