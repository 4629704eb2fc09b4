package webhooks

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
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
	if !o.Yes {
		if !f.IOStreams.IsStdinTTY() {
			return clierr.Usagef("refusing to delete without confirmation: stdin is not a terminal, pass --yes")
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "Delete %d %s webhook(s): %s? [y/N] ", len(o.IDs), info.Name, strings.Join(o.IDs, ", "))
		answer, _ := bufio.NewReader(f.IOStreams.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return clierr.Usagef("nothing deleted: not confirmed")
		}
	}
	prov, err := newProvider(f, cmd, "delete", provider.Write)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	results := make([]DeleteResult, 0, len(o.IDs))
	codes := map[int]bool{}
	failed := 0
	for _, id := range o.IDs {
		r := DeleteResult{ID: id}
		if err := prov.Delete(ctx, id); err != nil {
			msg := f.Redactor.String(err.Error())
			r.Error = &msg
			failed++
			codes[clierr.ExitCode(err)] = true
			fmt.Fprintf(f.IOStreams.ErrOut, "error: %s: %s\n", termsafe.Line(id), termsafe.Line(msg))
			if ctx.Err() != nil {
				return ctx.Err()
			}
		} else {
			r.Deleted = true
		}
		results = append(results, r)
	}
	t := &output.Table{Header: []string{"id", "deleted", "error"}, Colors: map[int]func(string) string{1: enabledColor}}
	for _, r := range results {
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
	if failed == len(o.IDs) && len(codes) == 1 {
		for c := range codes {
			code = c
		}
	}
	return &clierr.ExitError{Code: code, Silent: true, Err: fmt.Errorf("%d of %d deletions failed", failed, len(o.IDs))}
}
