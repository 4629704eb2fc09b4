package webhooks

import (
	"context"
	"io"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// What other command groups (deliveries) share of this one: the provider
// flags, declared by the adapters per verb, and the small helpers around them.

// AddProviderFlags registers on cmd the flags the providers declare for verb.
func AddProviderFlags(f *cmdutil.Factory, cmd *cobra.Command, verb string) {
	addProviderFlags(f, cmd, verb)
}

// ProviderHelp is, for help, how each provider does verb and the flags it takes.
func ProviderHelp(f *cmdutil.Factory, verb string) string { return providerHelp(f, verb) }

// ProviderExamples are the providers' examples of verb, after the common ones.
func ProviderExamples(f *cmdutil.Factory, verb, common string) string {
	return providerExamples(f, verb, common)
}

// CheckProviderFlags refuses a provider flag the selected provider lacks;
// the flags named in common are taken by every provider on this run.
func CheckProviderFlags(cmd *cobra.Command, info provider.Info, common ...string) error {
	if len(common) == 0 {
		return checkProviderFlags(cmd, info)
	}
	skip := map[string]bool{}
	for _, n := range common {
		skip[n] = true
	}
	saved := map[string][]string{}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if skip[fl.Name] && fl.Annotations[providersAnnotation] != nil {
			saved[fl.Name] = fl.Annotations[providersAnnotation]
			delete(fl.Annotations, providersAnnotation)
		}
	})
	defer cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if v, ok := saved[fl.Name]; ok {
			fl.Annotations[providersAnnotation] = v
		}
	})
	return checkProviderFlags(cmd, info)
}

// ProviderInputs collects the values of the selected provider's flags, and
// the profile keys its flags override.
func ProviderInputs(cmd *cobra.Command, info provider.Info) (provider.Values, map[string]string) {
	return providerInputs(cmd, info)
}

// Fixed completes a fixed list of values.
func Fixed(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return fixed(values...)
}

// CompleteEvents completes the selected provider's event names.
func CompleteEvents(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return completeEvents(f)
}

// CompleteWebhookIDs completes webhook ids.
func CompleteWebhookIDs(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return completeIDs(f)
}

// ReadLine reads one line of a prompt's answer, giving up on ctx.
func ReadLine(ctx context.Context, r io.Reader) (string, error) { return readLineCtx(ctx, r, 1024) }

// ShellQuote quotes a value for POSIX shells when it needs it.
func ShellQuote(s string) string { return shellQuote(s) }

// Where names the profile a destructive command acts on.
func Where(f *cmdutil.Factory, info provider.Info) string { return where(f, info) }

// StopReason says why ctx ended: the deadline or an interrupt.
func StopReason(ctx context.Context) string { return stopReason(ctx) }
