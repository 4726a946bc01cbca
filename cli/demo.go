package cli

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/retrieval"
	"github.com/dstore-net/dstore/sharding"
)

func demoCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "demo",
		Usage: "start a local network and chain, put a file, make its deal, watch it proven and audited, kill nodes, get it again",
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "nodes", Value: 6},
			&ucli.IntFlag{Name: "k", Value: 4},
			&ucli.IntFlag{Name: "m", Value: 2},
			&ucli.StringFlag{Name: "size", Value: "32MiB", Usage: "size of the demo file"},
			&ucli.StringFlag{Name: "dir", Usage: "where the devnet lives (default: a new temporary directory, removed at the end)"},
			&ucli.BoolFlag{Name: "no-chain", Usage: "storage only: no chain, deal, proofs or audit"},
		},
		Action: runDemo,
	}
}

func runDemo(c *ucli.Context) error {
	ctx := c.Context
	out := c.App.Writer
	size, err := humanize.ParseBytes(c.String("size"))
	if err != nil {
		return usagef("--size: %v", err)
	}
	dir := c.String("dir")
	if dir == "" {
		if dir, err = os.MkdirTemp("", "dstore-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	k, m := c.Int("k"), c.Int("m")
	step := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }

	step("starting a devnet of %d storage nodes in %s", c.Int("nodes"), dir)
	t0 := time.Now()
	d, err := startDevnet(ctx, devnetConfig{Home: dir, Nodes: c.Int("nodes"), K: k, M: m, Log: c.App.ErrWriter, NoChain: c.Bool("no-chain")})
	if err != nil {
		return err
	}
	defer d.Stop()
	for _, n := range d.file.Nodes {
		fmt.Fprintf(out, "    node %d  %s  pid %d\n", n.Index, n.PeerID, n.PID)
	}
	step("devnet up in %v", time.Since(t0).Round(time.Millisecond))

	src := filepath.Join(dir, "demo.bin")
	want, err := writeDemoFile(src, int64(size))
	if err != nil {
		return err
	}
	peers, err := d.file.addrInfos()
	if err != nil {
		return err
	}
	env, err := dialNetwork(ctx, dir, peers, newLogger(c, "client"), nil, nil)
	if err != nil {
		return err
	}
	defer env.close()

	step("put %s (%s, %d+%d Reed-Solomon shards)", src, humanize.IBytes(size), k, m)
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	t0 = time.Now()
	res, manifest, err := env.client.Put(ctx, f, int64(size), retrieval.PutOptions{Params: sharding.Params{K: k, M: m}})
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Fprintf(out, "    CID %s  manifest %s\n    %d segments in %v (%s/s)\n", res.Root, res.Manifest, res.Segments, el.Round(time.Millisecond), humanize.IBytes(uint64(float64(size)/el.Seconds())))
	for i, locs := range res.Placement {
		fmt.Fprintf(out, "    shard %d -> %s\n", i, locs[0].Peer)
	}
	if d.file.Gateway != "" {
		fmt.Fprintf(out, "    over HTTP: %s/ipfs/%s\n", d.file.Gateway, res.Root)
	}

	get := func(what string) error {
		step("get %s (%s)", res.Root, what)
		// A new client each time: nothing is cached from the previous read.
		env, err := dialNetwork(ctx, dir, peers, newLogger(c, "client"), nil, nil)
		if err != nil {
			return err
		}
		defer env.close()
		h := sha256.New()
		t0 := time.Now()
		_, st, err := env.client.Get(ctx, res.Root, h, retrieval.GetOptions{})
		if err != nil {
			return err
		}
		el := time.Since(t0)
		if !bytes.Equal(h.Sum(nil), want) {
			return errors.New("the file read back differs from the one stored")
		}
		fmt.Fprintf(out, "    %s in %v (%s/s), identical to the original (sha256 %x)\n", humanize.IBytes(uint64(st.Bytes)), el.Round(time.Millisecond), humanize.IBytes(uint64(float64(st.Bytes)/el.Seconds())), want[:8])
		fmt.Fprintf(out, "    segments decoded from parity: %d of %d, failed fetches: %d\n", st.Decoded, st.Segments, st.FailedFetches)
		return nil
	}
	var chainDemo *demoChain
	if d.sim != nil {
		if chainDemo, err = newDemoChain(ctx, d, out); err != nil {
			return err
		}
		defer chainDemo.close()
		if err := chainDemo.deal(ctx, env.client, f, manifest, res); err != nil {
			return err
		}
	}
	if err := get("all nodes up"); err != nil {
		return err
	}
	if chainDemo != nil {
		if err := chainDemo.proofs(ctx, res.Root, t0); err != nil {
			return err
		}
	}

	// Kill the nodes of the first m data shards: reads must now decode from parity.
	var killed []string
	for i := 0; i < m && i < len(res.Placement); i++ {
		for _, n := range d.file.Nodes {
			if n.PeerID == res.Placement[i][0].Peer {
				if err := d.Kill(n.Index); err != nil {
					return err
				}
				killed = append(killed, fmt.Sprintf("node %d (shard %d)", n.Index, i))
			}
		}
	}
	step("killed %d nodes: %v", len(killed), killed)
	if err := get(fmt.Sprintf("%d nodes down", len(killed))); err != nil {
		return err
	}
	if chainDemo != nil {
		if err := chainDemo.misses(ctx, m); err != nil {
			return err
		}
	}

	// One more and the file is out of reach: the read must fail with one clear sentence.
	for _, n := range d.file.Nodes {
		if n.PeerID == res.Placement[m][0].Peer {
			_ = d.Kill(n.Index)
			step("killed node %d (shard %d): %d of %d shards left, %d needed", n.Index, m, k+m-m-1, k+m, k)
		}
	}
	env2, err := dialNetwork(ctx, dir, peers, newLogger(c, "client"), nil, nil)
	if err != nil {
		return err
	}
	defer env2.close()
	_, _, err = env2.client.Get(ctx, res.Root, io.Discard, retrieval.GetOptions{})
	var se *retrieval.SegmentError
	if !errors.As(err, &se) {
		return fmt.Errorf("expected the read to fail for lack of shards, got %v", err)
	}
	fmt.Fprintf(out, "    get fails as it should: %v\n", err)
	step("demo complete")
	return nil
}

// writeDemoFile writes size pseudo-random bytes to path and returns their SHA-256.
func writeDemoFile(path string, size int64) ([]byte, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	r := rand.NewChaCha8([32]byte{'d', 's', 't', 'o', 'r', 'e'})
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, size)); err != nil {
		return nil, err
	}
	return h.Sum(nil), f.Close()
}
