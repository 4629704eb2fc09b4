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
	Factory    *cmdutil.Factory
	ID         string
	HMACKey    string
	Raw        bool
	PrivateKey privateKeyOptions
}

// NewCmdTest is `hookctl webhooks test ID`.
func NewCmdTest(f *cmdutil.Factory, runF func(*cobra.Command, *TestOptions) error) *cobra.Command {
	o := &TestOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "test ID",
		Short: "Send a test delivery to a webhook",
		Long: `Send a test delivery.

Conekta: POST /webhooks/{id}/test; Conekta accepts it and delivers a webhook_ping event
to the URL later (synthetic: false, status_code: null).

Bankly has no test endpoint: hookctl builds a sample event for the configuration's context
and event name, signs it as Bankly signs (HMAC-SHA256, header authorization: hmac ...),
POSTs it to the configuration's URL and reports the receiver's status and latency
(synthetic: true). It needs the webhook's private key. A non-2xx answer exits 1.`,
		Example:           "  hookctl webhooks test 6307a60c41de27127515a575\n  hookctl webhooks test 15aab67f-18fe-45d3-8b7b-e999de104b04 --private-key-file pix.key",
		Args:              exactID,
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if o.HMACKey != "base64" && o.HMACKey != "raw" {
				return clierr.Usagef("--hmac-key %q: use base64 (the private key is base64-decoded) or raw", o.HMACKey)
			}
			if runF != nil {
				return runF(cmd, o)
			}
			return testRun(cmd, o)
		},
	}
	addPrivateKeyFlags(cmd, &o.PrivateKey)
	cmd.Flags().StringVar(&o.HMACKey, "hmac-key", "base64", "HMAC key: base64 (decoded private key) or raw (its text)")
	cmd.Flags().BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	markProvider(cmd, "bankly", "private-key-file", "private-key-stdin", "hmac-key")
	_ = cmd.RegisterFlagCompletionFunc("hmac-key", fixed("base64", "raw"))
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
	key := ""
	if takesPrivateKey(info, "test") {
		if key, err = o.PrivateKey.read(f); err != nil {
			return err
		}
	}
	prov, err := newProvider(f, cmd, "test", provider.Read)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	tester, ok := prov.(provider.Tester)
	if !ok {
		return clierr.Usagef("%s has no way to send a test delivery", prov.Name())
	}
	r, err := tester.Test(ctx, o.ID, provider.TestOptions{PrivateKey: key, HMACKey: o.HMACKey})
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
