package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ipfs/go-cid"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/retrieval"
)

// cidArg returns the single CID argument of the command cmd.
func cidArg(c *ucli.Context, cmd string) (cid.Cid, error) {
	if c.NArg() != 1 {
		return cid.Undef, usagef("%s takes one CID", cmd)
	}
	return parseCID(c.Args().First())
}

func parseCID(s string) (cid.Cid, error) {
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, usagef("%q is not a valid CID: %v", s, err)
	}
	return c, nil
}

func getCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "get",
		Usage:     "fetch a file by CID, verifying every byte",
		ArgsUsage: "CID",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to FILE instead of stdout (written only when complete)"},
			bootstrapFlag,
		}, privateGetFlags()...),
		Action: func(c *ucli.Context) error {
			root, err := cidArg(c, "get")
			if err != nil {
				return err
			}
			env, err := newClientEnv(c)
			if err != nil {
				return err
			}
			defer env.close()

			m, err := env.client.Manifest(c.Context, root)
			if err != nil {
				return err
			}
			ids, err := getIdentities(c.Context, c, env.client, root, m)
			if err != nil {
				return err
			}
			out := c.String("output")
			var w io.Writer = c.App.Writer
			var tmp *os.File
			if out != "" {
				// Write beside the target and rename when complete: no partial output file.
				tmp, err = os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".part-*")
				if err != nil {
					return err
				}
				defer func() {
					if tmp != nil {
						tmp.Close()
						os.Remove(tmp.Name())
					}
				}()
				w = tmp
			}
			bar := progress(c, m.Size, "get")
			var st *retrieval.GetStats
			if ids != nil {
				st, err = env.client.ReadDecrypted(c.Context, m, w, ids, retrieval.GetOptions{Progress: setProgress(bar)})
			} else {
				st, err = env.client.Read(c.Context, m, w, retrieval.GetOptions{Progress: setProgress(bar)})
			}
			if derr := decryptError(c, root, err); derr != nil {
				return derr
			}
			if err != nil {
				var se *retrieval.SegmentError
				if errors.As(err, &se) {
					return fmt.Errorf("cannot read %s: %w", root, se)
				}
				return fmt.Errorf("get %s: %w", root, err)
			}
			if bar != nil {
				_ = bar.Finish()
			}
			if tmp != nil {
				if err := tmp.Close(); err != nil {
					return err
				}
				if err := os.Rename(tmp.Name(), out); err != nil {
					return err
				}
				tmp = nil
			}
			if wantJSON(c) && out != "" {
				return printJSON(c.App.Writer, struct {
					Root      string `json:"root"`
					Output    string `json:"output"`
					Decrypted bool   `json:"decrypted"`
					*retrieval.GetStats
				}{root.String(), out, ids != nil, st})
			}
			return nil
		},
	}
}
