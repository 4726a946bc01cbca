package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/cli/config"
)

// Where a setting comes from, strongest first: a flag on the command line, its DSTORE_*
// environment variable, the node repo's config.yaml, HOME/config.yaml, the flag's default.

// envNames are the environment variables of a flag: its own (DSTORE_REPO, ...) and
// DSTORE_<NAME> (upper case, - as _), which every flag has.
func envNames(f ucli.Flag) []string {
	var out []string
	if e, ok := f.(interface{ GetEnvVars() []string }); ok {
		out = append(out, e.GetEnvVars()...)
	}
	auto := "DSTORE_" + strings.ToUpper(strings.ReplaceAll(f.Names()[0], "-", "_"))
	for _, e := range out {
		if e == auto {
			return out
		}
	}
	return append(out, auto)
}

// onCommandLine reports whether the flag was given in args (before a lone "--").
func onCommandLine(f ucli.Flag, args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		a = strings.TrimLeft(a, "-")
		if i := strings.IndexByte(a, '='); i >= 0 {
			a = a[:i]
		}
		for _, n := range f.Names() {
			if a == n {
				return true
			}
		}
	}
	return false
}

// configFiles are the files consulted for a command, strongest first: the repo's (for commands
// with --repo), then HOME's.
func configFiles(home, repo string) ([]*config.File, error) {
	var out []*config.File
	if repo != "" {
		f, err := config.Load(filepath.Join(repo, config.FileName))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if home != "" {
		f, err := config.Load(filepath.Join(home, config.FileName))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// fileValue looks the flag of the command at path up in files: path.name, then each shorter
// section, then the top level.
func fileValue(files []*config.File, path []string, name string) (config.Value, bool) {
	for _, f := range files {
		for i := len(path); i >= 0; i-- {
			if v, ok := f.Lookup(append(append([]string(nil), path[:i]...), name)...); ok {
				return v, true
			}
		}
	}
	return config.Value{}, false
}

// setting is a flag's value in force and where it came from.
type setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// resolve finds where the value of flag f of the command at path comes from; value is "" when it
// is the flag's own (given on the command line, or the default).
func resolve(f ucli.Flag, path, args []string, files []*config.File) (value []string, source string) {
	if onCommandLine(f, args) {
		return nil, "flag --" + f.Names()[0]
	}
	for _, e := range envNames(f) {
		if v, ok := os.LookupEnv(e); ok {
			return []string{v}, "env " + e
		}
	}
	if v, ok := fileValue(files, path, f.Names()[0]); ok {
		return v.Strings, "file " + v.Where
	}
	return nil, "default"
}

// isSlice tells the flags that take several values.
func isSlice(f ucli.Flag) bool {
	switch f.(type) {
	case *ucli.StringSliceFlag, *ucli.IntSliceFlag, *ucli.Int64SliceFlag, *ucli.Float64SliceFlag, *ucli.Uint64SliceFlag, *ucli.UintSliceFlag:
		return true
	}
	return false
}

// configurable tells the flags a file or DSTORE_* may set: not the output switches or help, and
// not home, which says where the file is.
func configurable(f ucli.Flag) bool {
	switch f.Names()[0] {
	case "help", "json", "quiet", "home":
		return false
	}
	return true
}

// applyConfig sets the flags of the running command (and the global ones) that its command line
// left unset from their DSTORE_* environment variables and the configuration files.
func applyConfig(c *ucli.Context) error {
	args, _ := c.App.Metadata["args"].([]string)
	repo := ""
	if hasFlag(c.Command, "repo") {
		repo = c.String("repo")
	}
	files, err := configFiles(c.String("home"), repo)
	if err != nil {
		return usagef("%v", err)
	}
	path := strings.Fields(c.Command.FullName())
	apply := func(f ucli.Flag, path []string) error {
		if !configurable(f) {
			return nil
		}
		vals, source := resolve(f, path, args, files)
		if vals == nil || strings.HasPrefix(source, "env ") && c.IsSet(f.Names()[0]) {
			return nil // the flag's own, or an environment variable urfave/cli applied already
		}
		if isSlice(f) && strings.HasPrefix(source, "env ") {
			vals = strings.Split(vals[0], ",")
		}
		for _, v := range vals {
			if err := c.Set(f.Names()[0], strings.TrimSpace(v)); err != nil {
				return usagef("%s: --%s %q: %v", strings.TrimPrefix(source, "file "), f.Names()[0], v, err)
			}
		}
		return nil
	}
	for _, f := range c.Command.Flags {
		if err := apply(f, path); err != nil {
			return err
		}
	}
	for _, f := range c.App.Flags {
		if !hasFlag(c.Command, f.Names()[0]) {
			if err := apply(f, nil); err != nil {
				return err
			}
		}
	}
	if lf := c.String("log-format"); lf != "text" && lf != "json" {
		return usagef("--log-format %q: want text or json", lf)
	}
	return nil
}

// defaultCommands are the commands `dstore init` and `dstore config show` cover by default.
var defaultCommands = [][]string{{"put"}, {"get"}, {"status"}, {"gateway"}, {"devnet"}}

// commandAt returns the command at path.
func commandAt(cmds []*ucli.Command, path []string) *ucli.Command {
	for _, c := range cmds {
		if c.Name != path[0] {
			continue
		}
		if len(path) == 1 {
			return c
		}
		return commandAt(c.Subcommands, path[1:])
	}
	return nil
}

// defaultValue is a flag's default, typed as a YAML file would give it.
func defaultValue(f ucli.Flag) any {
	switch f := f.(type) {
	case *ucli.StringFlag:
		return f.Value
	case *ucli.BoolFlag:
		return f.Value
	case *ucli.IntFlag:
		return f.Value
	case *ucli.Int64Flag:
		return f.Value
	case *ucli.Uint64Flag:
		return f.Value
	case *ucli.Float64Flag:
		return f.Value
	case *ucli.DurationFlag:
		return f.Value.String()
	case *ucli.StringSliceFlag:
		if f.Value == nil {
			return []string{}
		}
		return f.Value.Value()
	}
	if d, ok := f.(interface{ GetValue() string }); ok {
		return strings.Trim(d.GetValue(), `"`)
	}
	return ""
}

// defaultText is a flag's default as text.
func defaultText(f ucli.Flag) string {
	if v, ok := defaultValue(f).([]string); ok {
		return strings.Join(v, ",")
	}
	return fmt.Sprint(defaultValue(f))
}

func usageOf(f ucli.Flag) string {
	if d, ok := f.(interface{ GetUsage() string }); ok {
		return d.GetUsage()
	}
	return ""
}

// sectionOf is the commented section of the command at path for a default file.
func sectionOf(cmd *ucli.Command, path []string) config.Section {
	s := config.Section{Path: path}
	for _, f := range cmd.Flags {
		if !configurable(f) || f.Names()[0] == "repo" {
			continue
		}
		s.Settings = append(s.Settings, config.Setting{Name: f.Names()[0], Default: defaultValue(f), Usage: usageOf(f)})
	}
	return s
}

func globalSection(app *ucli.App) config.Section {
	var s config.Section
	for _, f := range app.Flags {
		if configurable(f) {
			s.Settings = append(s.Settings, config.Setting{Name: f.Names()[0], Default: defaultValue(f), Usage: usageOf(f)})
		}
	}
	return s
}

const configHeader = `dstore configuration (YAML). Every setting is commented out at its default: uncomment what
you change. A flag given on the command line wins over its DSTORE_* environment variable
(DSTORE_LOG_LEVEL for --log-level), which wins over this file. Sections are named after
commands: a flag of ` + "`dstore node run`" + ` is looked up under node.run, then node, then at the top.
` + "`dstore config show`" + ` prints the values in force and where each comes from.`

func initCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "init",
		Usage: "write a commented default configuration to HOME/config.yaml",
		Action: func(c *ucli.Context) error {
			home := c.String("home")
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			secs := []config.Section{globalSection(c.App)}
			for _, p := range defaultCommands {
				if cmd := commandAt(c.App.Commands, p); cmd != nil {
					secs = append(secs, sectionOf(cmd, p))
				}
			}
			path := filepath.Join(home, config.FileName)
			if err := config.WriteDefault(path, configHeader, secs); err != nil {
				return err
			}
			return printResult(c, map[string]string{"config": path}, path)
		},
	}
}

// nodeInitCommand writes a node repo's configuration.
func nodeInitCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "init",
		Usage: "write a commented default configuration to REPO/config.yaml",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "repo", Required: true, Usage: "node repository", EnvVars: []string{"DSTORE_REPO"}},
		},
		Action: func(c *ucli.Context) error {
			repo := c.String("repo")
			if err := os.MkdirAll(repo, 0o700); err != nil {
				return err
			}
			run := commandAt(c.App.Commands, []string{"node", "run"})
			secs := []config.Section{globalSection(c.App), sectionOf(run, []string{"node"})}
			path := filepath.Join(repo, config.FileName)
			if err := config.WriteDefault(path, configHeader, secs); err != nil {
				return err
			}
			return printResult(c, map[string]string{"config": path}, path)
		},
	}
}

func printResult(c *ucli.Context, v any, text string) error {
	if wantJSON(c) {
		return printJSON(c.App.Writer, v)
	}
	_, err := fmt.Fprintln(c.App.Writer, text)
	return err
}

func configCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "config",
		Usage: "the configuration in force",
		Subcommands: []*ucli.Command{{
			Name:      "show",
			Usage:     "print every setting in force and where it comes from (flag, env, file:line or default)",
			UsageText: "dstore config show [--repo DIR] [COMMAND...]   (default: the global settings, put, get, status, gateway, devnet; with --repo, node run)",
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "repo", Usage: "a node repo: show what `dstore node run --repo DIR` runs with", EnvVars: []string{"DSTORE_REPO"}},
			},
			Action: func(c *ucli.Context) error {
				files, err := configFiles(c.String("home"), c.String("repo"))
				if err != nil {
					return err
				}
				paths := defaultCommands
				if c.String("repo") != "" {
					paths = [][]string{{"node", "run"}}
				}
				if c.NArg() > 0 {
					paths = [][]string{c.Args().Slice()}
				}
				var out []setting
				known := map[string]bool{}
				add := func(f ucli.Flag, path []string) {
					if !configurable(f) || f.Names()[0] == "repo" {
						return
					}
					vals, source := resolve(f, path, nil, files)
					v := strings.Join(vals, ",")
					if vals == nil {
						v = defaultText(f)
					}
					key := strings.Join(append(append([]string(nil), path...), f.Names()[0]), ".")
					known[key] = true
					out = append(out, setting{Key: key, Value: v, Source: source})
				}
				for _, f := range c.App.Flags {
					add(f, nil)
				}
				for _, p := range paths {
					cmd := commandAt(c.App.Commands, p)
					if cmd == nil {
						return usagef("no command %q", strings.Join(p, " "))
					}
					for _, f := range cmd.Flags {
						add(f, p)
					}
				}
				// Settings of the files that no command takes: a typo, or a flag of another version.
				for _, f := range files {
					for _, key := range f.Keys() {
						if !knownKey(c.App, strings.Split(key, ".")) {
							v, _ := f.Lookup(strings.Split(key, ".")...)
							out = append(out, setting{Key: key, Value: v.String(), Source: "UNKNOWN, ignored: file " + v.Where})
						}
					}
				}
				if wantJSON(c) {
					return printJSON(c.App.Writer, out)
				}
				for _, s := range out {
					fmt.Fprintf(c.App.Writer, "%-28s %-24s %s\n", s.Key, s.Value, s.Source)
				}
				return nil
			},
		}},
	}
}

// knownKey reports whether a file's key (sections, then a flag's name) names a flag some command
// takes: a global flag at the top, or a flag of a command whose path begins with the sections.
func knownKey(app *ucli.App, key []string) bool {
	sections, name := key[:len(key)-1], key[len(key)-1]
	if len(sections) == 0 {
		for _, f := range app.Flags {
			if configurable(f) && f.Names()[0] == name {
				return true
			}
		}
	}
	var walk func(cmds []*ucli.Command, depth int) bool
	walk = func(cmds []*ucli.Command, depth int) bool {
		for _, c := range cmds {
			if depth < len(sections) && c.Name != sections[depth] {
				continue
			}
			if depth+1 >= len(sections) {
				for _, f := range c.Flags {
					if configurable(f) && f.Names()[0] == name {
						return true
					}
				}
			}
			if walk(c.Subcommands, depth+1) {
				return true
			}
		}
		return false
	}
	return walk(app.Commands, 0)
}
