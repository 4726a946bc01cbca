package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// reorderArgs lets flags follow positional arguments for every command: urfave/cli stops parsing
// flags at the first positional argument, so `get CID -o FILE` would see "-o" as a second CID.
// It moves each command's flags (with their values) before its positional arguments, and the
// global flags given after a command name before that name. Everything after "--" stays as it is.
func reorderArgs(app *ucli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// The global flags before the command name.
	globals, rest := takeFlags(app.Flags, rest)
	out = append(out, globals...)
	if len(rest) == 0 || rest[0] == "--" {
		return append(out, rest...)
	}
	// The command, and its subcommands named right after it.
	cmd := findCommand(app.Commands, rest[0])
	if cmd == nil {
		return append(out, rest...)
	}
	path := []string{rest[0]}
	rest = rest[1:]
	for len(rest) > 0 && len(cmd.Subcommands) > 0 {
		sub := findCommand(cmd.Subcommands, rest[0])
		if sub == nil {
			break
		}
		cmd, path, rest = sub, append(path, rest[0]), rest[1:]
	}
	var flags, positional, moved []string
	for len(rest) > 0 {
		a := rest[0]
		if a == "--" {
			positional = append(positional, rest...)
			break
		}
		if !isFlag(a) {
			positional = append(positional, a)
			rest = rest[1:]
			continue
		}
		name := flagName(a)
		switch f := lookupFlag(cmd.Flags, name); {
		case f != nil || isHelp(name):
			n := flagLen(f, a, rest)
			flags = append(flags, rest[:n]...)
			rest = rest[n:]
		case lookupFlag(app.Flags, name) != nil:
			n := flagLen(lookupFlag(app.Flags, name), a, rest)
			moved = append(moved, rest[:n]...)
			rest = rest[n:]
		default: // unknown: left for urfave/cli to refuse
			flags = append(flags, a)
			rest = rest[1:]
		}
	}
	out = append(out, moved...)
	out = append(out, path...)
	out = append(out, flags...)
	return append(out, positional...)
}

// takeFlags splits the leading flags (with their values) of args off.
func takeFlags(defs []ucli.Flag, args []string) (flags, rest []string) {
	for len(args) > 0 && isFlag(args[0]) && args[0] != "--" {
		n := flagLen(lookupFlag(defs, flagName(args[0])), args[0], args)
		flags = append(flags, args[:n]...)
		args = args[n:]
	}
	return flags, args
}

// isFlag says whether a is a flag: "-x", "--x", "--x=v"; "-" alone (stdin) is not.
func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

func flagName(a string) string {
	name := strings.TrimLeft(a, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name
}

func isHelp(name string) bool { return name == "h" || name == "help" }

// flagLen is how many arguments the flag a takes: 2 when its value is the next argument.
func flagLen(f ucli.Flag, a string, args []string) int {
	if f == nil || strings.Contains(a, "=") || len(args) < 2 {
		return 1
	}
	if tv, ok := f.(interface{ TakesValue() bool }); ok && !tv.TakesValue() {
		return 1
	}
	return 2
}

func lookupFlag(defs []ucli.Flag, name string) ucli.Flag {
	for _, f := range defs {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func findCommand(cmds []*ucli.Command, name string) *ucli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}
