package webhooks

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// CreateOptions are the parsed flags of `webhooks create`.
type CreateOptions struct {
	Factory       *cmdutil.Factory
	Request       provider.CreateRequest
	Events        []string
	Event         string
	File          string
	Raw           bool
	GenerateKeys  bool
	PrivateKeyOut string
	PrivateKey    privateKeyOptions
}

// NewCmdCreate is `hookctl webhooks create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*cobra.Command, *CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a webhook",
		Long: `Create a webhook from flags, or from --file FILE|- holding the normalized object
(JSON or YAML, as 'get -o json' prints it); flags override the file.

Conekta: --url (required) and --events (repeatable, comma-separated).
Bankly: --url, --event, --context (inferred from the event catalog when unambiguous),
--name (default: the event name), --public-key and the private key from
--private-key-file, --private-key-stdin or BANKLY_WEBHOOK_PRIVATE_KEY; or
--generate-keys --private-key-out FILE for a fresh random pair.`,
		Example: `  hookctl webhooks create --url https://example.com/hooks/conekta --events order.paid,charge.refunded
  hookctl webhooks create --url https://example.com/hooks/pix --event PIX_CASH_IN_WAS_CLEARED \
      --generate-keys --private-key-out pix.key
  hookctl webhooks get ID -o json | hookctl webhooks create --file -`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd, o)
			}
			return createRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Request.URL, "url", "", "URL the provider delivers events to")
	fl.StringArrayVar(&o.Events, "events", nil, "event names, comma-separated or repeated")
	fl.StringVar(&o.Event, "event", "", "event name of the configuration")
	fl.StringVar(&o.Request.Context, "context", "", "context of the event (inferred when unambiguous)")
	fl.StringVar(&o.Request.Name, "name", "", "name of the configuration (default: the event name)")
	fl.StringVar(&o.Request.PublicKey, "public-key", "", "public key sent in every delivery's headers")
	addPrivateKeyFlags(cmd, &o.PrivateKey)
	fl.BoolVar(&o.GenerateKeys, "generate-keys", false, "make a fresh random key pair (needs --private-key-out)")
	fl.StringVar(&o.PrivateKeyOut, "private-key-out", "", "file to write the generated private key to (mode 0600)")
	fl.StringVar(&o.File, "file", "", "read the webhook from FILE (JSON or YAML), - for stdin")
	fl.BoolVar(&o.Request.NoValidate, "no-validate", false, "skip the local checks of URL host, event and context names")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	markProvider(cmd, "conekta", "events")
	markProvider(cmd, "bankly", "event", "context", "name", "public-key", "private-key-file", "private-key-stdin", "generate-keys", "private-key-out")
	_ = cmd.RegisterFlagCompletionFunc("events", completeEvents(f))
	_ = cmd.RegisterFlagCompletionFunc("event", completeEvents(f))
	_ = cmd.RegisterFlagCompletionFunc("context", completeContexts(f))
	return cmd
}

func createRun(cmd *cobra.Command, o *CreateOptions) error {
	f := o.Factory
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	req := o.Request
	if o.File != "" {
		w, err := readWebhookFile(f, o.File, info.Name)
		if err != nil {
			return err
		}
		mergeCreate(cmd, &req, w)
	}
	if cmd.Flags().Changed("events") {
		req.Events = splitEvents(o.Events)
	}
	if o.Event != "" {
		req.Events = []string{o.Event}
	}
	if req.URL == "" {
		return clierr.Usagef("--url is required: the URL %s delivers events to", info.Name)
	}
	if err := checkURLSyntax("--url", req.URL); err != nil {
		return err
	}
	if o.GenerateKeys && o.PrivateKeyOut == "" {
		return clierr.Usagef("--generate-keys needs --private-key-out FILE: the private key is written there and never printed")
	}
	if o.PrivateKeyOut != "" && !o.GenerateKeys {
		return clierr.Usagef("--private-key-out is only used with --generate-keys")
	}
	if o.GenerateKeys && (o.PrivateKey.File != "" || o.PrivateKey.Stdin || req.PublicKey != "") {
		return clierr.Usagef("--generate-keys makes both keys: drop --public-key/--private-key-file/--private-key-stdin")
	}
	if !o.GenerateKeys && takesPrivateKey(info, "create") {
		if req.PrivateKey, err = o.PrivateKey.read(f); err != nil {
			return err
		}
	}
	if _, err := f.Printer(o.Raw); err != nil {
		return err
	}
	prov, err := newProvider(f, cmd, "create", provider.Write)
	if err != nil {
		return err
	}
	var keyFile string
	if o.GenerateKeys {
		priv, pub := randomKey(), randomKey()
		f.Redactor.Add(priv)
		req.PrivateKey, req.PublicKey = priv, pub
		keyFile = config.ExpandHome(o.PrivateKeyOut)
		if err := writeNewSecretFile(keyFile, priv); err != nil {
			return err
		}
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	w, err := prov.Create(ctx, req)
	if err != nil {
		if keyFile != "" {
			os.Remove(keyFile)
		}
		return err
	}
	if keyFile != "" {
		fmt.Fprintf(f.IOStreams.ErrOut, "private key written to %s (mode 0600); keep it to verify deliveries\n", keyFile)
	}
	return printWebhook(f, o.Raw, w)
}

func mergeCreate(cmd *cobra.Command, req *provider.CreateRequest, w *webhookFile) {
	set := func(flag string, dst *string, v *string) {
		if v != nil && !cmd.Flags().Changed(flag) {
			*dst = *v
		}
	}
	set("url", &req.URL, w.URL)
	set("name", &req.Name, w.Name)
	set("context", &req.Context, w.Context)
	set("public-key", &req.PublicKey, w.PublicKey)
	if w.Events != nil {
		req.Events = *w.Events
	}
}

// randomKey is 32 random bytes in base64: 44 characters, within Bankly's 64.
func randomKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// writeNewSecretFile writes a secret to a file that must not exist yet.
func writeNewSecretFile(path, secret string) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return clierr.Usagef("--private-key-out %s exists: choose a new file, hookctl never overwrites a key", path)
	}
	if err != nil {
		return clierr.Usagef("--private-key-out %s: %v", path, unwrap(err))
	}
	if _, err := fh.WriteString(secret + "\n"); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
