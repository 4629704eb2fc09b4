package cmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReliabilityBadInput: every bad flag, config key and body is refused
// with exit 2, one line naming the problem, and no request sent.
func TestReliabilityBadInput(t *testing.T) {
	type tc struct {
		name  string
		setup func(w *world)
		args  []string
		msg   string
	}
	long := "https://example.com/" + strings.Repeat("a", 2100)
	bc := []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "PIX_CASH_IN_WAS_CLEARED", "--public-key", "pub"}
	cases := []tc{
		{"output format unknown", nil, []string{"--profile", "c", "-o", "xml", "webhooks", "list"}, `unknown output format "xml"`},
		{"timeout not a duration", nil, []string{"--profile", "c", "--timeout", "soon", "webhooks", "list"}, "invalid timeout"},
		{"timeout negative", nil, []string{"--profile", "c", "--timeout", "-5s", "webhooks", "list"}, "invalid timeout"},
		{"timeout empty", nil, []string{"--profile", "c", "--timeout", "", "webhooks", "list"}, "invalid timeout"},
		{"limit zero", nil, []string{"--profile", "c", "webhooks", "list", "--limit", "0"}, "--limit 0"},
		{"limit not a number", nil, []string{"--profile", "c", "webhooks", "list", "--limit", "ten"}, "--limit"},
		{"limit overflows", nil, []string{"--profile", "c", "webhooks", "list", "--limit", "99999999999999999999"}, "--limit"},
		{"status unknown", nil, []string{"--profile", "c", "webhooks", "list", "--status", "on"}, "--status"},
		{"page zero", nil, []string{"--profile", "b", "webhooks", "list", "--page", "0"}, "--page 0"},
		{"page-size over 100", nil, []string{"--profile", "b", "webhooks", "list", "--page-size", "101"}, "1 to 100"},
		{"flag of the other provider", nil, []string{"--profile", "b", "webhooks", "list", "--search", "x"}, "not a bankly flag"},
		{"unknown flag", nil, []string{"--profile", "c", "webhooks", "list", "--colour"}, "unknown flag"},
		{"unknown profile", nil, []string{"--profile", "nope", "webhooks", "list"}, `unknown profile "nope"`},
		{"empty profile", nil, []string{"--profile", "", "webhooks", "list"}, "--profile is empty"},
		{"unknown provider", nil, []string{"--provider", "stripe", "webhooks", "list"}, `unknown provider "stripe"`},
		{"HOOKCTL_DEBUG not a boolean", func(w *world) { w.t.Setenv("HOOKCTL_DEBUG", "maybe") }, []string{"--profile", "c", "webhooks", "list"}, "HOOKCTL_DEBUG"},
		{"HOOKCTL_OUTPUT unknown", func(w *world) { w.t.Setenv("HOOKCTL_OUTPUT", "csv") }, []string{"--profile", "c", "webhooks", "list"}, "HOOKCTL_OUTPUT"},
		{"config YAML syntax error", func(w *world) { w.config("profiles:\n  c: [\n") }, []string{"webhooks", "list"}, "fix the YAML syntax"},
		{"config value of the wrong type", func(w *world) { w.config("profiles:\n  c:\n    provider: conekta\n    timeout: [1, 2]\n") }, []string{"--profile", "c", "webhooks", "list"}, "must be a single value"},
		{"config profile timeout invalid", func(w *world) { w.config("profiles:\n  c:\n    provider: conekta\n    timeout: forever\n") }, []string{"--profile", "c", "webhooks", "list"}, "invalid timeout"},
		{"config file missing", func(w *world) { w.t.Setenv("HOOKCTL_CONFIG", filepath.Join(w.dir, "none.yaml")) }, []string{"webhooks", "list"}, "does not exist"},
		{"no provider at all", func(w *world) { w.config("profiles: {}\n") }, []string{"webhooks", "list"}, "no provider selected"},
		{"Conekta API key missing", func(w *world) { w.config("profiles:\n  c:\n    provider: conekta\n") }, []string{"--profile", "c", "webhooks", "list"}, "no Conekta API key"},
		{"API key file world-readable", func(w *world) { os.Chmod(w.files["conekta.key"], 0o644) }, []string{"--profile", "c", "webhooks", "list"}, "chmod 600"},
		{"API key file writable by group", func(w *world) { os.Chmod(w.files["conekta.key"], 0o620) }, []string{"--profile", "c", "webhooks", "list"}, "writable by group or others"},
		{"API key file empty", func(w *world) { os.WriteFile(w.files["conekta.key"], []byte("\n"), 0o600) }, []string{"--profile", "c", "webhooks", "list"}, "is empty"},
		{"API key file is a directory", func(w *world) { os.Remove(w.files["conekta.key"]); os.Mkdir(w.files["conekta.key"], 0o700) }, []string{"--profile", "c", "webhooks", "list"}, "is a directory"},
		{"API key file missing", func(w *world) { os.Remove(w.files["conekta.key"]) }, []string{"--profile", "c", "webhooks", "list"}, "no such file"},
		{"api_version malformed", func(w *world) { w.t.Setenv("CONEKTA_API_VERSION", "latest") }, []string{"--profile", "c", "webhooks", "list"}, "api_version"},
		{"Bankly client id missing", func(w *world) {
			w.t.Setenv("BANKLY_CLIENT_ID", "")
			w.config("profiles:\n  b:\n    provider: bankly\n")
		}, []string{"--profile", "b", "webhooks", "list"}, "no Bankly client id"},
		{"Bankly certificate missing", func(w *world) { w.config("profiles:\n  b:\n    provider: bankly\n    client_id: x\n") }, []string{"--profile", "b", "webhooks", "list"}, "cert_file and key_file"},
		{"Bankly key world-readable", func(w *world) { os.Chmod(w.files["client.key"], 0o644) }, []string{"--profile", "b", "webhooks", "list"}, "chmod 600"},
		{"Bankly encrypted key without passphrase", func(w *world) { os.Remove(w.files["pass"]); w.t.Setenv("BANKLY_KEY_PASSPHRASE", "") }, []string{"--profile", "b", "webhooks", "list"}, "key_passphrase_file"},
		{"Bankly environment unknown", func(w *world) { w.t.Setenv("BANKLY_ENVIRONMENT", "staging") }, []string{"--profile", "b", "webhooks", "list"}, "sandbox or production"},
		{"URL relative", nil, []string{"--profile", "c", "webhooks", "create", "--url", "/hooks"}, "relative"},
		{"URL javascript:", nil, []string{"--profile", "c", "webhooks", "create", "--url", "javascript:alert(1)"}, `scheme "javascript"`},
		{"URL with user-info", nil, []string{"--profile", "c", "webhooks", "create", "--url", "https://user:pw@example.com/"}, "credentials"},
		{"URL non-ASCII", nil, []string{"--profile", "c", "webhooks", "create", "--url", "https://exämple.com/"}, "non-ASCII"},
		{"URL over 2 KB", nil, []string{"--profile", "c", "webhooks", "create", "--url", long}, "at most 2048"},
		{"URL empty", nil, []string{"--profile", "c", "webhooks", "create", "--url", ""}, "--url is required"},
		{"URL ftp", nil, []string{"--profile", "c", "webhooks", "create", "--url", "ftp://example.com/"}, `scheme "ftp"`},
		{"URL localhost at Conekta", nil, []string{"--profile", "c", "webhooks", "create", "--url", "https://localhost/x"}, "localhost"},
		{"base URL http to a remote host", nil, []string{"--profile", "c", "--base-url", "http://api.example.com", "webhooks", "list"}, "clear text"},
		{"Bankly token URL http to a remote host", func(w *world) { w.t.Setenv("BANKLY_TOKEN_URL", "http://auth.example.com/oauth2/token") }, []string{"--profile", "b", "webhooks", "list"}, "token_url http://auth.example.com/oauth2/token sends the credentials in clear text"},
		{"base URL with user-info", nil, []string{"--profile", "c", "--base-url", "https://u:p@example.com", "webhooks", "list"}, "credentials"},
		{"event name empty", nil, []string{"--profile", "c", "webhooks", "create", "--url", "https://example.com/", "--events", "order.paid,,x"}, "empty event name"},
		{"update with nothing to change", nil, []string{"--profile", "c", "webhooks", "update", "abc"}, "nothing to update"},
		{"ID with a slash", nil, []string{"--profile", "c", "webhooks", "get", "../admin"}, "not an ID"},
		{"ID a dot-segment", nil, []string{"--profile", "c", "webhooks", "delete", "..", "--yes"}, "not an ID"},
		{"ID with a control character", nil, []string{"--profile", "c", "webhooks", "get", "a\x1b[2Jb"}, "not an ID"},
		{"ID with a query", nil, []string{"--profile", "b", "webhooks", "get", "a?b=c"}, "not an ID"},
		{"ID missing", nil, []string{"--profile", "c", "webhooks", "get"}, "exactly one webhook ID"},
		{"jq syntax error", nil, []string{"--profile", "c", "--jq", ".[", "webhooks", "list"}, "--jq"},
		{"--raw with a table", nil, []string{"--profile", "c", "webhooks", "list", "--raw"}, "--raw"},
		{"delete without --yes off a terminal", nil, []string{"--profile", "c", "webhooks", "delete", "abc"}, "pass --yes"},
		{"--file not JSON or YAML", func(w *world) { w.write("bad.json", "{url: [unclosed") }, []string{"--profile", "c", "webhooks", "create", "--file", "bad.json"}, "neither JSON nor YAML"},
		{"--file a list", func(w *world) { w.write("list.json", "[1, 2]") }, []string{"--profile", "c", "webhooks", "create", "--file", "list.json"}, "not a list"},
		{"--file empty", func(w *world) { w.write("empty.json", "") }, []string{"--profile", "c", "webhooks", "create", "--file", "empty.json"}, "empty document"},
		{"--file wrong type", func(w *world) { w.write("type.json", `{"url":"https://e.com","enabled":"maybe"}`) }, []string{"--profile", "c", "webhooks", "create", "--file", "type.json"}, "enabled must be true or false"},
		{"--file not a regular file", nil, []string{"--profile", "c", "webhooks", "create", "--file", os.DevNull}, "not a regular file"},
		{"--file - over 1 MiB", func(w *world) { w.stdin = `{"url":"https://e.com/` + strings.Repeat("a", 1<<20) + `"}` }, []string{"--profile", "c", "webhooks", "create", "--file", "-"}, "larger than 1 MiB"},
		{"--file missing", nil, []string{"--profile", "c", "webhooks", "create", "--file", "nope.json"}, "no such file"},
		{"--file of the other provider", func(w *world) { w.write("b.json", `{"provider":"bankly","url":"https://e.com"}`) }, []string{"--profile", "c", "webhooks", "create", "--file", "b.json"}, "bankly webhook"},
		{"private key not base64", func(w *world) { w.t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", "not*base64!") }, bc, "not valid base64"},
		{"private key over 64 characters", func(w *world) { w.t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", strings.Repeat("QUFB", 17)) }, bc, "at most 64"},
		{"private key file world-readable", func(w *world) { os.Chmod(w.files["wh.key"], 0o644) }, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "CARD_WAS_ISSUED", "--public-key", "p", "--private-key-file", "wh.key"}, "chmod 600"},
		{"public key over 64 characters", nil, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "CARD_WAS_ISSUED", "--public-key", strings.Repeat("p", 65)}, "at most 64"},
		{"Bankly event unknown", nil, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "NO_SUCH_EVENT", "--public-key", "p"}, "known catalog"},
		{"Bankly context does not match the event", nil, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "CARD_WAS_ISSUED", "--context", "Pix", "--public-key", "p"}, "not an event of context Pix"},
		{"Bankly update without the private key", func(w *world) { w.t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", "") }, []string{"--profile", "b", "webhooks", "update", "abc", "--url", "https://example.com/y"}, "private key is required"},
		{"--generate-keys without --private-key-out", nil, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "CARD_WAS_ISSUED", "--generate-keys"}, "--private-key-out"},
		{"--private-key-out exists", nil, []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "CARD_WAS_ISSUED", "--generate-keys", "--private-key-out", "wh.key"}, "never overwrites"},
		{"--hmac-key unknown", nil, []string{"--profile", "b", "webhooks", "test", "abc", "--hmac-key", "hex"}, "--hmac-key"},
		{"emulator fail rate out of range", nil, []string{"emulator", "--fail-rate", "2"}, "--fail-rate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, nil, nil)
			w.chdir()
			if c.setup != nil {
				c.setup(w)
			}
			out, errOut, code := w.exec(c.args...)
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			last := lines[len(lines)-1]
			if code != 2 || !strings.HasPrefix(last, "error: ") || !strings.Contains(last, c.msg) {
				t.Fatalf("exit %d, stderr %q: want exit 2 and one line with %q", code, errOut, c.msg)
			}
			for _, l := range lines[:len(lines)-1] {
				if !strings.HasPrefix(l, "warning: ") {
					t.Errorf("more than one line of error: %q", errOut)
				}
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if w.count.api+w.count.tokens != 0 {
				t.Errorf("%d requests were sent", w.count.api+w.count.tokens)
			}
			if leaks := w.secretsIn(out, errOut); len(leaks) > 0 {
				t.Errorf("secrets leaked: %v", leaks)
			}
			record(row{section: "input", name: c.name, command: strings.Join(c.args, " "), exit: code, requests: w.count.api + w.count.tokens, message: last})
		})
	}
}

func (w *world) config(body string) {
	p := filepath.Join(w.dir, "config.yaml")
	os.WriteFile(p, []byte(body), 0o600)
	w.t.Setenv("HOOKCTL_CONFIG", p)
}

func (w *world) write(name, body string) {
	os.WriteFile(filepath.Join(w.dir, name), []byte(body), 0o600)
}

// chdir makes relative paths in arguments resolve in the world's directory.
func (w *world) chdir() {
	w.t.Chdir(w.dir)
}
