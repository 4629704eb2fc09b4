package cmd_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// conektaEmu is the Conekta emulator behind wrap, with a profile "c" for it
// (and "b", a Bankly profile that is never reached).
func conektaEmu(t *testing.T, wrap func(http.Handler) http.Handler) {
	t.Helper()
	emu := conektaemu.New(conektaemu.Options{AllowLocalURLs: true})
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), []byte("key_receive_0123456789"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  c:\n    provider: conekta\n    base_url: "+srv.URL+"\n    api_key_file: k\n  b:\n    provider: bankly\n    client_id: x\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
}

// TestKeysCommands: list/create/delete per-id results, the guard on the last
// active key, and Bankly's answer (exit 2, nothing sent).
func TestKeysCommands(t *testing.T) {
	conektaEmu(t, nil)
	out, errOut, code := run(t, false, "--profile", "c", "webhooks", "keys", "list", "-o", "json")
	var keys []struct {
		ID, PublicKey string
		Active        bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &keys) != nil || len(keys) != 1 || !keys[0].Active {
		t.Fatalf("list: exit %d %s %s", code, out, errOut)
	}
	first := keys[0].ID
	if _, errOut, code := run(t, false, "--profile", "c", "webhooks", "keys", "delete", first, "--yes"); code != 2 || !strings.Contains(errOut, "last active webhook key") {
		t.Fatalf("deleting the last active key: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, false, "--profile", "c", "webhooks", "keys", "delete", first); code != 2 || !strings.Contains(errOut, "pass --yes") {
		t.Fatalf("delete off a terminal without --yes: exit %d %s", code, errOut)
	}
	out, _, code = run(t, false, "--profile", "c", "webhooks", "keys", "create", "-o", "json", "--jq", ".public_key")
	if code != 0 || !strings.HasPrefix(out, "-----BEGIN PUBLIC KEY-----\n") {
		t.Fatalf("create: exit %d %s", code, out)
	}
	out, errOut, code = run(t, false, "--profile", "c", "webhooks", "keys", "delete", first, "nosuchkey", "--yes", "-o", "json")
	var results []struct {
		ID      string
		Deleted bool
		Error   *string
	}
	if code != 1 || json.Unmarshal([]byte(out), &results) != nil || len(results) != 2 || !results[0].Deleted || results[1].Deleted ||
		results[1].Error == nil || !strings.Contains(*results[1].Error, "404") || !strings.Contains(errOut, "1 of 2 deletions failed: nosuchkey") {
		t.Fatalf("delete: exit %d %s %s", code, out, errOut)
	}
	out, errOut, code = run(t, false, "--profile", "b", "webhooks", "keys", "list")
	if code != 2 || out != "" || !strings.Contains(errOut, "webhooks keys is not supported by bankly: ") || !strings.Contains(errOut, "each configuration carries its own publicKey and privateKey") {
		t.Fatalf("bankly: exit %d %q %s", code, out, errOut)
	}
}

// TestVerifyUsage: bad input is exit 2 with one line naming the flag.
func TestVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	body := filepath.Join(dir, "body.json")
	os.WriteFile(body, []byte(`{"name":"X"}`), 0o600)
	t.Setenv("HOOKCTL_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "bankly", "verify"}, "give --request FILE"},
		{[]string{"--provider", "bankly", "verify", "--request", body, "--body", body}, "--request and --body both given"},
		{[]string{"--provider", "bankly", "verify", "--request", body, "-H", "a: b"}, "--header goes with --body"},
		{[]string{"--provider", "bankly", "verify", "--body", body, "-H", "no colon"}, "--header \"no colon\": give 'Name: value'"},
		{[]string{"--provider", "bankly", "verify", "--request", body}, "--request " + body + ": not a raw HTTP/1.1 request"},
		{[]string{"--provider", "bankly", "verify", "--body", body, "--public-key", body}, "--public-key is not a bankly flag"},
		{[]string{"--provider", "bankly", "verify", "--body", body}, "give --private-key-file, --private-key-stdin or BANKLY_WEBHOOK_PRIVATE_KEY"},
		{[]string{"--provider", "conekta", "verify", "--body", body, "--max-skew", "1m"}, "--max-skew is not a conekta flag"},
		{[]string{"--provider", "conekta", "verify", "--body", body, "--public-key", filepath.Join(dir, "missing.pem")}, "--public-key " + filepath.Join(dir, "missing.pem") + ": no such file"},
	} {
		out, errOut, code := run(t, false, c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
	// A valid request but an invalid signature: exit 1, the JSON on stdout, the reason on stderr.
	os.WriteFile(filepath.Join(dir, "pix.key"), []byte("c2VjcmV0LWtleS0wMTIzNDU2Nzg5\n"), 0o600)
	out, errOut, code := run(t, false, "--provider", "bankly", "verify", "--body", body, "-H", "authorization: hmac AAAA", "-H", "publicKey: p", "-H", "nonce: n",
		"-H", "requestTimestamp: "+strconv.FormatInt(time.Now().Unix(), 10), "--private-key-file", filepath.Join(dir, "pix.key"), "--url", "https://e.com/x", "-o", "json")
	var r struct {
		Provider string
		Valid    bool
		Reason   string
		Event    string
	}
	if code != 1 || json.Unmarshal([]byte(out), &r) != nil || r.Valid || r.Provider != "bankly" || r.Event != "X" || r.Reason == "" || !strings.Contains(errOut, "error: invalid signature: ") {
		t.Fatalf("exit %d %s %s", code, out, errOut)
	}
}

// TestListenRegisterCleanupFails: at Ctrl-C the temporary webhook's delete
// fails: exit 1, and stderr names the webhook to delete by hand.
func TestListenRegisterCleanupFails(t *testing.T) {
	var deletes int
	var mu sync.Mutex
	conektaEmu(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete {
				mu.Lock()
				deletes++
				mu.Unlock()
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	})
	ios, _, out, _ := iostreams.Test()
	created := make(chan string, 1)
	errOut := &watchWriter{re: regexp.MustCompile(`registered temporary conekta webhook (\S+) `), found: created}
	ios.ErrOut = errOut
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- cmd.Execute(ctx, cmdutil.New(ios, all.Providers), []string{"--profile", "c", "listen", "--port", "0",
			"--register", "--public-url", "http://127.0.0.1:9/x", "--events", "order.paid", "--no-validate"})
	}()
	var id string
	select {
	case id = <-created:
	case code := <-done:
		t.Fatalf("listen ended with %d before registering: %s", code, errOut)
	case <-time.After(20 * time.Second):
		t.Fatal("no webhook was registered")
	}
	cancel() // Ctrl-C
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("listen did not stop")
	}
	mu.Lock()
	defer mu.Unlock()
	errOut.mu.Lock()
	defer errOut.mu.Unlock()
	if code != 1 || out.Len() != 0 || deletes == 0 || !strings.Contains(errOut.String(), "the temporary webhook "+id+" was not deleted") ||
		!strings.Contains(errOut.String(), "webhooks delete "+id+" --yes") || strings.Contains(errOut.String(), "interrupted") {
		t.Fatalf("exit %d, %d deletes, stdout %q, stderr %s", code, deletes, out, errOut)
	}
}

// watchWriter is a stderr that sends the first submatch of re, once seen.
type watchWriter struct {
	mu    sync.Mutex
	buf   strings.Builder
	re    *regexp.Regexp
	found chan string
	sent  bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := w.re.FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.found <- m[1]
	}
	return len(p), nil
}

func (w *watchWriter) String() string { return w.buf.String() }

// TestListenUsage: bad flags are exit 2 before anything listens.
func TestListenUsage(t *testing.T) {
	conektaEmu(t, nil)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"listen", "--respond", "42"}, "--respond 42"},
		{[]string{"listen", "--port", "70000"}, "--port 70000"},
		{[]string{"listen", "--register"}, "--register needs --public-url"},
		{[]string{"listen", "--public-url", "https://e.com"}, "--public-url is used with --register"},
		{[]string{"listen", "--forward-to", "ftp://x"}, "--forward-to"},
		{[]string{"listen", "-o", "yaml"}, "-o yaml: listen prints lines"},
		{[]string{"--provider", "conekta", "listen", "--max-skew", "1m"}, "--max-skew is not a conekta flag"},
		{[]string{"--profile", "c", "listen", "--verify", "--port", "0", "--key-id", "nosuch"}, "404"},
	} {
		out, errOut, code := run(t, false, c.args...)
		want := 2
		if c.want == "404" {
			want = 4
		}
		if code != want || out != "" || !strings.Contains(errOut, c.want) {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, want, c.want)
		}
	}
}
