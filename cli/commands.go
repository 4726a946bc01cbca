package cli

import ucli "github.com/urfave/cli/v2"

func commands() []*ucli.Command {
	cmds := []*ucli.Command{
		putCommand(),
		getCommand(),
		statusCommand(),
		cidCommand(),
		nodeCommand(),
		devnetCommand(),
		demoCommand(),
		ProveCommand(),
		VerifyCommand(),
		AuditCommand(),
	}
	cmds = append(cmds, ProverCommands()...)
	return append(cmds, ChainCommands()...)
}
