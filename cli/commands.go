package cli

import ucli "github.com/urfave/cli/v2"

func commands() []*ucli.Command {
	cmds := []*ucli.Command{
		putCommand(),
		getCommand(),
		statusCommand(),
		cidCommand(),
		keyCommand(),
		nodeCommand(),
		devnetCommand(),
		demoCommand(),
		gatewayCommand(),
		ProveCommand(),
		VerifyCommand(),
		AuditCommand(),
		repairCommand(),
		escrowCommand(),
		netnsRelayCommand(),
		initCommand(),
		configCommand(),
		completionCommand(),
	}
	cmds = append(cmds, ProverCommands()...)
	cmds = append(cmds, ChainCommands()...)
	for _, c := range cmds {
		everywhere(c)
	}
	return cmds
}

// everywhere lets --json and --quiet follow any command name as well as precede
// it, and makes a misused flag of any command a usage error (exit 2, one line).
func everywhere(c *ucli.Command) {
	for _, name := range []string{"json", "quiet"} {
		if !hasFlag(c, name) {
			c.Flags = append(c.Flags, &ucli.BoolFlag{Name: name, Usage: "same as the global --" + name})
		}
	}
	c.OnUsageError = func(_ *ucli.Context, err error, _ bool) error { return usagef("%v", err) }
	if len(c.Subcommands) == 0 && !c.SkipFlagParsing {
		// Flags the command line leaves unset come from DSTORE_* and the configuration files.
		before := c.Before
		c.Before = func(ctx *ucli.Context) error {
			if err := applyConfig(ctx); err != nil {
				return err
			}
			if before != nil {
				return before(ctx)
			}
			return nil
		}
	}
	for _, sub := range c.Subcommands {
		everywhere(sub)
	}
}

func hasFlag(c *ucli.Command, name string) bool {
	for _, f := range c.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}
