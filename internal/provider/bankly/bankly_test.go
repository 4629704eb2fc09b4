package bankly_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/pki"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/youmark/pkcs8"
)

const (
	clientID   = "0123abcd"
	privateKey = "NTRlNzM0NGMtNTdjMC00MjQ4LThiZTEtM2ZhMDg4NzcwZTA5"
)

type settings map[string]string

func (s settings) env() provider.Settings {
	return pt.Settings{Info: bankly.Info(), Values: s}
}

type fixture struct {
	srv      *httptest.Server
	emu      *banklyemu.Server
	ca       *pki.CA
	dir      string
	settings settings
	mu       sync.Mutex
	seen     []*http.Request
	// override, when set, may answer a request instead of the emulator.
	override func(w http.ResponseWriter, r *http.Request) bool
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// newFixture starts the Bankly emulator behind TLS that requires and verifies
// client certificates issued by a CA made for the test.
func newFixture(t *testing.T, opts banklyemu.Options) *fixture {
	t.Helper()
	ca, err := pki.NewCA("test Bankly CA")
	if err != nil {
		t.Fatal(err)
	}
	server, _ := ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1", "localhost"}})
	client, _ := ca.Issue("partner", pki.Options{})
	if opts.ClientID == "" {
		opts.ClientID = clientID
	}
	f := &fixture{emu: banklyemu.New(opts), ca: ca, dir: t.TempDir()}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			r.ParseForm()
		}
		f.mu.Lock()
		f.seen = append(f.seen, r.Clone(context.Background()))
		f.mu.Unlock()
		if f.override != nil && f.override(w, r) {
			return
		}
		f.emu.ServeHTTP(w, r)
	}))
	f.srv.TLS = pki.ServerTLS(server, ca)
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	f.settings = settings{
		"client_id": clientID,
		"token_url": f.srv.URL + "/oauth2/token",
		"cert_file": writeFile(t, filepath.Join(f.dir, "client.crt"), client.CertPEM),
		"key_file":  writeFile(t, filepath.Join(f.dir, "client.key"), client.KeyPEM),
		"ca_file":   writeFile(t, filepath.Join(f.dir, "ca.crt"), ca.CertPEM),
	}
	return f
}

func (f *fixture) provider(t *testing.T, access provider.Access, extra settings, cacheDir string) (provider.Provider, error) {
	s := settings{}
	for k, v := range f.settings {
		s[k] = v
	}
	for k, v := range extra {
		s[k] = v
	}
	return bankly.New(&provider.Env{
		Settings: s.env(), BaseURL: f.srv.URL, Access: access, Redactor: redact.New(), CacheDir: cacheDir,
		HTTPClient: func(c *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{UserAgent: "hookctl/test", TLS: c, Roots: roots, Retry: httpx.RetryPolicy{BaseDelay: time.Millisecond}})
		},
	})
}

func (f *fixture) must(t *testing.T, access provider.Access) provider.Provider {
	t.Helper()
	p, err := f.provider(t, access, nil, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.seen...)
}

func TestConformance(t *testing.T) {
	pt.Run(t, pt.Harness{
		Info: bankly.Info(),
		New: func(t *testing.T) provider.Provider {
			return newFixture(t, banklyemu.Options{}).must(t, provider.Read|provider.Write)
		},
		Create: func(i int, url string) provider.CreateRequest {
			return provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(url), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}, Context: pt.Str("Pix")}, Input: pt.In("public-key", "pub-key", "private-key", privateKey)}
		},
		Secrets:   pt.In("private-key", privateKey),
		Synthetic: true,
	})
}

func TestHeadersAndScopes(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read)
	if _, err := p.List(context.Background(), provider.ListOptions{Status: "enabled", Input: pt.In("page-size", "50", "page", "2")}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].URL.Path != "/oauth2/token" {
		t.Fatalf("requests: %d", len(reqs))
	}
	form := reqs[0].PostForm
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != clientID || form.Get("scope") != "webhook.read" || form.Has("client_secret") {
		t.Fatalf("token form %v", form)
	}
	api := reqs[1]
	if api.Header.Get("api-version") != "1.0" || !strings.HasPrefix(api.Header.Get("Authorization"), "Bearer bkly_") || len(api.Header.Get("x-correlation-id")) != 36 {
		t.Fatalf("headers %v", api.Header)
	}
	if q := api.URL.Query(); q.Get("status") != "Enabled" || q.Get("page") != "2" || q.Get("pageSize") != "50" {
		t.Fatalf("query %v", q)
	}
	if got := bankly.Scopes(provider.Read | provider.Write); strings.Join(got, " ") != "webhook.read webhook.write" {
		t.Fatal(got)
	}
}

func TestReadTokenCannotWrite(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read)
	_, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), "scope") {
		t.Fatalf("create with a read token: %v", err)
	}
}

func TestTokenCacheAcrossInvocations(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	cache := t.TempDir()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		p, err := f.provider(t, provider.Read, nil, cache)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.List(ctx, provider.ListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.emu.TokenRequests.Load(); n != 1 {
		t.Fatalf("two invocations made %d token requests, want 1", n)
	}
	dir := filepath.Join(cache, "tokens")
	st, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Fatalf("cache dir mode %v", st.Mode().Perm())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	fst, _ := os.Stat(files[0])
	if fst.Mode().Perm() != 0o600 {
		t.Fatalf("cache file mode %v", fst.Mode().Perm())
	}
	// A read+write token covers a later read: no new token request.
	pw, _ := f.provider(t, provider.Read|provider.Write, nil, cache)
	_, _ = pw.List(ctx, provider.ListOptions{})
	pr, _ := f.provider(t, provider.Read, nil, cache)
	_, _ = pr.List(ctx, provider.ListOptions{})
	if n := f.emu.TokenRequests.Load(); n != 2 {
		t.Fatalf("token requests %d, want 2 (one for read, one for read+write)", n)
	}
}

func TestExpiredTokenRefreshedOnce(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	cache := t.TempDir()
	p, _ := f.provider(t, provider.Read, nil, cache)
	ctx := context.Background()
	if _, err := p.List(ctx, provider.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	f.emu.ExpireTokens()
	p2, _ := f.provider(t, provider.Read, nil, cache)
	if _, err := p2.List(ctx, provider.ListOptions{}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := f.emu.TokenRequests.Load(); n != 2 {
		t.Fatalf("token requests %d, want 2", n)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	f := newFixture(t, banklyemu.Options{Scopes: []string{"webhook.read"}})
	ctx := context.Background()
	p, _ := f.provider(t, provider.Read, settings{"client_id": "someone-else"}, "")
	_, err := p.List(ctx, provider.ListOptions{})
	if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("invalid_client: %v", err)
	}
	p, _ = f.provider(t, provider.Write, nil, "")
	err = p.Delete(ctx, "x")
	if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), "invalid_scope") {
		t.Fatalf("invalid_scope: %v", err)
	}
}

// TestUnknownCAClientCertRefused checks, many times over, that a client
// certificate the server cannot verify is always an authentication failure.
func TestUnknownCAClientCertRefused(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	other, _ := pki.NewCA("some other CA")
	stranger, _ := other.Issue("stranger", pki.Options{})
	extra := settings{
		"cert_file": writeFile(t, filepath.Join(f.dir, "s.crt"), stranger.CertPEM),
		"key_file":  writeFile(t, filepath.Join(f.dir, "s.key"), stranger.KeyPEM),
	}
	for i := 0; i < 25; i++ {
		p, err := f.provider(t, provider.Read, extra, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.List(context.Background(), provider.ListOptions{})
		if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), "refused the client certificate") {
			t.Fatalf("run %d: exit %d: %v", i, clierr.ExitCode(err), err)
		}
	}
	if f.emu.TokenRequests.Load() != 0 {
		t.Fatal("a request got through with an unknown certificate")
	}
}

func TestServerFromUnknownCA(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p, _ := f.provider(t, provider.Read, settings{"ca_file": ""}, "")
	_, err := p.List(context.Background(), provider.ListOptions{})
	if err == nil || clierr.ExitCode(err) != 1 || !strings.Contains(err.Error(), "not trusted") || !strings.Contains(err.Error(), "ca_file") {
		t.Fatalf("unknown server CA: exit %d %v", clierr.ExitCode(err), err)
	}
}

func TestExpiredAndFutureClientCert(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	for name, o := range map[string]pki.Options{
		"expired": {NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)},
		"future":  {NotBefore: time.Now().AddDate(1, 0, 0), NotAfter: time.Now().AddDate(2, 0, 0)},
	} {
		c, _ := f.ca.Issue("partner", o)
		_, err := f.provider(t, provider.Read, settings{
			"cert_file": writeFile(t, filepath.Join(f.dir, name+".crt"), c.CertPEM),
			"key_file":  writeFile(t, filepath.Join(f.dir, name+".key"), c.KeyPEM),
		}, "")
		if clierr.ExitCode(err) != 3 {
			t.Fatalf("%s certificate: exit %d %v", name, clierr.ExitCode(err), err)
		}
	}
	if f.emu.TokenRequests.Load() != 0 {
		t.Fatal("requests were sent")
	}
}

func TestEncryptedPKCS8Key(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	c, _ := f.ca.Issue("partner", pki.Options{})
	der, err := pkcs8.MarshalPrivateKey(c.Key, []byte("s3cret-passphrase"), nil)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeFile(t, filepath.Join(f.dir, "enc.key"), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
	extra := settings{"cert_file": writeFile(t, filepath.Join(f.dir, "enc.crt"), c.CertPEM), "key_file": keyFile}
	if _, err := f.provider(t, provider.Read, extra, ""); clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("no passphrase: %v", err)
	}
	extra["key_passphrase"] = "wrong-passphrase"
	if _, err := f.provider(t, provider.Read, extra, ""); clierr.ExitCode(err) != 3 || strings.Contains(err.Error(), "wrong-passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	extra["key_passphrase"] = "s3cret-passphrase"
	p, err := f.provider(t, provider.Read, extra, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.List(context.Background(), provider.ListOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateValidationAndConflict(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Write)
	ctx := context.Background()
	bad := []provider.CreateRequest{
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", "not base64!")},
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", base64.StdEncoding.EncodeToString(make([]byte, 60)))},
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", strings.Repeat("p", 65), "private-key", privateKey)},
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"NO_SUCH_EVENT"}}, Input: pt.In("public-key", "p", "private-key", privateKey)},
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}, Context: pt.Str("Ted")}, Input: pt.In("public-key", "p", "private-key", privateKey)},
		{Fields: provider.Fields{URL: pt.Str("relative/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)},
		{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p")},
	}
	for i, r := range bad {
		if _, err := p.Create(ctx, r); clierr.ExitCode(err) != 2 {
			t.Errorf("bad create %d: exit %d %v", i, clierr.ExitCode(err), err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("%d requests sent for bad input", n)
	}
	good := provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"TED_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)}
	w, err := p.Create(ctx, good)
	if err != nil || w.Context != "Ted" || w.Name != "TED_CASH_IN_WAS_CLEARED" {
		t.Fatalf("create: %v %+v", err, w)
	}
	_, err = p.Create(ctx, good)
	var ae *provider.APIError
	if !errors.As(err, &ae) || clierr.ExitCode(err) != 5 || ae.Code != "WEBHOOK_CONFIGURATION_ALREADY_EXISTS" || ae.RequestID == "" {
		t.Fatalf("duplicate: %v", err)
	}
	nv := provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/y"), Events: &[]string{"NEW_EVENT"}, Context: pt.Str("Pix")}, Input: pt.In("public-key", "p", "private-key", privateKey), NoValidate: true}
	if _, err := p.Create(ctx, nv); err != nil {
		t.Fatalf("--no-validate: %v", err)
	}
}

func TestUpdateSendsFullBody(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	u := "https://e.com/new"
	if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{URL: &u}}); clierr.ExitCode(err) != 2 {
		t.Fatalf("update without private key: %v", err)
	}
	newKey := base64.StdEncoding.EncodeToString([]byte("rotated"))
	got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{URL: &u}, Input: pt.In("private-key", newKey)})
	if err != nil || got.URL != u || got.PublicKey != "pub-1" || !got.Enabled {
		t.Fatalf("update: %v %+v", err, got)
	}
	if f.emu.PrivateKeyOf(w.ID) != newKey {
		t.Fatal("the private key was not sent")
	}
	ev := []string{"TED_CASH_IN_WAS_CLEARED"}
	if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Desired: &provider.Fields{Events: &ev}}); clierr.ExitCode(err) != 2 {
		t.Fatalf("changing the event: %v", err)
	}
}

func TestGetAcceptsArrayData(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read)
	arr := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			f.emu.ServeHTTP(w, r)
			return
		}
		w.Header().Set("x-bkly-correlation-id", "corr-1")
		io.WriteString(w, `{"data":[{"id":"e77748a7-dcd2-4f22-9242-096420dc6fa3","name":"TED","eventName":"TED_CASH_IN_WAS_CLEARED","context":"Ted","uri":"https://e.com","publicKey":"k","createdAt":"2021-11-22T18:52:55.71","status":"Disabled"}]}`)
	}))
	arr.TLS = f.srv.TLS
	arr.StartTLS()
	t.Cleanup(arr.Close)
	_ = p
	q, _ := bankly.New(&provider.Env{Settings: f.settings.env(), BaseURL: arr.URL, Access: provider.Read, Redactor: redact.New(),
		HTTPClient: func(c *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{TLS: c, Roots: roots})
		}})
	w, err := q.Get(context.Background(), "e77748a7-dcd2-4f22-9242-096420dc6fa3")
	if err != nil || w.Enabled || w.Status != "Disabled" || w.Events[0] != "TED_CASH_IN_WAS_CLEARED" || *w.CreatedAt != "2021-11-22T18:52:55.71" {
		t.Fatalf("%v %+v", err, w)
	}
}

func TestErrorShapes(t *testing.T) {
	h := http.Header{"X-Bkly-Correlation-Id": {"corr-9"}}
	cases := map[string]string{
		`{"errors":[{"code":"INVALID_PARAMETER","propertyName":"uri","messages":["uri is invalid"]}]}`: "uri is invalid",
		`{"title":"Bad Request","status":400,"traceId":"00-abc"}`:                                      "Bad Request",
		`{"code":"NOT_FOUND","message":"Configuration not found."}`:                                    "Configuration not found.",
		`<html>502 Bad Gateway</html>`:                                                                 "not Bankly JSON",
	}
	for body, want := range cases {
		err := bankly.DecodeError(400, h, []byte(body))
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "corr-9") {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestHMACVectors checks signing against a value computed here from the
// documented recipe, independently of the adapter's code.
func TestHMACVectors(t *testing.T) {
	pub, url, ts, nonce := "MGE4NDIwM2ItNmU5Yi00Zjk0LWE5NmEtNWIwMDdiOGVjMjJj", "https://Example.com/hooks/pix?a=1&b=~x y", "1615331979", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	body := []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED"}`)
	msg := pub + "&https%3a%2f%2fexample.com%2fhooks%2fpix%3fa%3d1%26b%3d%7ex+y&" + ts + "&" + nonce + "&" + base64.StdEncoding.EncodeToString(body)
	if got := bankly.StringToSign(pub, url, ts, nonce, body); got != msg {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, msg)
	}
	key, _ := base64.StdEncoding.DecodeString(privateKey)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	k, _ := bankly.HMACKey(privateKey, "base64")
	if got := bankly.Sign(k, msg); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	raw, _ := bankly.HMACKey(privateKey, "raw")
	mac = hmac.New(sha256.New, []byte(privateKey))
	mac.Write([]byte(msg))
	if bankly.Sign(raw, msg) != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Fatal("raw key signature")
	}
}

// TestSyntheticDeliverySigned checks what a receiver sees from `test`.
func TestSyntheticDeliverySigned(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	var got *http.Request
	var body []byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, mustRead(r)
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "thanks")
	}))
	t.Cleanup(recv.Close)
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(recv.URL + "/bankly?x=1"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("private-key", privateKey, "hmac-key", "base64")})
	if err != nil || !r.OK || *r.StatusCode != 202 || r.Response != "thanks" || !r.Synthetic {
		t.Fatalf("%v %+v", err, r)
	}
	h := got.Header
	if h.Get("publicKey") != "pub-1" || len(h.Get("nonce")) != 32 || h.Get("idempotency-Key") == "" || h.Get("requestTimestamp") == "" {
		t.Fatalf("headers %v", h)
	}
	key, _ := base64.StdEncoding.DecodeString(privateKey)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("pub-1&" + strings.ToLower(strings.ReplaceAll(urlQueryEscape(recv.URL+"/bankly?x=1"), "~", "%7E")) + "&" + h.Get("requestTimestamp") + "&" + h.Get("nonce") + "&" + base64.StdEncoding.EncodeToString(body)))
	if h.Get("Authorization") != "hmac "+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Fatalf("signature does not verify: %s", h.Get("Authorization"))
	}
	if !strings.Contains(string(body), `"name":"PIX_CASH_IN_WAS_CLEARED"`) || !strings.Contains(string(body), `"context":"Pix"`) {
		t.Fatalf("body %s", body)
	}
	if _, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("hmac-key", "base64")}); clierr.ExitCode(err) != 2 {
		t.Fatalf("test without key: %v", err)
	}
}

func mustRead(r *http.Request) []byte { b, _ := io.ReadAll(r.Body); return b }
