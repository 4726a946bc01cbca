package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/dashboard"
	"github.com/dstore-net/dstore/sharding"
)

func putCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "put",
		Usage:     "store a file or a directory tree on the network, make its storage deal on chain, and print its CID",
		ArgsUsage: "FILE | DIR | --car FILE.car",
		Flags: append([]ucli.Flag{
			&ucli.IntFlag{Name: "k", Usage: "data shards per segment (default 4)"},
			&ucli.IntFlag{Name: "m", Usage: "parity shards per segment (default 2)"},
			&ucli.IntFlag{Name: "replicas", Value: 1, Usage: "distinct nodes holding each shard; with a deal, each replica is held under a storage request of its own"},
			&ucli.StringFlag{Name: "chunker", Usage: "UnixFS chunker, size-N (default size-262144, as ipfs add)"},
			&ucli.Int64Flag{Name: "piece-size", Usage: "bytes per data piece (default 1 MiB)"},
			&ucli.BoolFlag{Name: "car", Usage: "FILE is a CAR (v1 or v2): store its DAGs unchanged, every block fetchable by CID"},
			bootstrapFlag,
		}, append(append(privatePutFlags(), dealFlags()...), permanentFlags()...)...),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("put takes one FILE or DIR")
			}
			chunk, err := sharding.ParseChunker(c.String("chunker"))
			if err != nil {
				return usagef("--chunker: %v", err)
			}
			params := sharding.Params{K: c.Int("k"), M: c.Int("m"), ChunkSize: chunk, PieceSize: c.Int64("piece-size")}.WithDefaults()
			if err := params.Validate(); err != nil {
				return usagef("%v", err)
			}
			terms, err := dealTerms(c)
			if err != nil {
				return err
			}
			// src is the stream stored: the file, or a directory tree's files concatenated.
			var (
				src  io.ReaderAt
				size int64
				tree *sharding.Tree
			)
			path := c.Args().First()
			st, statErr := os.Stat(path)
			if c.Bool("car") || statErr == nil && st.IsDir() {
				if c.Bool("encrypt") || len(c.StringSlice("recipient")) > 0 {
					return usagef("--encrypt takes a FILE, not a directory or a CAR")
				}
				if c.Bool("car") {
					tree, err = sharding.ImportCAR(c.Context, path)
				} else {
					tree, err = sharding.ImportDir(c.Context, path, params.ChunkSize)
				}
				if err != nil {
					return fmt.Errorf("put %s: %w", path, err)
				}
				r := tree.Open()
				defer r.Close()
				src, size = r, tree.Size
			} else {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				defer f.Close()
				if size, err = fileSize(f); err != nil {
					return err
				}
				var unseal func()
				if src, size, unseal, err = sealForPut(c, f, size); err != nil {
					return err
				}
				defer unseal()
			}
			var market *clientMarket
			if !c.Bool("no-deal") {
				var ok bool
				if market, ok, err = dialMarket(c, true); err != nil {
					return err
				} else if ok {
					defer market.close()
				}
			}
			// With a deal, every node gets an upload ticket signed by the paying account.
			var signer retrieval.TicketSigner
			if market != nil && market.key != nil {
				signer = chain.TicketSigner{Key: market.key}
			}
			env, err := newClientEnv(c, signer)
			if err != nil {
				return err
			}
			defer env.close()

			bar := progress(c, size, "put")
			opts := retrieval.PutOptions{Params: params, Replicas: c.Int("replicas"), Progress: setProgress(bar)}
			var (
				res      *retrieval.PutResult
				manifest *sharding.Manifest
			)
			if tree != nil {
				res, manifest, err = env.client.PutTree(c.Context, tree, opts)
			} else {
				res, manifest, err = env.client.Put(c.Context, src, size, opts)
			}
			if err != nil {
				return fmt.Errorf("put %s: %w", c.Args().First(), err)
			}
			if bar != nil {
				_ = bar.Finish()
			}
			// The dashboards of this HOME (devnet, gateway) list the files put from it.
			_ = dashboard.Record(c.String("home"), dashboard.File{Root: res.Root.String(), Name: filepath.Base(c.Args().First()), Size: size, Time: time.Now()})
			if market == nil {
				if wantJSON(c) {
					return printJSON(c.App.Writer, res)
				}
				fmt.Fprintln(c.App.Writer, res.Root)
				return nil
			}
			terms.Market = market.Market
			var perm *permanentMarket // put --permanent: cli/permanent.go
			if c.Bool("permanent") {
				if perm, err = newPermanentMarket(c, market); err != nil {
					return err
				}
				terms.Market = perm
			}
			terms.Progress = dealProgress(c)
			deal, err := env.client.MakeDeal(c.Context, src, manifest, res.Placement, terms)
			if deal == nil && err != nil {
				return fmt.Errorf("%s is stored (CID %s) but its storage deal failed: %w", c.Args().First(), res.Root, err)
			}
			// Every further replica of every shard is held under a request of its own: its own
			// slots, proven, paid, slashed and repaired like the first.
			var replicaDeals []*retrieval.DealResult
			for r := 1; err == nil && r < res.Replicas; r++ {
				var rd *retrieval.DealResult
				rd, err = env.client.MakeDeal(c.Context, src, manifest, replicaPlacement(res.Placement, r), terms)
				if rd == nil && err != nil {
					return fmt.Errorf("%s is stored (CID %s) but the storage deal of its replica %d failed: %w", c.Args().First(), res.Root, r+1, err)
				}
				replicaDeals = append(replicaDeals, rd)
			}
			if wantJSON(c) {
				// The upload's fields as without a deal, plus the deal.
				var out map[string]any
				b, perr := json.Marshal(res)
				if perr == nil {
					perr = json.Unmarshal(b, &out)
				}
				if perr == nil {
					out["deal"] = deal
					if perm != nil && perm.endowment != nil {
						out["permanent"] = map[string]any{"deal": perm.deal, "endowment": perm.endowment.String()}
					}
					if len(replicaDeals) > 0 {
						out["replicaDeals"] = replicaDeals
					}
					perr = printJSON(c.App.Writer, out)
				}
				if perr != nil {
					return perr
				}
			} else {
				fmt.Fprintln(c.App.Writer, res.Root)
				if !wantQuiet(c) {
					fmt.Fprintf(c.App.ErrWriter, "deal %s: %d of %d slots filled, escrow %s wei, gas %d\n",
						deal.Request, deal.Filled(), len(deal.Slots), deal.Escrow, deal.Gas)
					if perm != nil && perm.endowment != nil {
						fmt.Fprintf(c.App.ErrWriter, "permanent deal %s: endowment %s wei paid once; the deal renews every %d periods\n",
							perm.deal, perm.endowment, terms.Duration)
					}
					for _, d := range replicaDeals {
						fmt.Fprintf(c.App.ErrWriter, "deal %s: %d of %d slots filled, escrow %s wei, gas %d\n",
							d.Request, d.Filled(), len(d.Slots), d.Escrow, d.Gas)
					}
				}
			}
			if err != nil {
				return fmt.Errorf("storage deal %s: %w", deal.Request, err)
			}
			return nil
		},
	}
}

// replicaPlacement is the placement of replica r: each shard's r-th holder.
func replicaPlacement(placement [][]sharding.Location, r int) [][]sharding.Location {
	out := make([][]sharding.Location, len(placement))
	for i, locs := range placement {
		if r < len(locs) {
			out[i] = []sharding.Location{locs[r]}
		}
	}
	return out
}
