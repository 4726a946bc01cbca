package cli

import (
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

func putCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "put",
		Usage:     "store a file on the network and print its CID",
		ArgsUsage: "FILE",
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "k", Usage: "data shards per segment (default 4)"},
			&ucli.IntFlag{Name: "m", Usage: "parity shards per segment (default 2)"},
			&ucli.IntFlag{Name: "replicas", Value: 1, Usage: "distinct nodes holding each shard"},
			&ucli.StringFlag{Name: "chunker", Usage: "UnixFS chunker, size-N (default size-262144, as ipfs add)"},
			&ucli.Int64Flag{Name: "piece-size", Usage: "bytes per data piece (default 1 MiB)"},
			bootstrapFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("put takes one FILE")
			}
			chunk, err := sharding.ParseChunker(c.String("chunker"))
			if err != nil {
				return usagef("--chunker: %v", err)
			}
			params := sharding.Params{K: c.Int("k"), M: c.Int("m"), ChunkSize: chunk, PieceSize: c.Int64("piece-size")}.WithDefaults()
			if err := params.Validate(); err != nil {
				return usagef("%v", err)
			}
			f, err := os.Open(c.Args().First())
			if err != nil {
				return err
			}
			defer f.Close()
			size, err := fileSize(f)
			if err != nil {
				return err
			}
			env, err := newClientEnv(c)
			if err != nil {
				return err
			}
			defer env.close()

			bar := progress(c, size, "put")
			res, _, err := env.client.Put(c.Context, f, size, retrieval.PutOptions{
				Params:   params,
				Replicas: c.Int("replicas"),
				Progress: setProgress(bar),
			})
			if err != nil {
				return fmt.Errorf("put %s: %w", c.Args().First(), err)
			}
			if bar != nil {
				_ = bar.Finish()
			}
			if c.Bool("json") {
				return printJSON(c.App.Writer, res)
			}
			fmt.Fprintln(c.App.Writer, res.Root)
			return nil
		},
	}
}
