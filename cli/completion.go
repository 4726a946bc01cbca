package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		UsageText: "source <(dstore completion bash)   |   dstore completion zsh > \"${fpath[1]}/_dstore\"   |   dstore completion fish > ~/.config/fish/completions/dstore.fish",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion needs a shell: bash, zsh or fish")
			}
			switch c.Args().First() {
			case "bash":
				_, err := fmt.Fprint(c.App.Writer, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(c.App.Writer, zshCompletion)
				return err
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(c.App.Writer, s)
				return err
			}
			return usagef("completion: unknown shell %q: want bash, zsh or fish", c.Args().First())
		},
	}
}

// The bash and zsh scripts ask the binary itself (--generate-bash-completion), so they follow
// its commands and flags.
const bashCompletion = `# bash completion for dstore: source <(dstore completion bash)
_dstore_complete() {
  local cur opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == "-"* ]]; then
    opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "${cur}" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}
complete -o bashdefault -o default -F _dstore_complete dstore
`

const zshCompletion = `#compdef dstore
# zsh completion for dstore: dstore completion zsh > "${fpath[1]}/_dstore"
_dstore() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _dstore dstore
`
