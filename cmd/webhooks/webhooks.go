// Package webhooks holds the `hookctl webhooks` commands, one file a verb,
// and the top-level commands that check and receive deliveries (verify,
// listen), which take the providers' declared inputs as the verbs do.
package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"unicode"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/validate"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// NewCmdWebhooks is `hookctl webhooks` (aliases `webhook`, `wh`).
func NewCmdWebhooks(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:     "webhooks",
		Aliases: []string{"webhook", "wh"},
		Short:   "List, get, create, update, delete and test webhooks",
		Args:    cmdutil.UnknownCommand,
		RunE:    func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	addProviderFlags(f, c, provider.GroupVerb)
	c.AddCommand(
		NewCmdList(f, nil),
		NewCmdGet(f, nil),
		NewCmdCreate(f, nil),
		NewCmdUpdate(f, nil),
		NewCmdDelete(f, nil),
		NewCmdTest(f, nil),
		NewCmdEvents(f, nil),
		newCmdKeys(f),
	)
	return c
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
	if len(id) > 200 || id == "." || id == ".." || strings.ContainsAny(id, "/\\?#% ") || strings.IndexFunc(id, unicode.IsControl) >= 0 {
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

// fields are the normalized fields the file gives.
func (w *webhookFile) fields() provider.Fields {
	return provider.Fields{URL: w.URL, Enabled: w.Enabled, Events: w.Events, Name: w.Name, Context: w.Context, PublicKey: w.PublicKey}
}

// readWebhookFile reads --file (a regular file, or - for stdin; at most
// 1 MiB) as JSON or YAML.
func readWebhookFile(ctx context.Context, f *cmdutil.Factory, path, providerName string) (*webhookFile, error) {
	in := f.IOStreams.In
	if path != "-" {
		fh, err := os.Open(config.ExpandHome(path))
		if err != nil {
			return nil, clierr.Usagef("--file %s: %v", path, config.PathCause(err))
		}
		defer fh.Close()
		if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil, clierr.Usagef("--file %s is not a regular file: give a JSON or YAML file, or - for stdin", path)
		}
		in = fh
	}
	data, err := readAllCtx(ctx, in, maxFileSize)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, clierr.Usagef("--file %s: %v", path, config.PathCause(err))
	}
	if len(data) > maxFileSize {
		return nil, clierr.Usagef("--file %s is larger than 1 MiB: give one webhook object", path)
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
		if errors.As(err, &te) {
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

// checkURLSyntax is the provider-independent URL check of create/update.
func checkURLSyntax(field, raw string) error {
	if _, err := validate.URL(field, raw); err != nil {
		return clierr.Usagef("%v", err)
	}
	return nil
}
