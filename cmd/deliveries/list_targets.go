package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// listTargets is `deliveries list` over many profiles: each target's
// deliveries of the window, every target reported, a TARGET column in tables.
func listTargets(cmd *cobra.Command, o *ListOptions, fo fanout.Options) error {
	f := o.Factory
	check := func(targets []fanout.Target) error {
		for _, info := range fanout.Providers(f, targets) {
			if err := checkEvent(info, o.Query.Event); err != nil {
				return err
			}
		}
		_, _, err := o.Window.resolve(cmd, time.Now())
		return err
	}
	return webhooks.ListTargets(cmd, f, fo, check, func(ctx context.Context, t fanout.Target) ([]provider.Delivery, error) {
		s, err := newSetup(t.F, cmd)
		if err != nil {
			return nil, err
		}
		q := o.Query
		if q.Limit == 0 && !q.All {
			q.Limit = DefaultLimit
		}
		dl, err := prepare(t.F, cmd, s, o.Window, &q, provider.Read)
		if err != nil {
			return nil, err
		}
		out := []provider.Delivery{}
		more, err := dl.ListDeliveries(ctx, q, func(page []provider.Delivery) error {
			out = append(out, page...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if more && f.IOStreams.IsStderrTTY() {
			fmt.Fprintf(f.IOStreams.ErrOut, "%s: more deliveries exist in the window: raise --limit (now %d), or use --all\n", termsafe.Line(t.Name), q.Limit)
		}
		return out, nil
	}, func(items []provider.Delivery) *output.Table {
		t := deliveryTable()
		for _, d := range items {
			t.Rows = append(t.Rows, deliveryRow(d))
			t.Names = append(t.Names, d.ID)
		}
		return t
	})
}
