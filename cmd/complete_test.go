package cmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDynamicCompletion drives cobra's __complete for each dynamic completion.
func TestDynamicCompletion(t *testing.T) {
	dir := t.TempDir()
	c := conektaFake(t)
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(filepath.Join(dir, "conekta.key"), []byte("key_complete_0123456789"), 0o600)
	os.WriteFile(cfg, []byte("profiles:\n  c:\n    provider: conekta\n    base_url: "+c.URL+"\n    api_key_file: conekta.key\n  b:\n    provider: bankly\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_PROFILE", "")
	cases := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"--profile", ""}, []string{"c\tconekta", "b\tbankly"}, nil},
		{[]string{"--provider", ""}, []string{"conekta", "bankly"}, nil},
		{[]string{"-o", ""}, []string{"table", "json", "yaml"}, nil},
		{[]string{"--profile", "c", "webhooks", "get", ""}, []string{"6307a60c41de27127515a575\thttps://example.com/hooks/conekta"}, nil},
		{[]string{"--profile", "c", "webhooks", "delete", "6307a60c41de27127515a575", ""}, []string{"641b1d5662d7e00001eaa46b\thttps://example.com/hooks/other"}, []string{"6307a60c41de27127515a575"}},
		{[]string{"--profile", "c", "webhooks", "create", "--events", "order.pa"}, []string{"order.paid"}, []string{"charge.paid"}},
		{[]string{"--profile", "c", "webhooks", "create", "--events", "order.paid,charge.ref"}, []string{"order.paid,charge.refunded"}, nil},
		{[]string{"--provider", "bankly", "webhooks", "create", "--context", ""}, []string{"Pix", "Ted", "Card"}, nil},
		{[]string{"--provider", "bankly", "webhooks", "create", "--context", "Ted", "--event", "TED_CASH_IN"}, []string{"TED_CASH_IN_WAS_RECEIVED"}, []string{"PIX_CASH_IN_WAS_RECEIVED"}},
		{[]string{"webhooks", "list", "--status", ""}, []string{"enabled", "disabled"}, nil},
		// an unreachable API completes nothing, silently
		{[]string{"--profile", "c", "--base-url", "http://127.0.0.1:1", "webhooks", "get", ""}, nil, []string{"6307"}},
	}
	for _, tc := range cases {
		out, errOut, code := run(t, false, append([]string{"__complete"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w+"\n") {
				t.Errorf("__complete %v: no %q in\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("__complete %v: unexpected %q in\n%s", tc.args, n, out)
			}
		}
		if strings.Contains(errOut, "error") {
			t.Errorf("__complete %v printed an error: %s", tc.args, errOut)
		}
	}
}

// TestCompletionGaps: key ids (keys get/delete, --key-id) from the
// KeyManager capability, the catalog's events for emulator trigger, status
// codes for --respond, directories for --save, and only the formats each
// command prints for -o.
func TestCompletionGaps(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	ids, _, code := w.exec("--profile", "c", "webhooks", "keys", "list", "-o", "name")
	keys := strings.Fields(ids)
	if code != 0 || len(keys) == 0 {
		t.Fatalf("keys list: exit %d %q", code, ids)
	}
	complete := func(args ...string) []string {
		t.Helper()
		out, errOut, code := w.exec(append([]string{"__complete"}, args...)...)
		if code != 0 || strings.Contains(errOut, "error") {
			t.Fatalf("__complete %v: exit %d: %s", args, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return lines
	}
	has := func(lines []string, prefix string) bool {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return true
			}
		}
		return false
	}
	for _, args := range [][]string{
		{"--profile", "c", "webhooks", "keys", "get", ""},
		{"--profile", "c", "webhooks", "keys", "delete", ""},
		{"--profile", "c", "verify", "--key-id", ""},
		{"--profile", "c", "listen", "--key-id", ""},
	} {
		got := complete(args...)
		if !has(got, keys[0]+"\t") || got[len(got)-1] != ":4" {
			t.Errorf("__complete %v: no key %s in %q", args, keys[0], got)
		}
	}
	if got := complete("--profile", "c", "webhooks", "keys", "get", keys[0], ""); has(got, keys[0]) {
		t.Errorf("keys get takes one ID: %q", got)
	}
	if got := complete("--profile", "c", "webhooks", "keys", "delete", keys[0], ""); has(got, keys[0]) {
		t.Errorf("keys delete offers %s again: %q", keys[0], got)
	}
	if got := complete("--profile", "b", "webhooks", "keys", "get", ""); len(got) != 1 || got[0] != ":4" {
		t.Errorf("bankly has no keys: %q", got)
	}
	both := complete("emulator", "trigger", "")
	if !has(both, "order.paid") || !has(both, "PIX_CASH_IN_WAS_CLEARED") {
		t.Errorf("trigger without a provider: %q", both)
	}
	if got := complete("--provider", "bankly", "emulator", "trigger", "PIX_CASH_IN"); has(got, "order.paid") || !has(got, "PIX_CASH_IN_WAS_CLEARED") {
		t.Errorf("trigger --provider bankly: %q", got)
	}
	if got := complete("--profile", "c", "emulator", "trigger", "order.paid", ""); len(got) != 1 {
		t.Errorf("trigger takes one EVENT: %q", got)
	}
	if got := complete("listen", "--respond", ""); !has(got, "200") || !has(got, "500") || got[len(got)-1] != ":4" {
		t.Errorf("--respond: %q", got)
	}
	if got := complete("listen", "--save", ""); strings.Join(got, "\n") != ":16" {
		t.Errorf("--save: %q", got)
	}
	if got := complete("listen", "-o", ""); strings.Join(got, ",") != "table,json,:4" {
		t.Errorf("listen -o: %q", got)
	}
}
