package cmd_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/hookctl/hookctl/internal/provider/providertest/acme"
)

// TestThirdProvider follows the README's recipe: a test-only provider in one
// folder (internal/provider/providertest/acme) plus one registry entry, and
// no other edit. Its API is injected through the Factory's transport seam.
func TestThirdProvider(t *testing.T) {
	registry := func() []provider.Info { return append(all.Providers(), acme.Info()) }
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  a:\n    provider: acme\n    acme_token: tok_secret_9876543210\n  b:\n    provider: acme\n  c:\n    provider: conekta\n    api_key: key_test_0123456789\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_PROFILE", "")
	t.Setenv("ACME_TOKEN", "")
	api := &acme.Server{}
	exec := func(args ...string) (string, string, int) {
		ios, _, out, errOut := iostreams.Test()
		f := cmdutil.New(ios, registry)
		f.Transport = api
		code := cmd.Execute(context.Background(), f, args)
		return out.String(), errOut.String(), code
	}

	// Its keys in config view, the secret redacted.
	out, errOut, code := exec("--profile", "a", "config", "view", "-o", "json")
	var view struct{ Settings map[string]string }
	if code != 0 || json.Unmarshal([]byte(out), &view) != nil {
		t.Fatalf("config view: exit %d %s %s", code, out, errOut)
	}
	if v := view.Settings["acme_token"]; !strings.HasPrefix(v, "[REDACTED]") || strings.Contains(out, "tok_secret") {
		t.Fatalf("config view shows acme_token as %q: %s", v, out)
	}

	// Its environment variable honoured: profile b has no token.
	t.Setenv("ACME_TOKEN", "tok_from_env_5555")
	if _, errOut, code := exec("--profile", "b", "webhooks", "create", "--url", "https://example.com/a", "--acme-tag", "blue"); code != 0 {
		t.Fatalf("create with ACME_TOKEN: exit %d %s", code, errOut)
	}
	if n := len(api.Auth); n != 1 || api.Auth[0] != "Bearer tok_from_env_5555" {
		t.Fatalf("the API saw %v", api.Auth)
	}
	out, _, code = exec("--profile", "b", "webhooks", "list", "-o", "json", "--jq", ".[0].url")
	if code != 0 || strings.TrimSpace(out) != "https://example.com/a" {
		t.Fatalf("list: exit %d %q", code, out)
	}

	// Its flags in help.
	out, _, _ = exec("webhooks", "create", "--help")
	if !strings.Contains(out, "--acme-tag string") || !strings.Contains(out, "tag of the hook [acme]") {
		t.Fatalf("create --help lacks --acme-tag:\n%s", out)
	}
	// ... and refused for another provider, naming the flags that apply, with no request.
	before := len(api.Auth)
	_, errOut, code = exec("--profile", "c", "webhooks", "create", "--url", "https://example.com/a", "--acme-tag", "x")
	if code != 2 || !strings.Contains(errOut, "--acme-tag is not a conekta flag: for conekta, hookctl webhooks create takes --events") {
		t.Fatalf("acme flag on conekta: exit %d %s", code, errOut)
	}
	_, errOut, code = exec("--profile", "b", "webhooks", "create", "--url", "https://example.com/a", "--events", "x")
	if code != 2 || !strings.Contains(errOut, "--events is not a acme flag: for acme, hookctl webhooks create takes --acme-tag") {
		t.Fatalf("conekta flag on acme: exit %d %s", code, errOut)
	}
	if len(api.Auth) != before {
		t.Fatalf("a refused flag sent %d requests", len(api.Auth)-before)
	}

	// Its environment variables in `help environment`.
	out, _, code = exec("help", "environment")
	if code != 0 || !strings.Contains(out, "ACME_TOKEN") || !strings.Contains(out, "ACME_REGION") || !strings.Contains(out, "CONEKTA_API_KEY") {
		t.Fatalf("help environment: exit %d\n%s", code, out)
	}

	// Its name in --provider completion.
	out, _, code = exec("__complete", "--provider", "")
	if code != 0 || !strings.Contains(out, "acme\n") || !strings.Contains(out, "conekta\n") {
		t.Fatalf("--provider completion: %q", out)
	}

	// An adapter's validation error spells the key as the user sets it.
	t.Setenv("ACME_TOKEN", "")
	_, errOut, code = exec("--provider", "acme", "webhooks", "list")
	if code != 2 || !strings.Contains(errOut, "no Acme token: set ACME_TOKEN or acme_token") {
		t.Fatalf("missing token: exit %d %s", code, errOut)
	}
}
