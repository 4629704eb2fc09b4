package deliveries

import (
	"fmt"
	"strconv"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// GetOptions are the parsed flags of `deliveries get`.
type GetOptions struct {
	Factory *cmdutil.Factory
	ID      string
	Raw     bool
}

// NewCmdGet is `hookctl deliveries get ID`.
func NewCmdGet(f *cmdutil.Factory, runF func(*cobra.Command, *GetOptions) error) *cobra.Command {
	o := &GetOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one delivery: every attempt, the receiver's last answer, the event",
		Long: `Show an event's deliveries (one per webhook) with every attempt known, the receiver's
last status and an excerpt of its answer (secrets redacted, control characters neutralised).
-o json adds the event payload.` + webhooks.ProviderHelp(f, provider.VerbDeliveriesGet),
		Example: "  hookctl deliveries get 6307a60c41de27127515a575\n  hookctl deliveries get 6307a60c41de27127515a575 -o json --jq .payload",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return clierr.Usagef("%s takes exactly one delivery ID, got %d (see '%s --help')", cmd.CommandPath(), len(args), cmd.CommandPath())
			}
			return checkID(args[0])
		},
		ValidArgsFunction: completeDeliveryIDs(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if runF != nil {
				return runF(cmd, o)
			}
			return getRun(cmd, o)
		},
	}
	cmd.Flags().BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	webhooks.AddProviderFlags(f, cmd, provider.VerbDeliveriesGet)
	return cmd
}

func getRun(cmd *cobra.Command, o *GetOptions) error {
	f := o.Factory
	p, err := f.Printer(o.Raw)
	if err != nil {
		return err
	}
	s, err := newSetup(f, cmd)
	if err != nil {
		return err
	}
	prov, err := s.provider(f, provider.Read)
	if err != nil {
		return err
	}
	g, ok := prov.(provider.DeliveryGetter)
	if !ok {
		return notSupported(s.info, "showing a delivery")
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	d, err := g.GetDelivery(ctx, o.ID, provider.DeliveryQuery{Input: s.in, Debugf: f.Debugf})
	if err != nil {
		return err
	}
	if o.Raw {
		return p.Print(f.IOStreams.Out, rawJSON(d.Raw), nil)
	}
	return p.Print(f.IOStreams.Out, d, detailTable(d))
}

// detailTable shows a delivery as field/value rows, one block per webhook.
func detailTable(d *provider.DeliveryDetail) *output.Table {
	t := &output.Table{Header: []string{"field", "value"}, Names: []string{d.ID},
		Colors: map[int]func(string) string{1: statusColor}}
	add := func(k, v string) { t.Rows = append(t.Rows, []string{k, v}) }
	add("provider", d.Provider)
	add("id", d.ID)
	add("event", d.Event)
	if d.Context != "" {
		add("context", d.Context)
	}
	if d.CreatedAt != nil {
		add("created_at", *d.CreatedAt)
	}
	if len(d.Deliveries) == 0 {
		add("deliveries", "none: no webhook was subscribed")
	}
	for i, l := range d.Deliveries {
		add(fmt.Sprintf("delivery %d", i+1), l.URL)
		if l.WebhookID != nil {
			add("  webhook", *l.WebhookID)
		}
		add("  status", l.Status)
		add("  attempts", strconv.Itoa(l.Attempts))
		add("  last status code", intOr(l.LastStatusCode, "-"))
		add("  last attempt", strOr(l.LastAttemptAt, "-"))
		add("  last response", l.LastResponse)
		for j, a := range l.History {
			v := strOr(a.At, "?") + "  " + intOr(a.StatusCode, "-")
			if a.Error != "" {
				v += "  " + a.Error
			} else if a.Response != "" {
				v += "  " + a.Response
			}
			add(fmt.Sprintf("  attempt %d", j+1), v)
		}
	}
	return t
}
