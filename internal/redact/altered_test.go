package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const hostile = `s3cr+t/Key=&<x>"q\z_Ab12`

func alteredForms(s string) map[string]string {
	js, _ := json.Marshal(s)
	var noHTML bytes.Buffer
	enc := json.NewEncoder(&noHTML)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return map[string]string{
		"raw":         s,
		"json":        strings.Trim(string(js), `"`),
		"json noHTML": strings.Trim(strings.TrimSpace(noHTML.String()), `"`),
		"json upper":  strings.NewReplacer("+", `\u002B`, "/", `\/`, "&", `\u0026`, "<", `\u003C`, ">", `\u003E`, `"`, `\"`, `\`, `\\`).Replace(s),
		"json lower":  strings.NewReplacer("+", `\u002b`, "&", `\u0026`, "<", `\u003c`, `"`, `\u0022`, `\`, `\u005C`).Replace(s),
		"all \\u":     allUnicodeEscapes(s),
		"query":       url.QueryEscape(s),
		"query lower": lowerHex(url.QueryEscape(s)),
		"path":        url.PathEscape(s),
		"form":        url.Values{"k": {s}}.Encode()[2:],
		"all %":       allPercent(s),
		"go %q":       strings.Trim(fmt.Sprintf("%q", s), `"`),
		"html":        strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#x2B;").Replace(s),
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

func allUnicodeEscapes(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

func allPercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func TestStringAlteredForms(t *testing.T) {
	r := New()
	r.Add(hostile)
	for name, form := range alteredForms(hostile) {
		got := r.String("before " + form + " after")
		if got != "before "+Mark+" after" {
			t.Errorf("%s: %q -> %q", name, form, got)
		}
	}
}

func TestStringSpaceAsPlus(t *testing.T) {
	r := New()
	r.Add("pass phrase 42")
	if got := r.String("p=pass+phrase+42&x=1"); got != "p="+Mark+"&x=1" {
		t.Fatal(got)
	}
}

func TestStringCut(t *testing.T) {
	r := New()
	r.Add(hostile)
	for name, form := range alteredForms(hostile) {
		for n := 6; n < len(form); n++ {
			for _, tail := range []string{"", "…", "… [code x]"} {
				text := "echo " + form[:n] + tail
				got := r.String(text)
				if strings.Contains(got, form[:6]) && name != "all \\u" && name != "all %" {
					t.Fatalf("%s cut at %d: %q -> %q", name, n, text, got)
				}
			}
		}
	}
	// A prefix in the middle of a text is not a cut copy.
	if got := r.String("s3cr+t/K is a prefix"); got != "s3cr+t/K is a prefix" {
		t.Fatal(got)
	}
	// Fewer than six bytes of the secret are left alone.
	if got := r.String("x s3cr+"); got != "x s3cr+" {
		t.Fatal(got)
	}
}

func TestTruncate(t *testing.T) {
	r := New()
	r.Add(hostile)
	text := strings.Repeat("a", 150) + " " + hostile + " tail"
	for n := 140; n < len(text)+2; n++ {
		got := r.Truncate(text, n)
		if strings.Contains(got, "s3cr+") {
			t.Fatalf("n=%d: %q", n, got)
		}
		if len(got) > n+len(Mark)+len("…") {
			t.Fatalf("n=%d: %d bytes", n, len(got))
		}
	}
	if got := r.Truncate("héllo", 2); got != "h…" {
		t.Fatalf("%q", got)
	}
	if got := r.Truncate("short", 10); got != "short" {
		t.Fatal(got)
	}
	if got := r.Truncate("ab "+hostile, 6); got != "ab "+Mark+"…" {
		t.Fatal(got)
	}
}

func TestJSONFields(t *testing.T) {
	in := `{"id":"a1", "privateKey" : "LS0tS0VZ\u002b" ,"nested":{"PrivateKey":{"x":1}},"list":[{"private_key":"k"},{"privateKey":""},{"privateKey":null}],"uri":"https://x/y"}`
	want := `{"id":"a1", "privateKey" : "[REDACTED]" ,"nested":{"PrivateKey":"[REDACTED]"},"list":[{"private_key":"[REDACTED]"},{"privateKey":""},{"privateKey":null}],"uri":"https://x/y"}`
	if got := string(JSONFields([]byte(in), "privateKey")); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	// An escaped key is still the key.
	if got := string(JSONFields([]byte(`{"priv\u0061teKey":"s"}`), "privateKey")); got != `{"priv\u0061teKey":"[REDACTED]"}` {
		t.Fatal(got)
	}
	// Cut inside the value: the rest goes.
	if got := string(JSONFields([]byte(`{"a":1,"privateKey":"LS0tLS1CRUdJ`), "privateKey")); got != `{"a":1,"privateKey":"[REDACTED]"` {
		t.Fatal(got)
	}
	// Not JSON, or no such key: unchanged, the same slice.
	for _, s := range []string{`not json`, `{"a":"b"}`, `[1,2,{"c":[true,false,null,-1.5e3]}]`, ``} {
		if got := string(JSONFields([]byte(s), "privateKey")); got != s {
			t.Fatal(got)
		}
	}
}

func TestBodyTokenAnswers(t *testing.T) {
	tok := `tok+en/Val=ue&<x>"y\z_123`
	for _, c := range []struct{ ct, body string }{
		{"application/json", `{"access_token":"` + strings.ReplaceAll(strings.ReplaceAll(tok, `\`, `\\`), `"`, `\"`) + `","token_type":"bearer"}`},
		{"application/x-www-form-urlencoded", url.Values{"access_token": {tok}, "token_type": {"bearer"}}.Encode()},
		{"text/plain", url.Values{"access_token": {tok}, "refresh_token": {"r-" + tok}, "id_token": {"i-" + tok}}.Encode()},
		{"", "access_token=" + lowerHex(url.QueryEscape(tok)) + "&expires_in=3600"},
	} {
		r := New()
		got := string(r.Body(c.ct, []byte(c.body)))
		for name, form := range alteredForms(tok) {
			if strings.Contains(got, form) || strings.Contains(got, form[:8]) {
				t.Errorf("%s %s leaked: %s", c.ct, name, got)
			}
		}
		if !strings.Contains(got, "access_token") {
			t.Errorf("%s: %s", c.ct, got)
		}
		// Registered: later copies anywhere go too.
		if s := r.String("Bearer " + tok); s != "Bearer "+Mark {
			t.Errorf("%s: token not registered: %s", c.ct, s)
		}
	}
	// A JSON body keeps its bytes apart from the secrets.
	in := "{\n  \"a\": \"x<y\",\n  \"token\": \"abcdef123\"\n}\n"
	if got := string(New().Body("application/json", []byte(in))); got != "{\n  \"a\": \"x<y\",\n  \"token\": \"[REDACTED]\"\n}\n" {
		t.Fatalf("%q", got)
	}
}

func TestStringPlainTextUnchanged(t *testing.T) {
	r := New()
	r.Add(hostile, "key_live_abcdef")
	for _, s := range []string{"", "plain text", `a \u002B b %2B c &amp; d \`, "%", "&", "s3cr", "100%"} {
		if got := r.String(s); got != s {
			t.Errorf("%q -> %q", s, got)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add(hostile, "x "+hostile+" y")
	f.Add("key_live_abc", `a \u006bey_live_abc%`)
	f.Fuzz(func(t *testing.T, secret, text string) {
		r := New()
		r.Add(secret)
		got := r.String(text + " " + secret + " ")
		if len(strings.TrimSpace(secret)) >= minCut && strings.Contains(got, strings.TrimSpace(secret)) {
			t.Fatalf("secret %q survived in %q", secret, got)
		}
	})
}

func benchText() string {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString(`< {"id":"6307a60c41de27127515a575","url":"https://example.com/hooks/conekta?a=1&b=%20","status":"listening","events":["order.paid"]}` + "\n")
	}
	return b.String()
}

// BenchmarkString is a debug dump of about 5 KB against five secrets.
func BenchmarkString(b *testing.B) {
	r := New()
	r.Add(hostile, "key_live_abcdef123456", "bkly_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd", "passphrase-91b2", "c2VjcmV0LWtleS1tYXRlcmlhbA==")
	text := benchText()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.String(text)
	}
}

func BenchmarkBody(b *testing.B) {
	r := New()
	r.Add(hostile, "key_live_abcdef123456")
	body := []byte(`{"data":[` + strings.Repeat(`{"id":"x","uri":"https://example.com/h","privateKey":"abc"},`, 50) + `{}]}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r.Body("application/json", body)
	}
}

func FuzzJSONFields(f *testing.F) {
	f.Add([]byte(`{"privateKey":"x","a":[{"private_key":{"b":1}}],"c":"\u0070"}`))
	f.Add([]byte(`[1,"privateKey",{"PrivateKey":null}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		out := JSONFields(in, "privateKey")
		if !json.Valid(in) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%s -> invalid %s", in, out)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if fieldKey(k) == "privatekey" && x != nil && x != "" && x != Mark {
						t.Fatalf("%s kept %s: %v", out, k, x)
					}
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		var v any
		json.Unmarshal(out, &v)
		walk(v)
	})
}

// pathological are secrets made of characters that are also escape
// introducers, with texts that offer both readings at every step.
var pathological = []struct{ secret, unit string }{
	{strings.Repeat("%", 60) + "x", "%25"},
	{strings.Repeat(`\`, 60) + "x", `\\`},
	{strings.Repeat("&", 60) + "x", "&amp;"},
	{strings.Repeat("%25", 30) + "x", "%2525"},
}

// TestStringBacktrackingBounded would not finish were the choice between an
// escape and a literal character explored exponentially.
func TestStringBacktrackingBounded(t *testing.T) {
	for _, c := range pathological {
		r := New()
		r.Add(c.secret)
		text := strings.Repeat(c.unit, 300)
		if got := r.String(text + " " + c.secret + " "); !strings.HasSuffix(got, " "+Mark+" ") {
			t.Errorf("%q: %q", c.secret, got[len(got)-40:])
		}
	}
}

func BenchmarkStringPathological(b *testing.B) {
	r := New()
	for _, c := range pathological {
		r.Add(c.secret)
	}
	text := strings.Repeat("%25\\\\&amp;", 500)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.String(text)
	}
}
