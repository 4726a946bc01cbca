package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/crypt"
	"github.com/dstore-net/dstore/retrieval/gateway"
	"github.com/dstore-net/dstore/sharding"
)

// getTree writes the directory tree (or file) of a version 2 upload to out, through a temporary
// directory beside it: out appears only when complete.
func getTree(c *ucli.Context, env *clientEnv, root cid.Cid, out string) error {
	if out == "" {
		return usagef("%s is a directory tree: name where to write it with -o DIR", root)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("%s already exists", out)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".part-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bs := gateway.NewBlockstore(env.client, gateway.NewMemoryCache(64<<20), 0, newLogger(c, "get"))
	if err := bs.WriteTree(c.Context, root, filepath.Join(tmp, "tree")); err != nil {
		return fmt.Errorf("get %s: %w", root, err)
	}
	if err := os.Rename(filepath.Join(tmp, "tree"), out); err != nil {
		return err
	}
	if wantJSON(c) {
		return printJSON(c.App.Writer, map[string]string{"root": root.String(), "output": out})
	}
	return nil
}

// getCAR writes a CAR of the DAG under root to out (stdout if empty), as the gateway serves it.
func getCAR(c *ucli.Context, env *clientEnv, root cid.Cid, out string) error {
	gw, err := gateway.New(gateway.Config{Source: env.client, Cache: gateway.NewMemoryCache(64 << 20)})
	if err != nil {
		return err
	}
	w, err := openOutput(c, out)
	if err != nil {
		return err
	}
	defer w.discard()
	if err := gw.WriteCAR(c.Context, root, w); err != nil {
		return fmt.Errorf("get --car %s: %w", root, err)
	}
	return w.commit()
}

// output is where get writes: stdout, or a file that appears only when complete, written beside
// its target and renamed into place by commit.
type output struct {
	io.Writer
	tmp    *os.File
	direct *directWriter // writes tmp around the page cache
	path   string
}

// openOutput returns stdout if path is empty, else a temporary file beside path.
func openOutput(c *ucli.Context, path string) (*output, error) {
	if path == "" {
		return &output{Writer: c.App.Writer}, nil
	}
	tmp, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	d := newDirectWriter(tmp)
	return &output{Writer: d, tmp: tmp, direct: d, path: path}, nil
}

// commit closes the temporary file and renames it to its target; a no-op for stdout.
func (o *output) commit() error {
	if o.tmp == nil {
		return nil
	}
	if err := o.direct.Close(); err != nil {
		return err
	}
	if err := o.tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(o.tmp.Name(), o.path); err != nil {
		return err
	}
	o.tmp = nil
	return nil
}

// discard removes the temporary file unless it was committed.
func (o *output) discard() {
	if o.tmp != nil {
		o.direct.Close()
		o.tmp.Close()
		os.Remove(o.tmp.Name())
	}
}

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
		Usage:     "fetch a file or a directory tree by CID, or a CAR of its DAG, verifying every byte",
		ArgsUsage: "CID",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to FILE (or DIR for a directory) instead of stdout (written only when complete)"},
			&ucli.BoolFlag{Name: "car", Usage: "write a CAR of the whole DAG under CID instead of its content"},
			&ucli.StringFlag{Name: "range", Usage: "only the bytes START-END of a file (inclusive, as in HTTP), START- to the end, or -N the last N"},
			&ucli.StringFlag{Name: "manifest", Usage: "read with the manifest of this CID only (default: the manifest a storage request on chain names, else the first valid one the network offers)"},
			bootstrapFlag,
			maxPriceFlag,
			&ucli.StringFlag{Name: "eth-key", Usage: "key file of the account whose escrow pays, with --max-price (default: HOME/client.key)"},
		}, privateGetFlags()...),
		Action: func(c *ucli.Context) error {
			root, err := cidArg(c, "get")
			if err != nil {
				return err
			}
			var spec *byteRange
			if s := c.String("range"); c.IsSet("range") {
				if spec, err = parseByteRange(s); err != nil {
					return usagef("--range %q: %v", s, err)
				}
				if c.Bool("car") {
					return usagef("--range reads bytes of a file, --car a whole DAG: give one of them")
				}
			}
			env, err := newPayingClientEnv(c) // pays nodes per --max-price: cli/pay.go
			if err != nil {
				return err
			}
			defer env.close()

			out := c.String("output")
			if c.Bool("car") {
				return getCAR(c, env, root, out)
			}
			m, err := resolveManifest(c, env, root)
			if err != nil {
				return err
			}
			if m.Version == sharding.ManifestVersionDAG {
				if spec != nil {
					return usagef("%s is a directory tree: --range reads bytes of a file", root)
				}
				return getTree(c, env, root, out)
			}
			ids, err := getIdentities(c.Context, c, env.client, root, m)
			if err != nil {
				return err
			}
			off, n := int64(0), m.Size
			var plain *crypt.ReaderAt // an encrypted file's plaintext, for --range
			if spec != nil {
				size := m.Size
				if ids != nil {
					if plain, err = env.client.OpenDecrypted(c.Context, m, ids); err != nil {
						if derr := decryptError(c, root, err); derr != nil {
							return derr
						}
						return fmt.Errorf("get %s: %w", root, err)
					}
					size = plain.Size()
				}
				if off, n, err = spec.resolve(size); err != nil {
					return fmt.Errorf("--range %s: %w", c.String("range"), err)
				}
			}
			// Written beside the target and renamed when complete: no partial output file.
			w, err := openOutput(c, out)
			if err != nil {
				return err
			}
			defer w.discard()
			bar := progress(c, n, "get")
			var st *retrieval.GetStats
			if plain != nil {
				st, err = copyPlainRange(plain, off, n, w, setProgress(bar))
			} else if ids != nil {
				st, err = env.client.ReadDecrypted(c.Context, m, w, ids, retrieval.GetOptions{Progress: setProgress(bar)})
			} else {
				var f *retrieval.File
				if f, err = env.client.OpenManifest(c.Context, m); err == nil {
					st, err = f.WriteRange(c.Context, off, n, w, retrieval.GetOptions{Progress: setProgress(bar)})
				}
			}
			env.saveEstimates()
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
			if err := w.commit(); err != nil {
				return err
			}
			if wantJSON(c) && out != "" {
				return printJSON(c.App.Writer, struct {
					Root      string `json:"root"`
					Output    string `json:"output"`
					Offset    int64  `json:"offset"`
					Decrypted bool   `json:"decrypted"`
					*retrieval.GetStats
				}{root.String(), out, off, ids != nil, st})
			}
			return nil
		},
	}
}

// createTemp creates a new, empty file beside path whose name starts with "." and the base name
// of path, with the permissions the user's umask gives a new file (os.CreateTemp's are 0600).
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	for range 100 {
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := filepath.Join(dir, "."+base+".part-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("creating a temporary file beside %s: too many name collisions", path)
}

// chainManifests returns the manifest CIDs that storage requests on chain name for root, newest
// first; none when no chain is configured or it does not answer (the read then tries what the
// network offers).
func chainManifests(c *ucli.Context, root cid.Cid) []cid.Cid {
	mk, ok, err := dialMarket(c, false)
	if !ok || err != nil {
		return nil
	}
	defer mk.close()
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Second)
	defer cancel()
	rms, err := mk.ManifestsByRoot(ctx, mk.ep.Block, root.Bytes())
	if err != nil {
		return nil
	}
	var out []cid.Cid
	for _, rm := range rms {
		if mc, err := cid.Cast(rm.ManifestCID); err == nil {
			out = append(out, mc)
		}
	}
	return out
}

// resolveManifest finds the manifest to read root with: the one --manifest names, else the first
// usable one a storage request on chain names, else the first usable one the network offers.
func resolveManifest(c *ucli.Context, env *clientEnv, root cid.Cid) (*sharding.Manifest, error) {
	if s := c.String("manifest"); s != "" {
		mcid, err := parseCID(s)
		if err != nil {
			return nil, err
		}
		return env.client.ManifestOf(c.Context, root, mcid)
	}
	for _, mcid := range chainManifests(c, root) {
		if m, err := env.client.ManifestOf(c.Context, root, mcid); err == nil {
			return m, nil
		}
	}
	return env.client.Manifest(c.Context, root)
}
