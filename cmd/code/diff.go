package code

import (
	"context"
	"path/filepath"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/plan"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	File          string
	Prune         bool
	RotateSecrets bool
	ExitCode      bool
}

func newCmdDiff(f *cmdutil.Factory) *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff -f FILE",
		Short: "Show what apply would change to make the webhooks match a file",
		Long: `Compare the webhooks of each target of FILE (as export writes it) with the provider's
and print the plan: + create, ~ update (field: before → after), -/+ replace (a field the
provider cannot change in place), - delete (only with --prune), ? unmanaged (a webhook
the file lacks, kept without --prune). A webhook deleted by hand is planned as a create.

Webhooks are matched by each provider's key (below). Fields the file omits are left as
they are. Write-only fields (secrets the provider never returns) print "(write-only, not compared)" and never make a diff by themselves; --rotate-secrets
plans setting them again from their references.

--exit-code: exit 0 in sync, 7 on drift (any planned change, and any unmanaged webhook:
the provider then holds a webhook the file lacks), and the usual codes on errors (1, 2,
3, ...), so a scheduled job can tell drift from a failure. -o json prints the plan as data
("drift": true|false).` + codeHelp(f),
		Example: `  hookctl diff -f webhooks.yaml
  hookctl diff -f webhooks.yaml --prune --exit-code   # in CI: 7 means drift
  hookctl diff -f webhooks.yaml -o json --jq '.summary'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return diffRun(cmd, f, o) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.File, "file", "f", "", "the file of webhooks (YAML or JSON), - for stdin")
	fl.BoolVar(&o.Prune, "prune", false, "plan a delete of every webhook the file lacks")
	fl.BoolVar(&o.RotateSecrets, "rotate-secrets", false, "plan setting every write-only field again from its reference")
	fl.BoolVar(&o.ExitCode, "exit-code", false, "exit 7 on drift: a change to make or an unmanaged webhook (0 in sync)")
	fanout.AddFlags(cmd)
	return cmd
}

// planned is one target's plan and what it was computed from.
type planned struct {
	plan   *plan.TargetPlan
	prov   provider.Provider
	remote []provider.Webhook
}

// loadFile reads and parses -f FILE.
func loadFile(ctx context.Context, f *cmdutil.Factory, path string) (*plan.Document, string, error) {
	if path == "" {
		return nil, "", clierr.Usagef("-f FILE is required: the file of webhooks (see `hookctl export`)")
	}
	data, err := readFile(ctx, f, "-f", path)
	if err != nil {
		return nil, "", err
	}
	if plan.IsSaved(data) {
		return nil, "", clierr.Usagef("-f %s is a saved plan: apply it with `hookctl apply %s`", path, path)
	}
	doc, err := plan.Parse(data, path, f.Registry())
	if err != nil {
		return nil, "", err
	}
	base := "."
	if path != "-" {
		base = filepath.Dir(path)
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		abs = base
	}
	return doc, abs, nil
}

// planTargets computes every target's plan, concurrently.
func planTargets(ctx context.Context, f *cmdutil.Factory, targets []target, fo fanout.Options, access provider.Access, o plan.Options) []fanout.Result[planned] {
	byName := map[string]target{}
	var fts []fanout.Target
	for _, t := range targets {
		byName[t.Name] = t
		fts = append(fts, t.Target)
	}
	line := f.Progress("targets")
	defer line.Done()
	return fanout.Run(ctx, fts, fo, line.Update, func(ctx context.Context, ft fanout.Target) (planned, error) {
		t := byName[ft.Name]
		prov, items, err := remote(ctx, t, access)
		if err != nil {
			return planned{}, err
		}
		return planned{plan: plan.Compute(t.Name, t.Info, t.Spec, items, o), prov: prov, remote: items}, nil
	})
}

// planResults are the results for rendering.
func planResults(f *cmdutil.Factory, targets []target, results []fanout.Result[planned]) []plan.Result {
	out := make([]plan.Result, 0, len(results))
	for i, r := range results {
		pr := plan.Result{Target: r.Target, Provider: targets[i].Provider}
		if r.OK() {
			pr.Plan = r.Data.plan
		} else {
			pr.Err = f.Redactor.String(r.Message())
		}
		out = append(out, pr)
	}
	return out
}

// printPlan prints the plan: text on the table format, data otherwise.
func printPlan(f *cmdutil.Factory, results []plan.Result) error {
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	if p.IsTable() {
		return plan.Text(f.IOStreams.Out, results)
	}
	return p.Print(f.IOStreams.Out, plan.NewData(results), nil)
}

func diffRun(cmd *cobra.Command, f *cmdutil.Factory, o *diffOptions) error {
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	doc, base, err := loadFile(ctx, f, o.File)
	if err != nil {
		return err
	}
	targets, err := fileTargets(cmd, f, doc)
	if err != nil {
		return err
	}
	if _, err := f.Printer(false); err != nil {
		return err
	}
	fo, _ := fanout.FromFlags(cmd)
	results := planTargets(ctx, f, targets, fo, provider.Read, plan.Options{Prune: o.Prune, RotateSecrets: o.RotateSecrets, Resolve: resolver(f, base)})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	pr := planResults(f, targets, results)
	if err := printPlan(f, pr); err != nil {
		return err
	}
	reportFailures(f, results)
	if err := runErr(results); err != nil {
		return err
	}
	if o.ExitCode && plan.NewData(pr).Drift {
		return &clierr.ExitError{Code: clierr.ExitDrift, Silent: true, Err: errDrift}
	}
	return nil
}
