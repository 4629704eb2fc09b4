package webhooks

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// TestOptions are the parsed flags of `webhooks test`.
type TestOptions struct {
	Factory *cmdutil.Factory
	ID      string
	Raw     bool
}

// NewCmdTest is `hookctl webhooks test ID`.
func NewCmdTest(f *cmdutil.Factory, runF func(*cobra.Command, *TestOptions) error) *cobra.Command {
	o := &TestOptions{Factory: f}
	cmd := &cobra.Command{
		Use:               "test ID",
		Short:             "Send a test delivery to a webhook",
		Long:              `Send a test delivery, as the provider supports it.` + providerHelp(f, "test"),
		Example:           providerExamples(f, "test", ""),
		Args:              exactID,
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if runF != nil {
				return runF(cmd, o)
			}
			return testRun(cmd, o)
		},
	}
	cmd.Flags().BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	addProviderFlags(f, cmd, "test")
	return cmd
}

func testRun(cmd *cobra.Command, o *TestOptions) error {
	f := o.Factory
	p, err := f.Printer(o.Raw)
	if err != nil {
		return err
	}
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	if !info.Has(provider.CapTest) {
		return clierr.Usagef("%s has no way to send a test delivery", info.Name)
	}
	if err := checkProviderFlags(cmd, info); err != nil {
		return err
	}
	in, keys := providerInputs(cmd, info)
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	if err := readSecrets(ctx, f, cmd, info, "test", &in); err != nil {
		return err
	}
	prov, err := f.Provider(provider.Read, keys)
	if err != nil {
		return err
	}
	tester, ok := prov.(provider.Tester)
	if !ok {
		return clierr.Usagef("%s has no way to send a test delivery", prov.Name())
	}
	r, err := tester.Test(ctx, o.ID, provider.TestOptions{Input: in})
	if err != nil {
		return err
	}
	var doc any = r
	if o.Raw && len(r.Raw) > 0 {
		doc = rawPayload(r.Raw)
	}
	if err := p.Print(f.IOStreams.Out, doc, testTable(r)); err != nil {
		return err
	}
	if !r.OK {
		return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("the receiver at %s answered %s", r.URL, statusText(r))}
	}
	return nil
}

func statusText(r *provider.TestResult) string {
	if r.StatusCode == nil {
		return "nothing"
	}
	return fmt.Sprintf("HTTP %d", *r.StatusCode)
}
