// Package fanout runs one command over many targets (profiles, and child
// companies of a profile) with bounded concurrency, and reports every target.
package fanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/spf13/cobra"
)

var (
	errFailFast    = errors.New("not run: an earlier target failed (--fail-fast)")
	errInterrupted = errors.New("not run: interrupted")
	// errFailFastStopped is a target stopped mid-way by --fail-fast.
	errFailFastStopped = errors.New("stopped: an earlier target failed (--fail-fast)")
)

// DefaultConcurrency bounds how many targets run at once.
const DefaultConcurrency = 4

// Options select the targets and how they run.
type Options struct {
	Profiles    []string
	All         bool
	Glob        string
	Children    []string
	Concurrency int
	FailFast    bool
}

// Active reports whether the options select targets (else: one profile).
func (o Options) Active() bool {
	return len(o.Profiles) > 0 || o.All || o.Glob != "" || len(o.Children) > 0
}

// AddFlags registers the target flags on cmd.
func AddFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringSlice("profiles", nil, "run against these profiles (comma-separated)")
	fl.Bool("all-profiles", false, "run against every profile of the config file")
	fl.String("profile-glob", "", "run against the profiles matching this pattern (e.g. 'mx-*')")
	fl.StringSlice("child-companies", nil, "run once per child company of each selected profile whose provider has them")
	fl.Int("concurrency", DefaultConcurrency, "targets run at once (with --profiles and friends)")
	fl.Bool("fail-fast", false, "stop at the first target that fails")
	_ = cmd.RegisterFlagCompletionFunc("profiles", completeProfiles)
	_ = cmd.RegisterFlagCompletionFunc("profile-glob", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("child-companies", cobra.NoFileCompletions)
}

func completeProfiles(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	p, _ := config.ConfigPath(cmd.Root().PersistentFlags())
	file, _, err := config.ReadFile(p)
	if err != nil || file == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for name := range file.Profiles {
		out = append(out, name)
	}
	sort.Strings(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}

// FromFlags reads the options AddFlags registered.
func FromFlags(cmd *cobra.Command) (Options, error) {
	fl := cmd.Flags()
	var o Options
	o.Profiles, _ = fl.GetStringSlice("profiles")
	o.All, _ = fl.GetBool("all-profiles")
	o.Glob, _ = fl.GetString("profile-glob")
	o.Children, _ = fl.GetStringSlice("child-companies")
	o.Concurrency, _ = fl.GetInt("concurrency")
	o.FailFast, _ = fl.GetBool("fail-fast")
	changed := func(name string) bool { f := fl.Lookup(name); return f != nil && f.Changed }
	switch {
	case changed("profiles") && len(o.Profiles) == 0:
		return o, clierr.Usagef("--profiles is empty: name the profiles, comma-separated (--profiles a,b)")
	case changed("profile-glob") && o.Glob == "":
		return o, clierr.Usagef("--profile-glob is empty: give a pattern such as 'mx-*'")
	case changed("child-companies") && len(o.Children) == 0:
		return o, clierr.Usagef("--child-companies is empty: give child company ids, comma-separated")
	}
	if !o.Active() {
		for _, name := range []string{"concurrency", "fail-fast"} {
			if changed(name) {
				return o, clierr.Usagef("--%s works over many targets: add --profiles, --all-profiles, --profile-glob or --child-companies (or drop --%s)", name, name)
			}
		}
	}
	n := 0
	for _, on := range []bool{len(o.Profiles) > 0, o.All, o.Glob != ""} {
		if on {
			n++
		}
	}
	if n > 1 {
		return o, clierr.Usagef("--profiles, --all-profiles and --profile-glob select targets in different ways: use one")
	}
	if o.Concurrency < 1 {
		return o, clierr.Usagef("--concurrency %d: use 1 or more", o.Concurrency)
	}
	if o.Glob != "" {
		if _, err := path.Match(o.Glob, ""); err != nil {
			return o, clierr.Usagef("--profile-glob %q is not a valid pattern: use * ? and [..] as in shell globs", o.Glob)
		}
	}
	for _, p := range o.Profiles {
		if strings.TrimSpace(p) == "" {
			return o, clierr.Usagef("--profiles holds an empty name: use --profiles a,b")
		}
	}
	for _, c := range o.Children {
		if strings.TrimSpace(c) == "" || strings.ContainsAny(c, "/\r\n") {
			return o, clierr.Usagef("--child-companies %q: give child company ids separated by commas", c)
		}
	}
	return o, nil
}

// Target is one profile (and child company) a command runs against.
type Target struct {
	// Name is the profile, or profile/child-company.
	Name    string
	Profile string
	Child   string
	// Provider is the name of the target's provider.
	Provider string
	F        *cmdutil.Factory
}

// Resolve lists the targets of o, sorted by name. Profiles the config file
// lacks are usage errors, as are flags that contradict the selection.
func Resolve(f *cmdutil.Factory, o Options) ([]Target, error) {
	if fl := f.Flags().Lookup("profile"); fl != nil && fl.Changed && (len(o.Profiles) > 0 || o.All || o.Glob != "") {
		return nil, clierr.Usagef("--profile selects one profile; --profiles, --all-profiles and --profile-glob select many: use one")
	}
	file, cfgPath, err := f.ConfigFile()
	if err != nil {
		return nil, err
	}
	var all []string
	if file != nil {
		for name := range file.Profiles {
			all = append(all, name)
		}
	}
	sort.Strings(all)
	var names []string
	switch {
	case len(o.Profiles) > 0:
		for _, p := range o.Profiles {
			p = strings.TrimSpace(p)
			if !slices.Contains(all, p) {
				return nil, clierr.Usagef("--profiles: unknown profile %q%s (config file %s)", p, suggest.Hint(p, all), cfgPath)
			}
			if !slices.Contains(names, p) {
				names = append(names, p)
			}
		}
	case o.All:
		if len(all) == 0 {
			return nil, clierr.Usagef("--all-profiles: %s has no profiles", cfgPath)
		}
		names = all
	case o.Glob != "":
		for _, p := range all {
			if ok, _ := path.Match(o.Glob, p); ok {
				names = append(names, p)
			}
		}
		if len(names) == 0 {
			return nil, clierr.Usagef("--profile-glob %q matches no profile of %s (profiles: %s)", o.Glob, cfgPath, strings.Join(all, ", "))
		}
	default:
		// --child-companies alone: the selected profile's children.
		s, err := f.Config()
		if err != nil {
			return nil, err
		}
		names = []string{s.ProfileName}
	}
	sort.Strings(names)
	var targets []Target
	withChildren := 0
	for _, name := range names {
		prov := ""
		if file != nil {
			prov, _ = file.Profiles[name]["provider"].(string)
		}
		childKey := ""
		for _, info := range f.Registry() {
			if info.Name == prov {
				childKey = info.ChildKey
			}
		}
		if len(o.Children) > 0 && childKey != "" {
			withChildren++
			for _, c := range o.Children {
				c = strings.TrimSpace(c)
				targets = append(targets, Target{Name: name + "/" + c, Profile: name, Child: c, Provider: prov,
					F: f.ForTarget(name, map[string]string{childKey: c})})
			}
			continue
		}
		display := name
		if display == "" {
			display = "(no profile)"
		}
		targets = append(targets, Target{Name: display, Profile: name, Provider: prov, F: f.ForTarget(name, nil)})
	}
	if len(o.Children) > 0 && withChildren == 0 {
		return nil, clierr.Usagef("--child-companies: none of the selected profiles' providers has child companies")
	}
	return targets, nil
}

// Result is one target's outcome. Its JSON is {"target", "ok", "data"} or
// {"target", "ok", "error"}.
type Result[T any] struct {
	Target string
	Data   T
	Err    error
	// Ran is false for a target --fail-fast never started.
	Ran bool
}

// OK reports whether the target succeeded.
func (r Result[T]) OK() bool { return r.Ran && r.Err == nil }

// Message is the error's text, redacted by the caller's redactor.
func (r Result[T]) Message() string {
	if r.Err == nil {
		return ""
	}
	return r.Err.Error()
}

// Run calls fn for every target, at most o.Concurrency at once, and returns
// the results in the targets' order. With o.FailFast the first failure
// cancels the others' context and no further target starts.
func Run[T any](ctx context.Context, targets []Target, o Options, progress func(done, total int), fn func(ctx context.Context, t Target) (T, error)) []Result[T] {
	n := max(o.Concurrency, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]Result[T], len(targets))
	sem := make(chan struct{}, n)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		failFast bool
	)
	for i, t := range targets {
		results[i].Target = t.Name
		if ctx.Err() != nil {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		if ctx.Err() != nil {
			<-sem
			continue
		}
		wg.Add(1)
		go func(i int, t Target) {
			defer wg.Done()
			defer func() { <-sem }()
			data, err := fn(ctx, t)
			mu.Lock()
			if err != nil && failFast && errors.Is(err, context.Canceled) {
				// Cut short by another target's failure, not failed itself.
				err = errFailFastStopped
			}
			results[i].Data, results[i].Err, results[i].Ran = data, err, true
			done++
			if err != nil && o.FailFast {
				failFast = true
				cancel()
			}
			d := done
			mu.Unlock()
			if progress != nil {
				progress(d, len(targets))
			}
		}(i, t)
	}
	wg.Wait()
	for i := range results {
		if !results[i].Ran {
			results[i].Err = errInterrupted
			if failFast {
				results[i].Err = errFailFast
			}
		}
	}
	return results
}

// Summary counts the targets.
type Summary struct {
	OK     int `json:"ok"`
	Failed int `json:"failed"`
}

// Document is the JSON of a command over many targets.
type Document struct {
	Results []Entry `json:"results"`
	Summary Summary `json:"summary"`
}

// Entry is one target of a Document.
type Entry struct {
	Target string
	OK     bool
	Data   any
	Error  string
}

// MarshalJSON writes data for a target that succeeded and error otherwise.
func (e Entry) MarshalJSON() ([]byte, error) {
	if e.OK {
		return json.Marshal(struct {
			Target string `json:"target"`
			OK     bool   `json:"ok"`
			Data   any    `json:"data"`
		}{e.Target, true, e.Data})
	}
	if e.Data != nil {
		// A target that ran and failed may still have data (doctor's checks).
		return json.Marshal(struct {
			Target string `json:"target"`
			OK     bool   `json:"ok"`
			Data   any    `json:"data"`
			Error  string `json:"error"`
		}{e.Target, false, e.Data, e.Error})
	}
	return json.Marshal(struct {
		Target string `json:"target"`
		OK     bool   `json:"ok"`
		Error  string `json:"error"`
	}{e.Target, false, e.Error})
}

// NewDocument builds the document of results; redact cleans error texts.
func NewDocument[T any](results []Result[T], redact func(string) string) Document {
	doc := Document{Results: make([]Entry, 0, len(results))}
	for _, r := range results {
		e := Entry{Target: r.Target, OK: r.OK()}
		if e.OK {
			e.Data = r.Data
			doc.Summary.OK++
		} else {
			e.Error = redact(r.Message())
			doc.Summary.Failed++
		}
		doc.Results = append(doc.Results, e)
	}
	return doc
}

// Err is the run's error: nil when every target succeeded, else exit 1
// naming how many failed (each is reported in the output).
func (d Document) Err() error {
	if d.Summary.Failed == 0 {
		return nil
	}
	return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("%d of %d targets failed", d.Summary.Failed, d.Summary.OK+d.Summary.Failed)}
}

// Providers lists the registry entries of the targets' providers.
func Providers(f *cmdutil.Factory, targets []Target) []provider.Info {
	var out []provider.Info
	for _, info := range f.Registry() {
		for _, t := range targets {
			if t.Provider == info.Name {
				out = append(out, info)
				break
			}
		}
	}
	return out
}

// Printer is the output printer of a run over targets: that of the first
// target whose settings load, else the run's own (whose error then says
// what is wrong).
func Printer(f *cmdutil.Factory, targets []Target) (*output.Printer, error) {
	for _, t := range targets {
		if p, err := t.F.Printer(false); err == nil {
			return p, nil
		}
	}
	return f.Printer(false)
}
