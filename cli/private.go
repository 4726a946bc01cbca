package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ipfs/go-cid"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/retrieval/crypt"
	"github.com/dstore-net/dstore/sharding"
)

// identityExt names the identity files in HOME/keys: age-keygen's format, one secret key each.
const identityExt = ".agekey"

func keysDir(c *ucli.Context) string { return filepath.Join(c.String("home"), "keys") }

// homeIdentities reads every identity file in HOME/keys, in name order. A missing directory
// holds none.
func homeIdentities(c *ucli.Context) ([]crypt.Identity, []string, error) {
	paths, err := filepath.Glob(filepath.Join(keysDir(c), "*"+identityExt))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	var ids []crypt.Identity
	var files []string
	for _, p := range paths {
		got, err := crypt.ReadIdentityFile(p)
		if err != nil {
			return nil, nil, err
		}
		for range got {
			files = append(files, p)
		}
		ids = append(ids, got...)
	}
	return ids, files, nil
}

var keyNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func keyCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "key",
		Usage: "age identities for private files (in HOME/keys)",
		Subcommands: []*ucli.Command{
			{
				Name:  "new",
				Usage: "make an age X25519 identity in HOME/keys (0600) and print its recipient, the public key others encrypt to",
				Flags: []ucli.Flag{
					&ucli.StringFlag{Name: "name", Value: "default", Usage: "the identity's name: HOME/keys/NAME" + identityExt},
				},
				Action: func(c *ucli.Context) error {
					if c.NArg() != 0 {
						return usagef("key new takes no argument")
					}
					name := c.String("name")
					if !keyNameRE.MatchString(name) {
						return usagef("--name %q: use letters, digits, '.', '_' and '-'", name)
					}
					path := filepath.Join(keysDir(c), name+identityExt)
					id, err := crypt.GenerateIdentity()
					if err != nil {
						return err
					}
					if err := crypt.WriteIdentityFile(path, id); err != nil {
						if errors.Is(err, os.ErrExist) {
							return fmt.Errorf("%s already exists: pass --name to make another identity", path)
						}
						return err
					}
					if wantJSON(c) {
						return printJSON(c.App.Writer, map[string]string{"recipient": id.Recipient().String(), "file": path})
					}
					fmt.Fprintln(c.App.Writer, id.Recipient())
					if !wantQuiet(c) {
						fmt.Fprintf(c.App.ErrWriter, "identity written to %s: keep it secret, and a copy of it safe; without it your private files cannot be read\n", path)
					}
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "print the recipient (public key) of each identity in HOME/keys",
				Action: func(c *ucli.Context) error {
					ids, files, err := homeIdentities(c)
					if err != nil {
						return err
					}
					type entry struct {
						Recipient string `json:"recipient"`
						File      string `json:"file"`
					}
					out := make([]entry, len(ids))
					for i, id := range ids {
						out[i] = entry{id.Recipient().String(), files[i]}
					}
					if wantJSON(c) {
						return printJSON(c.App.Writer, out)
					}
					if len(out) == 0 && !wantQuiet(c) {
						fmt.Fprintf(c.App.ErrWriter, "no identity in %s: `dstore key new` makes one\n", keysDir(c))
					}
					for _, e := range out {
						fmt.Fprintf(c.App.Writer, "%s  %s\n", e.Recipient, e.File)
					}
					return nil
				},
			},
		},
	}
}

// privatePutFlags are put's flags for encryption.
func privatePutFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "encrypt", Usage: "encrypt with age on this machine before anything is sent, to your identities in HOME/keys and every --recipient"},
		&ucli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}, Usage: "also encrypt to this age recipient (age1...); may repeat; implies --encrypt"},
	}
}

// sealForPut returns what put uploads: the file itself, or with --encrypt its ciphertext in an
// unlinked temporary file (in HOME when it exists), released by the returned close.
func sealForPut(c *ucli.Context, f *os.File, size int64) (io.ReaderAt, int64, func(), error) {
	rs := c.StringSlice("recipient")
	if !c.Bool("encrypt") && len(rs) == 0 {
		return f, size, func() {}, nil
	}
	var to []crypt.Recipient
	for _, s := range rs {
		for _, part := range strings.Split(s, ",") {
			r, err := crypt.ParseRecipient(part)
			if err != nil {
				return nil, 0, nil, usagef("--recipient: %v", err)
			}
			to = append(to, r)
		}
	}
	own, _, err := homeIdentities(c)
	if err != nil {
		return nil, 0, nil, err
	}
	if len(own) == 0 && len(to) == 0 {
		return nil, 0, nil, usagef("put --encrypt needs a key: run `dstore key new` first, or give --recipient")
	}
	if len(own) == 0 && !wantQuiet(c) {
		fmt.Fprintf(c.App.ErrWriter, "note: %s holds no identity, so only the --recipient keys can read this file\n", keysDir(c))
	}
	for _, id := range own {
		to = append(to, id.Recipient())
	}
	dir := ""
	if st, err := os.Stat(c.String("home")); err == nil && st.IsDir() {
		dir = c.String("home")
	}
	bar := progress(c, size, "encrypt")
	s, err := retrieval.Seal(c.Context, f, dir, to, setProgress(bar))
	if err != nil {
		return nil, 0, nil, fmt.Errorf("encrypting %s: %w", f.Name(), err)
	}
	if bar != nil {
		_ = bar.Finish()
	}
	return s, s.Size(), func() { s.Close() }, nil
}

// privateGetFlags are get's flags for encrypted files.
func privateGetFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "raw", Usage: "write an encrypted file's ciphertext, not its plaintext"},
		&ucli.StringSliceFlag{Name: "identity", Aliases: []string{"i"}, Usage: "decrypt with the age identities in FILE instead of those in HOME/keys; may repeat"},
	}
}

// getIdentities returns the identities get decrypts root with: nil when the file is not
// encrypted or --raw asks for the ciphertext, else those of --identity or HOME/keys.
func getIdentities(ctx context.Context, c *ucli.Context, client *retrieval.Client, root cid.Cid, m *sharding.Manifest) ([]crypt.Identity, error) {
	if c.Bool("raw") {
		return nil, nil
	}
	enc, err := client.Encrypted(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("get %s: reading its first bytes: %w", root, err)
	}
	if !enc {
		return nil, nil
	}
	var ids []crypt.Identity
	if files := c.StringSlice("identity"); len(files) > 0 {
		for _, f := range files {
			got, err := crypt.ReadIdentityFile(f)
			if err != nil {
				return nil, fmt.Errorf("--identity: %w", err)
			}
			ids = append(ids, got...)
		}
		return ids, nil
	}
	ids, _, err = homeIdentities(c)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s is encrypted and %s holds no identity: pass --identity FILE, or --raw for the ciphertext", root, keysDir(c))
	}
	return ids, nil
}

// decryptError says in one sentence why root could not be decrypted, or returns nil.
func decryptError(c *ucli.Context, root cid.Cid, err error) error {
	switch {
	case errors.Is(err, crypt.ErrWrongIdentity):
		from := keysDir(c)
		if fs := c.StringSlice("identity"); len(fs) > 0 {
			from = strings.Join(fs, ", ")
		}
		return fmt.Errorf("cannot decrypt %s: it is encrypted to other recipients, and no identity in %s is one of them", root, from)
	case errors.Is(err, crypt.ErrTampered):
		return fmt.Errorf("cannot decrypt %s: its ciphertext fails authentication: it was altered or truncated before it was stored", root)
	}
	return nil
}

// encryptedNote is what status's first line says about encryption.
func encryptedNote(encrypted bool, err error) string {
	switch {
	case err != nil:
		return "  encrypted: unknown (" + strings.Join(strings.Fields(err.Error()), " ") + ")"
	case encrypted:
		return "  encrypted (age)"
	}
	return ""
}

// copyPlainRange writes the n plaintext bytes at off of an encrypted file to w, a megabyte at a
// time.
func copyPlainRange(plain *crypt.ReaderAt, off, n int64, w io.Writer, progress func(int64)) (*retrieval.GetStats, error) {
	buf := make([]byte, 1<<20)
	var done int64
	for done < n {
		k, err := plain.ReadAt(buf[:min(int64(len(buf)), n-done)], off+done)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return &retrieval.GetStats{Bytes: done}, fmt.Errorf("writing the output: %w", werr)
			}
			done += int64(k)
			if progress != nil {
				progress(done)
			}
		}
		if err != nil && !(errors.Is(err, io.EOF) && done == n) {
			return &retrieval.GetStats{Bytes: done}, err
		}
	}
	return &retrieval.GetStats{Bytes: done}, nil
}
