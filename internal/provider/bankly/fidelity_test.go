package bankly_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
)

// TestEnableDisableWithoutStatus: a GET-by-id without status must not make
// --disable (or --enable) a silent no-op: the PATCH is always sent.
func TestEnableDisableWithoutStatus(t *testing.T) {
	f := newFixture(t, banklyemu.Options{OmitStatus: true})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		on   bool
		path string
	}{{false, "/disable"}, {false, "/disable"}, {true, "/enable"}} {
		before := len(f.requests())
		got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{Enabled: &c.on}})
		if err != nil || got.Enabled != c.on {
			t.Fatalf("enabled=%v: %v %+v", c.on, err, got)
		}
		sent := false
		for _, r := range f.requests()[before:] {
			if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, w.ID+c.path) {
				sent = true
			}
		}
		if !sent {
			t.Fatalf("enabled=%v: PATCH %s was not sent", c.on, c.path)
		}
	}
}

// TestSyntheticDeliveryDefaults: the HMAC key is the private key's text by
// default (any text will do), and idempotency-Key repeats the body's key.
func TestSyntheticDeliveryDefaults(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	var got *http.Request
	var body []byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
	}))
	t.Cleanup(recv.Close)
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(recv.URL + "/h"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	const text = "not base64 at all: *&^%"
	if _, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("private-key", text)}); err != nil {
		t.Fatalf("raw key text refused: %v", err)
	}
	h := got.Header
	mac := hmac.New(sha256.New, []byte(text))
	mac.Write([]byte("pub-1&" + strings.ToLower(strings.ReplaceAll(urlQueryEscape(recv.URL+"/h"), "~", "%7E")) + "&" + h.Get("requestTimestamp") + "&" + h.Get("nonce") + "&" + base64.StdEncoding.EncodeToString(body)))
	if h.Get("Authorization") != "hmac "+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Fatalf("not signed with the key's text: %s", h.Get("Authorization"))
	}
	var sample struct{ IdempotencyKey string }
	if json.Unmarshal(body, &sample) != nil || sample.IdempotencyKey == "" || h.Get("idempotency-Key") != sample.IdempotencyKey {
		t.Fatalf("idempotency-Key %q, body's %q", h.Get("idempotency-Key"), sample.IdempotencyKey)
	}
	if _, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("private-key", text, "hmac-key", "base64")}); clierr.ExitCode(err) != 2 {
		t.Fatalf("base64 reading of a non-base64 key: %v", err)
	}
}

// TestItemsWithoutIDRefused: null items and items without an id are a
// provider error, never empty webhooks.
func TestItemsWithoutIDRefused(t *testing.T) {
	for _, data := range []string{`[null]`, `[{"id": null, "uri": "https://e.com"}]`, `[{"uri": "https://e.com"}]`} {
		f := newFixture(t, banklyemu.Options{})
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/webhooks/configurations" || r.Method != http.MethodGet {
				return false
			}
			io.WriteString(w, `{"data":`+data+`,"meta":{"page":1,"pageSize":20,"total":1}}`)
			return true
		}
		_, err := f.must(t, provider.Read).List(context.Background(), provider.ListOptions{})
		if err == nil || clierr.ExitCode(err) != 1 || !strings.Contains(err.Error(), "without an id") {
			t.Fatalf("%s: %v (exit %d)", data, err, clierr.ExitCode(err))
		}
	}
}

// TestURLUserInfoNeverPrinted: credentials in a configuration's uri are
// redacted in what hookctl returns, while deliveries and a PATCH keep the
// real uri.
func TestURLUserInfoNeverPrinted(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	const uri = "https://bob:hunter2pass@example.com/x"
	item := `{"id":"c1","name":"N","context":"Pix","eventName":"PIX_CASH_IN_WAS_CLEARED","uri":"` + uri + `","publicKey":"p","status":"Enabled"}`
	var patched []byte
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/webhooks/configurations":
			io.WriteString(w, `{"data":[`+item+`],"meta":{"page":1,"pageSize":20,"total":1}}`)
		case r.Method == http.MethodGet && r.URL.Path == "/webhooks/configurations/c1":
			io.WriteString(w, `{"data":`+item+`}`)
		case r.Method == http.MethodPatch:
			patched, _ = io.ReadAll(r.Body)
			io.WriteString(w, `{"data":`+item+`}`)
		default:
			return false
		}
		return true
	}
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	res, err := p.List(ctx, provider.ListOptions{})
	if err != nil || len(res.Items) != 1 || strings.Contains(res.Items[0].URL, "hunter2") {
		t.Fatalf("list: %v %+v", err, res)
	}
	w, err := p.Get(ctx, "c1")
	if err != nil || strings.Contains(w.URL, "hunter2") || !strings.Contains(w.URL, "[REDACTED]") {
		t.Fatalf("get: %v %q", err, w.URL)
	}
	pub := "p2"
	if _, err := p.Update(ctx, "c1", provider.UpdateRequest{Input: provider.Values{"public-key": {pub}, "private-key": {privateKey}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(patched), `"uri":"`+uri+`"`) {
		t.Fatalf("the PATCH did not keep the real uri: %s", patched)
	}
}
