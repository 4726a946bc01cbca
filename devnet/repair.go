package devnet

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/repair"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
)

// repairLogFile, in HOME, is the log of the devnet's repairer.
const repairLogFile = "repair.log"

// HistoryRoots lists the roots of the files put from home (its put history, newest first): the
// files without a deal a repairer run for that home keeps repaired.
func HistoryRoots(home string) ([]cid.Cid, error) {
	fs, err := dashboard.History(home)
	if err != nil {
		return nil, err
	}
	out := make([]cid.Cid, 0, len(fs))
	for _, f := range fs {
		if c, err := cid.Decode(f.Root); err == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// startRepairer runs the devnet's repairer in this process, at the defaults (margin 0: any lost
// shard; a holder counts dead after 3 failed checks over 30 s). It follows every storage request
// on the embedded chain and every file put from HOME without a deal: it reports the missed proofs
// of a slot whose holder counts dead (as HOME/repairer.key) until the slot is freed, then rebuilds
// the shard onto a node that holds none of the file, which refills the slot. A shard of a file
// without a deal is rebuilt as its uploader (HOME's client keys, as `put` uses them). Its log is
// HOME/repair.log.
func (d *Devnet) startRepairer(ctx context.Context) error {
	home := d.cfg.Home
	key, err := chain.LoadKey(filepath.Join(home, RepairerKeyFile))
	if err != nil {
		return err
	}
	clientKey, err := chain.LoadKey(filepath.Join(home, ClientKeyFile))
	if err != nil {
		return err
	}
	ep, err := chain.ReadEndpoint(filepath.Join(home, chain.EndpointFile))
	if err != nil {
		return err
	}
	m, err := chain.NewMarket(ctx, d.sim.Client(), d.market, key)
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
	logf, err := os.OpenFile(filepath.Join(home, repairLogFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
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
	nodes := func(context.Context) ([]peer.AddrInfo, error) { return d.File().AddrInfos() }
	r, err := repair.New(repair.Config{
		Market: m, FromBlock: ep.Block, Client: c, Logger: log,
		Files: func(context.Context) ([]cid.Cid, error) { return HistoryRoots(home) },
		Nodes: nodes,
		Uploader: func(ctx context.Context) (*retrieval.Client, func(), error) {
			k, err := retrieval.LoadPeerKey(home)
			if err != nil {
				return nil, nil, err
			}
			ps, err := nodes(ctx)
			if err != nil {
				return nil, nil, err
			}
			return retrieval.Dial(ctx, k, ps, retrieval.Config{Signer: chain.TicketSigner{Key: clientKey}, Logger: log})
		},
	})
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
	d.repairer = r
	d.stopRepairer = func() {
		cancel()
		<-done
		closeClient()
		logf.Close()
	}
	fmt.Fprintf(d.cfg.Log, "devnet: repairer running (log %s)\n", filepath.Join(home, repairLogFile))
	return nil
}

// Repairer is the devnet's repairer; nil without one (NoRepair, or no chain).
func (d *Devnet) Repairer() *repair.Repairer { return d.repairer }
