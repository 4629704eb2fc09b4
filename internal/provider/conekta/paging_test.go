package conekta_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/testutil/conektaspec"
)

// seeded is the emulator holding n webhooks (beyond Conekta's 10), behind
// pages of at most pageCap items (0: the emulator's own), with their ids in
// listing order.
func seeded(t *testing.T, n, pageCap int) (provider.Provider, []string, func() []recorded) {
	t.Helper()
	srv, emu, seen := fakePaged(t, conektaemu.Options{}, pageCap)
	emu.Seed(n)
	var ids []string
	for _, w := range emu.Snapshot().Webhooks {
		ids = append(ids, w.ID)
	}
	return newClient(t, srv.URL, nil), ids, seen
}

func itemIDs(ws []provider.Webhook) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

func cursors(t *testing.T, rs []recorded, dir string) []string {
	t.Helper()
	var out []string
	for _, r := range rs {
		q, err := url.ParseQuery(r.Query)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.Get(dir))
	}
	return out
}

func TestListAllAcrossPages(t *testing.T) {
	p, ids, seen := seeded(t, 25, 4)
	res, err := p.List(context.Background(), provider.ListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(itemIDs(res.Items), ids) || res.Next != nil {
		t.Fatalf("--all: %v (next %+v), want %v", itemIDs(res.Items), res.Next, ids)
	}
	want := []string{"", ids[3], ids[7], ids[11], ids[15], ids[19], ids[23]}
	if got := cursors(t, seen(), "next"); !slices.Equal(got, want) || len(res.Raw) != 7 {
		t.Fatalf("next cursors %v (%d raw pages), want %v", got, len(res.Raw), want)
	}
}

func TestListLimitAcrossPages(t *testing.T) {
	p, ids, seen := seeded(t, 25, 4)
	ctx := context.Background()
	var walked []string
	in := provider.Values(nil)
	for _, want := range [][]string{ids[:10], ids[10:20], ids[20:]} {
		res, err := p.List(ctx, provider.ListOptions{Limit: 10, Input: in})
		if err != nil || !slices.Equal(itemIDs(res.Items), want) {
			t.Fatalf("--limit 10 %v: %v %v, want %v", in, err, itemIDs(res.Items), want)
		}
		walked = append(walked, itemIDs(res.Items)...)
		if len(walked) < len(ids) {
			if res.Next == nil || res.Next.Input.String("next") != walked[len(walked)-1] {
				t.Fatalf("continuation %+v, want next %s", res.Next, walked[len(walked)-1])
			}
			in = res.Next.Input
		} else if res.Next != nil {
			t.Fatalf("continuation %+v after the last page", res.Next)
		}
	}
	if n := len(seen()); n != 3+3+2 {
		t.Fatalf("%d requests, want 8 (pages of 4)", n)
	}

	// A limit beyond any real maximum reads to the end, whole.
	res, err := p.List(ctx, provider.ListOptions{Limit: math.MaxInt})
	if err != nil || !slices.Equal(itemIDs(res.Items), ids) || res.Next != nil {
		t.Fatalf("--limit MaxInt: %v %d items (next %+v), want %d", err, len(res.Items), res.Next, len(ids))
	}
	if q := seen()[len(seen())-7].Query; q != "limit=250" {
		t.Fatalf("--limit MaxInt asked %q, want limit=250", q)
	}
}

func TestListNextAcrossEmulatorPages(t *testing.T) {
	p, ids, seen := seeded(t, 9, 0)
	var walked []string
	in := provider.Values(nil)
	for pages := 1; pages <= 3; pages++ {
		res, err := p.List(context.Background(), provider.ListOptions{Limit: 3, Input: in})
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, itemIDs(res.Items)...)
		if (res.Next == nil) != (pages == 3) {
			t.Fatalf("page %d: continuation %+v", pages, res.Next)
		}
		if res.Next != nil {
			in = res.Next.Input
		}
	}
	if !slices.Equal(walked, ids) || len(seen()) != 3 {
		t.Fatalf("walked %v in %d requests, want %v in 3", walked, len(seen()), ids)
	}
}

func TestListPreviousAcrossPages(t *testing.T) {
	p, ids, seen := seeded(t, 12, 3)
	ctx := context.Background()
	res, err := p.List(ctx, provider.ListOptions{Limit: 7, Input: pt.In("previous", ids[10])})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(itemIDs(res.Items), ids[3:10]) {
		t.Fatalf("--previous %s --limit 7: %v, want %v (forward order)", ids[10], itemIDs(res.Items), ids[3:10])
	}
	if res.Next == nil || res.Next.Input.String("previous") != ids[3] || res.Next.Input.Has("next") {
		t.Fatalf("continuation %+v, want previous %s (the first id)", res.Next, ids[3])
	}
	if got, want := cursors(t, seen(), "previous"), []string{ids[10], ids[7], ids[4]}; !slices.Equal(got, want) {
		t.Fatalf("previous cursors sent %v, want %v", got, want)
	}
	if len(res.Raw) != 3 || !bytes.Contains(res.Raw[0], []byte(ids[1])) || !bytes.Contains(res.Raw[2], []byte(ids[9])) {
		t.Fatalf("raw pages not in forward order: %d pages", len(res.Raw))
	}
	res, err = p.List(ctx, provider.ListOptions{Limit: 7, Input: res.Next.Input})
	if err != nil || !slices.Equal(itemIDs(res.Items), ids[:3]) || res.Next != nil {
		t.Fatalf("continuing back: %v %v (next %+v), want %v and no continuation", err, itemIDs(res.Items), res.Next, ids[:3])
	}
}

func TestListPreviousAcrossEmulatorPages(t *testing.T) {
	p, ids, _ := seeded(t, 12, 0)
	var back [][]string
	in := pt.In("previous", ids[11])
	for pages := 1; ; pages++ {
		res, err := p.List(context.Background(), provider.ListOptions{Limit: 3, Input: in})
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, itemIDs(res.Items))
		if res.Next == nil {
			break
		}
		if first := res.Items[0].ID; res.Next.Input.String("previous") != first || pages > 5 {
			t.Fatalf("page %d: continuation %+v, want previous %s", pages, res.Next, first)
		}
		in = res.Next.Input
	}
	want := [][]string{ids[8:11], ids[5:8], ids[2:5], ids[:2]}
	if fmt.Sprint(back) != fmt.Sprint(want) {
		t.Fatalf("walking back: %v, want %v", back, want)
	}
}

func TestListMaxItems(t *testing.T) {
	p, ids, _ := seeded(t, 25, 4)
	ctx := context.Background()
	_, err := p.List(ctx, provider.ListOptions{All: true, MaxItems: 20})
	var pe *provider.PartialListError
	if !errors.As(err, &pe) || clierr.ExitCode(err) != clierr.ExitFailure || !strings.Contains(err.Error(), "more than 20") {
		t.Fatalf("--all beyond --max-items 20: %v (exit %d)", err, clierr.ExitCode(err))
	}
	res, err := p.List(ctx, provider.ListOptions{All: true, MaxItems: 25})
	if err != nil || len(res.Items) != len(ids) {
		t.Fatalf("--max-items 25: %v", err)
	}
	if res, err := p.List(ctx, provider.ListOptions{Limit: 5, MaxItems: 3}); err == nil {
		t.Fatalf("--limit 5 --max-items 3 returned %d items", len(res.Items))
	}
}

// misbehaving serves h behind spec validation of every request, counting them.
func misbehaving(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	spec := conektaspec.Load(t)
	var n atomic.Int32
	v := spec.Middleware(t, h, false)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		v.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func hook(id string) map[string]any {
	return map[string]any{"id": id, "object": "webhook", "url": "https://example.com/" + id, "active": true, "status": "listening", "subscribed_events": []string{"order.paid"}}
}

func listPage(w http.ResponseWriter, hasMore bool, next string, data ...any) {
	var nextURL any
	if next != "" {
		nextURL = "https://api.conekta.io/webhooks?limit=250&next=" + next
	}
	if data == nil {
		data = []any{}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "has_more": hasMore, "next_page_url": nextURL, "previous_page_url": nil, "data": data})
}

func TestListStopsOnBadCursors(t *testing.T) {
	var fresh atomic.Int32
	newHook := func() any { return hook(fmt.Sprintf("w%d", fresh.Add(1))) }
	cases := []struct {
		name     string
		h        http.HandlerFunc
		requests int32
		reason   string
	}{
		{"repeating cursor", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "loop", newHook())
		}, 2, "repeats"},
		{"cursor pointing to itself", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "self", newHook(), newHook())
		}, 2, "repeats"},
		{"the page's own first cursor", func(w http.ResponseWriter, r *http.Request) {
			c := r.URL.Query().Get("next")
			if c == "" {
				c = "start"
			}
			listPage(w, true, c, newHook())
		}, 2, "repeats"},
		{"more announced, no data", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "", nil...)
		}, 1, "no new webhooks"},
		{"the same items under new cursors", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, fmt.Sprintf("c%d", fresh.Add(1)), hook("a"), hook("b"))
		}, 2, "no new webhooks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n := misbehaving(t, c.h)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			for _, o := range []provider.ListOptions{{All: true}, {Limit: 1000}} {
				n.Store(0)
				res, err := newClient(t, srv.URL, nil).List(ctx, o)
				var pe *provider.PartialListError
				if !errors.As(err, &pe) || clierr.ExitCode(err) != clierr.ExitFailure || !strings.Contains(err.Error(), c.reason) {
					t.Fatalf("%+v: %v (exit %d, %v), want a partial-list error saying %q", o, err, clierr.ExitCode(err), res, c.reason)
				}
				if n.Load() != c.requests {
					t.Fatalf("%+v: %d requests, want %d", o, n.Load(), c.requests)
				}
			}
		})
	}
}

func TestListEndlessDistinctPagesBounded(t *testing.T) {
	var k atomic.Int64
	srv, n := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		data := make([]any, 250)
		for i := range data {
			data[i] = map[string]any{"id": fmt.Sprintf("w%d", k.Add(1))}
		}
		listPage(w, true, fmt.Sprintf("c%d", k.Load()), data...)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := newClient(t, srv.URL, nil).List(ctx, provider.ListOptions{All: true})
	var pe *provider.PartialListError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), fmt.Sprintf("more than %d", provider.DefaultMaxItems)) {
		t.Fatalf("endless list: %v", err)
	}
	if got, want := n.Load(), int32(provider.DefaultMaxItems/250+1); got != want {
		t.Fatalf("%d requests, want %d", got, want)
	}
}

func TestListSameIDOnTwoPagesOnce(t *testing.T) {
	srv, n := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next") == "" {
			listPage(w, true, "b", hook("a"), hook("b"))
			return
		}
		listPage(w, false, "", hook("b"), hook("c"))
	})
	res, err := newClient(t, srv.URL, nil).List(context.Background(), provider.ListOptions{All: true})
	if err != nil || strings.Join(itemIDs(res.Items), ",") != "a,b,c" || n.Load() != 2 {
		t.Fatalf("%v %v in %d requests, want a,b,c in 2", err, itemIDs(res.Items), n.Load())
	}
}

func TestListItemsWithoutIDRefused(t *testing.T) {
	for _, item := range []string{`null`, `{"id":null,"url":"https://example.com/x"}`, `{"url":"https://example.com/x","active":true}`, `{"id":""}`} {
		srv, _ := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"object":"list","has_more":false,"data":[{"id":"ok1"},%s]}`, item)
		})
		res, err := newClient(t, srv.URL, nil).List(context.Background(), provider.ListOptions{})
		var ve *provider.ValidationError
		if err == nil || errors.As(err, &ve) || clierr.ExitCode(err) != clierr.ExitFailure || !strings.Contains(err.Error(), "without an id") {
			t.Fatalf("item %s: %v (exit %d, %+v), want a provider error", item, err, clierr.ExitCode(err), res)
		}
	}
}
