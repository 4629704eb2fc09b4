// Package cmd is hookctl's command tree.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/iostreams"
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
	root := NewRootCmd(f)
	root.SetArgs(args)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// Completions are data; SetOut is safe here because no usage error is printed.
		root.SetOut(f.IOStreams.Out)
	}
	err := root.ExecuteContext(ctx)
	if err == nil {
		return clierr.ExitOK
	}
	if ctx.Err() != nil {
		// SIGINT or SIGTERM: whatever the command was doing, it was interrupted.
		fmt.Fprintln(f.IOStreams.ErrOut, "interrupted")
		return clierr.ExitCode(clierr.ErrInterrupted)
	}
	var ee *clierr.ExitError
	if !(errors.As(err, &ee) && ee.Silent) {
		msg := err.Error()
		if s, cerr := f.Config(); cerr == nil {
			if t := clierr.TimeoutMessage(err, s.Timeout.String()); t != "" {
				msg = t
			}
		}
		fmt.Fprintln(f.IOStreams.ErrOut, "error: "+termsafe.Line(f.Redactor.String(oneLine(msg))))
	}
	return clierr.ExitCode(err)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// NewRootCmd builds a fresh command tree.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "hookctl",
		Short: "Manage webhook configurations at payment providers",
		Long: `hookctl manages webhook configurations at payment providers (Conekta, Bankly)
through one interface: list, get, create, update, delete and test webhooks.`,
		Example: `  hookctl emulator --write-config ./hookctl.yaml &   # local emulators, no account needed
  hookctl --config ./hookctl.yaml --profile conekta-emulator webhooks list
  hookctl webhooks create --url https://example.com/hooks --events order.paid,charge.refunded
  hookctl webhooks list -o json --jq '.[].id'`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return clierr.Usagef("%v (see '%s --help')", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.String("config", "", "config file (env HOOKCTL_CONFIG; default $XDG_CONFIG_HOME/hookctl/config.yaml)")
	pf.String("profile", "", "config profile (env HOOKCTL_PROFILE; default: default_profile)")
	pf.String("provider", "", "provider when no profile is used: conekta|bankly (env HOOKCTL_PROVIDER)")
	pf.StringP("output", "o", "table", "output format: table|json|yaml (env HOOKCTL_OUTPUT)")
	pf.String("jq", "", "filter JSON output with a jq expression (implies -o json)")
	pf.String("base-url", "", "API base URL (env HOOKCTL_BASE_URL)")
	pf.String("timeout", "30s", "whole-command deadline (env HOOKCTL_TIMEOUT)")
	pf.Bool("debug", false, "dump HTTP exchanges on stderr, secrets redacted (env HOOKCTL_DEBUG=1)")
	pf.Bool("no-color", false, "no ANSI colour (env NO_COLOR)")
	f.BindFlags(pf)

	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion(config.Outputs...))
	_ = root.RegisterFlagCompletionFunc("provider", fixedCompletion(all.Names()...))
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

	root.AddCommand(
		webhooks.NewCmdWebhooks(f),
		newCmdConfig(f),
		newCmdEmulator(f),
		newCmdVersion(f),
	)
	return root
}

func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return clierr.Usagef("unknown command %q for %q (see '%s --help')", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return nil
}
