package cli

import ucli "github.com/urfave/cli/v2"

func commands() []*ucli.Command {
	return []*ucli.Command{
		putCommand(),
		getCommand(),
		statusCommand(),
		cidCommand(),
		nodeCommand(),
		devnetCommand(),
		demoCommand(),
	}
}
