package webhooks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// DeleteOptions are the parsed flags of `webhooks delete`.
type DeleteOptions struct {
	Factory *cmdutil.Factory
	IDs     []string
	Yes     bool
}

// DeleteResult is one line of delete's output.
type DeleteResult struct {
	ID      string  `json:"id"`
	Deleted bool    `json:"deleted"`
	Error   *string `json:"error"`
}

// NewCmdDelete is `hookctl webhooks delete ID...`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*cobra.Command, *DeleteOptions) error) *cobra.Command {
	o := &DeleteOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "delete ID...",
		Aliases: []string{"rm"},
		Short:   "Delete webhooks",
		Long: `Delete one or more webhooks. On a terminal hookctl asks first; otherwise --yes is
required. Every ID is attempted even when one fails; each result is reported, and the
exit code is 1 when some failed.`,
		Example: "  hookctl webhooks delete 6307a60c41de27127515a575\n  hookctl webhooks delete ID1 ID2 --yes -o json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return clierr.Usagef("%s needs at least one webhook ID (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
			}
			for _, id := range args {
				if err := checkID(id); err != nil {
					return err
				}
			}
			return nil
		},
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IDs = args
			if runF != nil {
				return runF(cmd, o)
			}
			return deleteRun(cmd, o)
		},
	}
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "delete without asking")
	return cmd
}

func deleteRun(cmd *cobra.Command, o *DeleteOptions) error {
	f := o.Factory
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	access := provider.Write
	if !o.Yes {
		if !f.IOStreams.IsStdinTTY() {
			return clierr.Usagef("refusing to delete without confirmation: stdin is not a terminal, pass --yes")
		}
		access |= provider.Read // to show what each id is
	}
	prov, _, err := newProvider(f, cmd, access)
	if err != nil {
		return err
	}
	if !o.Yes {
		fmt.Fprintf(f.IOStreams.ErrOut, "Delete %d %s webhook(s)%s: %s?\n", len(o.IDs), info.Name, where(f, info), strings.Join(o.IDs, ", "))
		for _, id := range o.IDs {
			fmt.Fprintf(f.IOStreams.ErrOut, "  %s  %s\n", termsafe.Line(id), termsafe.Line(describe(ctx, prov, id)))
		}
		fmt.Fprint(f.IOStreams.ErrOut, "[y/N] ")
		answer, err := readLineCtx(ctx, f.IOStreams.In, 1024)
		if ctx.Err() != nil {
			fmt.Fprintln(f.IOStreams.ErrOut)
			return ctx.Err()
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); err != nil || (a != "y" && a != "yes") {
			return clierr.Usagef("nothing deleted: not confirmed")
		}
	}
	return deleteEach(f, cmd, p, ctx, o.IDs, prov.Delete, func(id string) string { return getCommand(cmd, id) })
}

// deleteEach deletes every id, reports each result like `webhooks delete`
// and returns the exit: 1 when some failed, or the one code all share.
func deleteEach(f *cmdutil.Factory, cmd *cobra.Command, p *output.Printer, ctx context.Context, ids []string, del func(context.Context, string) error, check func(id string) string) error {
	results := make([]DeleteResult, 0, len(ids))
	codes := map[int]bool{}
	failed := 0
	for _, id := range ids {
		r := DeleteResult{ID: id}
		if ctx.Err() != nil {
			msg := "not attempted: " + stopReason(ctx)
			r.Error = &msg
			failed++
			codes[clierr.ExitFailure] = true
		} else if err := del(ctx, id); err != nil {
			msg := f.Redactor.String(err.Error())
			code := clierr.ExitCode(err)
			if ctx.Err() != nil {
				msg = stopReason(ctx) + " during the request, so it may have been applied; check with `" + check(id) + "`: " + msg
				code = clierr.ExitUnknown
			}
			r.Error = &msg
			failed++
			codes[code] = true
		} else {
			r.Deleted = true
		}
		results = append(results, r)
	}
	t := &output.Table{Header: []string{"id", "deleted", "error"}, Colors: map[int]func(string) string{1: enabledColor}, Shrink: []int{2}}
	for _, r := range results {
		if r.Deleted {
			t.Names = append(t.Names, r.ID)
		}
		e := ""
		if r.Error != nil {
			e = *r.Error
		}
		t.Rows = append(t.Rows, []string{r.ID, enabledWord(r.Deleted), e})
	}
	if err := p.Print(f.IOStreams.Out, results, t); err != nil {
		return err
	}
	if failed == 0 {
		return nil
	}
	code := clierr.ExitFailure
	if failed == len(ids) && len(codes) == 1 {
		for c := range codes {
			code = c
		}
	}
	var bad []string
	for _, r := range results {
		if !r.Deleted {
			bad = append(bad, termsafe.Line(r.ID))
		}
	}
	return &clierr.ExitError{Code: code, Silent: p.IsTable() && f.IOStreams.IsStdoutTTY(),
		Err: fmt.Errorf("%d of %d deletions failed: %s", failed, len(ids), strings.Join(bad, ", "))}
}

// where names the profile a destructive command acts on, and its
// environment when the provider has several: " in profile p (production)".
func where(f *cmdutil.Factory, info provider.Info) string {
	s, err := f.Config()
	if err != nil || s.ProfileName == "" {
		return ""
	}
	out := " in profile " + s.ProfileName
	if len(info.Environments) > 0 {
		out += " (" + s.String("environment") + ")"
	}
	return out
}

// describe is a webhook's URL for a prompt, found with one quick read.
func describe(ctx context.Context, prov provider.Provider, id string) string {
	ctx, cancel := context.WithTimeout(httpx.NoRetry(ctx), 3*time.Second)
	defer cancel()
	w, err := prov.Get(ctx, id)
	if err != nil {
		return "(could not read it)"
	}
	return w.URL
}

// getCommand is the command that shows id, on the profile given.
func getCommand(cmd *cobra.Command, id string) string {
	args := []string{cmd.Root().Name()}
	if fl := cmd.Flag("profile"); fl != nil && fl.Changed {
		args = append(args, "--profile", shellQuote(fl.Value.String()))
	}
	return strings.Join(append(args, "webhooks", "get", shellQuote(id)), " ")
}

func stopReason(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "the deadline (--timeout) ran out"
	}
	return "interrupted"
}
