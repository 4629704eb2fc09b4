package cmd_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// hostileKey is a Conekta API key full of the characters encoders change.
const hostileKey = `s3cr+t/Key=&<x>"q\z_Ab12Cd34Ef56`

// encodedForms are the ways a server or proxy may echo a secret back.
func encodedForms(secret string) map[string]string {
	js, _ := json.Marshal(secret) // encoding/json: \u003c \u003e \u0026 \" \\
	var compat bytes.Buffer
	enc := json.NewEncoder(&compat)
	enc.SetEscapeHTML(false)
	enc.Encode(secret)
	upper := strings.NewReplacer("+", `\u002B`, "/", `\/`, "&", `\u0026`, "<", `\u003C`, ">", `\u003E`, `"`, `\"`, `\`, `\\`).Replace(secret)
	lower := strings.NewReplacer("+", `\u002b`, "/", `\/`, "&", `\u0026`, "<", `\u003c`, ">", `\u003e`, `"`, `\u0022`, `\`, `\u005c`).Replace(secret)
	q := url.QueryEscape(secret)
	return map[string]string{
		"raw":              secret,
		"json":             strings.Trim(string(js), `"`),
		"json no-html":     strings.Trim(strings.TrimSpace(compat.String()), `"`),
		"json upper":       upper,
		"json lower mixed": lower,
		"query":            q,
		"query lower hex":  lowerHex(q),
		"path":             url.PathEscape(secret),
		"form":             url.Values{"k": {secret}}.Encode()[2:],
		"go %q":            strings.Trim(fmt.Sprintf("%q", secret), `"`),
	}
}

func lowerHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			b.WriteString("%" + strings.ToLower(s[i+1:i+3]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// leaked names the forms of secret, and the 6+ byte prefixes of each form,
// that appear in text.
func leaked(text, secret string) []string {
	var out []string
	for name, form := range encodedForms(secret) {
		if strings.Contains(text, form) {
			out = append(out, name)
			continue
		}
		for n := 6; n < len(form); n++ {
			if strings.Contains(text, form[:n]) {
				out = append(out, fmt.Sprintf("%s prefix %q", name, form[:n]))
				break
			}
		}
	}
	return out
}

// TestReliabilityRedactEchoes: a Conekta stand-in echoes the Authorization
// header back, altered; no form of the key reaches stderr, with or without --debug.
func TestReliabilityRedactEchoes(t *testing.T) {
	bearer := "Bearer " + hostileKey
	pad := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name, contentType, body string
	}{
		{"JSON-escaped (encoding/json)", "text/plain", func() string {
			b, _ := json.Marshal(map[string]string{"authorization": bearer})
			return "upstream said " + string(b)
		}()},
		{"JSON-escaped (\\u002B, \\/, \\u0026, \\\")", "text/html", "echo: " + encodedForms(bearer)["json upper"]},
		{"JSON-escaped (lower hex, mixed)", "text/html", "echo: " + encodedForms(bearer)["json lower mixed"]},
		{"URL query-escaped", "text/plain", "redirect to https://example.com/login?auth=" + url.QueryEscape(bearer)},
		{"URL query-escaped, lower-case hex", "text/plain", "see https://example.com/?a=" + lowerHex(url.QueryEscape(bearer))},
		{"URL path-escaped", "text/plain", "Location: https://example.com/" + url.PathEscape(bearer)},
		{"form-encoded", "text/plain", url.Values{"authorization": {bearer}, "x": {"1"}}.Encode()},
		{"cut at 160 bytes", "text/plain", "echo " + pad(160-5-len("Bearer ")-12) + " " + bearer},
		{"JSON-escaped and cut at 160 bytes", "text/plain", "echo " + pad(160-5-len("Bearer ")-10) + " " + encodedForms(bearer)["json"]},
		{"JSON-escaped, cut inside an escape", "text/plain", "echo " + pad(160-5-len("Bearer ")-7) + " " + encodedForms(bearer)["json upper"]},
		// A 200 that is not JSON: the snippet is cut before the final redaction sees it.
		{"200, not JSON, cut at 160 bytes", "text/plain", "echo " + pad(160-5-len("Bearer ")-12) + " " + bearer},
		{"200, not JSON, JSON-escaped and cut inside an escape", "text/plain", "echo " + pad(160-5-len("Bearer ")-7) + " " + encodedForms(bearer)["json upper"]},
	}
	for _, c := range cases {
		for _, debug := range []bool{false, true} {
			name := c.name
			if debug {
				name += " --debug"
			}
			t.Run(name, func(t *testing.T) {
				code := 400
				if strings.HasPrefix(c.name, "200") {
					code = 200
				}
				w := newWorld(t, always(status(code, c.body, "Content-Type", c.contentType)), nil)
				os.WriteFile(w.files["conekta.key"], []byte(hostileKey), 0o600)
				args := []string{"--profile", "c", "webhooks", "list"}
				if debug {
					args = append(args, "--debug")
				}
				out, errOut, code := w.exec(args...)
				if code != 1 {
					t.Fatalf("exit %d, want 1: %s", code, errOut)
				}
				if l := leaked(out+errOut, hostileKey); len(l) > 0 {
					t.Errorf("the key leaked as %v:\n%s", l, errOut)
				}
				if !strings.Contains(errOut, "[REDACTED]") {
					t.Errorf("no [REDACTED] mark where the key was echoed:\n%s", errOut)
				}
				if !debug {
					record(row{section: "altered", name: "error body echoes the API key " + c.name, exit: code, requests: w.count.api})
				}
			})
		}
	}
}

// TestReliabilityRedactTokenBodies: the token endpoint answers in text/plain or
// form encoding (x/oauth2 accepts both); --debug must not print the token.
func TestReliabilityRedactTokenBodies(t *testing.T) {
	const suffix = `+t/o=k&<e>"n\`
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "text/plain; charset=utf-8"} {
		t.Run(ct, func(t *testing.T) {
			var issued []string
			w := newWorld(t, nil, func(_ int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
				if r.URL.Path == "/oauth2/token" {
					rec := httptest.NewRecorder()
					next.ServeHTTP(rec, r)
					var tok struct {
						AccessToken string `json:"access_token"`
						Scope       string `json:"scope"`
					}
					json.Unmarshal(rec.Body.Bytes(), &tok)
					hostile := tok.AccessToken + suffix
					issued = append(issued, hostile)
					rw.Header().Set("Content-Type", ct)
					io := url.Values{"access_token": {hostile}, "token_type": {"bearer"}, "expires_in": {"3600"}, "scope": {tok.Scope}, "refresh_token": {"R3fr-" + hostile}}
					rw.Write([]byte(io.Encode()))
					return
				}
				if a := r.Header.Get("Authorization"); strings.HasSuffix(a, suffix) {
					r.Header.Set("Authorization", strings.TrimSuffix(a, suffix))
				}
				next.ServeHTTP(rw, r)
			})
			out, errOut, code := w.exec("--profile", "b", "webhooks", "list", "--debug")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if len(issued) != 1 {
				t.Fatalf("%d token requests, want 1", len(issued))
			}
			if !strings.Contains(errOut, "/oauth2/token") {
				t.Fatalf("no token exchange in the dump:\n%s", errOut)
			}
			for _, s := range []string{issued[0], "R3fr-" + issued[0]} {
				if l := leaked(out+errOut, s); len(l) > 0 {
					t.Errorf("token leaked as %v:\n%s", l, errOut)
				}
			}
			// The emulator's part alone (what the API saw) must not show either.
			if l := leaked(errOut, strings.TrimSuffix(issued[0], suffix)); len(l) > 0 {
				t.Errorf("token leaked as %v", l)
			}
			record(row{section: "altered", name: "token response as " + ct + " under --debug", exit: code, requests: w.count.api})
		})
	}
}

// TestReliabilityRedactDebugReencode: a JSON body holding the key JSON-escaped
// is redacted before --debug re-encodes it.
func TestReliabilityRedactDebugReencode(t *testing.T) {
	body, _ := json.Marshal(map[string]any{"details": []any{map[string]string{"message": "bad key " + hostileKey}}, "type": "authentication_error"})
	body = bytes.ReplaceAll(body, []byte("+"), []byte(`\u002B`))
	w := newWorld(t, always(status(401, string(body), "Content-Type", "application/json")), nil)
	os.WriteFile(w.files["conekta.key"], []byte(hostileKey), 0o600)
	out, errOut, code := w.exec("--profile", "c", "webhooks", "list", "--debug")
	if code != 3 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if l := leaked(out+errOut, hostileKey); len(l) > 0 {
		t.Errorf("the key leaked as %v:\n%s", l, errOut)
	}
	record(row{section: "altered", name: "JSON error body with the key as \\u002B under --debug", exit: code, requests: w.count.api})
}

// TestReliabilityRawPrivateKey: --raw prints the payload as received, except a
// privateKey the server should never have sent.
func TestReliabilityRawPrivateKey(t *testing.T) {
	const leakedKey = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lC"
	inject := func(_ int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/oauth2/token" || r.Method != http.MethodGet {
			next.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		b := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"uri":`), []byte(`"privateKey":"`+leakedKey+`","uri":`))
		for k, v := range rec.Header() {
			rw.Header()[k] = v
		}
		rw.Header().Del("Content-Length")
		rw.WriteHeader(rec.Code)
		rw.Write(b)
	}
	w := newWorld(t, nil, inject)
	out, errOut, code := w.exec("--profile", "b", "webhooks", "list", "-o", "json", "--jq", ".[0].id")
	if code != 0 {
		t.Fatalf("list: %d %s", code, errOut)
	}
	id := strings.TrimSpace(out)
	for _, args := range [][]string{
		{"webhooks", "get", id, "--raw", "-o", "json"},
		{"webhooks", "get", id, "--raw", "-o", "yaml"},
		{"webhooks", "list", "--raw", "-o", "json"},
		{"webhooks", "list", "--raw", "-o", "yaml"},
		{"webhooks", "get", id, "--raw", "-o", "json", "--debug"},
	} {
		out, errOut, code := w.exec(append([]string{"--profile", "b"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if strings.Contains(out+errOut, leakedKey[:12]) {
			t.Errorf("%v: the privateKey was printed:\n%s", args, out)
		}
		if !strings.Contains(out, "[REDACTED]") || !strings.Contains(out, "uri") {
			t.Errorf("%v: want the payload with privateKey [REDACTED]:\n%s", args, out)
		}
	}
	record(row{section: "altered", name: "--raw with a privateKey in the answer (get, list; json, yaml)", exit: 0, requests: w.count.api})
}

// TestReliabilityConfigViewURLUserInfo: config view hides user-info in token_url and base_url.
func TestReliabilityConfigViewURLUserInfo(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.bankly = strings.Replace(w.bankly, "https://", "https://apiuser:base-PASS-5e1@", 1)
	w.writeConfig(strings.Replace(w.tokenURL, "https://", "https://tokuser:token-PASS-9d2@", 1), true)
	for _, format := range []string{"table", "json", "yaml"} {
		out, errOut, code := w.exec("--profile", "b", "config", "view", "-o", format)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, s := range []string{"token-PASS-9d2", "base-PASS-5e1", "tokuser", "apiuser"} {
			if strings.Contains(out+errOut, s) {
				t.Errorf("%s: %q printed:\n%s", format, s, out)
			}
		}
		if !strings.Contains(out, "[REDACTED]@127.0.0.1") {
			t.Errorf("%s: want the URLs with [REDACTED] user-info:\n%s", format, out)
		}
	}
	record(row{section: "altered", name: "config view with user-info in base_url and token_url (table, json, yaml)", exit: 0, requests: w.count.api})
}

// Terminal escapes a hostile provider may send.
const (
	osc52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
	clear = "\x1b[2J"
	c1CSI = "\u009b31m"
)

// TestReliabilityTerminalEscapes: escape sequences in a webhook URL and in an
// error message never reach the terminal raw; JSON keeps the exact value.
func TestReliabilityTerminalEscapes(t *testing.T) {
	evilURL := "https://example.com/h" + osc52 + clear + c1CSI + "\x7f\r"
	jsonURL, _ := json.Marshal(evilURL)
	patch := func(_ int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		if strings.HasPrefix(r.URL.Path, "/webhooks/nosuch") {
			status(404, `{"details":[{"message":"no webhook `+strings.Trim(string(jsonURL), `"`)+`"}],"object":"error","type":"resource_not_found_error"}`, "Content-Type", "application/json")(rw)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var doc map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &doc) == nil {
			if items, ok := doc["data"].([]any); ok {
				for _, it := range items {
					it.(map[string]any)["url"] = evilURL
				}
			} else if _, ok := doc["url"]; ok {
				doc["url"] = evilURL
			}
		}
		b, _ := json.Marshal(doc)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(rec.Code)
		rw.Write(b)
	}
	w := newWorld(t, patch, nil)
	raw := func(s string) bool { return strings.ContainsAny(s, "\x1b\x07\x7f\r\u009b") }

	out, errOut, code := w.exec("--profile", "c", "webhooks", "list")
	if code != 0 {
		t.Fatalf("list: exit %d %s", code, errOut)
	}
	if raw(out) || raw(errOut) {
		t.Errorf("table: control characters reached the terminal raw: %q", out)
	}
	if !strings.Contains(out, "https://example.com/h") || !strings.Contains(out, "^[]52;c;") {
		t.Errorf("table: want the URL with its escapes shown visibly: %q", out)
	}
	out, errOut, code = w.exec("--profile", "c", "webhooks", "list", "-o", "json")
	if code != 0 {
		t.Fatalf("list -o json: exit %d %s", code, errOut)
	}
	var items []struct{ ID, URL string }
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) == 0 || items[0].URL != evilURL {
		t.Errorf("-o json must keep the exact URL: %v %q", err, out)
	}
	if raw(out) {
		t.Errorf("-o json printed raw control characters: %q", out)
	}
	id := items[0].ID
	out, errOut, code = w.exec("--profile", "c", "webhooks", "get", id)
	if code != 0 || raw(out) || raw(errOut) {
		t.Errorf("get: exit %d, control characters raw: %q %q", code, out, errOut)
	}
	for _, debug := range []string{"--timeout=30s", "--debug"} {
		out, errOut, code = w.exec("--profile", "c", "webhooks", "get", "nosuch", debug)
		if code != 4 {
			t.Fatalf("get nosuch: exit %d %s", code, errOut)
		}
		if raw(errOut) || out != "" {
			t.Errorf("error message %s: control characters reached stderr raw: %q", debug, errOut)
		}
		if !strings.Contains(lastLine(errOut, "error:"), "no webhook https://example.com/h^[]52;c;") {
			t.Errorf("error message: want the escapes shown visibly: %q", lastLine(errOut, "error:"))
		}
	}
	for _, format := range []string{"table", "json"} {
		out, errOut, code = w.exec("--profile", "c", "webhooks", "delete", "nosuch", "--yes", "-o", format)
		if code != 4 || raw(errOut) || raw(out) {
			t.Errorf("delete -o %s: exit %d, control characters raw: %q %q", format, code, out, errOut)
		}
		if format == "json" && !strings.Contains(out, `\u001b]52;c;`) {
			t.Errorf("delete -o json: want the exact message, escaped: %q", out)
		}
	}
	out, errOut, code = w.exec("--profile", "c", "webhooks", "list", "-o", "yaml")
	if code != 0 || raw(out) || !strings.Contains(out, `\e]52;c;`) {
		t.Errorf("list -o yaml: exit %d, want the URL escaped: %q %q", code, out, errOut)
	}
	record(row{section: "altered", name: "OSC 52, ESC[2J, C1 CSI, DEL, CR in a webhook URL and an error message", exit: 0, requests: w.count.api})
}
