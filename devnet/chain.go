package devnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/simchain"
	"github.com/dstore-net/dstore/cli/netns"
	"github.com/dstore-net/dstore/prover"
)

const (
	EthKeyFile     = "eth.key"     // a node's chain account, in its repo
	ClientKeyFile  = "client.key"  // the client's chain account, in HOME
	AuditorKeyFile = "auditor.key" // an auditor's account, in HOME: it reports missed proofs
	// RepairerKeyFile is the account of the devnet's repairer, in HOME: it reports the missed
	// proofs of dead holders and signs its repair tickets.
	RepairerKeyFile = "repairer.key"
	chainLogFile    = "chain.log"
)

// devnetEscrowDelay is the devnet's retrieval escrow withdrawal delay: 60 blocks, a minute at
// the devnet's block time, time enough for its nodes' redeem loop.
const devnetEscrowDelay = 60

// Funds is what the devnet gives each node, the client, the auditor and the repairer at genesis: 1000 ether.
var Funds = new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))

// startChain starts the embedded chain for the devnet: the proving keys the
// verifier contract was generated from, one funded account per node and one for
// the client, the contracts deployed, and HOME/chain.json for everyone to find them.
func (d *Devnet) startChain(ctx context.Context) error {
	home := d.cfg.Home
	if err := EnsureKeys(ctx, d.cfg.Log); err != nil {
		return err
	}
	keys := make([]*ecdsa.PrivateKey, 0, d.cfg.Nodes+3)
	ck, err := chain.LoadOrCreateKey(filepath.Join(home, ClientKeyFile))
	if err != nil {
		return fmt.Errorf("client account: %w", err)
	}
	ak, err := chain.LoadOrCreateKey(filepath.Join(home, AuditorKeyFile))
	if err != nil {
		return fmt.Errorf("auditor account: %w", err)
	}
	rk, err := chain.LoadOrCreateKey(filepath.Join(home, RepairerKeyFile))
	if err != nil {
		return fmt.Errorf("repairer account: %w", err)
	}
	keys = append(keys, ck, ak, rk)
	for i := range d.cfg.Nodes {
		repo := filepath.Join(home, "nodes", strconv.Itoa(i))
		if err := os.MkdirAll(repo, 0o755); err != nil {
			return err
		}
		k, err := chain.LoadOrCreateKey(filepath.Join(repo, EthKeyFile))
		if err != nil {
			return fmt.Errorf("node %d account: %w", i, err)
		}
		keys = append(keys, k)
		d.accounts = append(d.accounts, chain.Address(k))
	}
	alloc := make(map[common.Address]*big.Int, len(keys))
	for _, k := range keys {
		alloc[chain.Address(k)] = Funds
	}
	logf, err := os.OpenFile(filepath.Join(home, chainLogFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// The file stays open for the chain's lifetime; the process exit closes it.
	logger := slog.New(slog.NewTextHandler(logf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bt := d.cfg.BlockTime
	if bt == 0 {
		bt = time.Second
	}
	sim, err := simchain.New(simchain.Config{Alloc: alloc, BlockInterval: bt, RPCAddr: "127.0.0.1:0", Logger: logger})
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	d.sim, d.stopChain, d.chainDone = sim, cancel, make(chan struct{})
	go func() {
		defer close(d.chainDone)
		_ = sim.Run(runCtx)
	}()
	dctx, dcancel := context.WithTimeout(ctx, time.Minute)
	defer dcancel()
	dep, err := chain.Deploy(dctx, sim.Client(), sim.Faucet(), chain.DeployConfig{EscrowWithdrawDelay: devnetEscrowDelay})
	if err != nil {
		return fmt.Errorf("deploying the contracts on the devnet chain: %w", err)
	}
	ep := chain.Endpoint{RPC: sim.RPCURL(), Deployment: dep}
	if d.topo != nil {
		// The chain serves loopback only: the nodes in their namespaces reach it through a
		// forward on the bridge's address, and so does everyone else, through the same chain.json.
		ln, err := net.Listen("tcp", net.JoinHostPort(d.topo.Host.String(), "0"))
		if err != nil {
			return err
		}
		go netns.Forward(runCtx, ln, strings.TrimPrefix(sim.RPCURL(), "http://"))
		ep.RPC = "http://" + ln.Addr().String()
	}
	d.market, d.deployBlock = dep.Marketplace, dep.Block
	d.file.Chain = filepath.Join(home, chain.EndpointFile)
	d.file.RPC = ep.RPC
	d.file.Marketplace = dep.Marketplace.Hex()
	d.file.ClientKey = filepath.Join(home, ClientKeyFile)
	d.file.AuditorKey = filepath.Join(home, AuditorKeyFile)
	if err := ep.Write(d.file.Chain); err != nil {
		return err
	}
	d.file.Escrow = dep.Escrow.Hex()
	fmt.Fprintf(d.cfg.Log, "devnet: chain %s, marketplace %s (block %d), retrieval escrow %s\n", ep.RPC, dep.Marketplace, dep.Block, dep.Escrow)
	return nil
}

// EnsureKeys makes sure the devnet's proving keys are in the key cache, so
// that the node processes only load them.
func EnsureKeys(ctx context.Context, log io.Writer) error {
	if _, err := prover.LoadVerifyingKey(prover.KeyDir(), prover.DevnetParams); err == nil {
		return nil
	}
	fmt.Fprintf(log, "devnet: setting up the devnet proving keys in %s (once per machine, about 30 s)\n", prover.KeyDir())
	if _, err := prover.LoadOrSetup(ctx, prover.DevnetParams); err != nil {
		return fmt.Errorf("devnet proving keys: %w", err)
	}
	return nil
}

// waitRegistered waits until every node has registered as a provider: until then
// a client's deal would find its holders unknown to the market.
func (d *Devnet) waitRegistered(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	m, err := chain.NewMarket(ctx, d.sim.Client(), d.market, nil)
	if err != nil {
		return err
	}
	for i, a := range d.accounts {
		for {
			_, ok, err := m.Provider(ctx, a)
			if err == nil && ok {
				break
			}
			if ctx.Err() != nil {
				return fmt.Errorf("node %d did not register as a provider within a minute; see %s", i,
					filepath.Join(d.cfg.Home, "nodes", strconv.Itoa(i), "node.log"))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return nil
}
