// Package webhooks holds the `hookctl webhooks` commands, one file a verb.
package webhooks

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/validate"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// NewCmdWebhooks is `hookctl webhooks` (aliases `webhook`, `wh`).
func NewCmdWebhooks(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:     "webhooks",
		Aliases: []string{"webhook", "wh"},
		Short:   "List, get, create, update, delete and test webhooks",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return clierr.Usagef("unknown command %q for %q (see '%s --help')", args[0], cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.PersistentFlags().String("child-company", "", "Conekta X-Child-Company-Id: act on a holding's child company [conekta]")
	c.AddCommand(
		NewCmdList(f, nil),
		NewCmdGet(f, nil),
		NewCmdCreate(f, nil),
		NewCmdUpdate(f, nil),
		NewCmdDelete(f, nil),
		NewCmdTest(f, nil),
		NewCmdEvents(f, nil),
	)
	return c
}

const providerAnnotation = "hookctl_provider"

// markProvider records which providers a flag belongs to, for the check
// below and for help.
func markProvider(cmd *cobra.Command, providers string, names ...string) {
	for _, n := range names {
		fl := cmd.Flags().Lookup(n)
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[providerAnnotation] = strings.Split(providers, ",")
		fl.Usage += " [" + providers + "]"
	}
}

// checkProviderFlags refuses a provider-specific flag the selected provider lacks.
func checkProviderFlags(cmd *cobra.Command, info provider.Info, verb string) error {
	allowed := map[string]bool{}
	for _, n := range info.Flags[verb] {
		allowed[n] = true
	}
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if err != nil || fl.Annotations[providerAnnotation] == nil || allowed[fl.Name] {
			return
		}
		takes := make([]string, 0, len(info.Flags[verb]))
		for _, n := range info.Flags[verb] {
			takes = append(takes, "--"+n)
		}
		sort.Strings(takes)
		err = clierr.Usagef("--%s is not a %s flag: for %s, %s takes %s", fl.Name, info.Name, info.Name, cmd.CommandPath(), strings.Join(takes, ", "))
	})
	return err
}

// overrides returns the command-line values of provider keys.
func overrides(cmd *cobra.Command, info provider.Info) (map[string]string, error) {
	fl := cmd.Flags().Lookup("child-company")
	if fl == nil || !fl.Changed {
		return nil, nil
	}
	if info.Name != "conekta" {
		return nil, clierr.Usagef("--child-company is a conekta flag; the selected provider is %s", info.Name)
	}
	return map[string]string{"child_company_id": fl.Value.String()}, nil
}

// newProvider checks the provider-specific flags of verb and builds the
// selected provider with the access the command needs.
func newProvider(f *cmdutil.Factory, cmd *cobra.Command, verb string, access provider.Access) (provider.Provider, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	if err := checkProviderFlags(cmd, info, verb); err != nil {
		return nil, err
	}
	ov, err := overrides(cmd, info)
	if err != nil {
		return nil, err
	}
	return f.Provider(access, ov)
}

// exactID checks the one ID argument.
func exactID(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return clierr.Usagef("%s takes exactly one webhook ID, got %d (see '%s --help')", cmd.CommandPath(), len(args), cmd.CommandPath())
	}
	return checkID(args[0])
}

func checkID(id string) error {
	if strings.TrimSpace(id) == "" {
		return clierr.Usagef("webhook ID is empty: give the ID from `hookctl webhooks list`")
	}
	if len(id) > 200 || strings.ContainsAny(id, "/?#% \t\n") {
		return clierr.Usagef("webhook ID %q is not an ID: give the ID from `hookctl webhooks list`", truncate(id, 40))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// webhookFile is the normalized object as read by --file: pointers tell
// which fields were given.
type webhookFile struct {
	Provider  *string   `json:"provider"`
	ID        *string   `json:"id"`
	URL       *string   `json:"url"`
	Enabled   *bool     `json:"enabled"`
	Events    *[]string `json:"events"`
	Name      *string   `json:"name"`
	Context   *string   `json:"context"`
	PublicKey *string   `json:"public_key"`
}

// readWebhookFile reads --file (a path, or - for stdin) as JSON or YAML.
func readWebhookFile(f *cmdutil.Factory, path, providerName string) (*webhookFile, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(f.IOStreams.In, 1<<20))
	} else {
		data, err = os.ReadFile(config.ExpandHome(path))
	}
	if err != nil {
		return nil, clierr.Usagef("--file %s: %v", path, unwrap(err))
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, clierr.Usagef("--file %s is neither JSON nor YAML (%v): give the object `hookctl webhooks get ID -o json` prints", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, clierr.Usagef("--file %s must hold one webhook object (as `hookctl webhooks get ID -o json` prints), not %s", path, kind(doc))
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, clierr.Usagef("--file %s: %v", path, err)
	}
	var w webhookFile
	if err := json.Unmarshal(js, &w); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeErr(err, &te); ok {
			return nil, clierr.Usagef("--file %s: field %s must be %s, not %s", path, te.Field, want(te.Field), te.Value)
		}
		return nil, clierr.Usagef("--file %s: %v", path, err)
	}
	if w.Provider != nil && *w.Provider != "" && *w.Provider != providerName {
		return nil, clierr.Usagef("--file %s describes a %s webhook but the selected provider is %s: pick the matching --profile/--provider", path, *w.Provider, providerName)
	}
	if w.URL != nil && strings.Contains(*w.URL, "[REDACTED]") {
		// A URL printed with its user-info redacted: keep the stored one.
		w.URL = nil
	}
	return &w, nil
}

func asTypeErr(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

func want(field string) string {
	switch field {
	case "enabled":
		return "true or false"
	case "events":
		return "a list of event names"
	}
	return "a string"
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "an empty document"
	case []any:
		return "a list"
	default:
		return "a single value"
	}
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// splitEvents splits repeatable, comma-separated event flags.
func splitEvents(values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(e))
		}
	}
	return out
}

// privateKeyOptions are the sources of a Bankly webhook private key.
type privateKeyOptions struct {
	File  string
	Stdin bool
}

func addPrivateKeyFlags(cmd *cobra.Command, o *privateKeyOptions) {
	cmd.Flags().StringVar(&o.File, "private-key-file", "", "file holding the webhook's base64 private key (or env BANKLY_WEBHOOK_PRIVATE_KEY)")
	cmd.Flags().BoolVar(&o.Stdin, "private-key-stdin", false, "read the webhook's private key from stdin")
}

// takesPrivateKey reports whether the provider's verb takes a webhook private key.
func takesPrivateKey(info provider.Info, verb string) bool {
	for _, f := range info.Flags[verb] {
		if f == "private-key-file" {
			return true
		}
	}
	return false
}

// read returns the private key from --private-key-file, --private-key-stdin
// or BANKLY_WEBHOOK_PRIVATE_KEY, registering it with the redactor.
func (o *privateKeyOptions) read(f *cmdutil.Factory) (string, error) {
	if o.File != "" && o.Stdin {
		return "", clierr.Usagef("--private-key-file and --private-key-stdin both given: use one")
	}
	var key string
	switch {
	case o.File != "":
		v, err := config.ReadSecretFile("--private-key-file", config.ExpandHome(o.File))
		if err != nil {
			return "", err
		}
		key = v
	case o.Stdin:
		if f.IOStreams.IsStdinTTY() {
			fmt.Fprint(f.IOStreams.ErrOut, "Paste the webhook private key and press Enter: ")
		}
		line, err := bufio.NewReader(io.LimitReader(f.IOStreams.In, 64<<10)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", clierr.Usagef("--private-key-stdin: %v", err)
		}
		key = strings.TrimSpace(line)
		if key == "" {
			return "", clierr.Usagef("--private-key-stdin: stdin was empty: pipe the base64 private key in")
		}
	default:
		key = strings.TrimSpace(os.Getenv("BANKLY_WEBHOOK_PRIVATE_KEY"))
	}
	f.Redactor.Add(key)
	return key, nil
}

// checkURLSyntax is the provider-independent URL check of create/update.
func checkURLSyntax(field, raw string) error {
	if _, err := validate.URL(field, raw); err != nil {
		return clierr.Usagef("%v", err)
	}
	return nil
}
