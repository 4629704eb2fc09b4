package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// newCmdDoctor is `hookctl doctor`: one line per link of the credential chain.
func newCmdDoctor(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check each link of the credential chain of a profile",
		Long: `Check, for the selected profile (or every profile), each link of the chain a command
depends on, one line per check: ok, warn or fail, and what to do. No secret is printed.
The config file's mode is checked for every provider. Exit 0 when no check failed, 1 otherwise.` + doctorHelp(f),
		Example: "  hookctl doctor --profile prod\n  hookctl doctor --all-profiles -o json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fo, err := fanout.FromFlags(cmd)
			if err != nil {
				return err
			}
			if !fo.Active() {
				checks, err := doctorProfile(cmd, f)
				if err != nil {
					return err
				}
				return printChecks(f, checks)
			}
			return doctorAll(cmd, f, fo)
		},
	}
	fanout.AddFlags(cmd)
	return cmd
}

func doctorHelp(f *cmdutil.Factory) string {
	var b strings.Builder
	for _, info := range f.Registry() {
		if h := info.Help["doctor"]; h != "" {
			fmt.Fprintf(&b, "\n\n%s: %s", info.Title, h)
		}
	}
	return b.String()
}

// doctorProfile runs the checks of the profile f is configured for.
func doctorProfile(cmd *cobra.Command, f *cmdutil.Factory) ([]provider.Check, error) {
	s, err := f.Config()
	if err != nil {
		return nil, err
	}
	var checks []provider.Check
	switch {
	case !s.ConfigExists:
		checks = append(checks, provider.Check{Check: "config file", Result: provider.CheckWarn, Detail: s.ConfigFile + " does not exist: settings come from flags and the environment"})
	case len(s.Warnings) > 0:
		checks = append(checks, provider.Check{Check: "config file", Result: provider.CheckWarn, Detail: strings.Join(s.Warnings, "; ")})
	default:
		checks = append(checks, provider.Check{Check: "config file", Result: provider.CheckOK, Detail: s.ConfigFile})
	}
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	if info.Doctor == nil {
		return append(checks, provider.Check{Check: "provider", Result: provider.CheckWarn, Detail: info.Name + " has no checks"}), nil
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return nil, err
	}
	defer cancel()
	for _, c := range info.Doctor(ctx, f.Env(provider.Read, nil)) {
		c.Detail = f.Redactor.String(c.Detail)
		checks = append(checks, c)
	}
	if ctx.Err() != nil {
		return checks, ctx.Err()
	}
	return checks, nil
}

func failed(checks []provider.Check) bool {
	for _, c := range checks {
		if c.Result == provider.CheckFail {
			return true
		}
	}
	return false
}

func checksTable(checks []provider.Check, target string) *output.Table {
	t := &output.Table{Header: []string{"result", "check", "detail"}, Shrink: []int{2}, Colors: map[int]func(string) string{0: resultColor}}
	if target != "" {
		t.Header = []string{"target", "result", "check", "detail"}
		t.Shrink, t.Colors = []int{3}, map[int]func(string) string{1: resultColor}
	}
	for _, c := range checks {
		row := []string{c.Result, c.Check, c.Detail}
		if target != "" {
			row = append([]string{target}, row...)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func resultColor(cell string) string {
	switch cell {
	case provider.CheckOK:
		return output.Green
	case provider.CheckFail:
		return output.Red
	}
	return ""
}

func printChecks(f *cmdutil.Factory, checks []provider.Check) error {
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	if err := p.Print(f.IOStreams.Out, checks, checksTable(checks, "")); err != nil {
		return err
	}
	if failed(checks) {
		return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("a check failed: see the fail lines")}
	}
	return nil
}

// doctorAll checks every selected profile concurrently and reports each,
// also those whose settings do not load.
func doctorAll(cmd *cobra.Command, f *cmdutil.Factory, fo fanout.Options) error {
	targets, err := fanout.Resolve(f, fo)
	if err != nil {
		return err
	}
	line := f.Progress("targets")
	results := fanout.Run(cmd.Context(), targets, fo, line.Update, func(_ context.Context, t fanout.Target) ([]provider.Check, error) {
		checks, err := doctorProfile(cmd, t.F)
		if err == nil && failed(checks) {
			err = errCheckFailed
		}
		return checks, err
	})
	line.Done()
	doc := fanout.NewDocument(results, f.Redactor.String)
	table := checksTable(nil, "all")
	for i, r := range results {
		checks := r.Data
		if r.Err != nil && r.Err != errCheckFailed {
			checks = append(checks, provider.Check{Check: "settings", Result: provider.CheckFail, Detail: f.Redactor.String(r.Message())})
		}
		if r.Err == errCheckFailed {
			// The checks are the data, failed ones included.
			doc.Results[i].Data = checks
		}
		table.Rows = append(table.Rows, checksTable(checks, r.Target).Rows...)
	}
	if cmd.Context().Err() != nil {
		return cmd.Context().Err()
	}
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	if err := p.Print(f.IOStreams.Out, doc, table); err != nil {
		return err
	}
	if doc.Summary.Failed > 0 {
		return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("%d of %d profiles have a failed check", doc.Summary.Failed, len(targets))}
	}
	return nil
}

var errCheckFailed = errors.New("a check failed")
