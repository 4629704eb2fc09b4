package deliveries

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// DefaultFailedLimit bounds what one `redeliver --failed` resends.
const DefaultFailedLimit = 50

// redeliverInterval spaces the resends of one run: at most ten a second.
var redeliverInterval = 100 * time.Millisecond

// RedeliverOptions are the parsed flags of `deliveries redeliver`.
type RedeliverOptions struct {
	Factory *cmdutil.Factory
	IDs     []string
	Failed  bool
	Window  Window
	Event   string
	Limit   int
	DryRun  bool
	Yes     bool
}

// NewCmdRedeliver is `hookctl deliveries redeliver ID...` and `redeliver --failed`.
func NewCmdRedeliver(f *cmdutil.Factory, runF func(*cobra.Command, *RedeliverOptions) error) *cobra.Command {
	o := &RedeliverOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "redeliver ID... | --failed (--since D | --from T [--to T])",
		Short: "Send deliveries again",
		Long: `Send deliveries again: the IDs given, or with --failed every failed delivery of a window
(it must be given: --since, or --from and --to), oldest first, at most --limit (default 50).
--failed prints what it will resend and asks on a terminal; otherwise it needs --yes.
--dry-run prints what would be resent and sends nothing. Resends go out at most ten a
second. Every ID is attempted even when one fails; each result is reported, and the exit
code is 1 when some failed.` + webhooks.ProviderHelp(f, provider.VerbDeliveriesRedeliver),
		Example: webhooks.ProviderExamples(f, provider.VerbDeliveriesRedeliver, `  hookctl deliveries redeliver 6307a60c41de27127515a575
  hookctl deliveries redeliver --failed --since 24h --dry-run
  hookctl deliveries redeliver --failed --from 2026-12-01 --to 2026-12-02 --yes`),
		Args: func(cmd *cobra.Command, args []string) error {
			if o.Failed && len(args) > 0 {
				return clierr.Usagef("--failed finds the deliveries itself: drop the IDs (%s), or drop --failed", strings.Join(args, " "))
			}
			if !o.Failed && len(args) == 0 {
				return clierr.Usagef("%s needs delivery IDs, or --failed with a window (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
			}
			for _, id := range args {
				if err := checkID(id); err != nil {
					return err
				}
			}
			return nil
		},
		ValidArgsFunction: completeDeliveryIDs(f, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IDs = args
			o.Window.To = flagString(cmd.Flags().Lookup("to"))
			if err := o.validate(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, o)
			}
			if o.Failed {
				return redeliverFailedRun(cmd, o)
			}
			return redeliverRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.Failed, "failed", false, "resend the failed deliveries of the window")
	addWindowFlags(cmd, &o.Window)
	fl.StringVar(&o.Event, "event", "", "with --failed: only deliveries of this event")
	fl.IntVar(&o.Limit, "limit", DefaultFailedLimit, "with --failed: at most this many, oldest first")
	fl.BoolVar(&o.DryRun, "dry-run", false, "with --failed: print what would be resent, send nothing")
	fl.BoolVarP(&o.Yes, "yes", "y", false, "with --failed: resend without asking")
	webhooks.AddProviderFlags(f, cmd, provider.VerbDeliveriesRedeliver)
	if fl.Lookup("to") == nil {
		fl.String("to", "", "with --failed: window end, RFC 3339 or YYYY-MM-DD")
	}
	_ = cmd.RegisterFlagCompletionFunc("event", webhooks.CompleteEvents(f))
	return cmd
}

func (o *RedeliverOptions) validate(cmd *cobra.Command) error {
	if !o.Failed {
		for _, name := range []string{"since", "from", "event", "limit", "dry-run", "yes", "context"} {
			if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
				return clierr.Usagef("--%s applies with --failed: drop it, or use --failed instead of IDs", name)
			}
		}
		return nil
	}
	if !o.Window.explicit(cmd) {
		return clierr.Usagef("--failed needs a window: give --since (e.g. --since 24h) or --from and --to")
	}
	if o.Limit < 1 {
		return clierr.Usagef("--limit %d: give a positive number", o.Limit)
	}
	return nil
}

func redeliverer(s *setup, prov provider.Provider) (provider.Redeliverer, error) {
	r, ok := prov.(provider.Redeliverer)
	if !ok {
		return nil, notSupported(s.info, "redelivering")
	}
	return r, nil
}

func redeliverRun(cmd *cobra.Command, o *RedeliverOptions) error {
	f := o.Factory
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	s, err := newSetup(f, cmd)
	if err != nil {
		return err
	}
	prov, err := s.provider(f, provider.Read|provider.Write)
	if err != nil {
		return err
	}
	r, err := redeliverer(s, prov)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	jobs := make([]job, len(o.IDs))
	for i, id := range o.IDs {
		jobs[i] = job{id: id, opts: provider.RedeliverOptions{Input: s.in}}
	}
	return report(f, cmd, p, resend(ctx, f, r, jobs))
}

type job struct {
	id   string
	opts provider.RedeliverOptions
}

// resend sends each job in turn, spaced by redeliverInterval; the ones left
// when ctx ends are reported as not attempted.
func resend(ctx context.Context, f *cmdutil.Factory, r provider.Redeliverer, jobs []job) []result {
	out := make([]result, 0, len(jobs))
	var tick <-chan time.Time
	if len(jobs) > 1 {
		t := time.NewTicker(redeliverInterval)
		defer t.Stop()
		tick = t.C
	}
	for i, j := range jobs {
		if i > 0 && ctx.Err() == nil {
			select {
			case <-tick:
			case <-ctx.Done():
			}
		}
		res := result{RedeliverResult: provider.RedeliverResult{ID: j.id}}
		if ctx.Err() != nil {
			msg := "not attempted: " + webhooks.StopReason(ctx)
			res.Error, res.code = &msg, clierr.ExitFailure
		} else if err := r.Redeliver(ctx, j.id, j.opts); err != nil {
			msg := f.Redactor.String(err.Error())
			res.code = clierr.ExitCode(err)
			var ve *provider.ValidationError
			if errors.As(err, &ve) {
				msg = f.SpellInputs(nil, ve.Msg)
			}
			if ctx.Err() != nil {
				msg = webhooks.StopReason(ctx) + " during the request, so it may have been resent: " + msg
				res.code = clierr.ExitUnknown
			}
			res.Error = &msg
		} else {
			res.Redelivered = true
		}
		out = append(out, res)
	}
	return out
}

type result struct {
	provider.RedeliverResult
	code int
}

// report prints the per-id results, like `webhooks delete`, and returns the
// exit: 1 when some failed (or the one code all failures share).
func report(f *cmdutil.Factory, cmd *cobra.Command, p *output.Printer, results []result) error {
	t := &output.Table{Header: []string{"id", "redelivered", "error"}, Shrink: []int{2},
		Colors: map[int]func(string) string{1: func(c string) string {
			if c == "yes" {
				return output.Green
			}
			return output.Red
		}}}
	docs := make([]provider.RedeliverResult, 0, len(results))
	codes := map[int]bool{}
	var failed []string
	for _, r := range results {
		docs = append(docs, r.RedeliverResult)
		e, word := "", "yes"
		if r.Error != nil {
			e, word = *r.Error, "no"
			codes[r.code] = true
			failed = append(failed, termsafe.Line(r.ID))
		} else {
			t.Names = append(t.Names, r.ID)
		}
		t.Rows = append(t.Rows, []string{r.ID, word, e})
	}
	if err := p.Print(f.IOStreams.Out, docs, t); err != nil {
		return err
	}
	if len(failed) == 0 {
		return nil
	}
	code := clierr.ExitFailure
	if len(failed) == len(results) && len(codes) == 1 {
		for c := range codes {
			code = c
		}
	}
	return &clierr.ExitError{Code: code, Silent: p.IsTable() && f.IOStreams.IsStdoutTTY(),
		Err: fmt.Errorf("%d of %d redeliveries failed: %s", len(failed), len(results), strings.Join(failed, ", "))}
}

func redeliverFailedRun(cmd *cobra.Command, o *RedeliverOptions) error {
	f := o.Factory
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	if !o.Yes && !o.DryRun && !f.IOStreams.IsStdinTTY() {
		return clierr.Usagef("refusing to redeliver without confirmation: stdin is not a terminal, pass --yes (or --dry-run to see what would be resent)")
	}
	// --to is the window's end here, whichever provider declares it.
	s, err := newSetup(f, cmd, "to")
	if err != nil {
		return err
	}
	delete(s.in, "to")
	q := provider.DeliveryQuery{Status: provider.DeliveryFailed, Event: o.Event, All: true}
	access := provider.Read | provider.Write
	if o.DryRun {
		access = provider.Read
	}
	dl, err := prepare(f, cmd, s, o.Window, &q, access)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	var all []provider.Delivery
	if _, err := dl.ListDeliveries(ctx, q, func(page []provider.Delivery) error {
		for _, d := range page {
			d.Raw = nil
			all = append(all, d)
		}
		return nil
	}); err != nil {
		return err
	}
	slices.SortStableFunc(all, func(a, b provider.Delivery) int { return a.At.Compare(b.At) })
	complete := len(all) <= o.Limit
	if !complete {
		fmt.Fprintf(f.IOStreams.ErrOut, "%s in the window; the %d oldest are taken (--limit)\n", plural(len(all), "failed delivery", "failed deliveries"), o.Limit)
		all = all[:o.Limit]
	}
	if o.DryRun {
		st := p.Stream(f.IOStreams.Out, deliveryTable())
		for _, d := range all {
			st.Add(d, deliveryRow(d), d.ID)
		}
		if p.IsTable() && len(all) == 0 {
			fmt.Fprintln(f.IOStreams.ErrOut, "no failed deliveries in the window")
			return nil
		}
		return st.Close()
	}
	if len(all) == 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "no failed deliveries in the window: nothing to redeliver")
		if p.IsTable() {
			return nil
		}
		return p.Print(f.IOStreams.Out, []provider.RedeliverResult{}, &output.Table{Header: []string{"id", "redelivered", "error"}, Names: []string{}})
	}
	jobs := group(all, s.in)
	ew := f.IOStreams.ErrOut
	fmt.Fprintf(ew, "Redeliver %s (%s, oldest first)%s:\n", plural(len(jobs), "failed "+s.info.Name+" delivery", "failed "+s.info.Name+" deliveries"), plural(len(all), "webhook delivery", "webhook deliveries"), webhooks.Where(f, s.info))
	for _, d := range all {
		fmt.Fprintf(ew, "  %s  %s  %s  %s  %s\n", termsafe.Line(d.ID), termsafe.Line(d.Event), strOr(d.LastAttemptAt, "-"), intOr(d.LastStatusCode, "-"), termsafe.Line(d.URL))
	}
	if !o.Yes {
		fmt.Fprint(ew, "[y/N] ")
		answer, err := webhooks.ReadLine(ctx, f.IOStreams.In)
		if ctx.Err() != nil {
			fmt.Fprintln(ew)
			return ctx.Err()
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); err != nil || (a != "y" && a != "yes") {
			return clierr.Usagef("nothing redelivered: not confirmed")
		}
	}
	prov, _ := dl.(provider.Provider)
	if b, ok := dl.(provider.BatchRedeliverer); ok && complete {
		res, handled, err := b.RedeliverFailed(ctx, q, all)
		if err != nil {
			return err
		}
		if handled {
			out := make([]result, 0, len(res))
			for _, r := range res {
				out = append(out, result{RedeliverResult: r, code: clierr.ExitFailure})
			}
			return report(f, cmd, p, dedupe(out))
		}
	}
	r, err := redeliverer(s, prov)
	if err != nil {
		return err
	}
	return report(f, cmd, p, resend(ctx, f, r, jobs))
}

// group makes one job per ID, oldest first, resending to the webhooks whose
// delivery failed.
func group(all []provider.Delivery, in provider.Values) []job {
	var jobs []job
	at := map[string]int{}
	for _, d := range all {
		i, ok := at[d.ID]
		if !ok {
			i = len(jobs)
			at[d.ID] = i
			jobs = append(jobs, job{id: d.ID, opts: provider.RedeliverOptions{Input: in}})
		}
		if d.WebhookID != nil && !slices.Contains(jobs[i].opts.Webhooks, *d.WebhookID) {
			jobs[i].opts.Webhooks = append(jobs[i].opts.Webhooks, *d.WebhookID)
		}
	}
	return jobs
}

func dedupe(rs []result) []result {
	seen := map[string]bool{}
	out := rs[:0]
	for _, r := range rs {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}
