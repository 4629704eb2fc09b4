package webhooks

import (
	"context"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// newCmdKeys is `hookctl webhooks keys`: the account's delivery signing keys.
func newCmdKeys(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "keys",
		Short: "List, get, create and delete the keys that sign deliveries",
		Long: `The account's webhook signing keys: the provider signs each delivery with a key
pair's private half and shows its public half (PEM), which 'hookctl verify' and
'hookctl listen --verify' check signatures with. Providers whose keys belong to each
webhook have no such command.` + providerHelp(f, "keys"),
		Args: cmdutil.UnknownCommand,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.AddCommand(newCmdKeysList(f), newCmdKeysGet(f), newCmdKeysCreate(f), newCmdKeysDelete(f))
	return c
}

// keyManager is the selected provider's KeyManager, or exit 2 with the
// provider's own word on where its keys are.
func keyManager(f *cmdutil.Factory, cmd *cobra.Command, access provider.Access) (provider.KeyManager, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	if !info.Has(provider.CapKeys) {
		return nil, notSupported("webhooks keys", info)
	}
	prov, _, err := newProvider(f, cmd, access)
	if err != nil {
		return nil, err
	}
	km, ok := prov.(provider.KeyManager)
	if !ok {
		return nil, notSupported("webhooks keys", info)
	}
	return km, nil
}

// withKeys runs fn with the run's printer, the provider's key manager and
// the command's deadline: what every keys command but delete starts with.
func withKeys(f *cmdutil.Factory, cmd *cobra.Command, access provider.Access, fn func(ctx context.Context, p *output.Printer, km provider.KeyManager) error) error {
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	km, err := keyManager(f, cmd, access)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	return fn(ctx, p, km)
}

// notSupported is the usage error of a capability the provider lacks, with
// the provider's explanation (Info.Help) when it gives one.
func notSupported(what string, info provider.Info) error {
	verb := what[strings.LastIndex(what, " ")+1:]
	if h := info.Help[verb]; h != "" {
		return clierr.Usagef("%s is not supported by %s: %s", what, info.Name, strings.TrimSuffix(h, "."))
	}
	return clierr.Usagef("%s is not supported by %s", what, info.Name)
}

func keyWord(k provider.WebhookKey) string { return enabledWord(k.Active) }

func orDash(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func keysTable(keys []provider.WebhookKey) *output.Table {
	t := &output.Table{Header: []string{"id", "active", "created_at", "deactivated_at"}, Colors: map[int]func(string) string{1: enabledColor}, Shrink: []int{3, 2}}
	for _, k := range keys {
		t.Rows = append(t.Rows, []string{k.ID, keyWord(k), orDash(k.CreatedAt), orDash(k.DeactivatedAt)})
		t.Names = append(t.Names, k.ID)
	}
	return t
}

func keyTable(k *provider.WebhookKey) *output.Table {
	t := &output.Table{Header: []string{"field", "value"}, Names: []string{k.ID}}
	add := func(a, b string) { t.Rows = append(t.Rows, []string{a, b}) }
	add("provider", k.Provider)
	add("id", k.ID)
	add("active", keyWord(*k))
	add("created_at", orDash(k.CreatedAt))
	add("deactivated_at", orDash(k.DeactivatedAt))
	pem := strings.Split(strings.TrimSpace(k.PublicKey), "\n")
	if k.PublicKey == "" {
		pem = []string{"(not shown by the provider)"}
	}
	for i, line := range pem {
		name := ""
		if i == 0 {
			name = "public_key"
		}
		add(name, line)
	}
	return t
}

func newCmdKeysList(f *cmdutil.Factory) *cobra.Command {
	var o provider.KeyListOptions
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the webhook signing keys",
		Example: "  hookctl webhooks keys list\n  hookctl webhooks keys list --all -o json --jq '.[] | select(.active) | .id'",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Limit < 0 {
				return clierr.Usagef("--limit %d: give a number of keys, 1 or more", o.Limit)
			}
			if o.All && o.Limit > 0 {
				return clierr.Usagef("--all and --limit both given: use one")
			}
			return withKeys(f, cmd, provider.Read, func(ctx context.Context, p *output.Printer, km provider.KeyManager) error {
				keys, err := km.ListKeys(ctx, o)
				if err != nil {
					return err
				}
				if len(keys) == 0 && p.IsTable() {
					fmt.Fprintln(f.IOStreams.ErrOut, "no webhook keys")
					return nil
				}
				return p.Print(f.IOStreams.Out, keys, keysTable(keys))
			})
		},
	}
	cmd.Flags().IntVar(&o.Limit, "limit", 0, "at most N keys")
	cmd.Flags().BoolVar(&o.All, "all", false, "follow every page")
	return cmd
}

func newCmdKeysGet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "get ID",
		Short:             "Show one webhook signing key, with its PEM public key",
		ValidArgsFunction: completeKeyIDs(f, false),
		Example:           "  hookctl webhooks keys get 645a59da22e7da0001cad283 -o json --jq .public_key > key.pem",
		Args:              exactKeyID,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withKeys(f, cmd, provider.Read, func(ctx context.Context, p *output.Printer, km provider.KeyManager) error {
				k, err := km.GetKey(ctx, args[0])
				if err != nil {
					return err
				}
				return p.Print(f.IOStreams.Out, k, keyTable(k))
			})
		},
	}
}

func newCmdKeysCreate(f *cmdutil.Factory) *cobra.Command {
	var inactive bool
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a webhook signing key pair",
		Long: `Create a key pair: the provider keeps the private half and signs deliveries with
it; the public half (PEM) is printed. Keep it: a provider may show it only now.`,
		Example: "  hookctl webhooks keys create -o json --jq .public_key > key.pem",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withKeys(f, cmd, provider.Write, func(ctx context.Context, p *output.Printer, km provider.KeyManager) error {
				k, err := km.CreateKey(ctx, !inactive)
				if err != nil {
					return err
				}
				return p.Print(f.IOStreams.Out, k, keyTable(k))
			})
		},
	}
	cmd.Flags().BoolVar(&inactive, "inactive", false, "create the key deactivated")
	return cmd
}

func exactKeyID(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return clierr.Usagef("%s takes exactly one key ID, got %d (see '%s --help')", cmd.CommandPath(), len(args), cmd.CommandPath())
	}
	return checkKeyID(args[0])
}

func checkKeyID(id string) error {
	if err := checkID(id); err != nil {
		return clierr.Usagef("%s", strings.ReplaceAll(err.Error(), "webhooks list", "webhooks keys list"))
	}
	return nil
}

func newCmdKeysDelete(f *cmdutil.Factory) *cobra.Command {
	var yes, force bool
	cmd := &cobra.Command{
		Use:               "delete ID...",
		Aliases:           []string{"rm"},
		Short:             "Delete webhook signing keys",
		ValidArgsFunction: completeKeyIDs(f, true),
		Long: `Delete one or more signing keys. On a terminal hookctl asks first; otherwise --yes is
required. Deleting every active key leaves the provider nothing to sign deliveries with
that a receiver can check, so it also needs --force. Every ID is attempted; each result is
reported, and the exit code is 1 when some failed.`,
		Example: "  hookctl webhooks keys delete 645a59da22e7da0001cad283\n  hookctl webhooks keys delete ID1 ID2 --yes -o json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return clierr.Usagef("%s needs at least one key ID (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
			}
			for _, id := range args {
				if err := checkKeyID(id); err != nil {
					return err
				}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return keysDeleteRun(f, cmd, args, yes, force)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking")
	cmd.Flags().BoolVar(&force, "force", false, "also delete the last active key(s)")
	return cmd
}

func keysDeleteRun(f *cmdutil.Factory, cmd *cobra.Command, ids []string, yes, force bool) error {
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	if !yes && !f.IOStreams.IsStdinTTY() {
		return clierr.Usagef("refusing to delete without confirmation: stdin is not a terminal, pass --yes")
	}
	km, err := keyManager(f, cmd, provider.Read|provider.Write)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	// What the account holds: the last active keys are not deleted by accident.
	all, err := km.ListKeys(ctx, provider.KeyListOptions{All: true})
	if err != nil {
		return fmt.Errorf("reading the keys before deleting: %w", err)
	}
	byID := map[string]provider.WebhookKey{}
	active := 0
	for _, k := range all {
		byID[k.ID] = k
		if k.Active {
			active++
		}
	}
	doomed := 0
	for _, id := range uniq(ids) {
		if k, ok := byID[id]; ok && k.Active {
			doomed++
		}
	}
	if active > 0 && doomed == active && !force {
		return clierr.Usagef("refusing to delete the account's last active webhook key(s): deliveries would be signed with a key you no longer know; create a new one first (hookctl webhooks keys create), or pass --force")
	}
	if !yes {
		fmt.Fprintf(f.IOStreams.ErrOut, "Delete %d %s webhook key(s)%s?\n", len(ids), info.Name, where(f, info))
		for _, id := range ids {
			desc := "(not found)"
			if k, ok := byID[id]; ok {
				desc = "active: " + keyWord(k) + ", created " + orDash(k.CreatedAt)
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "  %s  %s\n", termsafe.Line(id), desc)
		}
		if doomed > 0 && doomed == active {
			fmt.Fprintln(f.IOStreams.ErrOut, "  these are the account's last active keys")
		}
		fmt.Fprint(f.IOStreams.ErrOut, "[y/N] ")
		answer, err := readLineCtx(ctx, f.IOStreams.In, 1024)
		if ctx.Err() != nil {
			fmt.Fprintln(f.IOStreams.ErrOut)
			return ctx.Err()
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); err != nil || (a != "y" && a != "yes") {
			return clierr.Usagef("nothing deleted: not confirmed")
		}
	}
	return deleteEach(f, cmd, p, ctx, ids, km.DeleteKey, func(id string) string {
		return cmd.Root().Name() + " webhooks keys get " + shellQuote(id)
	})
}

func uniq(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
