package cli

import (
	"fmt"
	"text/tabwriter"

	ucli "github.com/urfave/cli/v2"
)

func statusCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "status",
		Usage:     "show where each shard of a file lives and whether its node answers",
		ArgsUsage: "CID",
		Flags:     []ucli.Flag{bootstrapFlag},
		Action: func(c *ucli.Context) error {
			root, err := cidArg(c, "status")
			if err != nil {
				return err
			}
			env, err := newClientEnv(c)
			if err != nil {
				return err
			}
			defer env.close()
			m, reps, err := env.client.Status(c.Context, root)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				mc, _ := m.CID()
				return printJSON(c.App.Writer, map[string]any{
					"root": root.String(), "manifest": mc.String(), "size": m.Size,
					"k": m.K, "m": m.M, "segments": m.NumSegments(), "shards": reps,
				})
			}
			fmt.Fprintf(c.App.Writer, "%s  %d bytes  %d+%d shards  %d segments\n", root, m.Size, m.K, m.M, m.NumSegments())
			tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SHARD\tNODE\tSTATE\tSEGMENTS\tBYTES")
			for _, r := range reps {
				state := "online"
				if !r.Online {
					state = "unreachable: " + r.Error
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%d\n", r.Shard, r.Peer, state, r.Segments, m.NumSegments(), r.Bytes)
			}
			return tw.Flush()
		},
	}
}
