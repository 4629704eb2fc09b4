package deliveries

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/spf13/cobra"
)

// DefaultLimit is how many deliveries list shows without --limit or --all.
const DefaultLimit = 20

// ListOptions are the parsed flags of `deliveries list`.
type ListOptions struct {
	Factory *cmdutil.Factory
	Window  Window
	Query   provider.DeliveryQuery
	Raw     bool
}

// NewCmdList is `hookctl deliveries list`.
func NewCmdList(f *cmdutil.Factory, runF func(*cobra.Command, *ListOptions) error) *cobra.Command {
	o := &ListOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List deliveries",
		Long: `List the deliveries of the window (default: the last 24 hours), newest first: one per
event and webhook, with its status (succeeded, failed or pending), attempts and the receiver's
last status code. Without --limit or --all the first 20 are shown. --all prints every
delivery of the window as the pages arrive (a JSON array all the same), in bounded memory.` + webhooks.ProviderHelp(f, provider.VerbDeliveriesList),
		Example: `  hookctl deliveries list
  hookctl deliveries list --status failed --since 7d
  hookctl deliveries list --from 2026-12-01 --to 2026-12-02 --all -o json
  hookctl deliveries list --event order.paid --jq '.[] | select(.attempts > 1) | .id'`,
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
	addWindowFlags(cmd, &o.Window)
	fl.StringVar(&o.Window.To, "to", "", "window end: RFC 3339 or YYYY-MM-DD (that whole day; default now)")
	fl.StringVar(&o.Query.Status, "status", "", "only succeeded, failed or pending deliveries")
	fl.StringVar(&o.Query.Event, "event", "", "only deliveries of this event")
	fl.IntVar(&o.Query.Limit, "limit", 0, "at most this many deliveries (default 20 without --all)")
	fl.BoolVar(&o.Query.All, "all", false, "every delivery of the window, printed as the pages arrive")
	fl.IntVar(&o.Query.MaxItems, "max-items", provider.DefaultMaxItems, "the most items one listing may read: more is an error, never a silent cut")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's items as received (json/yaml only)")
	webhooks.AddProviderFlags(f, cmd, provider.VerbDeliveriesList)
	fanout.AddFlags(cmd)
	_ = cmd.RegisterFlagCompletionFunc("status", webhooks.Fixed(provider.DeliveryStatuses...))
	_ = cmd.RegisterFlagCompletionFunc("event", webhooks.CompleteEvents(f))
	_ = cmd.RegisterFlagCompletionFunc("since", webhooks.Fixed("1h", "24h", "7d", "30d"))
	return cmd
}

func (o *ListOptions) validate(cmd *cobra.Command) error {
	q := &o.Query
	if cmd.Flags().Changed("limit") && q.Limit < 1 {
		return clierr.Usagef("--limit %d: give a positive number", q.Limit)
	}
	if cmd.Flags().Changed("limit") && q.All {
		return clierr.Usagef("--limit and --all both given: use one")
	}
	if q.MaxItems < 1 {
		return clierr.Usagef("--max-items %d: give a positive number", q.MaxItems)
	}
	return checkStatus(q.Status)
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return clierr.Usagef("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// prepare resolves what list and redeliver --failed share: the provider's
// lister and the query of the window.
func prepare(f *cmdutil.Factory, cmd *cobra.Command, s *setup, w Window, q *provider.DeliveryQuery, access provider.Access) (provider.DeliveryLister, error) {
	if err := checkEvent(s.info, q.Event); err != nil {
		return nil, err
	}
	from, to, err := w.resolve(cmd, time.Now())
	if err != nil {
		return nil, err
	}
	q.From, q.To, q.Input, q.Debugf = from, to, s.in, f.Debugf
	prov, err := s.provider(f, access)
	if err != nil {
		return nil, err
	}
	dl, ok := prov.(provider.DeliveryLister)
	if !ok {
		return nil, notSupported(s.info, "listing deliveries")
	}
	return dl, nil
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
	s, err := newSetup(f, cmd)
	if err != nil {
		return err
	}
	q := o.Query
	if q.Limit == 0 && !q.All {
		q.Limit = DefaultLimit
	}
	q.Raw = o.Raw
	dl, err := prepare(f, cmd, s, o.Window, &q, provider.Read)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	var line interface {
		Update(int, int)
		Done()
	}
	if q.All && !f.IOStreams.IsStdoutTTY() {
		// On a terminal the rows themselves show the progress.
		l := f.Progress("pages")
		q.Progress, line = l.Update, l
	}
	if err := f.IOStreams.StartPager(); err != nil {
		return err
	}
	defer f.IOStreams.StopPager()
	st := p.Stream(f.IOStreams.Out, deliveryTable())
	lastRaw := ""
	more, err := dl.ListDeliveries(ctx, q, func(page []provider.Delivery) error {
		for _, d := range page {
			if o.Raw {
				if d.ID == lastRaw { // one provider item may hold several deliveries
					continue
				}
				lastRaw = d.ID
				st.Add(json.RawMessage(redact.JSONFields(d.Raw, "privateKey")), nil, d.ID)
				continue
			}
			st.Add(deliveryJSON{d}, deliveryRow(d), d.ID)
		}
		return st.Flush()
	})
	if line != nil {
		line.Done()
	}
	if err != nil {
		return err
	}
	if p.IsTable() && st.Count() == 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "no deliveries in the window")
		return nil
	}
	if err := st.Close(); err != nil {
		return err
	}
	if more && f.IOStreams.IsStderrTTY() {
		fmt.Fprintf(f.IOStreams.ErrOut, "more deliveries exist in the window: raise --limit (now %d), or use --all\n", q.Limit)
	}
	return nil
}

func statusColor(cell string) string {
	switch cell {
	case provider.DeliverySucceeded:
		return output.Green
	case provider.DeliveryFailed:
		return output.Red
	}
	return ""
}

// deliveryTable is the list table's columns: URL and EVENT cut first to fit
// the terminal; -o wide adds context, webhook and creation time.
func deliveryTable() *output.Table {
	return &output.Table{
		Header: []string{"id", "event", "status", "attempts", "code", "last attempt", "url", "context", "webhook", "created"},
		Colors: map[int]func(string) string{2: statusColor},
		Shrink: []int{6, 1},
		Wide:   map[int]bool{7: true, 8: true, 9: true},
	}
}

func deliveryRow(d provider.Delivery) []string {
	return []string{d.ID, d.Event, d.Status, strconv.Itoa(d.Attempts), intOr(d.LastStatusCode, "-"), strOr(d.LastAttemptAt, "-"),
		d.URL, d.Context, strOr(d.WebhookID, ""), strOr(d.CreatedAt, "")}
}

func intOr(p *int, def string) string {
	if p == nil {
		return def
	}
	return strconv.Itoa(*p)
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// rawJSON is a raw payload for printing, nil as null.
func rawJSON(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return json.RawMessage(redact.JSONFields(raw, "privateKey"))
}
