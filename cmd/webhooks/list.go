package webhooks

import (
	"encoding/json"
	"fmt"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
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
--limit N returns at most N (following pages as needed), --all follows every page
(Conekta cursors at limit=250, Bankly pages at pageSize=100) into one list.`,
		Example: `  hookctl webhooks list
  hookctl webhooks list --all -o json
  hookctl webhooks list --status disabled --jq '.[].id'
  hookctl webhooks list --search order --limit 5        # conekta
  hookctl webhooks list --page 2 --page-size 50         # bankly`,
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
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's items as received (json/yaml only)")
	fl.StringVar(&o.List.Search, "search", "", "Conekta's search filter")
	fl.StringVar(&o.List.URL, "url", "", "only webhooks with this URL")
	fl.StringVar(&o.List.Next, "next", "", "start after this cursor")
	fl.StringVar(&o.List.Previous, "previous", "", "page backwards from this cursor")
	fl.IntVar(&o.List.Page, "page", 0, "page number, from 1")
	fl.IntVar(&o.List.PageSize, "page-size", 0, "items per page, 1 to 100")
	markProvider(cmd, "conekta", "search", "url", "next", "previous")
	markProvider(cmd, "bankly", "page", "page-size")
	_ = cmd.RegisterFlagCompletionFunc("status", fixed("enabled", "disabled"))
	return cmd
}

func (o *ListOptions) validate(cmd *cobra.Command) error {
	l := &o.List
	if cmd.Flags().Changed("limit") && l.Limit < 1 {
		return clierr.Usagef("--limit %d: give a positive number", l.Limit)
	}
	if l.Status != "" && l.Status != "enabled" && l.Status != "disabled" {
		return clierr.Usagef("--status %q: use enabled or disabled", l.Status)
	}
	if l.Next != "" && l.Previous != "" {
		return clierr.Usagef("--next and --previous both given: page in one direction")
	}
	if cmd.Flags().Changed("page") && l.Page < 1 {
		return clierr.Usagef("--page %d: pages start at 1", l.Page)
	}
	if cmd.Flags().Changed("page-size") && (l.PageSize < 1 || l.PageSize > 100) {
		return clierr.Usagef("--page-size %d: Bankly takes 1 to 100", l.PageSize)
	}
	if l.All && (l.Page != 0 || l.Next != "" || l.Previous != "") {
		return clierr.Usagef("--all follows every page: drop --page/--next/--previous")
	}
	return nil
}

func listRun(cmd *cobra.Command, o *ListOptions) error {
	f := o.Factory
	p, err := f.Printer(o.Raw)
	if err != nil {
		return err
	}
	prov, err := newProvider(f, cmd, "list", provider.Read)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	o.List.Debugf = f.Debugf
	res, err := prov.List(ctx, o.List)
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
	if err := p.Print(f.IOStreams.Out, res.Items, webhookTable(res.Items)); err != nil {
		return err
	}
	if res.Next != "" && f.IOStreams.IsStderrTTY() {
		fmt.Fprintf(f.IOStreams.ErrOut, "more webhooks exist: continue with %s, or use --all\n", termsafe.Line(res.Next))
	}
	return nil
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
