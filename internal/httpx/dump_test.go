package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/redact"
)

const dumpSecret = `s3cr+t/Key=&<x>"q\z_Ab12`

func dumpOf(t *testing.T, r *redact.Redactor, contentType string, body []byte) (string, []byte) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	var dump bytes.Buffer
	c := New(Options{Debug: &dump, Redactor: r})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return dump.String(), got
}

// A secret straddling the dump limit is redacted before the body is cut.
func TestDumpCutsAfterRedacting(t *testing.T) {
	r := redact.New()
	r.Add(dumpSecret)
	for _, off := range []int{-10, -3, 0} {
		body := []byte(strings.Repeat("x", maxDumpBody+off) + dumpSecret + strings.Repeat("y", 100))
		dump, got := dumpOf(t, r, "text/plain", body)
		if !bytes.Equal(got, body) {
			t.Fatalf("the caller got %d bytes, want %d", len(got), len(body))
		}
		if strings.Contains(dump, "s3cr+") || !strings.Contains(dump, "[body truncated]") {
			t.Errorf("offset %d: the dump shows the secret's start or no cut: ...%q", off, dump[len(dump)-80:])
		}
	}
}

// The raw bytes are redacted before anything re-reads them: a JSON-escaped
// copy goes, and the JSON stays as the server wrote it otherwise.
func TestDumpJSONEscapedSecret(t *testing.T) {
	r := redact.New()
	r.Add(dumpSecret)
	esc, _ := json.Marshal(dumpSecret)
	body := []byte("{\n  \"message\": \"bad key " + strings.Trim(string(esc), `"`) + "\",\n  \"x\": \"<b>\"\n}")
	dump, _ := dumpOf(t, r, "application/json", body)
	if strings.Contains(dump, `s3cr`) {
		t.Errorf("the secret leaked:\n%s", dump)
	}
	if !strings.Contains(dump, "<   \"message\": \"bad key [REDACTED]\",\n<   \"x\": \"<b>\"") {
		t.Errorf("the body was not kept as sent:\n%s", dump)
	}
}

// Token answers of any content type lose their tokens, and the tokens are
// registered for every later copy.
func TestDumpTokenAnswers(t *testing.T) {
	tok := "tok+en/" + dumpSecret
	form := "access_token=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D", "&", "%26", "<", "%3C", ">", "%3E", `"`, "%22", `\`, "%5C").Replace(tok) + "&token_type=bearer&refresh_token=refresh0123456&id_token=idtok0123456"
	for _, c := range []struct{ ct, body string }{
		{"text/plain", form},
		{"application/x-www-form-urlencoded", form},
		{"application/octet-stream", form},
		{"text/plain", `{"access_token":"tok+en\/` + strings.NewReplacer(`"`, `\"`, `\`, `\\`, "<", `\u003c`).Replace(dumpSecret) + `","refresh_token":"refresh0123456","id_token":"idtok0123456"}`},
	} {
		r := redact.New()
		dump, _ := dumpOf(t, r, c.ct, []byte(c.body))
		for _, s := range []string{"tok+en", "tok%2Ben", "refresh0123", "idtok0123"} {
			if strings.Contains(dump, s) {
				t.Errorf("%s: %s leaked:\n%s", c.ct, s, dump)
			}
		}
		if got := r.String("later " + tok); got != "later [REDACTED]" {
			t.Errorf("%s: the token was not registered: %s", c.ct, got)
		}
	}
}
