// Package providertest is the conformance suite every provider adapter must
// pass, run against each provider's wire-level fake and the emulator.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
)

// Harness adapts the suite to one provider.
type Harness struct {
	// New returns a provider talking to a fresh, empty server.
	New func(t *testing.T) provider.Provider
	// Create returns a valid create request for the i-th webhook.
	Create func(i int, url string) provider.CreateRequest
	// Info is the provider's registration: its declared capabilities must
	// match what the built provider implements.
	Info provider.Info
	// Secrets are the inputs Update and Test need (such as a webhook private key), or nil.
	Secrets provider.Values
	// Capacity is how many webhooks the provider accepts (0: unbounded).
	Capacity int
	// Synthetic is true when Test delivers to the URL itself.
	Synthetic bool
	// PageSize, when not 0, is the most items one page of New's server holds
	// (a server with pages smaller than the provider asks for): the paging
	// case then creates enough webhooks for a whole list to take 3+ pages.
	PageSize int
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	ctx := context.Background()
	t.Run("Registration", func(t *testing.T) {
		p := h.New(t)
		if h.Info.Name == "" || p.Name() != h.Info.Name || h.Info.New == nil || h.Info.Events == nil {
			t.Fatalf("registration %q does not describe provider %q", h.Info.Name, p.Name())
		}
		for _, e := range h.Info.Events() {
			if e.Provider != h.Info.Name || e.Name == "" {
				t.Fatalf("catalog entry %+v", e)
			}
		}
	})

	t.Run("CreateGetListDelete", func(t *testing.T) {
		p := h.New(t)
		w, err := p.Create(ctx, h.Create(0, "https://example.com/hooks/a"))
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if w.ID == "" || w.URL != "https://example.com/hooks/a" || !w.Enabled || w.Provider != p.Name() || len(w.Raw) == 0 {
			t.Fatalf("create returned %+v", w)
		}
		got, err := p.Get(ctx, w.ID)
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		if got.ID != w.ID || got.URL != w.URL || len(got.Events) == 0 {
			t.Fatalf("get returned %+v, want %+v", got, w)
		}
		res, err := p.List(ctx, provider.ListOptions{})
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if len(res.Items) != 1 || res.Items[0].ID != w.ID {
			t.Fatalf("list returned %+v", res.Items)
		}
		if err := p.Delete(ctx, w.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		_, err = p.Get(ctx, w.ID)
		if code := clierr.ExitCode(err); code != clierr.ExitNotFound {
			t.Fatalf("get after delete: exit %d (%v), want 4", code, err)
		}
		if code := clierr.ExitCode(p.Delete(ctx, w.ID)); code != clierr.ExitNotFound {
			t.Fatalf("second delete: exit %d, want 4", code)
		}
	})

	t.Run("UpdateURLAndEnabled", func(t *testing.T) {
		p := h.New(t)
		w, err := p.Create(ctx, h.Create(0, "https://example.com/hooks/a"))
		if err != nil {
			t.Fatal(err)
		}
		u := "https://example.com/hooks/b"
		got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{URL: &u}, Input: h.Secrets})
		if err != nil {
			t.Fatalf("update url: %v", err)
		}
		if got.URL != u {
			t.Fatalf("update returned url %q", got.URL)
		}
		off := false
		got, err = p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{Enabled: &off}, Input: h.Secrets})
		if err != nil {
			t.Fatalf("disable: %v", err)
		}
		if got.Enabled {
			t.Fatalf("disable returned enabled webhook %+v", got)
		}
		res, err := p.List(ctx, provider.ListOptions{Status: "disabled"})
		if err != nil || len(res.Items) != 1 {
			t.Fatalf("list disabled: %v %+v", err, res)
		}
		res, err = p.List(ctx, provider.ListOptions{Status: "enabled"})
		if err != nil || len(res.Items) != 0 {
			t.Fatalf("list enabled: %v %+v", err, res)
		}
		on := true
		if got, err = p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{Enabled: &on}}); err != nil || !got.Enabled {
			t.Fatalf("enable: %v %+v", err, got)
		}
		if got, err := p.Get(ctx, w.ID); err != nil || got.URL != u || !got.Enabled {
			t.Fatalf("get after update: %v %+v", err, got)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		p := h.New(t)
		n := max(7, 3*h.PageSize)
		if h.Capacity > 0 && h.Capacity < n {
			n = h.Capacity
		}
		if h.PageSize > 0 && n <= 2*h.PageSize {
			t.Fatalf("harness: capacity %d holds fewer than 3 pages of %d", h.Capacity, h.PageSize)
		}
		want := map[string]bool{}
		for i := 0; i < n; i++ {
			w, err := p.Create(ctx, h.Create(i, fmt.Sprintf("https://example.com/hooks/%d", i)))
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
			want[w.ID] = true
		}
		all, err := p.List(ctx, provider.ListOptions{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) != n || all.Next != nil {
			t.Fatalf("list --all: %d items (next %+v), want %d and no continuation", len(all.Items), all.Next, n)
		}
		if h.PageSize > 0 && len(all.Raw) < 3 {
			t.Fatalf("list --all read %d pages of at most %d, want 3 or more", len(all.Raw), h.PageSize)
		}
		for _, w := range all.Items {
			if !want[w.ID] {
				t.Fatalf("list --all returned unknown or duplicate %s", w.ID)
			}
			delete(want, w.ID)
		}
		order := ids(all.Items)

		// Walk by continuation, 2 a time: 4+ pages that join into the whole list.
		var walked []string
		in := provider.Values(nil)
		for pages := 1; ; pages++ {
			res, err := p.List(ctx, provider.ListOptions{Limit: 2, Input: in})
			if err != nil {
				t.Fatalf("list --limit 2, page %d: %v", pages, err)
			}
			walked = append(walked, ids(res.Items)...)
			if res.Next == nil {
				if pages < 3 {
					t.Fatalf("walking by 2 took %d pages of %d items", pages, n)
				}
				break
			}
			if len(res.Items) != 2 || pages > n {
				t.Fatalf("list --limit 2, page %d: %d items, continuation %+v", pages, len(res.Items), res.Next)
			}
			in = res.Next.Input
		}
		if fmt.Sprint(walked) != fmt.Sprint(order) {
			t.Fatalf("pages joined by continuation:\n%v\nwant the whole list:\n%v", walked, order)
		}

		for _, limit := range []int{3, n - 1} {
			res, err := p.List(ctx, provider.ListOptions{Limit: limit})
			if err != nil || fmt.Sprint(ids(res.Items)) != fmt.Sprint(order[:limit]) || res.Next == nil {
				t.Fatalf("list --limit %d: %v, %v (next %+v), want %v and a continuation", limit, err, ids(res.Items), res.Next, order[:limit])
			}
		}
		res, err := p.List(ctx, provider.ListOptions{All: true, Limit: 5})
		if err != nil || fmt.Sprint(ids(res.Items)) != fmt.Sprint(order[:5]) {
			t.Fatalf("list --all --limit 5: %v, %v, want %v", err, ids(res.Items), order[:5])
		}
		res, err = p.List(ctx, provider.ListOptions{Limit: n + 100})
		if err != nil || len(res.Items) != n || res.Next != nil {
			t.Fatalf("list --limit %d: %v, %d items (next %+v), want all %d", n+100, err, len(res.Items), res.Next, n)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		p := h.New(t)
		_, err := p.Get(ctx, "00000000-0000-4000-8000-000000000000")
		var ae *provider.APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || clierr.ExitCode(err) != 4 {
			t.Fatalf("get unknown: %v (exit %d)", err, clierr.ExitCode(err))
		}
	})

	t.Run("Test", func(t *testing.T) {
		var hits atomic.Int32
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusOK)
		}))
		t.Cleanup(recv.Close)
		p := h.New(t)
		req := h.Create(0, "https://example.com/hooks/test")
		req.NoValidate = true
		u := recv.URL + "/hooks"
		req.Fields.URL = &u
		w, err := p.Create(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		tester, ok := p.(provider.Tester)
		if ok != h.Info.Has(provider.CapTest) {
			t.Fatalf("%s implements Tester: %v, declares it: %v", p.Name(), ok, h.Info.Has(provider.CapTest))
		}
		if !ok {
			t.Skipf("%s has no test capability", p.Name())
		}
		r, err := tester.Test(ctx, w.ID, provider.TestOptions{Input: h.Secrets})
		if err != nil {
			t.Fatalf("test: %v", err)
		}
		if r.ID != w.ID || r.Synthetic != h.Synthetic || !r.OK || r.Provider != p.Name() {
			t.Fatalf("test returned %+v", r)
		}
		if h.Synthetic {
			if r.StatusCode == nil || *r.StatusCode != 200 || r.LatencyMS == nil || hits.Load() != 1 {
				t.Fatalf("synthetic test: %+v, %d deliveries", r, hits.Load())
			}
		} else if r.StatusCode != nil {
			t.Fatalf("native test has status_code %d, want null", *r.StatusCode)
		}
	})

	t.Run("ContextCancel", func(t *testing.T) {
		p := h.New(t)
		ctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
		defer cancel()
		time.Sleep(time.Millisecond)
		if _, err := p.List(ctx, provider.ListOptions{}); err == nil {
			t.Fatal("list with an expired context succeeded")
		}
	})
}

func ids(ws []provider.Webhook) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.ID
	}
	return out
}
