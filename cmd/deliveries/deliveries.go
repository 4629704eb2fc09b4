// Package deliveries holds the `hookctl deliveries` commands: what each
// provider sent, and sending it again. The provider's side is reached through
// the optional capabilities of internal/provider (DeliveryLister,
// DeliveryGetter, Redeliverer, BatchRedeliverer).
package deliveries

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// NewCmdDeliveries is `hookctl deliveries`.
func NewCmdDeliveries(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:     "deliveries",
		Aliases: []string{"delivery"},
		Short:   "See what the provider delivered, and redeliver it",
		Long: `See the deliveries of events to your webhooks (one per event and webhook, with its
attempts and the receiver's last answer), and send them again.`,
		Args: cmdutil.UnknownCommand,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	webhooks.AddProviderFlags(f, c, provider.GroupVerb)
	c.AddCommand(NewCmdList(f, nil), NewCmdGet(f, nil), NewCmdRedeliver(f, nil))
	return c
}

// Window is the time window of a listing.
type Window struct {
	Since, From, To string
}

// DefaultSince is --since without --from/--to.
const DefaultSince = "24h"

// addWindowFlags adds --since and --from; --to is added by the caller
// (redeliver shares it with a provider flag).
func addWindowFlags(cmd *cobra.Command, w *Window) {
	cmd.Flags().StringVar(&w.Since, "since", DefaultSince, "deliveries of this last span: 24h, 90m, 7d")
	cmd.Flags().StringVar(&w.From, "from", "", "window start: RFC 3339 or YYYY-MM-DD (UTC)")
}

// explicit reports whether the user gave a window.
func (w Window) explicit(cmd *cobra.Command) bool {
	return cmd.Flags().Changed("since") || cmd.Flags().Changed("from") || w.To != ""
}

// resolve turns the window flags into times.
func (w Window) resolve(cmd *cobra.Command, now time.Time) (from, to time.Time, err error) {
	if cmd.Flags().Changed("since") && (w.From != "" || w.To != "") {
		return from, to, clierr.Usagef("--since and --from/--to both given: use one")
	}
	if w.To != "" && w.From == "" {
		return from, to, clierr.Usagef("--to %s needs --from: give the window's start", w.To)
	}
	if w.From == "" {
		d, err := parseSpan(w.Since)
		if err != nil {
			return from, to, err
		}
		return now.Add(-d), time.Time{}, nil
	}
	if from, err = parseTime("--from", w.From, false); err != nil {
		return from, to, err
	}
	if w.To != "" {
		if to, err = parseTime("--to", w.To, true); err != nil {
			return from, to, err
		}
		if to.Before(from) {
			return from, to, clierr.Usagef("--to %s is before --from %s: give a window that ends after it starts", w.To, w.From)
		}
	}
	if from.After(now) {
		return from, to, clierr.Usagef("--from %s is in the future: give a past time", w.From)
	}
	return from, to, nil
}

// parseSpan reads 24h, 90m, 7d.
func parseSpan(s string) (time.Duration, error) {
	bad := clierr.Usagef("--since %q: give a span such as 24h, 90m or 7d", s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 {
			return 0, bad
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// parseTime reads RFC 3339 or YYYY-MM-DD (UTC); a date as the window's end
// means the end of that day.
func parseTime(flag, s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return t, nil
	}
	return time.Time{}, clierr.Usagef("%s %q: give RFC 3339 (2026-12-01T10:00:00Z) or YYYY-MM-DD", flag, s)
}

// checkStatus checks --status.
func checkStatus(s string) error {
	if s != "" && !slices.Contains(provider.DeliveryStatuses, s) {
		return clierr.Usagef("--status %q: use %s%s", s, strings.Join(provider.DeliveryStatuses, ", "), suggest.Hint(s, provider.DeliveryStatuses))
	}
	return nil
}

// checkEvent refuses an event outside the provider's catalog.
func checkEvent(info provider.Info, ev string) error {
	if ev == "" || info.Events == nil {
		return nil
	}
	var names []string
	for _, e := range info.Events() {
		if e.Name == ev {
			return nil
		}
		names = append(names, e.Name)
	}
	return clierr.Usagef("--event %q is not a %s event%s (see `hookctl webhooks events --provider %s`)", ev, info.Name, suggest.Hint(ev, names), info.Name)
}

// checkID checks a delivery ID argument.
func checkID(id string) error {
	if strings.TrimSpace(id) == "" {
		return clierr.Usagef("delivery ID is empty: give an ID from `hookctl deliveries list`")
	}
	if len(id) > 200 || id == "." || id == ".." || strings.ContainsAny(id, "/\\?#% ") || strings.IndexFunc(id, unicode.IsControl) >= 0 {
		return clierr.Usagef("delivery ID %q is not an ID: give an ID from `hookctl deliveries list`", id)
	}
	return nil
}

// setup is what every deliveries command begins with: the selected
// provider's registration, its flags checked, and its inputs.
type setup struct {
	info provider.Info
	in   provider.Values
	keys map[string]string
}

func newSetup(f *cmdutil.Factory, cmd *cobra.Command, common ...string) (*setup, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	if err := webhooks.CheckProviderFlags(cmd, info, common...); err != nil {
		return nil, err
	}
	in, keys := webhooks.ProviderInputs(cmd, info)
	return &setup{info: info, in: in, keys: keys}, nil
}

func (s *setup) provider(f *cmdutil.Factory, access provider.Access) (provider.Provider, error) {
	return f.Provider(access, s.keys)
}

func notSupported(info provider.Info, what string) error {
	return clierr.Usagef("%s is not supported by %s", what, info.Name)
}

// flagString is a flag's value; the last one of a repeated flag.
func flagString(fl *pflag.Flag) string {
	if fl == nil {
		return ""
	}
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		s := sv.GetSlice()
		if len(s) == 0 {
			return ""
		}
		return s[len(s)-1]
	}
	return fl.Value.String()
}

// completeDeliveryIDs completes the IDs of the last day's deliveries; it is
// silent on any failure.
func completeDeliveryIDs(f *cmdutil.Factory, many bool) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if !many && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		info, err := f.ProviderInfo()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		prov, err := f.Provider(provider.Read, nil)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		dl, ok := prov.(provider.DeliveryLister)
		if !ok {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		_ = info
		ctx, cancel := context.WithTimeout(httpx.NoRetry(context.Background()), 3*time.Second)
		defer cancel()
		var out []string
		seen := map[string]bool{}
		_, _ = dl.ListDeliveries(ctx, provider.DeliveryQuery{From: time.Now().Add(-24 * time.Hour), Limit: 50}, func(page []provider.Delivery) error {
			for _, d := range page {
				if !seen[d.ID] && strings.HasPrefix(d.ID, toComplete) && !slices.Contains(args, d.ID) {
					seen[d.ID] = true
					out = append(out, d.ID+"\t"+d.Event+" "+d.Status)
				}
			}
			return nil
		})
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
