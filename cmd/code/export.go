package code

import (
	"bytes"
	"context"
	"fmt"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/plan"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

func newCmdExport(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the webhooks of one or more targets as a file (webhooks as code)",
		Long: `Write the webhooks of the selected targets (the current profile, or --profiles,
--all-profiles, --profile-glob, each profile's --child-companies) as one document:
version 1, targets by name (profile or profile/child-company), each with its provider and
its webhooks, sorted, without ids or timestamps. YAML by default, -o json for JSON.

Secrets never appear in it: a write-only field (a secret the provider never returns) and a URL's
user-info are written as references, ${env:NAME}, named after the target and the webhook;
stderr lists the ones to provide before apply can create or change those webhooks.
A target that fails is reported on stderr and left out (exit 1).` + codeHelp(f),
		Example: `  hookctl export --profile prod > webhooks.yaml
  hookctl export --all-profiles -o json > webhooks.json
  hookctl export --profiles holding --child-companies co_1,co_2`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return exportRun(cmd, f) },
	}
	fanout.AddFlags(cmd)
	return cmd
}

type exported struct {
	t    *plan.Target
	refs []plan.Reference
	json []byte // the target in the JSON document, encoded as soon as it is read
}

func exportRun(cmd *cobra.Command, f *cmdutil.Factory) error {
	fo, err := fanout.FromFlags(cmd)
	if err != nil {
		return err
	}
	s, err := f.Config()
	if err != nil {
		return err
	}
	format := s.Output
	if fl := f.Flags().Lookup("jq"); fl != nil && fl.Changed {
		return clierr.Usagef("export writes its document as it is: pipe -o json into jq instead of --jq")
	}
	if fl := f.Flags().Lookup("template"); fl != nil && fl.Changed {
		return clierr.Usagef("export writes its document as it is: --template is not supported")
	}
	switch format {
	case "table", "yaml":
		format = "yaml"
	case "json":
	default:
		return clierr.Usagef("-o %s: export writes yaml (the default) or json", format)
	}
	var targets []fanout.Target
	if fo.Active() {
		if targets, err = fanout.Resolve(f, fo); err != nil {
			return err
		}
	} else {
		if s.ProfileName == "" {
			return clierr.Usagef("export names each target after its profile: select one with --profile (or --profiles, --all-profiles)")
		}
		info, err := f.ProviderInfo()
		if err != nil {
			return err
		}
		targets = []fanout.Target{{Name: s.ProfileName, Profile: s.ProfileName, Provider: info.Name, F: f}}
	}
	for _, t := range targets {
		info, _ := plan.InfoOf(f.Registry(), t.Provider)
		if info.Code == nil {
			return clierr.Usagef("target %s: webhooks as code is not supported by %s", t.Name, t.Provider)
		}
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	line := f.Progress("targets")
	results := fanout.Run(ctx, targets, fo, line.Update, func(ctx context.Context, t fanout.Target) (exported, error) {
		info, err := t.F.ProviderInfo()
		if err != nil {
			return exported{}, err
		}
		_, items, err := remote(ctx, target{Target: t, Info: info}, provider.Read)
		if err != nil {
			return exported{}, err
		}
		spec, refs := plan.Export(t.Name, info, items)
		out := exported{t: spec, refs: refs}
		if format == "json" {
			out.json = plan.TargetJSON(f.Registry(), t.Name, spec)
		}
		return out, nil
	})
	line.Done()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	doc := &plan.Document{Version: plan.Version, Targets: map[string]*plan.Target{}}
	parts := map[string][]byte{}
	var refs []plan.Reference
	for _, r := range results {
		if r.OK() {
			doc.Targets[r.Target] = r.Data.t
			parts[r.Target] = r.Data.json
			refs = append(refs, r.Data.refs...)
		}
	}
	var out []byte
	if format == "json" {
		out = plan.JoinJSON(doc.Version, parts)
	} else {
		out, err = doc.EncodeYAML(f.Registry())
	}
	if err != nil {
		return err
	}
	if _, err := f.IOStreams.Out.Write(out); err != nil {
		return err
	}
	if len(refs) > 0 {
		// One write: a line each would be a write each, thousands over many targets.
		var b bytes.Buffer
		b.WriteString("secrets are references in the document; before apply can create or change their webhook, provide:\n")
		for _, r := range refs {
			fmt.Fprintf(&b, "  %s  %s of %s %s\n", r.Ref.Name, r.Field, termsafe.Line(r.Target), termsafe.Line(r.Webhook))
		}
		_, _ = f.IOStreams.ErrOut.Write(b.Bytes())
	}
	reportFailures(f, results)
	return runErr(results)
}
