package webhooks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
)

// CreateOptions are the parsed flags of `webhooks create`.
type CreateOptions struct {
	Factory    *cmdutil.Factory
	URL        string
	File       string
	Raw        bool
	NoValidate bool
}

// NewCmdCreate is `hookctl webhooks create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*cobra.Command, *CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a webhook",
		Long: `Create a webhook from flags, or from --file FILE|- holding the normalized object
(JSON or YAML, as 'get -o json' prints it); flags override the file. --url is required.` + providerHelp(f, "create"),
		Example: providerExamples(f, "create", "  hookctl webhooks get ID -o json | hookctl webhooks create --file -"),
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd, o)
			}
			return createRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.URL, "url", "", "URL the provider delivers events to")
	fl.StringVar(&o.File, "file", "", "read the webhook from FILE (JSON or YAML), - for stdin")
	fl.BoolVar(&o.NoValidate, "no-validate", false, "skip the local checks of URL host, event and context names")
	fl.BoolVar(&o.Raw, "raw", false, "print the provider's payload as received (json/yaml only)")
	addProviderFlags(f, cmd, "create")
	return cmd
}

func createRun(cmd *cobra.Command, o *CreateOptions) error {
	f := o.Factory
	ws, err := setupWrite(f, cmd)
	if err != nil {
		return err
	}
	defer ws.cancel()
	info, in, keys, ctx := ws.info, ws.in, ws.keys, ws.ctx
	req := provider.CreateRequest{NoValidate: o.NoValidate}
	if o.File != "" {
		w, err := readWebhookFile(ctx, f, o.File, info.Name)
		if err != nil {
			return err
		}
		req.Fields = w.fields()
	}
	if cmd.Flags().Changed("url") {
		req.Fields.URL = &o.URL
	}
	if req.Fields.URL == nil || *req.Fields.URL == "" {
		return clierr.Usagef("--url is required: the URL %s delivers events to", info.Name)
	}
	if err := checkURLSyntax("--url", *req.Fields.URL); err != nil {
		return err
	}
	keyFile, err := generateKeys(f, cmd, info, req.Fields, &in)
	if err != nil {
		return err
	}
	if keyFile == "" {
		if err := readSecrets(ctx, f, cmd, info, "create", &in); err != nil {
			return err
		}
	}
	req.Input = in
	if _, err := f.Printer(o.Raw); err != nil {
		return err
	}
	prov, err := f.Provider(provider.Write, keys)
	if err != nil {
		return err
	}
	if keyFile != "" {
		if err := writeNewSecretFile(keyFile, in.String(info.KeyPair.Private)); err != nil {
			return err
		}
	}
	w, err := prov.Create(ctx, req)
	if err != nil {
		reader := func() (provider.Provider, error) { return f.Provider(provider.Read, keys) }
		w, err = afterFailedCreate(f, cmd, ctx, reader, req, keyFile, err)
		if err != nil {
			return err
		}
	}
	if keyFile != "" {
		fmt.Fprintf(f.IOStreams.ErrOut, "private key written to %s (mode 0600); keep it to verify deliveries\n", keyFile)
	}
	return printWebhook(f, o.Raw, w)
}

// afterFailedCreate decides what a failed create means. A refusal removes
// the generated key file; an unknown outcome is looked up once, within the
// deadline, and never retried: found, the webhook is printed (exit 0); proven
// absent, exit 1; otherwise exit 6. The key file stays unless the provider
// definitively refused, since the provider may hold its twin.
func afterFailedCreate(f *cmdutil.Factory, cmd *cobra.Command, ctx context.Context, reader func() (provider.Provider, error), req provider.CreateRequest, keyFile string, err error) (*provider.Webhook, error) {
	var unknown *provider.OutcomeUnknownError
	if !errors.As(err, &unknown) {
		if keyFile != "" {
			if refused(err) {
				os.Remove(keyFile)
			} else {
				fmt.Fprintf(f.IOStreams.ErrOut, "the private key stays in %s: the provider may have received it\n", keyFile)
			}
		}
		return nil, err
	}
	check := fmt.Sprintf("check with `%s webhooks list` before creating it again", cmd.Root().Name())
	keep := ""
	if keyFile != "" {
		keep = fmt.Sprintf("; the private key stays in %s", keyFile)
	}
	// The lookup reads: it gets its own least-privilege client.
	var finder provider.Finder
	prov, perr := reader()
	if perr == nil {
		finder, _ = prov.(provider.Finder)
	}
	if finder == nil || ctx.Err() != nil {
		return nil, &clierr.ExitError{Code: clierr.ExitUnknown, Err: fmt.Errorf("%v: %s%s", err, check, keep)}
	}
	w, found, ferr := finder.FindCreated(ctx, req)
	switch {
	case ferr == nil && found:
		f.Warnf("%v; hookctl looked it up: the webhook exists, so it was created", err)
		return w, nil
	case ferr == nil:
		return nil, &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("%v; hookctl looked it up: no such webhook exists, so it was not created%s", err, keep)}
	}
	return nil, &clierr.ExitError{Code: clierr.ExitUnknown, Err: fmt.Errorf("%v; looking it up failed too (%v): %s%s", err, ferr, check, keep)}
}

// refused reports whether a failed request provably changed nothing: input
// refused before sending, a 4xx answer, or a connection never made.
func refused(err error) bool {
	var ve *provider.ValidationError
	var ae *provider.APIError
	switch {
	case clierr.IsUsage(err), errors.As(err, &ve):
		return true
	case errors.As(err, &ae):
		return ae.Status >= 400 && ae.Status < 500
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// generateKeys makes the provider's key pair when --generate-keys asks,
// putting both into in; it returns the file the private key goes to.
func generateKeys(f *cmdutil.Factory, cmd *cobra.Command, info provider.Info, fields provider.Fields, in *provider.Values) (string, error) {
	generate, _ := cmd.Flags().GetBool(generateKeysFlag)
	out, _ := cmd.Flags().GetString(keyOutFlag)
	if generate && out == "" {
		return "", clierr.Usagef("--%s needs --%s FILE: the private key is written there and never printed", generateKeysFlag, keyOutFlag)
	}
	if out != "" && !generate {
		return "", clierr.Usagef("--%s is only used with --%s", keyOutFlag, generateKeysFlag)
	}
	if !generate {
		return "", nil
	}
	kp := info.KeyPair
	file, _ := cmd.Flags().GetString(kp.Private + secretFileSuffix)
	stdin, _ := cmd.Flags().GetBool(kp.Private + secretStdinSuffix)
	if file != "" || stdin || in.Has(kp.Public) || (fields.PublicKey != nil && *fields.PublicKey != "") {
		return "", clierr.Usagef("--%s makes both keys: drop --%s/--%s%s/--%s%s", generateKeysFlag, kp.Public, kp.Private, secretFileSuffix, kp.Private, secretStdinSuffix)
	}
	priv, pub := kp.Generate()
	f.Redactor.Add(priv)
	in.Set(kp.Private, priv)
	in.Set(kp.Public, pub)
	return config.ExpandHome(out), nil
}

// writeNewSecretFile writes a secret to a file that must not exist yet.
func writeNewSecretFile(path, secret string) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return clierr.Usagef("--private-key-out %s exists: choose a new file, hookctl never overwrites a key", path)
	}
	if err != nil {
		return clierr.Usagef("--private-key-out %s: %v", path, config.PathCause(err))
	}
	if _, err := fh.WriteString(secret + "\n"); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
