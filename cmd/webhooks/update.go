package webhooks

import (
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// UpdateOptions are the parsed flags of `webhooks update`.
type UpdateOptions struct {
	Factory    *cmdutil.Factory
	ID         string
	URL        string
	Enable     bool
	Disable    bool
	File       string
	NoValidate bool
	Raw        bool
}

// NewCmdUpdate is `hookctl webhooks update ID`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(*cobra.Command, *UpdateOptions) error) *cobra.Command {
	o := &UpdateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a webhook",
		Long: `Change a webhook from flags, or from --file FILE|- holding the normalized object
(JSON or YAML), so that 'get -o json | edit | update ID --file -' round-trips. Fields of the
file equal to the webhook's current values are no change.` + providerHelp(f, "update"),
		Example: providerExamples(f, "update", `  hookctl webhooks update ID --disable
  hookctl webhooks get ID -o json | jq '.url="https://example.com/new"' | hookctl webhooks update ID --file -`),
		Args:              exactID,
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if o.Enable && o.Disable {
				return clierr.Usagef("--enable and --disable both given: use one")
			}
			if runF != nil {
				return runF(cmd, o)
			}
			return updateRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.URL, "url", "", "new URL")
	fl.BoolVar(&o.Enable, "enable", false, "enable the webhook")
	fl.BoolVar(&o.Disable, "disable", false, "disable the webhook")
	fl.StringVar(&o.File, "file", "", "read the webhook from FILE (JSON or YAML), - for stdin")
	fl.BoolVar(&o.NoValidate, "no-validate", false, "skip the local checks of URL host and event names")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	addProviderFlags(f, cmd, "update")
	return cmd
}

func updateRun(cmd *cobra.Command, o *UpdateOptions) error {
	f := o.Factory
	ws, err := setupWrite(f, cmd)
	if err != nil {
		return err
	}
	defer ws.cancel()
	info, in, keys, ctx := ws.info, ws.in, ws.keys, ws.ctx
	req := provider.UpdateRequest{NoValidate: o.NoValidate}
	if o.File != "" {
		w, err := readWebhookFile(ctx, f, o.File, info.Name)
		if err != nil {
			return err
		}
		if w.ID != nil && *w.ID != "" && *w.ID != o.ID {
			return clierr.Usagef("--file describes webhook %s, not %s: fix the ID or the file", *w.ID, o.ID)
		}
		if d := w.fields(); !d.IsZero() {
			req.Desired = &d
		}
	}
	if cmd.Flags().Changed("url") {
		req.Set.URL = &o.URL
	}
	if o.Enable || o.Disable {
		v := o.Enable
		req.Set.Enabled = &v
	}
	for _, u := range []*provider.Fields{&req.Set, req.Desired} {
		if u != nil && u.URL != nil {
			if err := checkURLSyntax("--url", *u.URL); err != nil {
				return err
			}
		}
	}
	if req.Set.IsZero() && req.Desired == nil && len(in) == 0 {
		return clierr.Usagef("nothing to update: give --url, --enable, --disable, --file or a provider flag (see '%s --help')", cmd.CommandPath())
	}
	if err := readSecrets(ctx, f, cmd, info, "update", &in); err != nil {
		return err
	}
	req.Input = in
	if _, err := f.Printer(o.Raw); err != nil {
		return err
	}
	prov, err := f.Provider(provider.Read|provider.Write, keys)
	if err != nil {
		return err
	}
	w, err := prov.Update(ctx, o.ID, req)
	if err != nil {
		return err
	}
	return printWebhook(f, o.Raw, w)
}
