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
	mu     sync.Mutex
	n      int
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
  note: create Boleto BOLETO_WAS_REGISTERED https://example.com/hooks/bankly/new needs private_key, the configuration's HMAC signing key: add ` + "`private_key: ${env:NAME}`" + ` to the file, or pass --generate-keys-dir DIR
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

// TestApplyInterrupted: an apply broken mid-way (an answer lost after the
// create was made, then a refused write) is re-run to completion with no
// duplicate; the lost answer is looked up, not repeated.
func TestApplyInterrupted(t *testing.T) {
	cw := &writes{}
	w := newWorld(t, cw.fault(), nil)
	w.chdir()
	os.WriteFile("w.yaml", []byte(`version: 1
targets:
  c:
    provider: conekta
    webhooks:
      - {url: "https://example.com/new/1", events: [order.paid]}
      - {url: "https://example.com/new/2", events: [order.paid]}
      - {url: "https://example.com/new/3", events: [order.paid]}
`), 0o600)
	// The first create is made and its answer lost; the second is refused.
	cw.breakAt(map[int]string{1: "reset", 2: "503"})
	_, errOut, code := w.exec("apply", "-f", "w.yaml", "--yes")
	if code != 1 || !strings.Contains(errOut, "hookctl looked it up: the webhook exists, so it was created") || !strings.Contains(errOut, "no such webhook exists, so it was not created") {
		t.Fatalf("interrupted apply: exit %d\n%s", code, errOut)
	}
	if n := len(w.list("c")); n != 4 {
		t.Fatalf("after the interrupted apply: %d webhooks, want 3 seeded + 1", n)
	}
	cw.breakAt(nil)
	out, errOut, code := w.exec("apply", "-f", "w.yaml", "--yes")
	if code != 0 || cw.count() != 2 || !strings.Contains(out, "  +   create    https://example.com/new/2\n") || strings.Contains(out, "new/1\n") {
		t.Fatalf("re-run: exit %d, %d writes\n%s\n%s", code, cw.count(), out, errOut)
	}
	seen := map[string]int{}
	for _, it := range w.list("c") {
		seen[it.URL]++
	}
	if len(seen) != 6 || seen["https://example.com/new/1"] != 1 || seen["https://example.com/new/2"] != 1 || seen["https://example.com/new/3"] != 1 {
		t.Fatalf("duplicates or missing: %v", seen)
	}
}

// TestSavedPlan: --plan-out saves the plan without writing; `apply PLAN`
// applies exactly it, and refuses one whose remote state changed.
func TestSavedPlan(t *testing.T) {
	cw := &writes{}
	w := newWorld(t, cw.fault(), nil)
	w.chdir()
	exported, _, _ := w.exec("export", "--profile", "c")
	os.WriteFile("w.yaml", []byte(strings.Replace(exported, "enabled: true", "enabled: false", 1)), 0o600)
	_, errOut, code := w.exec("apply", "-f", "w.yaml", "--plan-out", "plan.json")
	if code != 0 || cw.count() != 0 || !strings.Contains(errOut, "plan saved to plan.json") {
		t.Fatalf("plan-out: exit %d, %d writes: %s", code, cw.count(), errOut)
	}
	saved, _ := os.ReadFile("plan.json")
	if !strings.Contains(string(saved), `"fingerprint"`) || !strings.Contains(string(saved), `"basis"`) {
		t.Fatalf("saved plan:\n%s", saved)
	}
	// Someone changes a webhook by hand: the plan is refused, nothing written.
	first := w.list("c")[0]
	if _, errOut, code := w.exec("--profile", "c", "webhooks", "update", first.ID, "--disable"); code != 0 {
		t.Fatal(errOut)
	}
	cw.breakAt(nil)
	_, errOut, code = w.exec("apply", "plan.json", "--yes")
	if code != 1 || cw.count() != 0 || !strings.Contains(errOut, "the remote state changed since the plan was made") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("stale plan: exit %d, %d writes: %s", code, cw.count(), errOut)
	}
	// Put it back: the plan applies, exactly.
	w.exec("--profile", "c", "webhooks", "update", first.ID, "--enable")
	cw.breakAt(nil)
	_, errOut, code = w.exec("apply", "plan.json", "--yes")
	if code != 0 || cw.count() != 1 {
		t.Fatalf("apply PLAN: exit %d, %d writes: %s", code, cw.count(), errOut)
	}
	if out, _, code := w.exec("diff", "-f", "w.yaml", "--exit-code"); code != 0 {
		t.Fatalf("diff after apply PLAN: exit %d\n%s", code, out)
	}
}

// TestCodeUsage: bad input is one line, exit 2, before any write (and
// before any request when the file is at fault); Conekta's limit is checked
// in the plan.
func TestCodeUsage(t *testing.T) {
	cw := &writes{}
	w := newWorld(t, cw.fault(), nil)
	w.chdir()
	var many strings.Builder
	many.WriteString("version: 1\ntargets:\n  c:\n    provider: conekta\n    webhooks:\n")
	for i := range 8 {
		many.WriteString("      - {url: \"https://example.com/x/" + string(rune('a'+i)) + "\"}\n")
	}
	files := map[string]string{
		"bad.yaml":       "version: 1\ntargets:\n  c:\n    provider: conekta\n    webhooks:\n      - {url: 'https://example.com/a', event: x}\n",
		"noprofile.yaml": "version: 1\ntargets:\n  nope:\n    provider: conekta\n",
		"wrongprov.yaml": "version: 1\ntargets:\n  c:\n    provider: bankly\n",
		"many.yaml":      many.String(),
		"local.yaml":     "version: 1\ntargets:\n  c:\n    provider: conekta\n    webhooks:\n      - {url: 'https://example.com/ok', events: [order.paid]}\n      - {url: 'https://localhost/x', events: [order.paid]}\n",
	}
	for name, data := range files {
		os.WriteFile(name, []byte(data), 0o600)
	}
	for _, tc := range []struct {
		args     []string
		want     string
		requests bool
	}{
		{[]string{"diff"}, "-f FILE is required", false},
		{[]string{"diff", "-f", "missing.yaml"}, "-f missing.yaml", false},
		{[]string{"diff", "-f", "bad.yaml"}, `bad.yaml:6: target "c", webhook 1: unknown field "event": conekta webhooks take url, events, enabled`, false},
		{[]string{"diff", "-f", "noprofile.yaml"}, `target nope: no profile "nope"`, false},
		{[]string{"diff", "-f", "wrongprov.yaml"}, "the file says provider bankly, profile c is conekta", false},
		{[]string{"apply", "-f", "bad.yaml", "x"}, "-f FILE or a saved PLAN", false},
		{[]string{"apply", "-f", "many.yaml", "--exit-code", "--yes"}, "--exit-code goes with --dry-run", false},
		{[]string{"export", "-o", "wide"}, "export writes yaml (the default) or json", false},
		{[]string{"--profile", "c", "export", "--jq", "."}, "pipe -o json into jq", false},
		{[]string{"apply", "-f", "many.yaml", "--yes"}, "the plan leaves 11 webhooks and Conekta allows at most 10 per environment", true},
		{[]string{"apply", "-f", "local.yaml", "--yes"}, "target c: create https://localhost/x: url: Conekta refuses URLs containing localhost or 127.0.0.1", true},
	} {
		before := w.count.api
		cw.breakAt(nil)
		_, errOut, code := w.exec(tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || cw.count() != 0 || (!tc.requests && w.count.api != before) {
			t.Errorf("%v: exit %d, %d requests, %d writes: %s", tc.args, code, w.count.api-before, cw.count(), errOut)
		}
	}
	// The limit shows in diff, which still exits 7 for the drift.
	out, _, code := w.exec("diff", "-f", "many.yaml", "--exit-code")
	if code != 7 || !strings.Contains(out, "  ! the plan leaves 11 webhooks") {
		t.Errorf("diff over the limit: exit %d\n%s", code, out)
	}
}

// TestDiffUnmanagedIsDrift: a remote webhook the file lacks (unmanaged) is
// drift for diff --exit-code and apply --dry-run --exit-code (exit 7),
// while apply without --prune writes nothing; pruned, the diff is clean.
func TestDiffUnmanagedIsDrift(t *testing.T) {
	cw := &writes{}
	w := newWorld(t, cw.fault(), nil)
	w.chdir()
	exported, errOut, code := w.exec("export", "--profile", "c")
	removed := "      - url: https://example.com/hooks/conekta/2\n        events: [charge.refunded, order.paid]\n        enabled: true\n"
	if code != 0 || !strings.Contains(exported, removed) {
		t.Fatalf("export: exit %d\n%s\n%s", code, exported, errOut)
	}
	os.WriteFile("w.yaml", []byte(strings.Replace(exported, removed, "", 1)), 0o600)
	id := idOf(w.list("c"), "https://example.com/hooks/conekta/2")
	want := "c (conekta):\n  ?   unmanaged https://example.com/hooks/conekta/2  (" + id + ")\n  2 in sync\n" +
		"No changes to apply, but the webhooks do not match the file: 1 unmanaged (not in the file; --prune deletes them).\n"
	out, errOut, code := w.exec("diff", "-f", "w.yaml", "--exit-code")
	if code != 7 || out != want || errOut != "" {
		t.Fatalf("diff --exit-code with an unmanaged webhook: exit %d\n%s\nwant\n%s\n%s", code, out, want, errOut)
	}
	if out, _, code := w.exec("diff", "-f", "w.yaml"); code != 0 || out != want {
		t.Fatalf("diff without --exit-code: exit %d\n%s", code, out)
	}
	js, _, code := w.exec("diff", "-f", "w.yaml", "-o", "json", "--jq", "[.drift, .summary.unmanaged]")
	if code != 0 || strings.Join(strings.Fields(js), "") != "[true,1]" {
		t.Fatalf("diff -o json: exit %d\n%s", code, js)
	}
	if _, _, code := w.exec("apply", "-f", "w.yaml", "--dry-run", "--exit-code"); code != 7 || cw.count() != 0 {
		t.Fatalf("apply --dry-run --exit-code: exit %d, %d writes", code, cw.count())
	}
	if _, errOut, code := w.exec("apply", "-f", "w.yaml", "--yes"); code != 0 || cw.count() != 0 {
		t.Fatalf("apply without --prune: exit %d, %d writes\n%s", code, cw.count(), errOut)
	}
	if _, errOut, code := w.exec("apply", "-f", "w.yaml", "--yes", "--prune"); code != 0 || cw.count() != 1 {
		t.Fatalf("apply --prune: exit %d, %d writes\n%s", code, cw.count(), errOut)
	}
	if out, _, code := w.exec("diff", "-f", "w.yaml", "--exit-code"); code != 0 || out != "c (conekta): no changes, 2 in sync\nNo changes: the webhooks match the file.\n" {
		t.Fatalf("diff after the prune: exit %d\n%s", code, out)
	}
}

// TestApplyChecksBeforeWriting: every write of a plan passes the adapter's
// own checks before the first is made: a URL whose resolved user-info the
// provider refuses, a private key it cannot take, are exit 2 naming the
// target, the webhook and the field, with no write to any target (a
// replace's delete would otherwise have been made first).
func TestApplyChecksBeforeWriting(t *testing.T) {
	cw, bw := &writes{}, &writes{}
	w := newWorld(t, cw.fault(), bw.fault())
	w.chdir()
	st := w.bemu.Snapshot()
	st.Configurations[0].URI = "https://hookuser:s3cret-userinfo@example.com/hooks/bankly/1"
	w.bemu.Restore(st)
	exported, errOut, code := w.exec("export", "--profiles", "b,c")
	userinfo := "url: https://${env:B_PIX_CASH_IN_WAS_CLEARED_URL_USERINFO}@example.com/hooks/bankly/1\n"
	if code != 0 || !strings.Contains(exported, userinfo) || !strings.Contains(errOut, "B_PIX_CASH_IN_WAS_CLEARED_URL_USERINFO  url of b") || strings.Contains(exported+errOut, "s3cret") {
		t.Fatalf("export: exit %d\n%s\n%s", code, exported, errOut)
	}
	t.Setenv("B_PIX_CASH_IN_WAS_CLEARED_URL_USERINFO", "hookuser:s3cret-userinfo")
	t.Setenv("B_PIX_CASH_IN_WAS_CLEARED_KEY", relWebhookKey)
	os.WriteFile("w.yaml", []byte(exported), 0o600)
	if out, errOut, code := w.exec("diff", "-f", "w.yaml", "--exit-code"); code != 0 {
		t.Fatalf("diff against itself: exit %d\n%s\n%s", code, out, errOut)
	}
	// A Conekta change and a Bankly event change (a replace: delete, then a
	// create sending the URL with its user-info).
	edited := strings.NewReplacer(
		"event: PIX_CASH_IN_WAS_CLEARED\n", "event: PIX_CASHOUT_WAS_COMPLETED\n",
		"https://example.com/hooks/conekta/1\n        events: [charge.refunded, order.paid]\n        enabled: true\n", "https://example.com/hooks/conekta/1\n        events: [charge.refunded, order.paid]\n        enabled: false\n",
	).Replace(exported)
	if edited == exported || strings.Count(edited, "enabled: false") != 1 {
		t.Fatalf("the edit did not apply:\n%s", edited)
	}
	os.WriteFile("w.yaml", []byte(edited), 0o600)
	out, _, code := w.exec("diff", "-f", "w.yaml", "--exit-code")
	if code != 7 || !strings.Contains(out, "  -/+ replace   Pix PIX_CASHOUT_WAS_COMPLETED https://${env:B_PIX_CASH_IN_WAS_CLEARED_URL_USERINFO}@example.com/hooks/bankly/1") || !strings.Contains(out, "  ~   update    https://example.com/hooks/conekta/1") {
		t.Fatalf("diff: exit %d\n%s", code, out)
	}
	cw.breakAt(nil)
	bw.breakAt(nil)
	_, errOut, code = w.exec("apply", "-f", "w.yaml", "--yes")
	want := "error: target b: replace Pix PIX_CASHOUT_WAS_COMPLETED https://[REDACTED]@example.com/hooks/bankly/1: url contains credentials (user-info): remove them from the URL (in the file); nothing was changed\n"
	if code != 2 || errOut != want || cw.count()+bw.count() != 0 {
		t.Fatalf("apply of a URL with user-info: exit %d, writes conekta %d bankly %d\n%s\nwant\n%s", code, cw.count(), bw.count(), errOut, want)
	}
	// Without user-info, but with a private key Bankly cannot take.
	os.WriteFile("w.yaml", []byte(strings.Replace(edited, "${env:B_PIX_CASH_IN_WAS_CLEARED_URL_USERINFO}@", "", 1)), 0o600)
	t.Setenv("B_PIX_CASH_IN_WAS_CLEARED_KEY", "not base64!")
	_, errOut, code = w.exec("apply", "-f", "w.yaml", "--yes")
	if code != 2 || !strings.Contains(errOut, "error: target b: replace Pix PIX_CASHOUT_WAS_COMPLETED https://example.com/hooks/bankly/1: the webhook private key is not valid base64") || cw.count()+bw.count() != 0 {
		t.Fatalf("apply with a bad key: exit %d, writes conekta %d bankly %d\n%s", code, cw.count(), bw.count(), errOut)
	}
	// Fixed, the same apply goes through.
	t.Setenv("B_PIX_CASH_IN_WAS_CLEARED_KEY", relWebhookKey)
	if _, errOut, code := w.exec("apply", "-f", "w.yaml", "--yes"); code != 0 || cw.count() != 1 || bw.count() != 2 {
		t.Fatalf("apply: exit %d, writes conekta %d bankly %d\n%s", code, cw.count(), bw.count(), errOut)
	}
	if out, _, code := w.exec("diff", "-f", "w.yaml", "--exit-code"); code != 0 {
		t.Fatalf("diff after apply: exit %d\n%s", code, out)
	}
}
