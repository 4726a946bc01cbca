package cli

import (
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/sharding"
)

func cidCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "cid",
		Usage:     "print the CID a file or directory would get, without storing it (same as ipfs add [-r] --cid-version=1 --only-hash)",
		ArgsUsage: "FILE | DIR",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "chunker", Usage: "UnixFS chunker, size-N"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("cid takes one FILE or DIR")
			}
			chunk, err := sharding.ParseChunker(c.String("chunker"))
			if err != nil {
				return usagef("--chunker: %v", err)
			}
			if st, err := os.Stat(c.Args().First()); err == nil && st.IsDir() {
				t, err := sharding.ImportDir(c.Context, c.Args().First(), chunk)
				if err != nil {
					return err
				}
				fmt.Fprintln(c.App.Writer, t.Root)
				return nil
			}
			f, err := os.Open(c.Args().First())
			if err != nil {
				return err
			}
			defer f.Close()
			root, err := sharding.RootCID(c.Context, f, chunk)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.App.Writer, root)
			return nil
		},
	}
}
