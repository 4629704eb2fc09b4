package cmd_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/spf13/cobra"
)

// outputModes are every way of asking for output.
var outputModes = [][]string{
	{"-o", "table"}, {"-o", "wide"}, {"-o", "json"}, {"-o", "yaml"}, {"-o", "name"},
	{"--jq", "."}, {"--template", "{{.}}"}, {"--template", "{{len .}}"},
}

// TestExitCodeInEveryOutputMode: a command that prints its result and then
// fails keeps its exit code whatever the output mode; a mode the command
// cannot print is a usage error before any request.
func TestExitCodeInEveryOutputMode(t *testing.T) {
	unauthorized := func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusUnauthorized)
		rw.Write([]byte(`{"object":"error","type":"authentication_error","details":[{"message":"bad key"}]}`))
	}
	good := func(t *testing.T) *world {
		w := newWorld(t, nil, nil)
		os.WriteFile(filepath.Join(w.dir, "drift.yaml"), []byte("version: 1\ntargets:\n  c:\n    provider: conekta\n    webhooks:\n      - url: https://example.com/drift\n        events: [order.paid]\n        enabled: true\n"), 0o600)
		os.WriteFile(filepath.Join(w.dir, "body.json"), []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED"}`), 0o600)
		os.WriteFile(filepath.Join(w.dir, "pix.key"), []byte("c2VjcmV0LWtleS0wMTIzNDU2Nzg5\n"), 0o600)
		return w
	}
	bad := func(t *testing.T) *world { return newWorld(t, unauthorized, nil) }
	verify := []string{"--provider", "bankly", "verify", "--body", "body.json", "-H", "authorization: hmac AAAA", "-H", "publicKey: p", "-H", "nonce: n",
		"-H", "requestTimestamp: " + strconv.FormatInt(time.Now().Unix(), 10), "--private-key-file", "pix.key", "--url", "https://e.com/x"}
	cases := []struct {
		name  string
		world func(*testing.T) *world
		args  []string
		code  int
		// ids: the command prints objects with ids (-o name prints them).
		ids bool
	}{
		{"webhooks delete", good, []string{"--profile", "c", "webhooks", "delete", "nope", "--yes"}, 4, true},
		{"keys delete", good, []string{"--profile", "c", "webhooks", "keys", "delete", "nope", "--yes"}, 4, true},
		{"deliveries redeliver", good, []string{"--profile", "c", "deliveries", "redeliver", "nope"}, 4, true},
		{"verify", good, verify, 1, true},
		{"diff --exit-code", good, []string{"diff", "-f", "drift.yaml", "--exit-code"}, 7, false},
		{"doctor", bad, []string{"--profile", "c", "doctor"}, 1, false},
	}
	for _, c := range cases {
		w := c.world(t)
		w.chdir()
		for _, mode := range outputModes {
			before := w.count.api + w.count.tokens
			out, errOut, code := w.exec(append(slices.Clone(c.args), mode...)...)
			sent := w.count.api + w.count.tokens - before
			want := c.code
			if mode[1] == "name" && !c.ids {
				want = 2
			}
			if code != want {
				t.Errorf("%s %v: exit %d, want %d\nstdout %q\nstderr %q", c.name, mode, code, want, out, errOut)
				continue
			}
			switch {
			case want == 2:
				if sent != 0 || out != "" || !strings.Contains(errOut, "-o name prints the ids of a list, and 'hookctl "+strings.Fields(c.name)[0]+"' prints none: use -o json") {
					t.Errorf("%s %v: %d requests, stdout %q, stderr %q", c.name, mode, sent, out, errOut)
				}
			case mode[1] != "name" && out == "":
				t.Errorf("%s %v: nothing printed; stderr %q", c.name, mode, errOut)
			}
		}
	}
}

// TestOutputNameUpFront: -o name is decided before any request: an empty
// list prints nothing (exit 0), a failure keeps its exit code, and a command
// without ids refuses it with nothing sent.
func TestOutputNameUpFront(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	requests := func() int { return w.count.api + w.count.tokens }
	out, errOut, code := w.exec("--profile", "c", "webhooks", "list", "--search", "no-such-webhook", "-o", "name")
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("empty list -o name: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, _, code = w.exec("--profile", "c", "webhooks", "list", "-o", "name")
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("list -o name: exit %d: %q", code, out)
	}
	for _, args := range [][]string{
		{"--profile", "c", "doctor", "-o", "name"},
		{"--profile", "c", "config", "view", "-o", "name"},
		{"--profile", "c", "export", "-o", "name"},
		{"--profile", "c", "listen", "--port", "0", "-o", "name"},
		{"--profile", "c", "listen", "--port", "0", "-o", "yaml"},
		{"--profile", "c", "listen", "--port", "0", "-o", "wide"},
		{"--profile", "c", "export", "-o", "wide"},
		{"--profile", "c", "doctor", "--all-profiles", "-o", "name"},
	} {
		before := requests()
		out, errOut, code := w.exec(args...)
		if code != 2 || out != "" || requests() != before || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "error: -o ") {
			t.Errorf("%v: exit %d, %d requests, stdout %q, stderr %q", args, code, requests()-before, out, errOut)
		}
	}
	t.Setenv("HOOKCTL_OUTPUT", "name")
	_, errOut, code = w.exec("--profile", "c", "doctor")
	if code != 2 || !strings.Contains(errOut, "HOOKCTL_OUTPUT=name prints the ids of a list") {
		t.Errorf("HOOKCTL_OUTPUT=name doctor: exit %d: %s", code, errOut)
	}
	t.Setenv("HOOKCTL_OUTPUT", "")

	// Every target failing: the failure's exit code, not a usage error.
	w = newWorld(t, failConekta, nil)
	w.chdir()
	out, errOut, code = w.exec("webhooks", "list", "--profile-glob", "c*", "-o", "name")
	if code != 1 || out != "" || !strings.Contains(errOut, "refused") {
		t.Errorf("failing targets -o name: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestOutputsDeclared: every runnable command declares the -o formats it
// prints (or is known to read -o itself or print no document), and the
// --output completion offers exactly those.
func TestOutputsDeclared(t *testing.T) {
	undeclared := []string{"hookctl version", "hookctl config path", "hookctl help",
		"hookctl completion bash", "hookctl completion zsh", "hookctl completion fish", "hookctl completion powershell"}
	ios, _, _, _ := iostreams.Test()
	root := cmd.NewRootCmd(cmdutil.New(ios, all.Providers))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden && !c.HasSubCommands() {
			formats := cmdutil.Outputs(c)
			if formats == nil && !slices.Contains(undeclared, c.CommandPath()) {
				t.Errorf("%s declares no output formats (cmd/root.go outputsOf)", c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	t.Setenv("HOOKCTL_CONFIG", filepath.Join(t.TempDir(), "none.yaml"))
	for path, want := range map[string]string{
		"listen":           "table\njson\n",
		"doctor":           "table\nwide\njson\nyaml\n",
		"webhooks list":    "table\nwide\njson\nyaml\nname\n",
		"export":           "table\nyaml\njson\n",
		"version":          "table\nwide\njson\nyaml\nname\n",
		"emulator trigger": "table\nwide\njson\nyaml\nname\n",
	} {
		out, _, code := run(t, false, append(append([]string{"__complete"}, strings.Fields(path)...), "-o", "")...)
		if code != 0 || !strings.HasPrefix(out, want+":4\n") {
			t.Errorf("__complete %s -o '': exit %d:\n%s", path, code, out)
		}
	}
}
