package cmd_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// startEmulator runs both emulators (local URLs allowed) and points
// HOOKCTL_CONFIG at their config; profiles conekta-emulator and bankly-emulator.
func startEmulator(t *testing.T, o emulator.Options) *emulator.Running {
	t.Helper()
	dir := t.TempDir()
	o.Dir, o.AllowLocalURLs = dir, true
	r, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	cfg := filepath.Join(dir, "hookctl.yaml")
	os.WriteFile(cfg, []byte(r.Config()), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_NO_TOKEN_CACHE", "1")
	t.Setenv("HOOKCTL_PROFILE", "")
	t.Setenv("HOOKCTL_PROVIDER", "")
	t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", "")
	return r
}

// runListen runs a listen command line, Ctrl-C'ed as soon as it listens
// (so that a case that should not start the receiver cannot hang).
func runListen(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	listening := make(chan string, 1)
	errOut := &watchWriter{re: regexp.MustCompile(`(listening on) `), found: listening}
	ios.ErrOut = errOut
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- cmd.Execute(ctx, cmdutil.New(ios, all.Providers), args) }()
	var code int
	select {
	case code = <-done:
	case <-listening:
		cancel()
		code = <-done
	}
	errOut.mu.Lock()
	defer errOut.mu.Unlock()
	return out.String(), errOut.String(), code
}

// webhookCount is how many webhooks a profile has.
func webhookCount(t *testing.T, profile string) int {
	t.Helper()
	out, errOut, code := run(t, false, "--profile", profile, "webhooks", "list", "--all", "-o", "json")
	var items []json.RawMessage
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil {
		t.Fatalf("list %s: exit %d %s %s", profile, code, out, errOut)
	}
	return len(items)
}

// TestListenRegisterChecksFirst: the temporary webhook's inputs are checked
// before the receiver binds its port (nothing listens, nothing is created),
// and the errors name listen's own flags (--events, --public-url, --context).
func TestListenRegisterChecksFirst(t *testing.T) {
	startEmulator(t, emulator.Options{})
	reg := func(profile string, extra ...string) []string {
		return append([]string{"--profile", profile, "listen", "--port", "0", "--register", "--public-url", "https://e.example/x"}, extra...)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{reg("conekta-emulator", "--events", "order.payd"),
			"error: --events order.payd is not in conekta's event catalog; did you mean order.paid? (see 'hookctl webhooks events --provider conekta', or pass --no-validate)\n"},
		{reg("bankly-emulator", "--events", "PIX_CASH_IN_WAS_CLEARD"),
			"error: --events PIX_CASH_IN_WAS_CLEARD is not in bankly's event catalog; did you mean PIX_CASH_IN_WAS_CLEARED? (see 'hookctl webhooks events --provider bankly', or pass --no-validate)\n"},
		{reg("bankly-emulator", "--events", "PIX_CASH_IN_WAS_CLEARED,PIX_CASHOUT_WAS_COMPLETED"),
			"error: a Bankly configuration has exactly one event: give --events NAME (create one configuration per event)\n"},
		{reg("bankly-emulator", "--events", "BOLETO_CASH_IN_WAS_RECEIVED"),
			"error: --events \"BOLETO_CASH_IN_WAS_RECEIVED\": its context (Boleto) is known only from SDK comments, not Bankly's documentation: give --context Boleto to confirm it\n"},
		{reg("bankly-emulator", "--events", "MY_EVENT", "--no-validate"),
			"error: --context is required with --no-validate: hookctl cannot infer it\n"},
		{reg("conekta-emulator", "--events", "order.paid", "--context", "Pix"),
			"error: --context is a bankly input of the temporary webhook; --register creates it at conekta, which takes no --context\n"},
		{[]string{"--profile", "bankly-emulator", "listen", "--port", "0", "--context", "Pix"},
			"error: --context is used with --register: an input of the temporary webhook\n"},
		{[]string{"--profile", "conekta-emulator", "listen", "--port", "0", "--register", "--public-url", "http://127.0.0.1:9/x", "--events", "order.paid"},
			"error: --public-url: Conekta refuses URLs containing localhost or 127.0.0.1: expose the receiver on a public URL (or pass --no-validate for an emulator that allows it)\n"},
	} {
		out, errOut, code := runListen(t, c.args...)
		if code != 2 || out != "" || errOut != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
	if n, m := webhookCount(t, "conekta-emulator"), webhookCount(t, "bankly-emulator"); n != 0 || m != 0 {
		t.Fatalf("%d Conekta and %d Bankly webhooks were created", n, m)
	}
}

// TestListenRegisterNeedsEvents: --register without --events would make a
// webhook subscribed to nothing: exit 2, before any request.
func TestListenRegisterNeedsEvents(t *testing.T) {
	var requests atomic.Int32
	conektaEmu(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			next.ServeHTTP(w, r)
		})
	})
	for _, args := range [][]string{
		{"--profile", "c", "listen", "--port", "0", "--register", "--public-url", "https://e.example/x"},
		{"--profile", "c", "listen", "--port", "0", "--register", "--public-url", "https://e.example/x", "--events", ","},
	} {
		out, errOut, code := runListen(t, args...)
		if code != 2 || out != "" || errOut != "error: --register needs --events a,b: the events the temporary webhook subscribes to (see 'hookctl webhooks events')\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests reached the provider", n)
	}
}
