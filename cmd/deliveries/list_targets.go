package deliveries

import (
	"context"
	"fmt"
	"time"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// listTargets is `deliveries list` over many profiles: each target's
// deliveries of the window, every target reported, a TARGET column in tables.
func listTargets(cmd *cobra.Command, o *ListOptions, fo fanout.Options) error {
	f := o.Factory
	if o.Raw {
		return clierr.Usagef("--raw prints one target's payload: use it with --profile, not --profiles/--all-profiles/--profile-glob")
	}
	targets, err := fanout.Resolve(f, fo)
	if err != nil {
		return err
	}
	if err := webhooks.CheckTargetFlags(cmd, f, targets); err != nil {
		return err
	}
	for _, info := range fanout.Providers(f, targets) {
		if err := checkEvent(info, o.Query.Event); err != nil {
			return err
		}
	}
	if _, _, err := o.Window.resolve(cmd, time.Now()); err != nil {
		return err
	}
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	line := f.Progress("targets")
	results := fanout.Run(ctx, targets, fo, line.Update, func(ctx context.Context, t fanout.Target) ([]provider.Delivery, error) {
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
	})
	line.Done()
	doc := fanout.NewDocument(results, f.Redactor.String)
	table := deliveryTable()
	var labels []string
	for _, r := range results {
		if !r.OK() {
			fmt.Fprintf(f.IOStreams.ErrOut, "error: %s: %s\n", termsafe.Line(r.Target), termsafe.Line(f.Redactor.String(r.Message())))
			continue
		}
		for _, d := range r.Data {
			table.Rows = append(table.Rows, deliveryRow(d))
			table.Names = append(table.Names, d.ID)
			labels = append(labels, r.Target)
		}
	}
	table.Prefix("target", labels)
	if err := f.IOStreams.StartPager(); err != nil {
		return err
	}
	defer f.IOStreams.StopPager()
	if err := p.Print(f.IOStreams.Out, doc, table); err != nil {
		return err
	}
	return doc.Err()
}
