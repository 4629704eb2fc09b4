package bankly_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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
)

// logs collects what the adapter writes through Debugf and Warnf.
type logs struct {
	mu    sync.Mutex
	debug []string
	warn  []string
}

func (l *logs) all(warn bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if warn {
		return strings.Join(l.warn, "\n")
	}
	return strings.Join(l.debug, "\n")
}

// logged builds a provider over the fixture whose debug and warning lines
// are kept.
func (f *fixture) logged(t *testing.T, access provider.Access, extra settings) (provider.Provider, *logs) {
	t.Helper()
	s := settings{}
	for k, v := range f.settings {
		s[k] = v
	}
	for k, v := range extra {
		s[k] = v
	}
	l := &logs{}
	p, err := bankly.New(&provider.Env{
		Settings: s.env(), BaseURL: f.srv.URL, Access: access, Redactor: redact.New(), CacheDir: t.TempDir(),
		Debugf: func(format string, args ...any) {
			l.mu.Lock()
			l.debug = append(l.debug, fmt.Sprintf(format, args...))
			l.mu.Unlock()
		},
		Warnf: func(format string, args ...any) {
			l.mu.Lock()
			l.warn = append(l.warn, fmt.Sprintf(format, args...))
			l.mu.Unlock()
		},
		HTTPClient: func(c *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{UserAgent: "hookctl/test", TLS: c, Roots: roots, Retry: httpx.RetryPolicy{BaseDelay: time.Millisecond}})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, l
}

func apiRequests(f *fixture, method, path string) []*http.Request {
	var out []*http.Request
	for _, r := range f.requests() {
		if r.Method == method && r.URL.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// TestRequestHeadersByMethod: a body is announced as JSON only when there
// is one, and Bankly's correlation id reaches the debug log.
func TestRequestHeadersByMethod(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p, l := f.logged(t, provider.Read|provider.Write, nil)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("http://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	post := apiRequests(f, http.MethodPost, "/webhooks/configurations")
	get := apiRequests(f, http.MethodGet, "/webhooks/configurations/"+w.ID)
	if len(post) != 1 || len(get) != 1 {
		t.Fatalf("%d POST, %d GET", len(post), len(get))
	}
	if ct := post[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("POST Content-Type %q", ct)
	}
	if ct, ok := get[0].Header["Content-Type"]; ok {
		t.Fatalf("GET without a body has Content-Type %q", ct)
	}
	if a := get[0].Header.Get("Accept"); a != "application/json" {
		t.Fatalf("Accept %q", a)
	}
	debug := l.all(false)
	if strings.Count(debug, "x-bkly-correlation-id ") < 2 || !strings.Contains(debug, "POST /webhooks/configurations: x-bkly-correlation-id ") {
		t.Fatalf("debug log:\n%s", debug)
	}
	if warn := l.all(true); !strings.Contains(warn, "http://e.com/x is plain http") {
		t.Fatalf("warnings: %q", warn)
	}
}

// TestAnswer299IsSuccess: every 2xx is a success.
func TestAnswer299IsSuccess(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/webhooks/configurations/abc" {
			return false
		}
		w.WriteHeader(299)
		io.WriteString(w, `{"data":{"id":"abc","uri":"https://e.com","status":"Enabled"}}`)
		return true
	}
	w, err := f.must(t, provider.Read).Get(context.Background(), "abc")
	if err != nil || w.ID != "abc" || !w.Enabled {
		t.Fatalf("%v %+v", err, w)
	}
}

// TestPatchRetriedPostNot: Bankly's full-body PATCH is repeated after a 503;
// a POST is not (it may have been processed).
func TestPatchRetriedPostNot(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	var failed atomic.Int32
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if (r.Method == http.MethodPatch || r.Method == http.MethodPost) && r.URL.Path != "/oauth2/token" && failed.Add(1) == 1 {
			banklyemu.Unavailable(w, r)
			return true
		}
		return false
	}
	u := "https://e.com/new"
	if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{URL: &u}, Input: pt.In("private-key", privateKey)}); err != nil {
		t.Fatalf("PATCH after one 503: %v", err)
	}
	if n := len(apiRequests(f, http.MethodPatch, "/webhooks/configurations/"+w.ID)); n != 2 {
		t.Fatalf("%d PATCH requests, want 2", n)
	}
	failed.Store(0)
	before := len(apiRequests(f, http.MethodPost, "/webhooks/configurations"))
	_, err = p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/y"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	var ou *provider.OutcomeUnknownError
	if !errors.As(err, &ou) {
		t.Fatalf("create after a 503: %v", err)
	}
	if n := len(apiRequests(f, http.MethodPost, "/webhooks/configurations")) - before; n != 1 {
		t.Fatalf("%d POST requests, want 1", n)
	}
}

// TestTokenEndpointUnreachableNamesHost: a token endpoint that cannot be
// reached is named by its host, not its URL.
func TestTokenEndpointUnreachableNamesHost(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p, err := f.provider(t, provider.Read, settings{"token_url": "https://" + addr + "/oauth2/token"}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.List(context.Background(), provider.ListOptions{})
	if err == nil || !strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "https://"+addr) {
		t.Fatalf("unreachable token endpoint: %v", err)
	}
}

// TestDecodeErrorExact checks every field DecodeError fills.
func TestDecodeErrorExact(t *testing.T) {
	h := http.Header{"X-Bkly-Correlation-Id": {"corr-9"}, "Content-Type": {"text/html"}}
	decode := func(status int, body string) *provider.APIError {
		t.Helper()
		var ae *provider.APIError
		if err := bankly.DecodeError(status, h, []byte(body)); !errors.As(err, &ae) {
			t.Fatalf("%s: %v", body, err)
		}
		return ae
	}
	e := decode(400, `{"errors":[{"code":"A","propertyName":"uri","messages":["uri is invalid"]},{"code":"B","propertyName":"name","message":"name too long"}],"title":"Bad Request","message":"ignored"}`)
	if e.Code != "A" || e.Param != "uri" || e.Message != "uri is invalid; name too long" || e.RequestID != "corr-9" || e.Hint != "" {
		t.Fatalf("errors[]: %+v", e)
	}
	e = decode(400, `{"title":"Bad Request","status":400,"traceId":"00-abc"}`)
	if e.Message != "Bad Request" || e.Code != "" {
		t.Fatalf("problem details: %+v", e)
	}
	if e := bankly.DecodeError(400, http.Header{}, []byte(`{"title":"Bad Request","traceId":"00-abc"}`)).(*provider.APIError); e.RequestID != "00-abc" {
		t.Fatalf("trace id: %+v", e)
	}
	e = decode(502, "")
	if e.Message != "" || e.Code != "" || e.Status != 502 {
		t.Fatalf("empty answer: %+v", e)
	}
	e = decode(502, "<html>502 Bad Gateway</html>")
	if e.Message != "the answer was not Bankly JSON (text/html): <html>502 Bad Gateway</html>" {
		t.Fatalf("html: %q", e.Message)
	}
	if e := decode(409, `{}`); !strings.Contains(e.Hint, "already exists") {
		t.Fatalf("409 hint: %q", e.Hint)
	}
	if e := decode(403, `{}`); !strings.HasPrefix(e.Hint, "the token lacks the scope") {
		t.Fatalf("403 hint: %q", e.Hint)
	}
	if e := decode(429, `{}`); !strings.Contains(e.Hint, "five minutes") {
		t.Fatalf("429 hint: %q", e.Hint)
	}
	if e := decode(400, `{}`); e.Hint != "" {
		t.Fatalf("400 hint: %q", e.Hint)
	}
}

// TestKeyLengthLimits: 64 characters is Bankly's limit, inclusive.
func TestKeyLengthLimits(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	key64 := strings.Repeat("QUJD", 16) // 64 characters of base64
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(recv.Close)
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(recv.URL), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", strings.Repeat("p", 64), "private-key", key64)})
	if err != nil {
		t.Fatalf("64-character keys: %v", err)
	}
	_, err = p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/y"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", key64+"QUJD")})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "68 characters") {
		t.Fatalf("68-character private key: %v", err)
	}
	_, err = p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/y"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", strings.Repeat("p", 65), "private-key", key64)})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "65 characters") {
		t.Fatalf("65-character public key: %v", err)
	}
	text64 := strings.Repeat("*", 64)
	if r, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("private-key", text64)}); err != nil || !r.OK {
		t.Fatalf("64-character key text: %v", err)
	}
	_, err = p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{Input: pt.In("private-key", text64+"*")})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "65 characters") {
		t.Fatalf("65-character key text: %v", err)
	}
}

// TestUnknownContextNamed: a context outside the catalog is named as such.
func TestUnknownContextNamed(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Write)
	_, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}, Context: pt.Str("Nope")}, Input: pt.In("public-key", "p", "private-key", privateKey)})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), `"Nope" is not a Bankly context`) {
		t.Fatalf("unknown context: %v", err)
	}
	if !bankly.KnownContext("Credit") || bankly.KnownContext("Nope") || bankly.KnownContext("") {
		t.Fatal("KnownContext")
	}
}

// TestRefusedCertificateNamesTheCA: the error says which CA the server
// asks for.
func TestRefusedCertificateNamesTheCA(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	other, _ := pki.NewCA("some other CA")
	stranger, _ := other.Issue("stranger", pki.Options{})
	p, err := f.provider(t, provider.Read, settings{
		"cert_file": writeFile(t, filepath.Join(f.dir, "s.crt"), stranger.CertPEM),
		"key_file":  writeFile(t, filepath.Join(f.dir, "s.key"), stranger.KeyPEM),
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.List(context.Background(), provider.ListOptions{})
	if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), "it asks for one issued by CN=test Bankly CA,O=hookctl emulator; use") || strings.Contains(err.Error(), "another CA") {
		t.Fatalf("%v", err)
	}
}

// TestTokenEndpointAnswers: each kind of token endpoint failure has its own
// message and exit code.
func TestTokenEndpointAnswers(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		exit   int
		want   string
	}{
		{500, `oops`, 1, "Bankly's token endpoint failed (HTTP 500): try again later"},
		{401, `{}`, 3, "refused the request (HTTP 401): check client_id and the client certificate"},
		{403, `{}`, 3, "refused the request (HTTP 403)"},
		{400, `{"error":"unauthorized_client"}`, 3, "refused the request (unauthorized_client): check the client registration"},
		{400, `{"error":"access_denied"}`, 3, "refused the request (access_denied)"},
		{400, `{"error":"invalid_grant"}`, 3, "refused the request (invalid_grant)"},
		{400, `{"error":"temporarily_odd","error_description":"try later"}`, 3, "refused the request (temporarily_odd try later)"},
		{400, `not json`, 1, "answered HTTP 400 without an OAuth2 error: not json"},
		{200, `{"token_type":"Bearer","expires_in":60}`, 1, "answered without a usable access token"},
	} {
		f := newFixture(t, banklyemu.Options{})
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/oauth2/token" {
				return false
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			io.WriteString(w, c.body)
			return true
		}
		_, err := f.must(t, provider.Read).List(context.Background(), provider.ListOptions{})
		if clierr.ExitCode(err) != c.exit || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d %s: exit %d: %v", c.status, c.body, clierr.ExitCode(err), err)
		}
	}
}

// TestMissingCAFileRefused: a ca_file that cannot be read is an error, not
// a silent fallback to the system roots.
func TestMissingCAFileRefused(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	_, err := f.provider(t, provider.Read, settings{"ca_file": filepath.Join(f.dir, "missing.crt")}, "")
	if err == nil || !strings.Contains(err.Error(), "missing.crt") {
		t.Fatalf("%v", err)
	}
}
