package cmd_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/pki"
)

type checkLine struct{ Check, Result, Detail string }

func doctorChecks(t *testing.T, w *world, profile string) (map[string]checkLine, int, string) {
	t.Helper()
	out, errOut, code := w.exec("--profile", profile, "doctor", "-o", "json")
	var lines []checkLine
	if err := json.Unmarshal([]byte(out), &lines); err != nil {
		t.Fatalf("doctor -o json: %v: %s %s", err, out, errOut)
	}
	m := map[string]checkLine{}
	for _, l := range lines {
		m[l.Check] = l
	}
	if leaks := w.secretsIn(out, errOut); len(leaks) > 0 {
		t.Errorf("doctor leaked %v", leaks)
	}
	return m, code, out
}

// TestDoctor: against the emulators every check passes; each broken link
// fails on its own line, with exit 1.
func TestDoctor(t *testing.T) {
	for _, profile := range []string{"b", "c"} {
		w := newWorld(t, nil, nil)
		w.chdir()
		checks, code, out := doctorChecks(t, w, profile)
		if code != 0 || len(checks) < 4 {
			t.Fatalf("%s: exit %d: %s", profile, code, out)
		}
		for _, c := range checks {
			if c.Result != "ok" {
				t.Errorf("%s: %s is %s: %s", profile, c.Check, c.Result, c.Detail)
			}
		}
	}
	readOnly := func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/oauth2/token" {
			rw.Header().Set("Content-Type", "application/json")
			io.WriteString(rw, `{"access_token":"read-only-token-0123456789","token_type":"Bearer","expires_in":3600,"scope":"webhook.read"}`)
			return
		}
		next.ServeHTTP(rw, r)
	}
	for _, c := range []struct {
		name  string
		fault fault
		setup func(w *world)
		check string
	}{
		{"expired certificate", nil, func(w *world) {
			p, _ := w.ca.Issue("partner", pki.Options{NotBefore: timeAgo(2), NotAfter: timeAgo(1)})
			os.WriteFile(w.files["client.crt"], p.CertPEM, 0o600)
			os.WriteFile(w.files["client.key"], []byte(encryptKey(w.t, p, relPassphrase)), 0o600)
		}, "certificate validity"},
		{"key of another certificate", nil, func(w *world) {
			p, _ := w.ca.Issue("other", pki.Options{})
			os.WriteFile(w.files["client.key"], []byte(encryptKey(w.t, p, relPassphrase)), 0o600)
		}, "key matches certificate"},
		{"wrong CA", nil, func(w *world) {
			other, _ := pki.NewCA("another CA")
			os.WriteFile(w.files["ca.crt"], other.CertPEM, 0o600)
		}, "server TLS handshake"},
		{"token grants only webhook.read", readOnly, nil, "scopes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, nil, c.fault)
			w.chdir()
			if c.setup != nil {
				c.setup(w)
			}
			checks, code, out := doctorChecks(t, w, "b")
			if code != 1 || checks[c.check].Result != "fail" {
				t.Fatalf("exit %d, %s: %+v\n%s", code, c.check, checks[c.check], out)
			}
			for name, l := range checks {
				if l.Result == "fail" && name != c.check && !strings.Contains("API", name) {
					t.Errorf("%s failed too: %s", name, l.Detail)
				}
			}
		})
	}
}

func timeAgo(years int) time.Time { return time.Now().AddDate(-years, 0, 0) }
