package conekta_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/testutil/conektaspec"
)

const testKey = "key_test_0123456789abcdef"

type settings map[string]string

// recorded is one request as the fake saw it.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// fake starts the Conekta emulator behind spec validation of every request
// and answer, recording what it saw.
func fake(t *testing.T, opts conektaemu.Options, responses ...bool) (*httptest.Server, *conektaemu.Server, func() []recorded) {
	t.Helper()
	return fakePaged(t, opts, 0, responses...)
}

// fakePaged is fake behind a server that holds at most pageCap items a page
// (0: the emulator's own), whatever limit the client asks: like a proxy or
// an account with a smaller maximum.
func fakePaged(t *testing.T, opts conektaemu.Options, pageCap int, responses ...bool) (*httptest.Server, *conektaemu.Server, func() []recorded) {
	t.Helper()
	spec := conektaspec.Load(t)
	if opts.AllowLocalURLs {
		spec = spec.AllowLocalURLs()
	}
	emu := conektaemu.New(opts)
	if len(responses) == 0 {
		responses = []bool{true}
	}
	var mu sync.Mutex
	var seen []recorded
	var inner http.Handler = emu
	if pageCap > 0 {
		inner = capPages(pageCap, emu)
	}
	h := spec.Middleware(t, inner, responses[0])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		mu.Lock()
		seen = append(seen, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, emu, func() []recorded { mu.Lock(); defer mu.Unlock(); return append([]recorded(nil), seen...) }
}

func capPages(n int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && (r.URL.Path == "/webhooks" || r.URL.Path == "/webhook_keys") {
			q := r.URL.Query()
			if l, err := strconv.Atoi(q.Get("limit")); err != nil || l > n {
				q.Set("limit", strconv.Itoa(n))
				r = r.Clone(r.Context())
				r.URL.RawQuery = q.Encode()
			}
		}
		next.ServeHTTP(w, r)
	})
}

func newClient(t *testing.T, base string, extra settings) provider.Provider {
	t.Helper()
	p, err := build(base, extra, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// build makes a client with test settings; debugf receives --debug lines.
func build(base string, extra settings, debugf func(string, ...any)) (provider.Provider, error) {
	s := settings{"api_key": testKey}
	for k, v := range extra {
		s[k] = v
	}
	return conekta.New(&provider.Env{
		Settings: pt.Settings{Info: conekta.Info(), Values: s}, BaseURL: base, Redactor: redact.New(), Debugf: debugf,
		HTTPClient: func(*tls.Config, *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{UserAgent: "hookctl/test", Retry: httpx.RetryPolicy{BaseDelay: 1}})
		},
	})
}

func TestConformance(t *testing.T) {
	pt.Run(t, pt.Harness{
		Info: conekta.Info(),
		New: func(t *testing.T) provider.Provider {
			srv, _, _ := fakePaged(t, conektaemu.Options{AllowLocalURLs: true, Deliver: true}, 3)
			return newClient(t, srv.URL, nil)
		},
		Create: func(i int, url string) provider.CreateRequest {
			return provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(url), Events: &[]string{"order.paid", "charge.refunded"}}}
		},
		Capacity: conektaemu.MaxWebhooks,
		PageSize: 3,
	})
}

func TestHeaders(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, settings{"language": "en", "child_company_id": "6441b6376b60c3a638da80af"})
	if _, err := p.List(context.Background(), provider.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	r := seen()[0]
	want := map[string]string{
		"Authorization":      "Bearer " + testKey,
		"Accept":             "application/vnd.conekta-v2.3.0+json",
		"Accept-Language":    "en",
		"X-Child-Company-Id": "6441b6376b60c3a638da80af",
		"User-Agent":         "hookctl/test",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if r.Query != "limit=20" {
		t.Errorf("query %q, want limit=20", r.Query)
	}
}

func TestAPIVersionConfigurable(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{}, false)
	p := newClient(t, srv.URL, settings{"api_version": "2.2.0"})
	_, _ = p.List(context.Background(), provider.ListOptions{})
	if got := seen()[0].Header.Get("Accept"); got != "application/vnd.conekta-v2.2.0+json" {
		t.Fatalf("Accept = %q", got)
	}
}

func TestListCursorsAndFilters(t *testing.T) {
	srv, emu, seen := fake(t, conektaemu.Options{})
	emu.Seed(9)
	p := newClient(t, srv.URL, nil)
	ctx := context.Background()
	res, err := p.List(ctx, provider.ListOptions{All: true})
	if err != nil || len(res.Items) != 9 {
		t.Fatalf("--all: %v %d", err, len(res.Items))
	}
	if q := seen()[0].Query; q != "limit=250" {
		t.Fatalf("--all query %q, want limit=250", q)
	}
	res, err = p.List(ctx, provider.ListOptions{Limit: 4})
	if err != nil || len(res.Items) != 4 || res.Next == nil || res.Next.Input.String("next") != res.Items[3].ID {
		t.Fatalf("--limit 4: %v %d next=%+v", err, len(res.Items), res.Next)
	}
	res2, err := p.List(ctx, provider.ListOptions{Limit: 4, Input: res.Next.Input})
	if err != nil || len(res2.Items) != 4 || res2.Items[0].ID == res.Items[0].ID {
		t.Fatalf("--next: %v %+v", err, res2.Items)
	}
	last := seen()[len(seen())-1]
	if !strings.Contains(last.Query, "next="+res.Next.Input.String("next")) {
		t.Fatalf("--next not sent: %q", last.Query)
	}
	res3, err := p.List(ctx, provider.ListOptions{Limit: 2, Input: pt.In("previous", res2.Items[0].ID)})
	if err != nil || len(res3.Items) != 2 || res3.Items[1].ID != res.Items[3].ID {
		t.Fatalf("--previous: %v %+v", err, res3.Items)
	}
	res, err = p.List(ctx, provider.ListOptions{Input: pt.In("url", "https://example.com/hooks/conekta/3", "search", "conekta")})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("--url: %v %+v", err, res.Items)
	}
	if q := seen()[len(seen())-1].Query; !strings.Contains(q, "url=https") || !strings.Contains(q, "search=conekta") {
		t.Fatalf("filters not sent: %q", q)
	}
}

func TestUpdateMergesEvents(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, nil)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h"), Events: &[]string{"order.paid", "charge.refunded"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Input: provider.Values{"add-events": []string{"order.expired", "order.paid"}, "remove-events": []string{"charge.refunded"}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Events, ",") != "order.paid,order.expired" {
		t.Fatalf("events %v", got.Events)
	}
	put := seen()[len(seen())-1]
	if put.Method != http.MethodPut || put.Body != `{"subscribed_events":["order.paid","order.expired"]}` {
		t.Fatalf("PUT %s %s", put.Method, put.Body)
	}
	got, err = p.Update(ctx, w.ID, provider.UpdateRequest{Input: provider.Values{"events": []string{}}})
	if err != nil || len(got.Events) != 0 {
		t.Fatalf("clearing events: %v %v", err, got)
	}
}

func TestLocalValidationSendsNothing(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, nil)
	ctx := context.Background()
	for _, u := range []string{"", "/relative", "javascript:alert(1)", "https://localhost/x", "https://a.example/127.0.0.1", "https://user:pw@example.com/", "https://exämple.com/", "https://example.com/" + strings.Repeat("a", 2100)} {
		_, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(u)}})
		if clierr.ExitCode(err) != clierr.ExitUsage {
			t.Errorf("create %q: exit %d (%v), want 2", u, clierr.ExitCode(err), err)
		}
	}
	if n := len(seen()); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

func TestErrorsDecoded(t *testing.T) {
	srv, _, _ := fake(t, conektaemu.Options{})
	ctx := context.Background()
	bad := newClient(t, srv.URL, settings{"api_key": "nokey_123456"})
	_, err := bad.List(ctx, provider.ListOptions{})
	var ae *provider.APIError
	if !errors.As(err, &ae) || clierr.ExitCode(err) != 3 || ae.RequestID == "" || !strings.Contains(err.Error(), "Acceso no autorizado") {
		t.Fatalf("401: %v", err)
	}
	if strings.Contains(err.Error(), "nokey_123456") {
		t.Fatal("the API key leaked into the error")
	}
	p := newClient(t, srv.URL, nil)
	for i := 0; i < conektaemu.MaxWebhooks; i++ {
		if _, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}})
	if !errors.As(err, &ae) || ae.Status != 422 || clierr.ExitCode(err) != 1 || !strings.Contains(err.Error(), "at most 10 webhooks") || ae.Param != "url" {
		t.Fatalf("11th create: %v", err)
	}
}

func TestTolerantDecoding(t *testing.T) {
	legacy := `{"url":"https://user:secret@example.com/x","status":"intermittent_errors","subscribed_events":["charge.created"],"synchronous":false,"id":"641b1d5662d7e00001eaa46b","object":"webhook","production_enabled":true,"development_enabled":false,"deleted":true,"unknown":{"a":1}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, legacy)
	}))
	t.Cleanup(srv.Close)
	w, err := newClient(t, srv.URL, nil).Get(context.Background(), "641b1d5662d7e00001eaa46b")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Enabled || w.Status != "intermittent_errors" || strings.Contains(w.URL, "secret") || string(w.Raw) != legacy {
		t.Fatalf("%+v", w)
	}
	var m map[string]any
	if json.Unmarshal(w.Raw, &m) != nil || m["deleted"] != true {
		t.Fatal("raw payload not kept")
	}
}

func TestMergeEvents(t *testing.T) {
	got := conekta.MergeEvents([]string{"a", "b"}, []string{"c", "a"}, []string{"b"})
	if strings.Join(got, ",") != "a,c" {
		t.Fatal(got)
	}
}
