package webhooks

import (
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// UpdateOptions are the parsed flags of `webhooks update`.
type UpdateOptions struct {
	Factory      *cmdutil.Factory
	ID           string
	URL          string
	Events       []string
	AddEvents    []string
	RemoveEvents []string
	Enable       bool
	Disable      bool
	PublicKey    string
	File         string
	NoValidate   bool
	Raw          bool
	PrivateKey   privateKeyOptions
}

// NewCmdUpdate is `hookctl webhooks update ID`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(*cobra.Command, *UpdateOptions) error) *cobra.Command {
	o := &UpdateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a webhook",
		Long: `Change a webhook from flags, or from --file FILE|- holding the normalized object
(JSON or YAML), so that 'get -o json | edit | update ID --file -' round-trips.

Conekta: --url, --events (replaces the list), --add-events, --remove-events, --enable, --disable.
Bankly: --url, --public-key, --enable, --disable. Bankly's PATCH replaces uri, publicKey and
privateKey together and never returns the private key, so changing the URL or public key needs
the private key (--private-key-file, --private-key-stdin or BANKLY_WEBHOOK_PRIVATE_KEY).`,
		Example: `  hookctl webhooks update 6307a60c41de27127515a575 --add-events order.refunded
  hookctl webhooks update 6307a60c41de27127515a575 --disable
  hookctl webhooks get ID -o json | jq '.url="https://example.com/new"' | hookctl webhooks update ID --file -`,
		Args:              exactID,
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			if runF != nil {
				return runF(cmd, o)
			}
			return updateRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.URL, "url", "", "new URL")
	fl.StringArrayVar(&o.Events, "events", nil, "replace the event list (comma-separated or repeated)")
	fl.StringArrayVar(&o.AddEvents, "add-events", nil, "add events to the list")
	fl.StringArrayVar(&o.RemoveEvents, "remove-events", nil, "remove events from the list")
	fl.BoolVar(&o.Enable, "enable", false, "enable the webhook")
	fl.BoolVar(&o.Disable, "disable", false, "disable the webhook")
	fl.StringVar(&o.PublicKey, "public-key", "", "new public key")
	addPrivateKeyFlags(cmd, &o.PrivateKey)
	fl.StringVar(&o.File, "file", "", "read the webhook from FILE (JSON or YAML), - for stdin")
	fl.BoolVar(&o.NoValidate, "no-validate", false, "skip the local checks of URL host and event names")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	cmd.MarkFlagsMutuallyExclusive("enable", "disable")
	markProvider(cmd, "conekta", "events", "add-events", "remove-events")
	markProvider(cmd, "bankly", "public-key", "private-key-file", "private-key-stdin")
	_ = cmd.RegisterFlagCompletionFunc("events", completeEvents(f))
	_ = cmd.RegisterFlagCompletionFunc("add-events", completeEvents(f))
	_ = cmd.RegisterFlagCompletionFunc("remove-events", completeEvents(f))
	return cmd
}

func updateRun(cmd *cobra.Command, o *UpdateOptions) error {
	f := o.Factory
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	req := provider.UpdateRequest{NoValidate: o.NoValidate}
	if o.File != "" {
		w, err := readWebhookFile(f, o.File, info.Name)
		if err != nil {
			return err
		}
		req.URL, req.Enabled, req.Name, req.Context, req.PublicKey = w.URL, w.Enabled, w.Name, w.Context, w.PublicKey
		req.FromFile = true
		if w.Events != nil {
			req.Events, req.SetEvents = *w.Events, true
		}
		if w.ID != nil && *w.ID != "" && *w.ID != o.ID {
			return clierr.Usagef("--file describes webhook %s, not %s: fix the ID or the file", *w.ID, o.ID)
		}
	}
	ch := cmd.Flags().Changed
	if ch("url") || ch("public-key") {
		req.FromFile = false
	}
	if ch("url") {
		req.URL = &o.URL
	}
	if req.URL != nil {
		if err := checkURLSyntax("--url", *req.URL); err != nil {
			return err
		}
	}
	if ch("events") {
		req.Events, req.SetEvents = splitEvents(o.Events), true
	}
	req.AddEvents, req.RemoveEvents = splitEvents(o.AddEvents), splitEvents(o.RemoveEvents)
	if ch("public-key") {
		req.PublicKey = &o.PublicKey
	}
	if o.Enable || o.Disable {
		v := o.Enable
		req.Enabled = &v
	}
	if req.URL == nil && !req.SetEvents && len(req.AddEvents) == 0 && len(req.RemoveEvents) == 0 && req.Enabled == nil && req.PublicKey == nil {
		return clierr.Usagef("nothing to update: give --url, --enable, --disable, --file or a provider flag (see '%s --help')", cmd.CommandPath())
	}
	if takesPrivateKey(info, "update") {
		if req.PrivateKey, err = o.PrivateKey.read(f); err != nil {
			return err
		}
	}
	if _, err := f.Printer(o.Raw); err != nil {
		return err
	}
	prov, err := newProvider(f, cmd, "update", provider.Read|provider.Write)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	w, err := prov.Update(ctx, o.ID, req)
	if err != nil {
		return err
	}
	return printWebhook(f, o.Raw, w)
}
