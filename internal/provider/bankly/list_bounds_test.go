package bankly_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
)

func listRequests(f *fixture) []*http.Request {
	return apiRequests(f, http.MethodGet, "/webhooks/configurations")
}

// withoutMeta answers lists of total items, paged as asked, with no meta.
func withoutMeta(total int) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/webhooks/configurations" || r.Method != http.MethodGet {
			return false
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		var items []string
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			items = append(items, fmt.Sprintf(`{"id":"i%d","uri":"https://e.com","status":"Enabled"}`, i))
		}
		io.WriteString(w, `{"data":[`+strings.Join(items, ",")+`]}`)
		return true
	}
}

// TestListWithoutTotal: without meta.total, pages are followed one by one
// until a short page, and an empty answer is an empty list.
func TestListWithoutTotal(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, banklyemu.Options{})
	f.override = withoutMeta(250)
	res, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
	if err != nil || len(res.Items) != 250 || !distinct(res.Items) || len(listRequests(f)) != 3 {
		t.Fatalf("%v: %d requests", err, len(listRequests(f)))
	}
	f = newFixture(t, banklyemu.Options{})
	f.override = withoutMeta(0)
	res, err = f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true})
	if err != nil || len(res.Items) != 0 || len(listRequests(f)) != 1 {
		t.Fatalf("empty: %v %+v", err, res)
	}
}

// TestListPageInputs: --page and --page-size take 1..100, both ends
// included, and one page is shown whole unless --limit cuts it.
func TestListPageInputs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, banklyemu.Options{})
	f.emu.Seed(40)
	p := f.must(t, provider.Read)
	for _, c := range []struct {
		page, size string
		limit      int
		items      int
		next       []string // page, page-size of the continuation; nil: none
	}{
		{"1", "1", 0, 1, []string{"2", "1"}},
		{"1", "100", 0, 40, nil},
		{"1", "20", 0, 20, []string{"2", "20"}},
		{"2", "20", 0, 20, nil},
		{"1", "30", 10, 10, []string{"2", "30"}},
	} {
		before := len(listRequests(f))
		res, err := p.List(ctx, provider.ListOptions{Limit: c.limit, Input: pt.In("page", c.page, "page-size", c.size)})
		if err != nil || len(res.Items) != c.items {
			t.Fatalf("page %s size %s: %v", c.page, c.size, err)
		}
		var next []string
		if res.Next != nil {
			next = []string{res.Next.Input.String("page"), res.Next.Input.String("page-size")}
		}
		if !reflect.DeepEqual(next, c.next) {
			t.Fatalf("page %s size %s: next %v, want %v", c.page, c.size, next, c.next)
		}
		reqs := listRequests(f)[before:]
		if len(reqs) != 1 || reqs[0].URL.Query().Get("page") != c.page || reqs[0].URL.Query().Get("pageSize") != c.size {
			t.Fatalf("page %s size %s: %d requests", c.page, c.size, len(reqs))
		}
	}
	for _, in := range []provider.Values{pt.In("page", "0"), pt.In("page-size", "0"), pt.In("page-size", "101")} {
		if _, err := p.List(ctx, provider.ListOptions{Input: in}); clierr.ExitCode(err) != 2 {
			t.Fatalf("%v: %v", in, err)
		}
	}
}

// TestListTargetsAndProgress: a first page holding the whole --limit is the
// answer (one page reported), the number of pages follows the total
// exactly, and the continuation after a cut is pages of a size dividing it.
func TestListTargetsAndProgress(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, banklyemu.Options{})
	f.emu.Seed(250)
	p := f.must(t, provider.Read)
	var mu sync.Mutex
	var calls [][2]int
	progress := func(done, total int) { mu.Lock(); calls = append(calls, [2]int{done, total}); mu.Unlock() }
	res, err := p.List(ctx, provider.ListOptions{Progress: progress})
	if err != nil || len(res.Items) != 20 || !reflect.DeepEqual(calls, [][2]int{{1, 0}}) {
		t.Fatalf("%v: progress %v", err, calls)
	}
	if res.Next == nil || res.Next.Input.String("page") != "2" || res.Next.Input.String("page-size") != "20" {
		t.Fatalf("next %+v", res.Next)
	}
	res, err = p.List(ctx, provider.ListOptions{Limit: 150})
	if err != nil || len(res.Items) != 150 || res.Next == nil || res.Next.Input.String("page") != "3" || res.Next.Input.String("page-size") != "75" {
		t.Fatalf("--limit 150: %v %+v", err, res.Next)
	}
	f = newFixture(t, banklyemu.Options{})
	f.emu.Seed(200)
	calls = nil
	res, err = f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true, Progress: progress})
	if err != nil || len(res.Items) != 200 || len(listRequests(f)) != 2 || len(res.Raw) != 2 || res.Next != nil {
		t.Fatalf("200 items: %v, %d requests", err, len(listRequests(f)))
	}
	if !reflect.DeepEqual(calls, [][2]int{{1, 0}, {1, 2}, {2, 2}}) {
		t.Fatalf("progress %v", calls)
	}
}

// TestListMaxItemsBounds: a total equal to --max-items is within it, and a
// --limit up to it is followed even when the total is larger.
func TestListMaxItemsBounds(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, banklyemu.Options{})
	f.emu.Seed(100)
	res, err := f.must(t, provider.Read).List(ctx, provider.ListOptions{All: true, MaxItems: 100})
	if err != nil || len(res.Items) != 100 {
		t.Fatalf("total = max-items: %v", err)
	}
	f = newFixture(t, banklyemu.Options{})
	f.emu.Seed(200)
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		q := r.URL.Query()
		if n, _ := strconv.Atoi(q.Get("pageSize")); n > 50 {
			q.Set("pageSize", "50")
			r.URL.RawQuery = q.Encode()
		}
		return false
	}
	res, err = f.must(t, provider.Read).List(ctx, provider.ListOptions{Limit: 100, MaxItems: 100})
	if err != nil || len(res.Items) != 100 || !distinct(res.Items) || len(listRequests(f)) != 2 {
		t.Fatalf("--limit = max-items over a larger total: %v, %d requests", err, len(listRequests(f)))
	}
	res, err = f.must(t, provider.Read).List(ctx, provider.ListOptions{Limit: 150, MaxItems: 100})
	var pe *provider.PartialListError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "reports 200 configurations, more than") {
		t.Fatalf("--limit above max-items: %v", err)
	}
}

// TestListEmptyPageWithTotal: a first page with no items but a positive
// total is a short list, an error.
func TestListEmptyPageWithTotal(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/webhooks/configurations" {
			return false
		}
		io.WriteString(w, `{"data":[],"meta":{"page":1,"pageSize":100,"total":5}}`)
		return true
	}
	_, err := f.must(t, provider.Read).List(context.Background(), provider.ListOptions{All: true})
	var pe *provider.PartialListError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "reported 5 configurations but its pages held 0") {
		t.Fatalf("%v", err)
	}
}

// TestListConcurrencyBounded: --all never has more than four pages in
// flight.
func TestListConcurrencyBounded(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.emu.Seed(1000)
	var inFlight, most atomic.Int32
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/webhooks/configurations" && r.URL.Query().Get("page") != "1" {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(40 * time.Millisecond)
		}
		return false
	}
	res, err := f.must(t, provider.Read).List(context.Background(), provider.ListOptions{All: true})
	if err != nil || len(res.Items) != 1000 || !distinct(res.Items) {
		t.Fatalf("%v", err)
	}
	if m := most.Load(); m > 4 || m < 2 {
		t.Fatalf("%d pages in flight at once, want 2 to 4", m)
	}
}
