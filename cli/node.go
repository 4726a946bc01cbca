package cli

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/node"
)

func nodeCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "node",
		Usage: "run a storage node",
		Subcommands: []*ucli.Command{{
			Name:  "run",
			Usage: "serve pieces from a repo until interrupted",
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "repo", Required: true, Usage: "node repository (identity key, store)", EnvVars: []string{"DSTORE_REPO"}},
				&ucli.StringSliceFlag{Name: "listen", Usage: "multiaddrs to listen on (default 127.0.0.1 TCP and QUIC, ports kept across restarts)"},
				bootstrapFlag,
			},
			Action: func(c *ucli.Context) error {
				var peers, err = bootstrapPeersOptional(c)
				if err != nil {
					return err
				}
				n, err := node.New(node.Config{
					Repo:      c.String("repo"),
					Listen:    c.StringSlice("listen"),
					Bootstrap: peers,
					Logger:    newLogger(c, "node"),
				})
				if err != nil {
					return fmt.Errorf("starting the node: %w", err)
				}
				defer n.Close()
				if err := n.Run(c.Context); err != nil && c.Context.Err() == nil {
					return err
				}
				return nil
			},
		}},
	}
}

// bootstrapPeersOptional is bootstrapPeers for a node: no --bootstrap and no devnet file is fine.
func bootstrapPeersOptional(c *ucli.Context) ([]peer.AddrInfo, error) {
	if len(c.StringSlice("bootstrap")) == 0 {
		return nil, nil
	}
	return bootstrapPeers(c)
}
