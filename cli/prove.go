package cli

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

func hex32(s, flag string) ([32]byte, error) {
	var out [32]byte
	if s == "" {
		return out, nil
	}
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) > 32 {
		return out, usagef("--%s must be at most 32 bytes of hex", flag)
	}
	copy(out[32-len(b):], b)
	return out, nil
}

// ProveCommand is `dstore prove`: a storage provider proving one challenge for a slot in its repo.
func ProveCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "prove",
		Usage:     "prove that a stopped node's repo holds one shard of a file, for one challenge",
		ArgsUsage: "CID",
		Flags: append(paramFlags(),
			&ucli.StringFlag{Name: "repo", Required: true, Usage: "the node's repo (the node must be stopped: its store is locked while it runs)"},
			&ucli.IntFlag{Name: "shard", Usage: "shard (slot) of the file to prove"},
			&ucli.StringFlag{Name: "entropy", Required: true, Usage: "the challenge's entropy, 32-byte hex"},
			&ucli.StringFlag{Name: "request", Usage: "request id, 32-byte hex (default zero)"},
			&ucli.StringFlag{Name: "provider", Usage: "provider address, 20-byte hex (default zero)"},
			&ucli.StringFlag{Name: "out", Value: "proof.bin", Usage: "proof file; the public inputs go to OUT.public"},
		),
		Action: func(c *ucli.Context) error {
			root, err := cidArg(c, "prove")
			if err != nil {
				return err
			}
			p, err := paramsFrom(c)
			if err != nil {
				return err
			}
			entropy, err := hex32(c.String("entropy"), "entropy")
			if err != nil {
				return err
			}
			request, err := hex32(c.String("request"), "request")
			if err != nil {
				return err
			}
			prov, err := hex32(c.String("provider"), "provider")
			if err != nil {
				return err
			}
			st, err := store.OpenBadger(filepath.Join(c.String("repo"), "store"))
			if err != nil {
				return err
			}
			defer st.Close()
			mb, err := st.GetManifest(c.Context, root)
			if err != nil {
				return fmt.Errorf("this repo holds no manifest of %s: %w", root, err)
			}
			m, err := sharding.UnmarshalManifest(mb)
			if err != nil {
				return err
			}
			slot, err := node.NewShardReader(c.Context, st, m, c.Int("shard"))
			if err != nil {
				return usagef("%v", err)
			}
			keys, err := prover.LoadOrSetup(c.Context, p)
			if err != nil {
				return err
			}
			t0 := time.Now()
			tree, err := prover.Commit(c.Context, slot, p)
			if err != nil {
				return fmt.Errorf("committing to shard %d: %w", c.Int("shard"), err)
			}
			commitTime := time.Since(t0)
			ch := prover.Challenge(entropy, request, uint64(c.Int("shard")), [20]byte(prov[12:]))
			t0 = time.Now()
			proof, err := prover.NewProver(keys).Prove(c.Context, slot, tree, ch)
			if err != nil {
				return err
			}
			proveTime := time.Since(t0)
			pub := prover.PublicInputs{Root: tree.Root(), Challenge: ch}
			pb, err := proof.MarshalBinary()
			if err != nil {
				return err
			}
			ib, err := pub.MarshalBinary()
			if err != nil {
				return err
			}
			out := c.String("out")
			if err := os.WriteFile(out, pb, 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(out+".public", ib, 0o644); err != nil {
				return err
			}
			rootBytes := tree.RootBytes()
			chBytes := ch.Bytes()
			res := map[string]any{
				"cid": root.String(), "shard": c.Int("shard"), "slot_bytes": slot.Size(),
				"slot_root": hex.EncodeToString(rootBytes[:]), "challenge": hex.EncodeToString(chBytes[:]),
				"proof": out, "public": out + ".public",
				"commit_seconds": commitTime.Seconds(), "prove_seconds": proveTime.Seconds(),
			}
			if wantJSON(c) {
				return printJSON(c.App.Writer, res)
			}
			fmt.Fprintf(c.App.Writer, "proof of shard %d of %s written to %s (public inputs in %s.public)\nslot root %x\nchallenge %x\n", c.Int("shard"), root, out, out, rootBytes, chBytes)
			return nil
		},
	}
}
