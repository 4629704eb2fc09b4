package webhooks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ListOptions are the parsed flags of `webhooks list`.
type ListOptions struct {
	Factory *cmdutil.Factory
	List    provider.ListOptions
	Raw     bool
}

// NewCmdList is `hookctl webhooks list`.
func NewCmdList(f *cmdutil.Factory, runF func(*cobra.Command, *ListOptions) error) *cobra.Command {
	o := &ListOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List webhooks",
		Long: `List the webhooks of the account. Without --limit or --all, the first 20 are shown;
--limit N returns at most N (following pages as needed), --all follows every page into
one list. When more exist, hookctl prints the command that continues on stderr.` + providerHelp(f, "list"),
		Example: providerExamples(f, "list", `  hookctl webhooks list
  hookctl webhooks list --all -o json
  hookctl webhooks list --status disabled --jq '.[].id'`),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, o)
			}
			return listRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.List.Limit, "limit", 0, "at most this many webhooks (default 20 without --all)")
	fl.BoolVar(&o.List.All, "all", false, "follow every page")
	fl.StringVar(&o.List.Status, "status", "", "only enabled or disabled webhooks: enabled|disabled")
	fl.IntVar(&o.List.MaxItems, "max-items", provider.DefaultMaxItems, "the most webhooks one list may hold: more is an error, never a silent cut")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's items as received (json/yaml only)")
	addProviderFlags(f, cmd, "list")
	fanout.AddFlags(cmd)
	_ = cmd.RegisterFlagCompletionFunc("status", fixed("enabled", "disabled"))
	return cmd
}

func (o *ListOptions) validate(cmd *cobra.Command) error {
	l := &o.List
	if cmd.Flags().Changed("limit") && l.Limit < 1 {
		return clierr.Usagef("--limit %d: give a positive number", l.Limit)
	}
	if l.MaxItems < 1 {
		return clierr.Usagef("--max-items %d: give a positive number", l.MaxItems)
	}
	if l.Status != "" && l.Status != "enabled" && l.Status != "disabled" {
		return clierr.Usagef("--status %q: use enabled or disabled", l.Status)
	}
	return nil
}

func listRun(cmd *cobra.Command, o *ListOptions) error {
	f := o.Factory
	fo, err := fanout.FromFlags(cmd)
	if err != nil {
		return err
	}
	if fo.Active() {
		return listTargets(cmd, o, fo)
	}
	p, err := f.Printer(o.Raw)
	if err != nil {
		return err
	}
	prov, in, err := newProvider(f, cmd, provider.Read)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	o.List.Debugf = f.Debugf
	o.List.Input = in
	line := f.Progress("pages")
	o.List.Progress = line.Update
	res, err := prov.List(ctx, o.List)
	line.Done()
	if err != nil {
		return err
	}
	if o.Raw {
		items := []json.RawMessage{}
		for _, w := range res.Items {
			items = append(items, rawPayload(w.Raw))
		}
		return p.Print(f.IOStreams.Out, items, nil)
	}
	if p.IsTable() && len(res.Items) == 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "no webhooks")
		return nil
	}
	if err := f.IOStreams.StartPager(); err != nil {
		return err
	}
	defer f.IOStreams.StopPager()
	if err := p.Print(f.IOStreams.Out, res.Items, webhookTable(res.Items)); err != nil {
		return err
	}
	if res.Next != nil && f.IOStreams.IsStderrTTY() {
		fmt.Fprintf(f.IOStreams.ErrOut, "more webhooks exist: continue with `%s`, or use --all\n", termsafe.Line(continueCommand(cmd, res.Next)))
	}
	return nil
}

// continueCommand is the command line that fetches the next page: this one,
// with the continuation's inputs in place of the paging flags given.
func continueCommand(cmd *cobra.Command, next *provider.Continuation) string {
	args := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if fl.Name == "all" || next.Input.Has(fl.Name) || isPaging(cmd, fl.Name) {
			return
		}
		args = append(args, flagArgs(fl)...)
	})
	for _, name := range next.Order {
		args = append(args, "--"+name, shellQuote(next.Input.String(name)))
	}
	return strings.Join(args, " ")
}

// isPaging reports whether the flag is a paging input of some provider: the
// continuation replaces those.
func isPaging(cmd *cobra.Command, name string) bool {
	fl := cmd.Flags().Lookup(name)
	return fl != nil && fl.Annotations[pagingAnnotation] != nil
}

func flagArgs(fl *pflag.Flag) []string {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		var out []string
		for _, v := range sv.GetSlice() {
			out = append(out, "--"+fl.Name, shellQuote(v))
		}
		return out
	}
	if fl.Value.Type() == "bool" {
		return []string{"--" + fl.Name + "=" + fl.Value.String()}
	}
	return []string{"--" + fl.Name, shellQuote(fl.Value.String())}
}

// shellQuote quotes a value for POSIX shells when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func fixed(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return clierr.Usagef("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}
