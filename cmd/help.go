package cmd

import (
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/spf13/cobra"
)

// helpTopics are the pages `hookctl help TOPIC` prints besides commands.
var helpTopics = map[string]func(f *cmdutil.Factory) *output.Table{
	"environment": environmentTopic,
	"exit-codes":  exitCodesTopic,
}

// newCmdHelp is `hookctl help [command | topic]`: an unknown topic is an error.
func newCmdHelp(f *cmdutil.Factory, root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | environment | exit-codes]",
		Short: "Help about any command, every environment variable, or the exit codes",
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			out := []string{"environment", "exit-codes"}
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					out = append(out, c.Name())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return root.Help()
			}
			if topic, ok := helpTopics[args[0]]; ok && len(args) == 1 {
				t := topic(f)
				t.Render(f.IOStreams.Out, output.RenderOptions{})
				return nil
			}
			target, rest, err := root.Find(args)
			if err != nil || target == root || len(rest) > 0 {
				names := []string{"environment", "exit-codes"}
				for _, c := range root.Commands() {
					names = append(names, c.Name())
				}
				return clierr.Usagef("unknown help topic %q%s: see 'hookctl help' for commands, or 'hookctl help environment|exit-codes'", strings.Join(args, " "), suggest.Hint(args[0], names))
			}
			return target.Help()
		},
	}
}

// processEnv are the variables hookctl reads that are no profile key.
var processEnv = [][2]string{
	{"HOOKCTL_CONFIG", "config file (--config)"},
	{"HOOKCTL_PROFILE", "profile (--profile)"},
	{"HOOKCTL_NO_TOKEN_CACHE", "1: do not cache OAuth2 access tokens"},
	{"HOOKCTL_NO_PROGRESS", "1: no progress line on a terminal"},
	{"HOOKCTL_PAGER", "pager for long output on a terminal (else PAGER; empty or cat: none)"},
	{"NO_COLOR", "no ANSI colour (--no-color)"},
	{"CLICOLOR", "0: no ANSI colour"},
	{"CLICOLOR_FORCE", "1: ANSI colour even off a terminal (NO_COLOR wins)"},
	{"COLUMNS", "the width tables are fitted to on a terminal"},
	{"XDG_CONFIG_HOME", "where the default config file lives ($XDG_CONFIG_HOME/hookctl/config.yaml)"},
	{"XDG_CACHE_HOME", "where access tokens are cached ($XDG_CACHE_HOME/hookctl/tokens)"},
}

func environmentTopic(f *cmdutil.Factory) *output.Table {
	t := &output.Table{Header: []string{"variable", "provider", "meaning"}}
	for _, e := range processEnv {
		t.Rows = append(t.Rows, []string{e[0], "", e[1]})
	}
	for _, k := range config.AllKeys(f.Registry()) {
		if k.Env != "" {
			t.Rows = append(t.Rows, []string{k.Env, strings.Join(k.Providers, ","), k.Doc + " (profile key " + k.Name + ")"})
		}
	}
	for _, info := range f.Registry() {
		for _, s := range info.Secrets {
			t.Rows = append(t.Rows, []string{s.Env, info.Name, s.Usage + " (or --" + s.Name + "-file, --" + s.Name + "-stdin)"})
		}
	}
	return t
}

func exitCodesTopic(*cmdutil.Factory) *output.Table {
	t := &output.Table{Header: []string{"code", "meaning"}}
	for _, c := range clierr.Codes {
		t.Rows = append(t.Rows, []string{fmt.Sprint(c.Code), c.Meaning})
	}
	return t
}
