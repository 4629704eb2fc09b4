// Package cmd is hookctl's command tree.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/hookctl/hookctl/cmd/code"
	"github.com/hookctl/hookctl/cmd/deliveries"
	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// Main runs hookctl and returns its exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := cmdutil.New(iostreams.System(), all.Providers)
	return Execute(ctx, f, os.Args[1:])
}

// Execute runs one command line with the given Factory; tests call it with
// buffers and a fresh tree each time.
func Execute(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := newRoot(f, commandNamed(args))
	root.SetArgs(args)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// Completions are data; SetOut is safe here because no usage error is printed.
		root.SetOut(f.IOStreams.Out)
	}
	ran, err := root.ExecuteContextC(ctx)
	if err == nil {
		return clierr.ExitOK
	}
	var unknown *provider.OutcomeUnknownError
	var final *clierr.ExitError
	if ctx.Err() != nil && !errors.As(err, &unknown) && !(errors.As(err, &final) && final.Final) {
		// SIGINT or SIGTERM: whatever the command was doing, it was interrupted.
		fmt.Fprintln(f.IOStreams.ErrOut, "interrupted")
		return clierr.ExitCode(clierr.ErrInterrupted)
	}
	var ee *clierr.ExitError
	if !(errors.As(err, &ee) && ee.Silent) {
		msg := err.Error()
		var ve *provider.ValidationError
		if errors.As(err, &ve) {
			msg = f.SpellInputs(ran, ve.Msg)
		}
		msg = withProfile(f, msg)
		if s, cerr := f.Config(); cerr == nil {
			if t := clierr.TimeoutMessage(err, s.Timeout.String()); t != "" {
				msg = t
			}
		}
		fmt.Fprintln(f.IOStreams.ErrOut, "error: "+termsafe.Line(f.Redactor.String(oneLine(msg))))
	}
	return clierr.ExitCode(err)
}

// withProfile makes the commands a message suggests run against the profile
// given with --profile, so that they can be copied as they are.
func withProfile(f *cmdutil.Factory, msg string) string {
	fl := f.Flags().Lookup("profile")
	if fl == nil || !fl.Changed || fl.Value.String() == "" || strings.Contains(msg, "`hookctl --profile") {
		return msg
	}
	return strings.ReplaceAll(msg, "`hookctl ", "`hookctl --profile "+fl.Value.String()+" ")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// NewRootCmd builds a fresh command tree.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command { return newRoot(f, "") }

// topLevel lists the top-level commands by the names (and aliases) a command
// line may call them, so that a run builds only the subtree it calls: every
// start of hookctl builds its tree, and building the others touches code
// and memory the run never needs (TestTopLevelTable keeps this in step).
var topLevel = []struct {
	names []string
	build func(f *cmdutil.Factory) []*cobra.Command
}{
	{[]string{"webhooks", "webhook", "wh"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{webhooks.NewCmdWebhooks(f)} }},
	{[]string{"deliveries", "delivery"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{deliveries.NewCmdDeliveries(f)} }},
	{[]string{"config"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{newCmdConfig(f)} }},
	{[]string{"emulator"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{newCmdEmulator(f)} }},
	{[]string{"version"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{newCmdVersion(f)} }},
	{[]string{"doctor"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{newCmdDoctor(f)} }},
	{[]string{"verify"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{webhooks.NewCmdVerify(f, nil)} }},
	{[]string{"listen"}, func(f *cmdutil.Factory) []*cobra.Command { return []*cobra.Command{webhooks.NewCmdListen(f, nil)} }},
	{[]string{"export", "diff", "apply"}, code.NewCmds},
}

// valueFlags are the root's persistent flags that take a separate value.
var valueFlags = map[string]bool{"--config": true, "--profile": true, "--provider": true, "-o": true, "--output": true,
	"--jq": true, "--template": true, "--base-url": true, "--timeout": true}

// boolFlags are the root's flags that take no separate value.
var boolFlags = map[string]bool{"--debug": true, "--no-color": true, "--no-headers": true, "--version": true, "--help": true, "-h": true}

// commandNamed is the top-level command a command line calls, or "" when it
// is not plainly one of topLevel (help, completion, a typo, --help alone):
// those get the whole tree.
func commandNamed(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return ""
		case valueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
			name, _, _ := strings.Cut(a, "=")
			if !valueFlags[name] && !boolFlags[name] && !(strings.HasPrefix(name, "-o") && len(name) > 2 && name[2] != '-') {
				// A subcommand's flag before the command: its value may
				// look like a command name; cobra decides with the whole tree.
				return ""
			}
		default:
			for _, t := range topLevel {
				if slices.Contains(t.names, a) {
					return a
				}
			}
			return ""
		}
	}
	return ""
}

// newRoot builds the tree; with only set, just that top-level command.
func newRoot(f *cmdutil.Factory, only string) *cobra.Command {
	root := &cobra.Command{
		Use:   "hookctl",
		Short: "Manage webhook configurations at payment providers",
		Long: `hookctl manages webhook configurations at payment providers (` + strings.Join(titles(f), ", ") + `)
through one interface: list, get, create, update, delete and test webhooks.`,
		Example: `  hookctl emulator --write-config ./hookctl.yaml &   # local emulators, no account needed
  hookctl --config ./hookctl.yaml --profile NAME webhooks list
  hookctl webhooks create --url https://example.com/hooks --events order.paid,charge.refunded
  hookctl webhooks list -o json --jq '.[].id'`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				return printVersion(f, cmd)
			}
			return cmd.Help()
		},
	}
	root.Flags().Bool("version", false, "print hookctl's version (as the version command does)")
	root.SetErr(f.IOStreams.ErrOut)
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		// Help is data on the run's stdout; set only here, so that no usage
		// error ever reaches stdout.
		c.SetOut(f.IOStreams.Out)
		defaultHelp(c, args)
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return clierr.Usagef("%v (see '%s --help')", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.String("config", "", "config file (env HOOKCTL_CONFIG; default $XDG_CONFIG_HOME/hookctl/config.yaml)")
	pf.String("profile", "", "config profile (env HOOKCTL_PROFILE; default: default_profile)")
	pf.String("provider", "", "provider when no profile is used: "+strings.Join(f.ProviderNames(), "|")+" (env HOOKCTL_PROVIDER)")
	pf.StringP("output", "o", "table", "output format: table|wide|json|yaml|name (env HOOKCTL_OUTPUT)")
	pf.String("jq", "", "filter JSON output with a jq expression (implies -o json)")
	pf.String("template", "", "format the JSON output with a Go template (fields as in -o json; helpers json, join, upper)")
	pf.Bool("no-headers", false, "tables without the header row")
	pf.String("base-url", "", "API base URL (env HOOKCTL_BASE_URL)")
	pf.String("timeout", "30s", "whole-command deadline (env HOOKCTL_TIMEOUT)")
	pf.Bool("debug", false, "dump HTTP exchanges on stderr, secrets redacted (env HOOKCTL_DEBUG=1)")
	pf.Bool("no-color", false, "no ANSI colour (env NO_COLOR, CLICOLOR=0; CLICOLOR_FORCE=1 forces it)")
	f.BindFlags(pf)

	_ = root.RegisterFlagCompletionFunc("output", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		if formats := cmdutil.Outputs(cmd); formats != nil {
			return formats, cobra.ShellCompDirectiveNoFileComp
		}
		return config.Outputs, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("provider", fixedCompletion(f.ProviderNames()...))
	_ = root.RegisterFlagCompletionFunc("profile", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		path, _ := config.ConfigPath(f.Flags())
		file, _, err := config.ReadFile(path)
		if err != nil || file == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for name, p := range file.Profiles {
			desc, _ := p["provider"].(string)
			out = append(out, name+"\t"+desc)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})

	for _, t := range topLevel {
		if only == "" || slices.Contains(t.names, only) {
			root.AddCommand(t.build(f)...)
		}
	}
	root.SetHelpCommand(newCmdHelp(f, root))
	root.InitDefaultCompletionCmd()
	usageArgs(root)
	declareOutputs(f, root)
	return root
}

// outputsOf are the -o formats each command prints, in one place: -o name
// only where the command prints objects with ids. A command not named here
// reads -o itself (version) or prints no document.
var outputsOf = map[string][]string{
	"hookctl webhooks list":        cmdutil.IDOutputs,
	"hookctl webhooks get":         cmdutil.IDOutputs,
	"hookctl webhooks create":      cmdutil.IDOutputs,
	"hookctl webhooks update":      cmdutil.IDOutputs,
	"hookctl webhooks delete":      cmdutil.IDOutputs,
	"hookctl webhooks test":        cmdutil.IDOutputs,
	"hookctl webhooks events":      cmdutil.IDOutputs,
	"hookctl webhooks keys list":   cmdutil.IDOutputs,
	"hookctl webhooks keys get":    cmdutil.IDOutputs,
	"hookctl webhooks keys create": cmdutil.IDOutputs,
	"hookctl webhooks keys delete": cmdutil.IDOutputs,
	"hookctl deliveries list":      cmdutil.IDOutputs,
	"hookctl deliveries get":       cmdutil.IDOutputs,
	"hookctl deliveries redeliver": cmdutil.IDOutputs,
	"hookctl verify":               cmdutil.IDOutputs,
	"hookctl emulator trigger":     cmdutil.IDOutputs,
	"hookctl doctor":               cmdutil.DocOutputs,
	"hookctl config view":          cmdutil.DocOutputs,
	"hookctl diff":                 cmdutil.DocOutputs,
	"hookctl apply":                cmdutil.DocOutputs,
	"hookctl export":               {"table", "yaml", "json"},
	"hookctl listen":               {"table", "json"},
}

// outputsWhy words what a command prints instead of a refused format.
var outputsWhy = map[string]string{
	"hookctl export": "export writes yaml (the default) or json",
	"hookctl listen": "listen prints lines, or JSON lines with -o json",
}

// declareOutputs annotates each command with the formats it prints and
// refuses any other before the command runs: nothing is sent for an -o the
// command cannot print.
func declareOutputs(f *cmdutil.Factory, c *cobra.Command) {
	if formats, ok := outputsOf[c.CommandPath()]; ok && c.RunE != nil {
		cmdutil.SetOutputs(c, formats...)
		if why := outputsWhy[c.CommandPath()]; why != "" {
			c.Annotations[cmdutil.OutputsWhyAnnotation] = why
		}
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := f.CheckOutput(cmd); err != nil {
				return err
			}
			return run(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		declareOutputs(f, sub)
	}
}

// usageArgs makes every argument check of the tree, cobra's own included,
// return a usage error (exit 2).
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			if err != nil && !clierr.IsUsage(err) {
				return clierr.Usagef("%v (see '%s --help')", err, cmd.CommandPath())
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

func titles(f *cmdutil.Factory) []string {
	var out []string
	for _, p := range f.Registry() {
		out = append(out, p.Title)
	}
	return out
}

func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	return cmdutil.UnknownCommand(cmd, args)
}
