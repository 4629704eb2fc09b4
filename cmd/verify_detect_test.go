package cmd_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/rawhttp"
)

// banklyDelivery writes, in dir, a Bankly delivery to url signed with the
// private key's text (as the emulator and the SDK sign), as listen --save
// writes it, and the private key's file.
func banklyDelivery(t *testing.T, dir, url string) (request, keyFile string) {
	t.Helper()
	const priv = "cHJpdmF0ZS1rZXktb2YtdGhlLWNvbmZpZ3VyYXRpb24="
	body := []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED","idempotencyKey":"3f0c2a7e-0000-4000-8000-000000000001","context":"Pix"}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	key, _ := bankly.HMACKey(priv, bankly.KeyModeRaw)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("publicKey", "pub-key")
	h.Set("nonce", "n-1")
	h.Set("requestTimestamp", ts)
	h.Set("idempotency-Key", "3f0c2a7e-0000-4000-8000-000000000001")
	h.Set("Authorization", "hmac "+bankly.Sign(key, bankly.StringToSign("pub-key", url, ts, "n-1", body)))
	var b bytes.Buffer
	if err := rawhttp.Write(&b, http.MethodPost, "/pix", "127.0.0.1:4000", h, body); err != nil {
		t.Fatal(err)
	}
	request, keyFile = filepath.Join(dir, "bankly.http"), filepath.Join(dir, "pix.key")
	os.WriteFile(request, b.Bytes(), 0o600)
	os.WriteFile(keyFile, []byte(priv+"\n"), 0o600)
	return request, keyFile
}

// conektaDefault is the Conekta emulator with a config whose default
// profile is Conekta's.
func conektaDefault(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(conektaemu.New(conektaemu.Options{AllowLocalURLs: true}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), []byte("key_detect_0123456789"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("default_profile: c\nprofiles:\n  c:\n    provider: conekta\n    base_url: "+srv.URL+"\n    api_key_file: k\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_PROVIDER", "")
	t.Setenv("HOOKCTL_PROFILE", "")
	t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", "")
	return dir
}

// TestVerifyDetectsProvider: without --provider, verify takes the provider
// whose signature headers the request carries (as listen does) and that
// provider's flags, even when the default profile is another provider's;
// the profile's provider is the fallback when the headers name none, and
// with neither it is exit 2 asking for --provider.
func TestVerifyDetectsProvider(t *testing.T) {
	dir := conektaDefault(t)
	req, key := banklyDelivery(t, dir, "https://example.com/pix")

	out, errOut, code := run(t, false, "verify", "--request", req, "--private-key-file", key, "--url", "https://example.com/pix", "-o", "json")
	var r struct {
		Provider string
		Valid    bool
		Reason   string
		Event    string
		ID       string
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Provider != "bankly" || !r.Valid || r.Reason != "" ||
		r.Event != "PIX_CASH_IN_WAS_CLEARED" || r.ID != "3f0c2a7e-0000-4000-8000-000000000001" || errOut != "" {
		t.Fatalf("a Bankly request under a Conekta default profile: exit %d, stdout %s, stderr %q", code, out, errOut)
	}
	// Bankly's inputs are asked for, not Conekta's DIGEST.
	out, errOut, code = run(t, false, "verify", "--request", req)
	if code != 2 || out != "" || errOut != "error: verifying recomputes Bankly's HMAC with the configuration's private key: give --private-key-file, --private-key-stdin or BANKLY_WEBHOOK_PRIVATE_KEY\n" {
		t.Fatalf("no private key: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A flag of the other provider says how the provider was chosen.
	out, errOut, code = run(t, false, "verify", "--request", req, "--public-key", key)
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "error: --public-key is not a bankly flag: ") ||
		!strings.Contains(errOut, "(the request carries bankly's signature headers; --provider overrides)") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("a Conekta flag on a Bankly request: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// --provider decides: a Bankly flag is refused for Conekta, before the request is read.
	out, errOut, code = run(t, false, "--provider", "conekta", "verify", "--request", filepath.Join(dir, "missing.http"), "--private-key-file", key)
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "error: --private-key-file is not a conekta flag: ") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("--provider conekta: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// No signature headers: the default profile's provider checks it (exit 1, the header it misses).
	body := filepath.Join(dir, "body.json")
	os.WriteFile(body, []byte(`{"id":"e1","type":"order.paid"}`), 0o600)
	out, errOut, code = run(t, false, "verify", "--body", body, "-H", "X-Other: 1", "--public-key", key, "-o", "json")
	if code != 2 || out != "" || !strings.Contains(errOut, "--public-key "+key+": ") {
		t.Fatalf("fallback to the profile's provider (its flag taken): exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, errOut, code = run(t, false, "verify", "--body", body, "-H", "X-Other: 1", "-o", "json")
	if code != 1 || !strings.Contains(out, `"provider": "conekta"`) || !strings.Contains(out, `"valid": false`) ||
		errOut != "error: invalid signature: missing DIGEST header: Conekta signs every delivery in it\n" {
		t.Fatalf("fallback to the profile's provider: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// No headers and no provider selected at all.
	t.Setenv("HOOKCTL_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	out, errOut, code = run(t, false, "verify", "--body", body, "-H", "X-Other: 1")
	if code != 2 || out != "" || errOut != "error: no provider's signature headers in the request, and no provider selected: pass --provider conekta|bankly\n" {
		t.Fatalf("nothing to go by: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// ... while a Bankly request needs no config at all.
	out, errOut, code = run(t, false, "verify", "--request", req, "--private-key-file", key, "--url", "https://example.com/pix")
	if code != 0 || !strings.HasPrefix(out, "PROVIDER") || !strings.Contains(out, "bankly") || errOut != "" {
		t.Fatalf("no config: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestVerifyBanklyWithoutURL: a Bankly signature checked without --url is
// checked over the URL in the request; the result says so (reason and a
// note on stderr), since a tunnel or proxy changes that URL.
func TestVerifyBanklyWithoutURL(t *testing.T) {
	dir := conektaDefault(t)
	req, key := banklyDelivery(t, dir, "http://127.0.0.1:4000/pix")
	out, errOut, code := run(t, false, "verify", "--request", req, "--private-key-file", key, "-o", "json")
	var r struct {
		Valid  bool
		Reason string
	}
	const want = "checked over the URL in the request, http://127.0.0.1:4000/pix, since no --url was given: a tunnel or proxy changes that URL; give the configuration's uri with --url"
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.Valid || r.Reason != want || errOut != "note: "+want+"\n" {
		t.Fatalf("exit %d, stdout %s, stderr %q", code, out, errOut)
	}
	// With --url there is nothing to note.
	out, errOut, code = run(t, false, "verify", "--request", req, "--private-key-file", key, "--url", "http://127.0.0.1:4000/pix", "-o", "json")
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.Valid || r.Reason != "" || errOut != "" {
		t.Fatalf("with --url: exit %d, stdout %s, stderr %q", code, out, errOut)
	}
}
