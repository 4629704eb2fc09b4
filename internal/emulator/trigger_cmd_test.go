package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/all"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
)

// hookctl runs one command line against config file cfg.
func hookctl(t *testing.T, cfg string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for _, k := range config.AllKeys(all.Providers()) {
		if k.Env != "" {
			t.Setenv(k.Env, "")
		}
	}
	t.Setenv("HOOKCTL_PROFILE", "")
	t.Setenv("HOOKCTL_CONFIG", cfg)
	ios, _, out, errOut := iostreams.Test()
	code = cmd.Execute(context.Background(), cmdutil.New(ios, all.Providers), args)
	return code, out.String(), errOut.String()
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTriggerCommand(t *testing.T) {
	r := start(t, emulator.Options{AllowLocalURLs: true, RetrySchedule: testSchedule})
	cfg := writeConfig(t, r.Config())
	rc := newReceiver(t, 200)
	ctx := context.Background()
	if _, err := profile(t, r, "conekta-emulator", provider.Write).Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(rc.URL), Events: &[]string{"order.paid"}}, NoValidate: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := profile(t, r, "bankly-emulator", provider.Write).Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(rc.URL + "/b"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"},
		Context: pt.Str("Pix")}, Input: pt.In("public-key", "pub", "private-key", privateKey)}); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := hookctl(t, cfg, "emulator", "trigger", "order.paid", "--wait", "--count", "2", "-o", "json")
	var ds []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &ds) != nil || len(ds) != 2 || ds[0]["status"] != "succeeded" || ds[0]["last_status_code"] != 200.0 {
		t.Fatalf("conekta trigger: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(rc.requests()); n != 2 {
		t.Fatalf("receiver got %d, want 2", n)
	}

	// --provider bankly with no profile finds the config's Bankly emulator profile (mTLS).
	code, out, errOut = hookctl(t, cfg, "--provider", "bankly", "emulator", "trigger", "PIX_CASH_IN_WAS_CLEARED", "--wait")
	if code != 0 || !strings.Contains(out, "PIX_CASH_IN_WAS_CLEARED") || !strings.Contains(out, "succeeded") || !strings.HasPrefix(strings.ToLower(out), "provider") {
		t.Fatalf("bankly trigger: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(rc.requests()); n != 3 {
		t.Fatalf("receiver got %d, want 3", n)
	}

	code, out, errOut = hookctl(t, cfg, "emulator", "trigger", "charge.paid")
	if code != 0 || !strings.Contains(errOut, "nothing was delivered") {
		t.Fatalf("no subscriber: exit %d\n%s\n%s", code, out, errOut)
	}

	notEmulator := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notEmulator.Close)
	for name, tc := range map[string]struct {
		cfg  string
		args []string
		want string
	}{
		"unknown event":  {cfg, []string{"emulator", "trigger", "order.nope"}, "unknown conekta event"},
		"count zero":     {cfg, []string{"emulator", "trigger", "order.paid", "--count", "0"}, "--count 0"},
		"count too high": {cfg, []string{"emulator", "trigger", "order.paid", "--count", "101"}, "--count 101"},
		"no event":       {cfg, []string{"emulator", "trigger"}, "one EVENT"},
		"real provider": {writeConfig(t, "default_profile: c\nprofiles:\n  c:\n    provider: conekta\n    base_url: https://api.conekta.io\n    api_key: key_x\n"),
			[]string{"emulator", "trigger", "order.paid"}, "not an emulator"},
		"no control endpoint": {writeConfig(t, "default_profile: c\nprofiles:\n  c:\n    provider: conekta\n    base_url: "+notEmulator.URL+"\n    api_key: key_x\n"),
			[]string{"emulator", "trigger", "order.paid"}, "is not a hookctl emulator"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := hookctl(t, tc.cfg, tc.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, out, errOut, tc.want)
			}
		})
	}
	if n := len(rc.requests()); n != 3 {
		t.Fatalf("refused triggers delivered: receiver got %d, want 3", n)
	}
}

// TestTriggerPrintsDeliveries: trigger --wait prints the contract's
// normalized delivery (deliveries list's keys, plus error); a failed first
// attempt with retries to come is pending, one without is failed; a
// connection error leaves STATUS_CODE empty and has its own column; with no
// subscriber nothing is printed on stdout.
func TestTriggerPrintsDeliveries(t *testing.T) {
	contract := []string{"attempts", "context", "created_at", "event", "id", "last_attempt_at", "last_status_code", "provider", "status", "url", "webhook_id"}
	for _, c := range []struct {
		name     string
		schedule []time.Duration
		status   string
	}{{"retries follow", []time.Duration{time.Hour}, "pending"}, {"no retry left", []time.Duration{}, "failed"}} {
		t.Run(c.name, func(t *testing.T) {
			r := start(t, emulator.Options{AllowLocalURLs: true, RetrySchedule: c.schedule})
			cfg := writeConfig(t, r.Config())
			rc := newReceiver(t, 500)
			ctx := context.Background()
			hook, err := profile(t, r, "conekta-emulator", provider.Write).Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(rc.URL), Events: &[]string{"order.paid"}}, NoValidate: true})
			if err != nil {
				t.Fatal(err)
			}
			code, out, errOut := hookctl(t, cfg, "emulator", "trigger", "order.paid", "--wait", "-o", "json")
			var ds []map[string]any
			if code != 0 || json.Unmarshal([]byte(out), &ds) != nil || len(ds) != 1 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			d := ds[0]
			for _, k := range contract {
				if _, ok := d[k]; !ok {
					t.Errorf("key %q missing: %s", k, out)
				}
			}
			if len(d) != len(contract) || d["status"] != c.status || d["last_status_code"] != 500.0 || d["attempts"] != 1.0 ||
				d["webhook_id"] != hook.ID || d["context"] != "" || d["provider"] != "conekta" || d["created_at"] == nil || d["last_attempt_at"] == nil {
				t.Fatalf("delivery %s", out)
			}
		})
	}

	r := start(t, emulator.Options{AllowLocalURLs: true, RetrySchedule: []time.Duration{time.Hour}})
	cfg := writeConfig(t, r.Config())
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close() // nothing listens there: a connection error
	if _, err := profile(t, r, "conekta-emulator", provider.Write).Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(closedURL + "/x"), Events: &[]string{"order.paid"}}, NoValidate: true}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := hookctl(t, cfg, "emulator", "trigger", "order.paid", "--wait")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasSuffix(lines[0], "STATUS_CODE   ERROR") {
		t.Fatalf("connection error: exit %d\n%s\n%s", code, out, errOut)
	}
	col := strings.Index(lines[0], "STATUS_CODE")
	if row := lines[1]; !strings.Contains(row, " pending ") || strings.TrimSpace(row[col:col+len("STATUS_CODE")]) != "" ||
		!strings.Contains(row[col:], "connect") || strings.Contains(row[:col], "error") {
		t.Fatalf("connection error row:\n%s", out)
	}
	code, out, errOut = hookctl(t, cfg, "emulator", "trigger", "charge.paid", "--wait")
	if code != 0 || out != "" || errOut != "no subscribed, enabled conekta webhook for charge.paid: nothing was delivered\n" {
		t.Fatalf("no subscriber: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = hookctl(t, cfg, "emulator", "trigger", "charge.paid", "-o", "json")
	if code != 0 || out != "" {
		t.Fatalf("no subscriber, json: exit %d, stdout %q", code, out)
	}
}
