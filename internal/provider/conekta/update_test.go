package conekta_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/testutil/conektaspec"
)

// created is a client on the emulator holding one webhook, with the requests
// made after its creation.
func created(t *testing.T) (provider.Provider, *provider.Webhook, func() []recorded) {
	t.Helper()
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, nil)
	w, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h"), Events: &[]string{"order.paid", "charge.refunded"}}})
	if err != nil {
		t.Fatal(err)
	}
	skip := len(seen())
	return p, w, func() []recorded { return seen()[skip:] }
}

func TestUpdateBodies(t *testing.T) {
	off, on := false, true
	noEvents := []string(nil)
	for _, c := range []struct {
		name string
		r    provider.UpdateRequest
		body string
	}{
		{"replace events", provider.UpdateRequest{Input: provider.Values{"events": {"order.expired", "charge.paid"}}}, `{"subscribed_events":["order.expired","charge.paid"]}`},
		{"set events", provider.UpdateRequest{Set: provider.Fields{Events: &[]string{"order.paid"}}}, `{"subscribed_events":["order.paid"]}`},
		{"set no events", provider.UpdateRequest{Set: provider.Fields{Events: &noEvents}}, `{"subscribed_events":[]}`},
		{"disable", provider.UpdateRequest{Set: provider.Fields{Enabled: &off}}, `{"active":false}`},
		{"url", provider.UpdateRequest{Set: provider.Fields{URL: pt.Str("https://example.com/new")}}, `{"url":"https://example.com/new"}`},
		{"desired object", provider.UpdateRequest{Desired: &provider.Fields{URL: pt.Str("https://example.com/d"), Enabled: &off, Events: &[]string{"order.paid"}, Name: pt.Str("")}},
			`{"active":false,"subscribed_events":["order.paid"],"url":"https://example.com/d"}`},
		{"explicit changes beat the object", provider.UpdateRequest{Set: provider.Fields{URL: pt.Str("https://example.com/set"), Enabled: &off}, Desired: &provider.Fields{URL: pt.Str("https://example.com/d"), Enabled: &on}},
			`{"active":false,"url":"https://example.com/set"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, w, seen := created(t)
			if _, err := p.Update(context.Background(), w.ID, c.r); err != nil {
				t.Fatal(err)
			}
			rs := seen()
			if len(rs) != 1 || rs[0].Method != http.MethodPut || rs[0].Path != "/webhooks/"+w.ID || rs[0].Body != c.body {
				t.Fatalf("sent %+v, want one PUT %s", rs, c.body)
			}
		})
	}
}

func TestUpdateAddOrRemoveReadsFirst(t *testing.T) {
	for _, c := range []struct {
		name string
		in   provider.Values
		body string
	}{
		{"add", provider.Values{"add-events": {"order.expired"}}, `{"subscribed_events":["order.paid","charge.refunded","order.expired"]}`},
		{"remove", provider.Values{"remove-events": {"order.paid"}}, `{"subscribed_events":["charge.refunded"]}`},
		{"replace and add", provider.Values{"events": {"charge.paid"}, "add-events": {"order.expired"}}, `{"subscribed_events":["charge.paid","order.expired"]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, w, seen := created(t)
			if _, err := p.Update(context.Background(), w.ID, provider.UpdateRequest{Input: c.in}); err != nil {
				t.Fatal(err)
			}
			rs := seen()
			if len(rs) != 2 || rs[0].Method != http.MethodGet || rs[1].Method != http.MethodPut || rs[1].Body != c.body {
				t.Fatalf("sent %+v, want GET then PUT %s", rs, c.body)
			}
		})
	}
}

func TestUpdateRefusesKeysAndNames(t *testing.T) {
	for name, d := range map[string]*provider.Fields{
		"empty public key": {PublicKey: pt.Str("")},
		"name":             {Name: pt.Str("x")},
		"context":          {Context: pt.Str("c")},
	} {
		p, w, seen := created(t)
		_, err := p.Update(context.Background(), w.ID, provider.UpdateRequest{Desired: d})
		if clierr.ExitCode(err) != clierr.ExitUsage || !strings.Contains(fmt.Sprint(err), "no name, context or keys") || len(seen()) != 0 {
			t.Fatalf("%s: %v (exit %d), %d requests", name, err, clierr.ExitCode(err), len(seen()))
		}
	}
}

func TestCreateEmptyNameAllowed(t *testing.T) {
	p, _, seen := created(t)
	if _, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h"), Name: pt.Str(""), Context: pt.Str(""), PublicKey: pt.Str("")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h"), PublicKey: pt.Str("k")}}); clierr.ExitCode(err) != clierr.ExitUsage {
		t.Fatalf("public key: %v", err)
	}
	if n := len(seen()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestFindCreatedTakesTheLastOfSeveral(t *testing.T) {
	srv, _, _ := fake(t, conektaemu.Options{})
	var log debugLog
	p, err := build(srv.URL, nil, log.printf)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/same"), Events: &[]string{"order.paid"}}}
	first, err := p.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	w, found, err := p.(provider.Finder).FindCreated(ctx, req)
	if err != nil || !found || w.ID != first.ID || log.take() != "" {
		t.Fatalf("one match: %v %v %+v", err, found, w)
	}
	second, err := p.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	w, found, err = p.(provider.Finder).FindCreated(ctx, req)
	if err != nil || !found || w.ID != second.ID {
		t.Fatalf("two matches: %v %v %+v, want %s", err, found, w, second.ID)
	}
	if d, want := log.take(), "conekta: 2 webhooks have URL https://example.com/same and these events; taking the last listed"; d != want {
		t.Fatalf("debug %q, want %q", d, want)
	}
}

// A 400 refusal at the 10-webhooks limit says so; 401 and 429 do not look.
func TestCreateRefusalExplainsLimit(t *testing.T) {
	for _, c := range []struct {
		status int
		looks  bool
	}{{400, true}, {404, true}, {401, false}, {429, false}} {
		t.Run(fmt.Sprint(c.status), func(t *testing.T) {
			emu := conektaemu.New(conektaemu.Options{})
			emu.Seed(conektaemu.MaxWebhooks)
			v := conektaspec.Load(t).Middleware(t, emu, false)
			var gets int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(c.status)
					io.WriteString(w, `{"object":"error","type":"parameter_validation_error","details":[{"code":"conekta.errors.x","message":"No."}]}`)
					return
				}
				gets++
				v.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			_, err := newClient(t, srv.URL, nil).Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h")}})
			var ae *provider.APIError
			if !errors.As(err, &ae) || ae.Status != c.status {
				t.Fatalf("%v, want a %d", err, c.status)
			}
			hinted := ae.Hint == "Conekta allows at most 10 webhooks per environment and this account has 10: delete one first (hookctl webhooks delete ID)"
			if hinted != c.looks || (gets == 1) != c.looks {
				t.Fatalf("hint %q after %d listings, want the limit hint %v", ae.Hint, gets, c.looks)
			}
		})
	}
}
