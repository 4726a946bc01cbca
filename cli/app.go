package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	ucli "github.com/urfave/cli/v2"
)

// Main runs the dstore command with args and returns the process exit code: 0 on success, 1 when the
// command failed (one sentence on stderr), 2 on a usage error.
func Main(args []string) int {
	return run(args, os.Stdout, os.Stderr)
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := App()
	app.Metadata = map[string]any{"args": args}
	app.Writer = stdout
	app.ErrWriter = stderr
	err := app.RunContext(ctx, reorderArgs(app, args))
	if err == nil {
		return 0
	}
	var usage *usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "dstore: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "dstore: %v\n", err)
	return 1
}

// usageError marks an error in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// App returns the dstore command.
func App() *ucli.App {
	return &ucli.App{
		Name:  "dstore",
		Usage: "decentralized storage with erasure-coded shards, zk proofs of storage and fast verified reads",
		Description: "Settings: a flag given wins over its DSTORE_* environment variable (DSTORE_LOG_LEVEL for\n" +
			"--log-level), which wins over REPO/config.yaml (node commands), then HOME/config.yaml, then the default.\n" +
			"`dstore init` and `dstore node init` write commented defaults; `dstore config show` prints what is in force.\n\n" +
			"Exit codes:\n" +
			"   0  success\n" +
			"   1  the command failed; one sentence on stderr says why\n" +
			"   2  usage error: a bad flag, argument or configuration file (nothing was done)",
		Flags: []ucli.Flag{
			&ucli.StringFlag{
				Name:    "home",
				Usage:   "client home directory (holds devnet.json and keys)",
				EnvVars: []string{"DSTORE_HOME"},
				Value:   defaultHome(),
			},
			&ucli.BoolFlag{Name: "json", Usage: "print results as JSON on stdout"},
			&ucli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on stderr"},
			&ucli.StringFlag{Name: "log-level", Value: "warn", Usage: "debug, info, warn or error (logs go to stderr)"},
			&ucli.StringFlag{Name: "log-format", Value: "text", Usage: "text (key=value) or json (one JSON object per line)"},
		},
		Commands: commands(),
		// Errors are printed once by run, as one sentence.
		ExitErrHandler:       func(*ucli.Context, error) {},
		EnableBashCompletion: true,
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return usagef("%v", err)
		},
	}
}

func defaultHome() string {
	if dir, err := os.UserHomeDir(); err == nil {
		return dir + "/.dstore"
	}
	return ".dstore"
}
