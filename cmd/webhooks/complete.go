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

// completeKeyIDs completes webhook signing key ids (the KeyManager
// capability), described by whether they are active; silent on any failure.
// Positional: one for get, any number (not repeated) for delete.
func completeKeyIDs(f *cmdutil.Factory, many bool) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if !many && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return keyIDs(f, cmd, args, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeKeyFlag completes a flag taking one key id.
func completeKeyFlag(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return keyIDs(f, cmd, nil, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

func keyIDs(f *cmdutil.Factory, cmd *cobra.Command, skip []string, toComplete string) []string {
	info, err := f.ProviderInfo()
	if err != nil || !info.Has(provider.CapKeys) {
		return nil
	}
	prov, _, err := newProvider(f, cmd, provider.Read)
	if err != nil {
		return nil
	}
	km, ok := prov.(provider.KeyManager)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(httpx.NoRetry(context.Background()), completionTimeout)
	defer cancel()
	keys, err := km.ListKeys(ctx, provider.KeyListOptions{Limit: 100})
	if err != nil {
		return nil
	}
	var out []string
	for _, k := range keys {
		if strings.HasPrefix(k.ID, toComplete) && !slices.Contains(skip, k.ID) {
			desc := "inactive"
			if k.Active {
				desc = "active"
			}
			out = append(out, k.ID+"\t"+desc)
		}
	}
	return out
}

// CompleteEvent completes the one EVENT argument from the catalog of the
// selected provider (profile or --provider), or of every provider.
func CompleteEvent(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, e := range catalog(f) {
			if strings.HasPrefix(e.Name, toComplete) && !slices.Contains(out, e.Name) {
				out = append(out, e.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
