package bankly_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
)

// TestListAllPagesAndBounds: --all over 3+ pages, a server that caps the
// page size, absurd totals, a page failing mid-way and --max-items.
func TestListAllPagesAndBounds(t *testing.T) {
	ctx := context.Background()
	t.Run("three pages with a short last page", func(t *testing.T) {
		f := newFixture(t, banklyemu.Options{})
		f.emu.Seed(250)
		res, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
		if err != nil || len(res.Items) != 250 || len(res.Raw) != 3 || !distinct(res.Items) {
			t.Fatalf("%v: %d items in %d pages", err, len(res.Items), len(res.Raw))
		}
		res, err = f.must(t, provider.Read).List(ctx, provider.ListOptions{Limit: 150})
		if err != nil || len(res.Items) != 150 || res.Next == nil {
			t.Fatalf("--limit 150: %v, %d items", err, len(res.Items))
		}
	})
	t.Run("a server capping pages at 50", func(t *testing.T) {
		f := newFixture(t, banklyemu.Options{})
		f.emu.Seed(300)
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			q := r.URL.Query()
			if n, _ := strconv.Atoi(q.Get("pageSize")); n > 50 {
				q.Set("pageSize", "50")
				r.URL.RawQuery = q.Encode()
			}
			return false
		}
		res, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
		if err != nil || len(res.Items) != 300 || !distinct(res.Items) {
			t.Fatalf("%v: %d items, want all 300", err, func() int {
				if res == nil {
					return 0
				}
				return len(res.Items)
			}())
		}
	})
	for _, total := range []string{"-3", strconv.FormatInt(math.MaxInt64, 10), "1e15"} {
		t.Run("total "+total, func(t *testing.T) {
			f := newFixture(t, banklyemu.Options{})
			var pages atomic.Int32
			f.override = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != "/webhooks/configurations" {
					return false
				}
				pages.Add(1)
				io.WriteString(w, `{"data":[{"id":"a","uri":"https://e.com","status":"Enabled"}],"meta":{"page":1,"pageSize":100,"total":`+total+`}}`)
				return true
			}
			_, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
			if clierr.ExitCode(err) != 1 || pages.Load() != 1 {
				t.Fatalf("%v (exit %d) after %d pages", err, clierr.ExitCode(err), pages.Load())
			}
		})
	}
	t.Run("a page failing mid-way", func(t *testing.T) {
		f := newFixture(t, banklyemu.Options{})
		f.emu.Seed(350)
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Query().Get("page") == "3" {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"errors":[{"code":"BAD","messages":["no"]}]}`)
				return true
			}
			return false
		}
		res, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
		if err == nil || res != nil || clierr.ExitCode(err) != 1 {
			t.Fatalf("%v: a partial list came back", err)
		}
	})
	t.Run("an item on two pages", func(t *testing.T) {
		f := newFixture(t, banklyemu.Options{})
		f.emu.Seed(150)
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Query().Get("page") == "2" {
				io.WriteString(w, `{"data":[{"id":"dup","uri":"https://e.com","status":"Enabled"},{"id":"dup","uri":"https://e.com","status":"Enabled"}],"meta":{"page":2,"pageSize":100,"total":150}}`)
				return true
			}
			return false
		}
		_, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
		if clierr.ExitCode(err) != 1 {
			t.Fatalf("a list short of its total came back: %v", err)
		}
	})
	t.Run("max-items", func(t *testing.T) {
		f := newFixture(t, banklyemu.Options{})
		f.emu.Seed(120)
		before := len(f.requests())
		_, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true, MaxItems: 100})
		var pe *provider.PartialListError
		if !errors.As(err, &pe) || len(f.requests())-before > 2 {
			t.Fatalf("%v after %d requests", err, len(f.requests())-before)
		}
	})
}

func distinct(items []provider.Webhook) bool {
	seen := map[string]bool{}
	for _, w := range items {
		if seen[w.ID] {
			return false
		}
		seen[w.ID] = true
	}
	return true
}
