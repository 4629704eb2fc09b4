package redact

import (
	"net/http"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	r := New()
	r.Add("key_live_abcdef123456", "short")
	got := r.String("auth key_live_abcdef123456 for https://bob:pw@example.com/x short")
	if strings.Contains(got, "key_live") || strings.Contains(got, "bob:pw") || !strings.Contains(got, "short") {
		t.Fatal(got)
	}
}

func TestBodyAndHeaders(t *testing.T) {
	r := New()
	body := r.Body("application/json", []byte(`{"privateKey":"c2VjcmV0","nested":{"access_token":"tok123456"},"list":[{"api_key":"k"}],"uri":"https://u:p@h/x","empty_token":""}`))
	for _, s := range []string{"c2VjcmV0", "tok123456", `"k"`, "u:p@"} {
		if strings.Contains(string(body), s) {
			t.Fatalf("%s leaked: %s", s, body)
		}
	}
	form := r.Body("application/x-www-form-urlencoded", []byte("client_id=abc&client_secret=shh&scope=webhook.read"))
	if strings.Contains(string(form), "shh") || !strings.Contains(string(form), "client_id=abc") {
		t.Fatal(string(form))
	}
	h := r.Headers(http.Header{"Authorization": {"Bearer x"}, "Privatekey": {"y"}, "Accept": {"a"}})
	if h.Get("Authorization") != Mark || h.Get("Privatekey") != Mark || h.Get("Accept") != "a" {
		t.Fatal(h)
	}
}

func TestValueAndURL(t *testing.T) {
	if Value("key_live_abcdef123456") != "[REDACTED]3456" || Value("short") != Mark {
		t.Fatal(Value("key_live_abcdef123456"))
	}
	if got := URL("https://user:pass@example.com/a?b=1"); got != "https://[REDACTED]@example.com/a?b=1" {
		t.Fatal(got)
	}
}
