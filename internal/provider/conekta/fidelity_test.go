package conekta_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/testutil/conektaspec"
)

func TestAPIVersionsHookctlSpeaks(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{}, false)
	for _, v := range []string{"2.3.0", "2.2.0"} {
		p, err := build(srv.URL, settings{"api_version": v}, nil)
		if err != nil {
			t.Fatalf("api_version %s: %v", v, err)
		}
		if _, err := p.List(context.Background(), provider.ListOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := seen()[len(seen())-1].Header.Get("Accept"); got != "application/vnd.conekta-v"+v+"+json" {
			t.Fatalf("Accept = %q", got)
		}
	}
	before := len(seen())
	for _, v := range []string{"2.1.0", "2.0.0", "2.4.0", "3.0.0", "2.3", "v2.3.0", "latest"} {
		_, err := build(srv.URL, settings{"api_version": v}, nil)
		var ve *provider.ValidationError
		if !errors.As(err, &ve) || ve.Field != "api_version" || clierr.ExitCode(err) != clierr.ExitUsage ||
			!strings.Contains(err.Error(), "2.3.0 or 2.2.0") || !strings.Contains(ve.Msg, "{api_version}") {
			t.Fatalf("api_version %q: %v (exit %d), want a usage error listing 2.3.0 or 2.2.0", v, err, clierr.ExitCode(err))
		}
	}
	if len(seen()) != before {
		t.Fatal("a request was sent with an API version hookctl does not speak")
	}
}

func TestConflictHintsAPIVersion(t *testing.T) {
	srv, _ := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"object":"error","type":"conflict_error","log_id":"507f1f77bcf86cd799439011","details":[{"code":"conekta.errors.conflict.api_version","message":"La versión del API no es válida.","debug_message":"Bad API version.","param":null}]}`)
	})
	_, err := newClient(t, srv.URL, nil).List(context.Background(), provider.ListOptions{})
	var ae *provider.APIError
	if !errors.As(err, &ae) || ae.Type != "conflict_error" || clierr.ExitCode(err) != clierr.ExitConflict ||
		!strings.Contains(ae.Hint, "api_version") || !strings.Contains(ae.Hint, "2.3.0 or 2.2.0") {
		t.Fatalf("409: %v (hint %q)", err, ae.Hint)
	}
}

type debugLog struct {
	mu    sync.Mutex
	lines []string
}

func (d *debugLog) printf(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lines = append(d.lines, fmt.Sprintf(format, args...))
}

func (d *debugLog) take() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := strings.Join(d.lines, "\n")
	d.lines = nil
	return s
}

func TestChildCompanyOnUndeclaredWrites(t *testing.T) {
	const child = "6441b6376b60c3a638da80af"
	srv, _, seen := fake(t, conektaemu.Options{})
	var log debugLog
	p, err := build(srv.URL, settings{"child_company_id": child}, log.printf)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}})
	if err != nil {
		t.Fatal(err)
	}
	rs := seen()
	if len(rs) != 2 || rs[0].Method != http.MethodPost || rs[1].Method != http.MethodGet || rs[1].Path != "/webhooks/"+w.ID {
		t.Fatalf("create with a child company sent %+v, want POST then GET /webhooks/%s", rs, w.ID)
	}
	for _, r := range rs {
		if r.Header.Get("X-Child-Company-Id") != child {
			t.Fatalf("%s %s without X-Child-Company-Id", r.Method, r.Path)
		}
	}
	if d := log.take(); !strings.Contains(d, "not declared by Conekta's spec for POST /webhooks") || !strings.Contains(d, "reading webhook "+w.ID+" back under child company") {
		t.Fatalf("debug: %q", d)
	}
	if _, err := p.(provider.Tester).Test(ctx, w.ID, provider.TestOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := log.take(); !strings.Contains(d, "POST /webhooks/"+w.ID+"/test") {
		t.Fatalf("test debug: %q", d)
	}
	on := true
	if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{Enabled: &on}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if d := log.take(); d != "" {
		t.Fatalf("the header is declared on PUT and GET, yet debug says: %q", d)
	}
	if err := p.Delete(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if d := log.take(); !strings.Contains(d, "not declared by Conekta's spec for DELETE /webhooks/"+w.ID) {
		t.Fatalf("delete debug: %q", d)
	}
	if last := seen()[len(seen())-1]; last.Method != http.MethodDelete || last.Header.Get("X-Child-Company-Id") != child {
		t.Fatalf("delete sent %+v", last)
	}
}

func TestChildCompanyCreateLandedElsewhere(t *testing.T) {
	srv, n := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			io.WriteString(w, `{"id":"6307a60c41de27127515a575","object":"webhook","url":"https://example.com/h","active":true,"status":"listening","subscribed_events":[]}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"object":"error","type":"resource_not_found_error","details":[{"code":"conekta.errors.resource_not_found.entity","message":"El recurso no ha sido encontrado."}]}`)
	})
	p := newClient(t, srv.URL, settings{"child_company_id": "6441b6376b60c3a638da80af"})
	_, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}})
	if err == nil || clierr.ExitCode(err) != clierr.ExitFailure || !strings.Contains(err.Error(), "parent company") || !strings.Contains(err.Error(), "6307a60c41de27127515a575") || n.Load() != 2 {
		t.Fatalf("create not found under the child: %v (exit %d, %d requests)", err, clierr.ExitCode(err), n.Load())
	}
	// Without a child company nothing is read back.
	n.Store(0)
	if _, err := newClient(t, srv.URL, nil).Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}}); err != nil || n.Load() != 1 {
		t.Fatalf("create without a child company: %v, %d requests", err, n.Load())
	}
}

func TestChildCompanyControlCharacters(t *testing.T) {
	srv, n := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {})
	for _, id := range []string{"6441b6376b60c3a638da80af\r\nX-Evil: 1", "6441b\n", "6441b\x00", "\x1b[2J6441b", "6441b\t1", "6441b\x7f"} {
		_, err := build(srv.URL, settings{"child_company_id": id}, nil)
		var ve *provider.ValidationError
		if !errors.As(err, &ve) || ve.Field != "child_company_id" || clierr.ExitCode(err) != clierr.ExitUsage || strings.ContainsAny(err.Error(), "\r\n\x00\x1b") {
			t.Fatalf("child company %q: %v (exit %d), want a one-line usage error on child_company_id", id, err, clierr.ExitCode(err))
		}
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests sent", n.Load())
	}
}

func TestCreateOutcomeUnknown(t *testing.T) {
	conektaError := func(status int, typ string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"object":"error","type":%q,"details":[{"code":"conekta.errors.x","message":"Fallo."}]}`, typ)
		}
	}
	body := func(status int, b string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, b)
		}
	}
	cases := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"204", body(http.StatusNoContent, "")},
		{"empty 200", body(http.StatusOK, "")},
		{"blank 200", body(http.StatusOK, " \n")},
		{"html 200", body(http.StatusOK, "<html>ok</html>")},
		{"200 without an id", body(http.StatusOK, `{"object":"webhook","url":"https://example.com/h"}`)},
		{"200 null", body(http.StatusOK, `null`)},
		{"500", conektaError(500, "api_error")},
		{"502", body(http.StatusBadGateway, "<html>Bad gateway</html>")},
		{"503", conektaError(503, "api_error")},
		{"reset after the request", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
		{"body cut", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "500")
			io.WriteString(w, `{"id":"6307a60c41de`)
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}},
		{"no answer before the deadline", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n := misbehaving(t, c.h)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_, err := newClient(t, srv.URL, nil).Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}})
			var oue *provider.OutcomeUnknownError
			if !errors.As(err, &oue) || oue.Op != "POST /webhooks" || clierr.ExitCode(err) != clierr.ExitUnknown || !strings.Contains(err.Error(), "may have been applied") {
				t.Fatalf("%v (exit %d), want outcome unknown (exit 6)", err, clierr.ExitCode(err))
			}
			if n.Load() != 1 {
				t.Fatalf("%d POSTs, want exactly 1 (never retried)", n.Load())
			}
		})
	}
}

func TestCreateDefinitelyFailed(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	t.Cleanup(untrusted.Close)
	srv, emu, _ := fake(t, conektaemu.Options{})
	emu.Seed(conektaemu.MaxWebhooks)
	for _, c := range []struct {
		name, base string
		url        string
		exit       int
	}{
		{"connection refused", refusedURL, "https://example.com/h", clierr.ExitFailure},
		{"untrusted certificate", untrusted.URL, "https://example.com/h", clierr.ExitFailure},
		{"422 (the 11th webhook)", srv.URL, "https://example.com/h", clierr.ExitFailure},
		{"401", srv.URL, "https://example.com/h", clierr.ExitAuth},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := testKey
			if c.exit == clierr.ExitAuth {
				key = "nokey_123456"
			}
			p := newClient(t, c.base, settings{"api_key": key})
			_, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(c.url)}, NoValidate: true})
			var oue *provider.OutcomeUnknownError
			if err == nil || errors.As(err, &oue) || clierr.ExitCode(err) != c.exit {
				t.Fatalf("%v (exit %d), want a definite failure, exit %d", err, clierr.ExitCode(err), c.exit)
			}
			var ne *httpx.NetworkError
			var te *httpx.TLSError
			if c.base != srv.URL && !errors.As(err, &ne) && !errors.As(err, &te) {
				t.Fatalf("%v: not a network or TLS error", err)
			}
		})
	}
}

// lostAnswers serves the emulator behind spec validation, but answers every
// POST /webhooks with 204 after the emulator made the webhook.
func lostAnswers(t *testing.T) (*httptest.Server, *conektaemu.Server) {
	emu := conektaemu.New(conektaemu.Options{})
	v := conektaspec.Load(t).Middleware(t, emu, true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/webhooks" {
			v.ServeHTTP(httptest.NewRecorder(), r)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		v.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, emu
}

func TestFindCreated(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, nil)
	f, ok := p.(provider.Finder)
	if !ok {
		t.Fatal("the Conekta client is not a provider.Finder")
	}
	ctx := context.Background()
	req := func(u string, events ...string) provider.CreateRequest {
		return provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(u), Events: &events}}
	}
	a, err := p.Create(ctx, req("https://example.com/a?x=1&y=2", "order.paid", "charge.refunded"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(ctx, req("https://example.com/b", "order.paid")); err != nil {
		t.Fatal(err)
	}
	w, found, err := f.FindCreated(ctx, req("https://example.com/a?x=1&y=2", "charge.refunded", "order.paid"))
	if err != nil || !found || w.ID != a.ID {
		t.Fatalf("find a: %v %v %+v, want %s", err, found, w, a.ID)
	}
	last := seen()[len(seen())-1]
	if last.Method != http.MethodGet || last.Path != "/webhooks" || !strings.Contains(last.Query, "url=https%3A%2F%2Fexample.com%2Fa%3Fx%3D1%26y%3D2") {
		t.Fatalf("lookup sent %s %s?%s, want GET /webhooks?url=...", last.Method, last.Path, last.Query)
	}
	if w, found, err := f.FindCreated(ctx, req("https://example.com/a?x=1&y=2")); err != nil || !found || w.ID != a.ID {
		t.Fatalf("find a by URL alone: %v %v %+v", err, found, w)
	}
	for _, r := range []provider.CreateRequest{req("https://example.com/a?x=1&y=2", "order.paid"), req("https://example.com/c", "order.paid")} {
		if w, found, err := f.FindCreated(ctx, r); err != nil || found || w != nil {
			t.Fatalf("find %s %v: %v %v %+v, want proven absent", *r.Fields.URL, *r.Fields.Events, err, found, w)
		}
	}
}

func TestFindCreatedOnlyProvesAbsenceWhenListed(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"500": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"object":"error","type":"api_error","details":[]}`)
		},
		"repeating cursor": func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "loop", hook("x"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, _ := misbehaving(t, h)
			w, found, err := newClient(t, srv.URL, nil).(provider.Finder).FindCreated(context.Background(),
				provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/x")}})
			if err == nil || found || w != nil {
				t.Fatalf("%v %v %+v, want an error", err, found, w)
			}
		})
	}
}

func TestCreateUnknownThenFound(t *testing.T) {
	srv, emu := lostAnswers(t)
	p := newClient(t, srv.URL, nil)
	req := provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/lost"), Events: &[]string{"order.paid"}}}
	_, err := p.Create(context.Background(), req)
	if clierr.ExitCode(err) != clierr.ExitUnknown {
		t.Fatalf("create answered 204: %v (exit %d), want 6", err, clierr.ExitCode(err))
	}
	w, found, err := p.(provider.Finder).FindCreated(context.Background(), req)
	hooks := emu.Snapshot().Webhooks
	if err != nil || !found || len(hooks) != 1 || w.ID != hooks[0].ID {
		t.Fatalf("lookup: %v %v %+v (server holds %d)", err, found, w, len(hooks))
	}
}
