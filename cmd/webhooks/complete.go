package webhooks

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// completionTimeout bounds the API call behind ID completion.
const completionTimeout = 3 * time.Second

// completeIDs completes webhook IDs from the API, described by their URL.
// It is silent on any failure: completion must never print errors.
func completeIDs(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if cmd.Name() != "delete" && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		prov, _, err := newProvider(f, cmd, provider.Read)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		// One quick attempt: a shell waiting on completion must not sit through backoff.
		ctx, cancel := context.WithTimeout(httpx.NoRetry(context.Background()), completionTimeout)
		defer cancel()
		res, err := prov.List(ctx, provider.ListOptions{Limit: 100})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, w := range res.Items {
			if strings.HasPrefix(w.ID, toComplete) && !slices.Contains(args, w.ID) {
				desc := w.URL
				if w.Name != "" {
					desc = w.Name + " " + w.URL
				}
				out = append(out, w.ID+"\t"+desc)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// catalog returns the event catalog of the selected provider, or of all.
func catalog(f *cmdutil.Factory) []provider.EventInfo {
	name := ""
	if s, err := f.Config(); err == nil {
		name = s.Provider
	}
	var out []provider.EventInfo
	for _, info := range f.Registry() {
		if name == "" || name == info.Name {
			out = append(out, info.Events()...)
		}
	}
	return out
}

// completeEvents completes event names; after a comma, the next name of a list.
func completeEvents(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		prefix, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			prefix, last = toComplete[:i+1], toComplete[i+1:]
		}
		ctxFlag := ""
		if fl := cmd.Flags().Lookup("context"); fl != nil {
			ctxFlag = fl.Value.String()
		}
		var out []string
		for _, e := range catalog(f) {
			if ctxFlag != "" && e.Context != ctxFlag {
				continue
			}
			if strings.HasPrefix(e.Name, last) {
				out = append(out, prefix+e.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeContexts completes the contexts of the catalog's events.
func completeContexts(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		seen := map[string]bool{}
		var out []string
		for _, e := range catalog(f) {
			if e.Context != "" && !seen[e.Context] && strings.HasPrefix(e.Context, toComplete) {
				seen[e.Context] = true
				out = append(out, e.Context)
			}
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
