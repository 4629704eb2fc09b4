package cmd_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// writes counts the write requests an emulator received and, when told,
// breaks one: "reset" lets it through and loses the answer, "503" refuses it.
type writes struct {
	mu    sync.Mutex
	n     int
	break_ map[int]string
}

func (c *writes) fault() fault {
	return func(_ int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.Method == http.MethodGet || r.URL.Path == "/oauth2/token" {
			next.ServeHTTP(rw, r)
			return
		}
		c.mu.Lock()
		c.n++
		how := c.break_[c.n]
		c.mu.Unlock()
		switch how {
		case "reset":
			next.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := rw.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case "503":
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusServiceUnavailable)
			rw.Write([]byte(`{"object":"error","type":"api_error","details":[{"message":"unavailable"}]}`))
		default:
			next.ServeHTTP(rw, r)
		}
	}
}

func (c *writes) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *writes) breakAt(how map[int]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n, c.break_ = 0, how
}

type listed struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Events  []string `json:"events"`
	Context string   `json:"context"`
	Enabled bool     `json:"enabled"`
}

func (w *world) list(profile string) []listed {
	w.t.Helper()
	out, errOut, code := w.exec("--profile", profile, "webhooks", "list", "--all", "-o", "json")
	var items []listed
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil {
		w.t.Fatalf("list %s: exit %d: %s", profile, code, errOut)
	}
	return items
}

func idOf(items []listed, url string) string {
	for _, it := range items {
		if it.URL == url {
			return it.ID
		}
	}
	return "(none)"
}

// TestWebhooksAsCode is the scenario against both emulators:
// export two profiles, diff against themselves, edit, diff (the exact
// plan), apply, diff again, apply again with no write; a webhook deleted
// by hand is planned as a create.
func TestWebhooksAsCode(t *testing.T) {
	cw, bw := &writes{}, &writes{}
	w := newWorld(t, cw.fault(), bw.fault())
	w.chdir()
	t.Setenv("B_PIX_CASH_IN_WAS_CLEARED_KEY", relWebhookKey)
	var outputs []string
	run := func(args ...string) (string, string, int) {
		out, errOut, code := w.exec(args...)
		outputs = append(outputs, out, errOut)
		return out, errOut, code
	}
	exported, errOut, code := run("export", "--profiles", "b,c")
	if code != 0 || !strings.HasPrefix(exported, "version: 1\ntargets:\n  b:\n    provider: bankly\n") || !strings.Contains(errOut, "B_PIX_CASH_IN_WAS_CLEARED_KEY  private_key of b Pix PIX_CASH_IN_WAS_CLEARED https://example.com/hooks/bankly/1") {
		t.Fatalf("export: exit %d\n%s\n%s", code, exported, errOut)
	}
	if strings.Contains(exported, "id:") || strings.Contains(exported, "created_at") {
		t.Errorf("export holds ids or timestamps:\n%s", exported)
	}
	again, _, _ := run("export", "--profiles", "b,c", "-o", "yaml")
	if again != exported {
		t.Errorf("export is not stable:\n%s", again)
	}
	os.WriteFile("w.yaml", []byte(exported), 0o600)
	out, errOut, code := run("diff", "-f", "w.yaml", "--exit-code", "--prune")
	if code != 0 || out != "b (bankly): no changes, 3 in sync\nc (conekta): no changes, 3 in sync\nNo changes: the webhooks match the file.\n" {
		t.Fatalf("diff against itself: exit %d\n%s\n%s", code, out, errOut)
	}

	// Edit: a URL changed, a webhook added, one removed, a Bankly event
	// changed, a Bankly configuration added with a generated key.
	edited := strings.NewReplacer(
		"https://example.com/hooks/conekta/3\n", "https://example.com/hooks/conekta/3b\n",
		"      - url: https://example.com/hooks/conekta/2\n        events: [charge.refunded, order.paid]\n        enabled: true\n", "      - url: https://example.com/hooks/conekta/4\n        events: [order.paid]\n",
		"event: PIX_CASH_IN_WAS_CLEARED\n", "event: PIX_CASHOUT_WAS_COMPLETED\n",
		"  c:\n", "      - url: https://example.com/hooks/bankly/new\n        context: Boleto\n        event: BOLETO_WAS_REGISTERED\n        enabled: false\n  c:\n",
	).Replace(exported)
	os.WriteFile("w.yaml", []byte(edited), 0o600)
	bs, cs := w.list("b"), w.list("c")
	out, errOut, code = run("diff", "-f", "w.yaml", "--exit-code", "--prune")
	want := `b (bankly):
  -/+ replace   Pix PIX_CASHOUT_WAS_COMPLETED https://example.com/hooks/bankly/1  (` + idOf(bs, "https://example.com/hooks/bankly/1") + `)
        event: PIX_CASH_IN_WAS_CLEARED → PIX_CASHOUT_WAS_COMPLETED (forces replacement)
        private_key: (write-only, not compared)
  +   create    Boleto BOLETO_WAS_REGISTERED https://example.com/hooks/bankly/new
        enabled: false
  2 in sync
  note: create Boleto BOLETO_WAS_REGISTERED https://example.com/hooks/bankly/new needs private_key, the configuration's private key (HMAC signing): add ` + "`private_key: ${env:NAME}`" + ` to the file, or pass --generate-keys-dir DIR
c (conekta):
  -   delete    https://example.com/hooks/conekta/2  (` + idOf(cs, "https://example.com/hooks/conekta/2") + `)
  -   delete    https://example.com/hooks/conekta/3  (` + idOf(cs, "https://example.com/hooks/conekta/3") + `)
  +   create    https://example.com/hooks/conekta/3b
        events: [charge.refunded, order.paid]
        enabled: true
  +   create    https://example.com/hooks/conekta/4
        events: [order.paid]
  1 in sync
Plan: 3 to create, 0 to update, 1 to replace, 2 to delete.
`
	if code != 7 || out != want {
		t.Fatalf("diff after the edit: exit %d\n%s\nwant\n%s\n%s", code, out, want, errOut)
	}
	js, _, code := run("diff", "-f", "w.yaml", "--prune", "-o", "json")
	var data struct {
		Summary map[string]int `json:"summary"`
		Drift   bool           `json:"drift"`
	}
	if code != 0 || json.Unmarshal([]byte(js), &data) != nil || !data.Drift || data.Summary["create"] != 3 || data.Summary["delete"] != 2 || data.Summary["replace"] != 1 {
		t.Fatalf("diff -o json: exit %d\n%s", code, js)
	}

	// Off a terminal apply needs --yes, and a new configuration its key.
	if _, errOut, code := run("apply", "-f", "w.yaml", "--prune"); code != 2 || !strings.Contains(errOut, "pass --yes") || cw.count()+bw.count() != 0 {
		t.Fatalf("apply without --yes: exit %d, %d writes: %s", code, cw.count()+bw.count(), errOut)
	}
	if _, errOut, code := run("apply", "-f", "w.yaml", "--prune", "--yes"); code != 2 || !strings.Contains(errOut, "needs private_key") || cw.count()+bw.count() != 0 {
		t.Fatalf("apply without a key: exit %d, %d writes: %s", code, cw.count()+bw.count(), errOut)
	}
	os.Mkdir("keys", 0o700)
	_, errOut, code = run("apply", "-f", "w.yaml", "--prune", "--yes", "--generate-keys-dir", "keys")
	// Conekta: 2 deletes, 2 creates; Bankly: the replace's delete and
	// create, the new one's create and its disable.
	if code != 0 || cw.count() != 4 || bw.count() != 4 {
		t.Fatalf("apply: exit %d, writes conekta %d bankly %d\n%s", code, cw.count(), bw.count(), errOut)
	}
	keys, _ := filepath.Glob("keys/*.key")
	if len(keys) != 1 {
		t.Fatalf("key files: %v", keys)
	}
	st, _ := os.Stat(keys[0])
	key, _ := os.ReadFile(keys[0])
	if st.Mode().Perm() != 0o600 || !strings.Contains(errOut, "written to "+keys[0]+" (mode 0600)") {
		t.Errorf("key file %s mode %v; stderr %s", keys[0], st.Mode(), errOut)
	}
	out, errOut, code = run("diff", "-f", "w.yaml", "--exit-code", "--prune")
	if code != 0 || out != "b (bankly): no changes, 4 in sync\nc (conekta): no changes, 3 in sync\nNo changes: the webhooks match the file.\n" {
		t.Fatalf("diff after apply: exit %d\n%s\n%s", code, out, errOut)
	}
	cw.breakAt(nil)
	bw.breakAt(nil)
	if _, errOut, code := run("apply", "-f", "w.yaml", "--prune", "--yes", "--generate-keys-dir", "keys"); code != 0 || cw.count()+bw.count() != 0 {
		t.Fatalf("second apply: exit %d, %d writes\n%s", code, cw.count()+bw.count(), errOut)
	}
	for _, it := range w.list("b") {
		if it.Context == "Boleto" && it.Enabled {
			t.Errorf("the new configuration is enabled: %+v", it)
		}
	}

	// A webhook deleted by hand is planned as a create.
	gone := idOf(w.list("c"), "https://example.com/hooks/conekta/4")
	if _, errOut, code := run("--profile", "c", "webhooks", "delete", gone, "--yes"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, code = run("diff", "-f", "w.yaml", "--exit-code", "--profiles", "c")
	if code != 7 || out != "c (conekta):\n  +   create    https://example.com/hooks/conekta/4\n        events: [order.paid]\n  2 in sync\nPlan: 1 to create, 0 to update, 0 to replace, 0 to delete.\n" {
		t.Fatalf("hand-deleted: exit %d\n%s", code, out)
	}
	if leaks := w.secretsIn(append(outputs, string(exported))...); len(leaks) > 0 {
		t.Errorf("leaked %v", leaks)
	}
	for _, o := range outputs {
		if strings.Contains(o, strings.TrimSpace(string(key))) {
			t.Errorf("the generated key was printed: %s", o)
		}
	}
}
