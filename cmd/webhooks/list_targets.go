package webhooks

import (
	"context"
	"fmt"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// listTargets is `webhooks list` over many profiles: every target listed
// concurrently, each reported, a TARGET column in tables.
func listTargets(cmd *cobra.Command, o *ListOptions, fo fanout.Options) error {
	f := o.Factory
	return ListTargets(cmd, f, fo, nil, func(ctx context.Context, t fanout.Target) ([]provider.Webhook, error) {
		prov, in, err := newProvider(t.F, cmd, provider.Read)
		if err != nil {
			return nil, err
		}
		lo := o.List
		lo.Input, lo.Debugf, lo.Progress = in, t.F.Debugf, nil
		res, err := prov.List(ctx, lo)
		if err != nil {
			return nil, err
		}
		if res.Next != nil && f.IOStreams.IsStderrTTY() {
			fmt.Fprintf(f.IOStreams.ErrOut, "%s: more webhooks exist: use --all or --limit\n", termsafe.Line(t.Name))
		}
		if res.Items == nil {
			res.Items = []provider.Webhook{}
		}
		return res.Items, nil
	}, webhookTable)
}

// ListTargets runs a list over the targets fo selects and prints them all:
// under a TARGET column the rows of every target that succeeded (table
// builds them from all their items), each failure on a line of stderr, and
// with -o json the results document; exit 1 when any target failed. check,
// when set, refuses inputs before any request, as the provider flags are.
func ListTargets[T any](cmd *cobra.Command, f *cmdutil.Factory, fo fanout.Options, check func(targets []fanout.Target) error,
	list func(ctx context.Context, t fanout.Target) ([]T, error), table func(items []T) *output.Table) error {
	if raw, _ := cmd.Flags().GetBool("raw"); raw {
		return usageTargets("--raw")
	}
	targets, err := fanout.Resolve(f, fo)
	if err != nil {
		return err
	}
	if err := CheckTargetFlags(cmd, f, targets); err != nil {
		return err
	}
	if check != nil {
		if err := check(targets); err != nil {
			return err
		}
	}
	// The run's printer comes from the first target whose settings load (the
	// default profile may be none of them, or broken); each target runs
	// within its own timeout.
	p, err := fanout.Printer(f, targets)
	if err != nil {
		return err
	}
	line := f.Progress("targets")
	results := fanout.Run(cmd.Context(), targets, fo, line.Update, func(ctx context.Context, t fanout.Target) ([]T, error) {
		ctx, cancel, err := t.F.Context(ctx)
		if err != nil {
			return nil, err
		}
		defer cancel()
		return list(ctx, t)
	})
	line.Done()
	doc := fanout.NewDocument(results, f.Redactor.String)
	var all []T
	var labels []string
	for _, r := range results {
		if !r.OK() {
			fmt.Fprintf(f.IOStreams.ErrOut, "error: %s: %s\n", termsafe.Line(r.Target), termsafe.Line(f.Redactor.String(r.Message())))
			continue
		}
		for _, item := range r.Data {
			all = append(all, item)
			labels = append(labels, r.Target)
		}
	}
	t := table(all)
	t.Prefix("target", labels)
	if err := f.IOStreams.StartPager(); err != nil {
		return err
	}
	defer f.IOStreams.StopPager()
	if err := p.Print(f.IOStreams.Out, doc, t); err != nil {
		return err
	}
	return doc.Err()
}

func usageTargets(flag string) error {
	return clierr.Usagef("%s prints one target's payload: use it with --profile, not --profiles/--all-profiles/--profile-glob", flag)
}

// CheckTargetFlags refuses, before any request, provider flags that some
// target's provider does not take, and a child-company flag that
// --child-companies contradicts.
func CheckTargetFlags(cmd *cobra.Command, f *cmdutil.Factory, targets []fanout.Target) error {
	for _, info := range fanout.Providers(f, targets) {
		if err := checkProviderFlags(cmd, info); err != nil {
			return err
		}
		if children, _ := cmd.Flags().GetStringSlice("child-companies"); len(children) > 0 && info.ChildKey != "" {
			var clash string
			cmd.Flags().Visit(func(fl *pflag.Flag) {
				if k := fl.Annotations[cmdutil.KeyAnnotation]; len(k) > 0 && k[0] == info.ChildKey {
					clash = fl.Name
				}
			})
			if clash != "" {
				return clierr.Usagef("--%s and --child-companies both name child companies: use one", clash)
			}
		}
	}
	return nil
}
