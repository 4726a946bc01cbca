package devnet

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
)

// repairLogFile, in HOME, is the log of the devnet's repairer.
const repairLogFile = "repair.log"

// startRepairer runs the devnet's repairer in this process: it follows the embedded chain and
// rebuilds the shard of every slot freed after missed proofs onto a node that holds none of the
// file (margin 0: any lost shard), signing its repair tickets with the client's account. Its log
// is HOME/repair.log.
func (d *Devnet) startRepairer(ctx context.Context) error {
	key, err := chain.LoadKey(filepath.Join(d.cfg.Home, ClientKeyFile))
	if err != nil {
		return err
	}
	ep, err := chain.ReadEndpoint(filepath.Join(d.cfg.Home, chain.EndpointFile))
	if err != nil {
		return err
	}
	m, err := chain.NewMarket(ctx, d.sim.Client(), d.market, nil)
	if err != nil {
		return err
	}
	peers, err := d.file.AddrInfos()
	if err != nil {
		return err
	}
	peerKey, err := retrieval.LoadPeerKey("")
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(d.cfg.Home, repairLogFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(logf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rctx, cancel := context.WithCancel(context.Background())
	c, closeClient, err := retrieval.Dial(rctx, peerKey, peers, retrieval.Config{
		Signer: chain.TicketSigner{Key: key}, Holders: &retrieval.ChainHolders{Market: m, FromBlock: ep.Block},
		ShardRecords: true, Logger: log,
	})
	if err != nil {
		cancel()
		logf.Close()
		return err
	}
	r, err := repair.New(repair.Config{Market: m, FromBlock: ep.Block, Client: c, Logger: log})
	if err != nil {
		cancel()
		closeClient()
		logf.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := r.Run(rctx); err != nil {
			log.Error("the repairer stopped", "err", err)
		}
	}()
	d.stopRepairer = func() {
		cancel()
		<-done
		closeClient()
		logf.Close()
	}
	fmt.Fprintf(d.cfg.Log, "devnet: repairer running (log %s)\n", filepath.Join(d.cfg.Home, repairLogFile))
	return nil
}
