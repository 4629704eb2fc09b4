package code

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/fanout"
	"github.com/hookctl/hookctl/internal/plan"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

var errDrift = errors.New("drift: the webhooks differ from the file")

type applyOptions struct {
	diffOptions
	DryRun  bool
	Yes     bool
	PlanOut string
	KeysDir string
	Saved   string
}

func newCmdApply(f *cmdutil.Factory) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply -f FILE | apply PLAN",
		Short: "Make the webhooks match a file (or apply a saved plan)",
		Long: `Compute the plan of each target of FILE (as diff prints it), show it, ask on a terminal
(or require --yes otherwise; the targets are listed first), then make the writes through
each provider's own semantics: deletes first (--prune, and the old side of a replace),
then updates, then creates. Nothing is written when a target's plan breaks a provider's
limit of webhooks per environment or needs a secret reference that is not set.

apply is idempotent: applying the same file again makes no write. A create whose outcome
is unknown (the answer was lost) is looked up before anything repeats it; re-running an
interrupted apply continues where it stopped and never makes a duplicate.

A new webhook whose provider signs with a key pair takes its private key from the file's
reference, or --generate-keys-dir DIR writes a new one per webhook there (mode 0600, never
printed) before the create is sent.

--plan-out PLAN saves the plan instead of applying it; 'apply PLAN' applies exactly that
plan, and refuses (exit 1, nothing changed) when a target's webhooks changed since.` + codeHelp(f),
		Example: `  hookctl apply -f webhooks.yaml
  hookctl apply -f webhooks.yaml --prune --yes
  hookctl apply -f webhooks.yaml --plan-out plan.json && hookctl apply plan.json --yes
  hookctl apply -f webhooks.yaml --generate-keys-dir ~/.config/hookctl/keys`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return clierr.Usagef("%s takes at most one saved plan, got %d arguments", cmd.CommandPath(), len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Saved = args[0]
			}
			return applyRun(cmd, f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.File, "file", "f", "", "the file of webhooks (YAML or JSON), - for stdin")
	fl.BoolVar(&o.Prune, "prune", false, "delete every webhook the file lacks")
	fl.BoolVar(&o.RotateSecrets, "rotate-secrets", false, "set every write-only field again from its reference")
	fl.BoolVar(&o.DryRun, "dry-run", false, "print the plan and change nothing")
	fl.BoolVar(&o.ExitCode, "exit-code", false, "with --dry-run: exit 7 on drift, as diff --exit-code")
	fl.BoolVarP(&o.Yes, "yes", "y", false, "apply without asking")
	fl.StringVar(&o.PlanOut, "plan-out", "", "save the plan to PLAN instead of applying it")
	fl.StringVar(&o.KeysDir, "generate-keys-dir", "", "write a new key pair's private key per new configuration to DIR (mode 0600)")
	fanout.AddFlags(cmd)
	return cmd
}

func applyRun(cmd *cobra.Command, f *cmdutil.Factory, o *applyOptions) error {
	switch {
	case o.Saved != "" && o.File != "":
		return clierr.Usagef("apply takes -f FILE or a saved PLAN, not both")
	case o.Saved != "" && (o.Prune || o.RotateSecrets || o.PlanOut != ""):
		return clierr.Usagef("a saved plan is applied as it is: --prune, --rotate-secrets and --plan-out are for -f FILE")
	case o.ExitCode && !o.DryRun:
		return clierr.Usagef("--exit-code goes with --dry-run (or use `hookctl diff --exit-code`)")
	case o.PlanOut != "" && o.DryRun:
		return clierr.Usagef("--plan-out saves the plan without applying it already: drop --dry-run")
	}
	if !o.Yes && !o.DryRun && o.PlanOut == "" && !f.IOStreams.IsStdinTTY() {
		return clierr.Usagef("refusing to apply without confirmation: stdin is not a terminal, pass --yes")
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	var (
		targets []target
		saved   *plan.Saved
		base    string
	)
	if o.Saved != "" {
		data, err := readFile(ctx, f, "PLAN", o.Saved)
		if err != nil {
			return err
		}
		if saved, err = plan.DecodeSaved(data, o.Saved); err != nil {
			return err
		}
		doc := &plan.Document{Version: plan.Version, Targets: map[string]*plan.Target{}}
		for _, t := range saved.Targets {
			doc.Targets[t.Target] = &plan.Target{Provider: t.Provider}
		}
		if targets, err = fileTargets(cmd, f, doc); err != nil {
			return err
		}
		base = saved.BaseDir
	} else {
		doc, b, err := loadFile(ctx, f, o.File)
		if err != nil {
			return err
		}
		if targets, err = fileTargets(cmd, f, doc); err != nil {
			return err
		}
		base = b
	}
	if _, err := f.Printer(false); err != nil {
		return err
	}
	if o.KeysDir != "" {
		if st, err := os.Stat(config.ExpandHome(o.KeysDir)); err != nil || !st.IsDir() {
			return clierr.Usagef("--generate-keys-dir %s is not a directory: create it first (mode 0700)", o.KeysDir)
		}
	}
	fo, _ := fanout.FromFlags(cmd)
	resolve := resolver(f, base)
	access := provider.Read | provider.Write
	if o.DryRun || o.PlanOut != "" {
		access = provider.Read
	}
	results := planTargets(ctx, f, targets, fo, access, plan.Options{Prune: o.Prune, RotateSecrets: o.RotateSecrets, Resolve: resolve})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if saved != nil {
		if err := checkSaved(f, targets, saved, results); err != nil {
			return err
		}
	}
	pr := planResults(f, targets, results)
	if err := printPlan(f, pr); err != nil {
		return err
	}
	reportFailures(f, results)
	failed := runErr(results)
	data := plan.NewData(pr)
	if o.DryRun {
		if failed != nil {
			return failed
		}
		if o.ExitCode && data.Drift {
			return &clierr.ExitError{Code: clierr.ExitDrift, Silent: true, Err: errDrift}
		}
		return nil
	}
	// Nothing is written when any target's plan cannot be applied whole.
	execs := map[string]*plan.Executor{}
	var changing []string
	for i, r := range results {
		if !r.OK() || !r.Data.plan.Writes() {
			continue
		}
		tp := r.Data.plan
		if len(tp.Problems) > 0 {
			return clierr.Usagef("target %s: %s; nothing was changed", tp.Target, tp.Problems[0])
		}
		e := &plan.Executor{Provider: r.Data.prov, Info: targets[i].Info, Resolve: resolve, Warnf: targets[i].F.Warnf}
		if o.KeysDir != "" {
			e.Generate = keyGenerator(f, o.KeysDir, tp.Target, targets[i].Info)
		}
		if err := e.Prepare(tp); err != nil {
			return err
		}
		execs[tp.Target] = e
		changing = append(changing, tp.Target)
	}
	if o.PlanOut != "" {
		return savePlan(f, o, base, results)
	}
	if len(changing) == 0 {
		return failed
	}
	if err := confirm(ctx, f, o.Yes, changing); err != nil {
		return err
	}
	var run []fanout.Target
	for _, t := range targets {
		if execs[t.Name] != nil {
			run = append(run, t.Target)
		}
	}
	plans := map[string]*plan.TargetPlan{}
	for _, r := range results {
		if r.OK() {
			plans[r.Target] = r.Data.plan
		}
	}
	var mu sync.Mutex
	applied := fanout.Run(ctx, run, fo, nil, func(ctx context.Context, t fanout.Target) (int, error) {
		e := execs[t.Name]
		e.Done = func(step string) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(f.IOStreams.ErrOut, "%s: %s: done\n", termsafe.Line(t.Name), termsafe.Line(step))
		}
		return e.Run(ctx, plans[t.Name])
	})
	writes := 0
	for _, r := range applied {
		writes += r.Data
	}
	reportFailures(f, applied)
	fmt.Fprintf(f.IOStreams.ErrOut, "applied %d change(s) to %d target(s)\n", writes, len(run))
	if err := runErr(applied); err != nil {
		return err
	}
	return failed
}

// checkSaved refuses a saved plan whose remote state changed since it was
// made, before any write; the saved changes then replace the fresh ones.
func checkSaved(f *cmdutil.Factory, targets []target, saved *plan.Saved, results []fanout.Result[planned]) error {
	byName := map[string]*plan.TargetPlan{}
	for _, t := range saved.Targets {
		byName[t.Target] = t
	}
	for i := range results {
		r := &results[i]
		if !r.OK() {
			return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("target %s: %v; nothing was changed", r.Target, f.Redactor.String(r.Message()))}
		}
		st := byName[r.Target]
		code := targets[i].Info.Code
		prints := map[string]string{}
		for _, w := range r.Data.remote {
			prints[w.ID] = plan.Fingerprint(code, w)
		}
		if why := plan.Stale(st, plan.StateFingerprint(code, r.Data.remote), prints); why != "" {
			return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("target %s: the remote state changed since the plan was made (%s): nothing was changed; make a new plan", r.Target, why)}
		}
		r.Data.plan = st
	}
	return nil
}

func savePlan(f *cmdutil.Factory, o *applyOptions, base string, results []fanout.Result[planned]) error {
	s := &plan.Saved{File: o.File, BaseDir: base, Prune: o.Prune, RotateSecrets: o.RotateSecrets}
	for _, r := range results {
		if !r.OK() {
			return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("target %s was not planned: no plan saved", r.Target)}
		}
		s.Targets = append(s.Targets, r.Data.plan)
	}
	data, err := s.Encode()
	if err != nil {
		return err
	}
	path := config.ExpandHome(o.PlanOut)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return clierr.Usagef("--plan-out %s: %v", o.PlanOut, config.PathCause(err))
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "plan saved to %s: apply it with `hookctl apply %s`\n", o.PlanOut, o.PlanOut)
	return nil
}

// confirm asks on a terminal, listing the targets; off one it needs --yes.
func confirm(ctx context.Context, f *cmdutil.Factory, yes bool, targets []string) error {
	if yes {
		return nil
	}
	if !f.IOStreams.IsStdinTTY() {
		return clierr.Usagef("refusing to apply without confirmation: stdin is not a terminal, pass --yes")
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "Apply the changes above to %d target(s): %s? [y/N] ", len(targets), termsafe.Line(strings.Join(targets, ", ")))
	answer, err := readLine(ctx, f.IOStreams.In)
	if ctx.Err() != nil {
		fmt.Fprintln(f.IOStreams.ErrOut)
		return ctx.Err()
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); err != nil || (a != "y" && a != "yes") {
		return clierr.Usagef("nothing changed: not confirmed")
	}
	return nil
}

func readLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := bufio.NewReader(io.LimitReader(r, 1024)).ReadString('\n')
		if err == io.EOF {
			err = nil
		}
		done <- result{s, err}
	}()
	select {
	case res := <-done:
		return res.s, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var unsafeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

// keyGenerator makes the key pair of a new configuration, its private key
// written to DIR (0600) before the create is sent. A file left by an
// earlier, failed attempt is used again, so a re-run sends the same key.
func keyGenerator(f *cmdutil.Factory, dir, target string, info provider.Info) func(c *plan.Change) (string, string, error) {
	return func(c *plan.Change) (string, string, error) {
		sum := sha256.Sum256([]byte(target + "\x00" + c.Webhook))
		label := c.Webhook
		if i := strings.LastIndex(label, " "); i >= 0 {
			label = label[:i] // the URL is in the hash
		}
		name := strings.Trim(unsafeRE().ReplaceAllString(target+"_"+label, "_"), "_") + "_" + hex.EncodeToString(sum[:4]) + ".key"
		path := filepath.Join(config.ExpandHome(dir), name)
		private, public := info.KeyPair.Generate()
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			old, rerr := config.ReadSecretFile("--generate-keys-dir", path)
			if rerr != nil {
				return "", "", rerr
			}
			f.Redactor.Add(old)
			fmt.Fprintf(f.IOStreams.ErrOut, "%s: using the private key kept in %s by an earlier attempt\n", termsafe.Line(target), path)
			return old, publicOf(c, public), nil
		}
		if err != nil {
			return "", "", clierr.Usagef("--generate-keys-dir: %v", config.PathCause(err))
		}
		f.Redactor.Add(private)
		if _, err := fh.WriteString(private + "\n"); err != nil {
			fh.Close()
			return "", "", err
		}
		if err := fh.Close(); err != nil {
			return "", "", err
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "%s: private key of %s written to %s (mode 0600)\n", termsafe.Line(target), termsafe.Line(c.Webhook), path)
		return private, publicOf(c, public), nil
	}
}

func publicOf(c *plan.Change, generated string) string {
	if s, ok := c.Desired["public_key"].(string); ok {
		return s
	}
	return generated
}
