// Package code holds webhooks as code: `hookctl export`, `diff` and
// `apply`. The commands are thin: internal/plan computes, renders and
// executes; internal/fanout runs the targets.
package code

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/plan"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// NewCmds are the commands of webhooks as code.
func NewCmds(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{newCmdExport(f), newCmdDiff(f), newCmdApply(f)}
}

// codeHelp is, for help, what each provider declares for webhooks as code.
func codeHelp(f *cmdutil.Factory) string {
	var b strings.Builder
	for _, info := range f.Registry() {
		c := info.Code
		if c == nil {
			continue
		}
		fmt.Fprintf(&b, "\n  %s: fields %s; matched by %s", info.Name, strings.Join(c.Fields, ", "), strings.Join(c.Key, ", "))
		if len(c.Immutable) > 0 {
			fmt.Fprintf(&b, "; a change of %s is a replace", strings.Join(c.Immutable, ", "))
		}
		for _, wo := range c.WriteOnly {
			fmt.Fprintf(&b, "; write-only %s (%s)", wo.Field, wo.Doc)
		}
		if c.Limit > 0 {
			fmt.Fprintf(&b, "; at most %d webhooks per environment", c.Limit)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "\n\nProviders:" + b.String()
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return clierr.Usagef("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// readFile reads -f FILE (or - for stdin).
func readFile(ctx context.Context, f *cmdutil.Factory, flag, path string) ([]byte, error) {
	var r io.Reader = f.IOStreams.In
	if path != "-" {
		fh, err := os.Open(config.ExpandHome(path))
		if err != nil {
			return nil, clierr.Usagef("%s %s: %v", flag, path, config.PathCause(err))
		}
		defer fh.Close()
		if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil, clierr.Usagef("%s %s is not a regular file", flag, path)
		}
		r = fh
	}
	data, err := io.ReadAll(io.LimitReader(r, plan.MaxFileSize+1))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, clierr.Usagef("%s %s: %v", flag, path, err)
	}
	return data, nil
}

// target is one target of a run, with its registration.
type target struct {
	fanout.Target
	Info provider.Info
	Spec *plan.Target
}

// fileTargets are the file's targets (those the fan-out flags select, when
// given), each checked against the config file: its profile exists, its
// provider is the profile's, a child company only for a provider with them.
func fileTargets(cmd *cobra.Command, f *cmdutil.Factory, doc *plan.Document) ([]target, error) {
	fo, err := fanout.FromFlags(cmd)
	if err != nil {
		return nil, err
	}
	var selected []fanout.Target
	if fo.Active() {
		if selected, err = fanout.Resolve(f, fo); err != nil {
			return nil, err
		}
	}
	file, cfgPath, err := f.ConfigFile()
	if err != nil {
		return nil, err
	}
	var profiles []string
	if file != nil {
		for name := range file.Profiles {
			profiles = append(profiles, name)
		}
	}
	slices.Sort(profiles)
	var out []target
	for _, name := range doc.Names() {
		spec := doc.Targets[name]
		profile, child := plan.SplitTarget(name)
		if fo.Active() && !slices.ContainsFunc(selected, func(t fanout.Target) bool {
			return t.Name == name || (t.Child == "" && child != "" && t.Profile == profile)
		}) {
			continue
		}
		if !slices.Contains(profiles, profile) {
			return nil, clierr.Usagef("target %s: no profile %q in %s%s: add it, or fix the target's name", name, profile, cfgPath, suggest.Hint(profile, profiles))
		}
		prov, _ := file.Profiles[profile]["provider"].(string)
		if prov != spec.Provider {
			return nil, clierr.Usagef("target %s: the file says provider %s, profile %s is %s: fix the file or the profile", name, spec.Provider, profile, prov)
		}
		info, _ := plan.InfoOf(f.Registry(), prov)
		var keys map[string]string
		if child != "" {
			if info.ChildKey == "" {
				return nil, clierr.Usagef("target %s: %s has no child companies: name the target %s", name, info.Name, profile)
			}
			keys = map[string]string{info.ChildKey: child}
		}
		out = append(out, target{Target: fanout.Target{Name: name, Profile: profile, Child: child, Provider: prov, F: f.ForTarget(profile, keys)}, Info: info, Spec: spec})
	}
	if fo.Active() && len(out) == 0 {
		return nil, clierr.Usagef("none of the selected targets is in the file (its targets: %s)", strings.Join(doc.Names(), ", "))
	}
	return out, nil
}

// remote lists every webhook of a target.
func remote(ctx context.Context, t target, access provider.Access) (provider.Provider, []provider.Webhook, error) {
	prov, err := t.F.Provider(access, nil)
	if err != nil {
		return nil, nil, err
	}
	res, err := prov.List(ctx, provider.ListOptions{All: true, Debugf: t.F.Debugf})
	if err != nil {
		return nil, nil, err
	}
	return prov, res.Items, nil
}

// resolver resolves the file's references: environment variables, and
// files relative to the file's directory (refused when everyone may read
// them). Each value is registered with the redactor.
func resolver(f *cmdutil.Factory, baseDir string) plan.Resolver {
	return func(r plan.Ref) (string, bool, error) {
		var v string
		switch r.Kind {
		case "env":
			v = strings.TrimSpace(os.Getenv(r.Name))
		case "file":
			p := config.ExpandHome(r.Name)
			if !filepath.IsAbs(p) {
				p = filepath.Join(baseDir, p)
			}
			if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
				return "", false, nil
			}
			s, err := config.ReadSecretFile(r.String(), p)
			if err != nil {
				return "", false, err
			}
			v = s
		}
		if v == "" {
			return "", false, nil
		}
		f.Redactor.Add(v)
		return v, true, nil
	}
}

// reportFailures prints each failed target on stderr.
func reportFailures[T any](f *cmdutil.Factory, results []fanout.Result[T]) {
	for _, r := range results {
		if !r.OK() {
			fmt.Fprintf(f.IOStreams.ErrOut, "error: %s: %s\n", termsafe.Line(r.Target), termsafe.Line(f.Redactor.String(r.Message())))
		}
	}
}

// runErr is the exit of a run over targets: the one target's own error
// when there is one target, else exit 1 naming how many failed.
func runErr[T any](results []fanout.Result[T]) error {
	var failed []fanout.Result[T]
	for _, r := range results {
		if !r.OK() {
			failed = append(failed, r)
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(results) == 1:
		return &clierr.ExitError{Code: clierr.ExitCode(failed[0].Err), Silent: true, Err: failed[0].Err}
	}
	code := clierr.ExitFailure
	for _, r := range failed {
		if clierr.ExitCode(r.Err) == clierr.ExitUnknown {
			code = clierr.ExitUnknown
		}
	}
	return &clierr.ExitError{Code: code, Err: fmt.Errorf("%d of %d targets failed", len(failed), len(results))}
}
