package bankly_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
)

// answered is an emulator delivery client that answers every delivery 200
// without leaving the machine.
var answered = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
})}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func messageRequests(f *fixture, method, path string) []*http.Request {
	var out []*http.Request
	for _, r := range f.requests() {
		if r.Method == method && r.URL.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func listDeliveries(t *testing.T, p provider.Provider, q provider.DeliveryQuery) ([]provider.Delivery, int, bool) {
	t.Helper()
	var out []provider.Delivery
	batches := 0
	more, err := p.(provider.DeliveryLister).ListDeliveries(context.Background(), q, func(page []provider.Delivery) error {
		batches++
		out = append(out, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, batches, more
}

func TestDeliveriesAllPagesInOrder(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	start := time.Now().UTC().Add(-10 * time.Hour)
	keys := f.emu.SeedMessages(banklyemu.MessageSeed{Count: 350, Attempts: 4, Start: start, Step: time.Second})
	p := f.must(t, provider.Read)
	got, batches, more := listDeliveries(t, p, provider.DeliveryQuery{From: time.Now().Add(-24 * time.Hour), All: true})
	if len(got) != 350 || more || batches != 4 {
		t.Fatalf("%d deliveries in %d batches (more %v), want 350 in 4", len(got), batches, more)
	}
	for i, d := range got {
		if d.ID != keys[i] || d.Status != provider.DeliveryFailed || d.Attempts != 4 || d.Context != "Pix" || d.WebhookID != nil {
			t.Fatalf("delivery %d = %+v, want %s failed after 4", i, d, keys[i])
		}
	}
	reqs := messageRequests(f, http.MethodGet, "/webhooks/processed-messages")
	var pages []string
	for _, r := range reqs {
		q := r.URL.Query()
		if q.Get("pageSize") != "100" || q.Get("startDate") != time.Now().Add(-24*time.Hour).UTC().Format("2006-01-02") || q.Get("endDate") != time.Now().UTC().Format("2006-01-02") {
			t.Fatalf("query %v", q)
		}
		pages = append(pages, q.Get("page"))
	}
	slices.Sort(pages)
	if !slices.Equal(pages, []string{"1", "2", "3", "4"}) {
		t.Fatalf("pages %v, want 1-4 each once", pages)
	}
}

func TestDeliveriesServerFiltersAndWindowTimes(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	now := time.Now().UTC()
	f.emu.SeedMessages(banklyemu.MessageSeed{Count: 3, Attempts: 1, Status: 200, Start: now.Add(-3 * time.Hour), Step: time.Minute})
	f.emu.SeedMessages(banklyemu.MessageSeed{Count: 2, Attempts: 4, Start: now.Add(-90 * time.Minute), Step: time.Minute})
	p := f.must(t, provider.Read)
	got, _, _ := listDeliveries(t, p, provider.DeliveryQuery{From: now.Add(-2 * time.Hour), Status: provider.DeliveryFailed, Event: "PIX_CASH_IN_WAS_CLEARED", Input: provider.Values{"context": {"Pix"}}})
	if len(got) != 2 {
		t.Fatalf("%d failed deliveries, want 2", len(got))
	}
	q := messageRequests(f, http.MethodGet, "/webhooks/processed-messages")[0].URL.Query()
	if q.Get("state") != "Failed" || q.Get("eventName") != "PIX_CASH_IN_WAS_CLEARED" || q.Get("context") != "Pix" {
		t.Fatalf("query %v", q)
	}
	// The 3 successes are 3 h old: the day matches, the time does not.
	got, _, _ = listDeliveries(t, p, provider.DeliveryQuery{From: now.Add(-2 * time.Hour), All: true})
	if len(got) != 2 {
		t.Fatalf("window of 2 h: %d deliveries, want 2", len(got))
	}
	got, _, more := listDeliveries(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), Limit: 4})
	if len(got) != 4 || !more {
		t.Fatalf("--limit 4: %d (more %v), want 4 and more", len(got), more)
	}
}

func TestDeliveriesSixMonthsRefusedBeforeSending(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read)
	_, err := p.(provider.DeliveryLister).ListDeliveries(context.Background(), provider.DeliveryQuery{From: time.Now().AddDate(0, -7, 0)}, func([]provider.Delivery) error { return nil })
	var ve *provider.ValidationError
	if !errors.As(err, &ve) || clierr.ExitCode(err) != clierr.ExitUsage || !strings.Contains(ve.Msg, "{from}") {
		t.Fatalf("7 months back: %v (exit %d), want a usage error naming {from}", err, clierr.ExitCode(err))
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("%d requests sent, want 0", n)
	}
}

func TestDeliveryGetSearchesByKey(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	keys := f.emu.SeedMessages(banklyemu.MessageSeed{Count: 250, Attempts: 2, Start: time.Now().Add(-24 * time.Hour), Step: time.Second})
	p := f.must(t, provider.Read)
	d, err := p.(provider.DeliveryGetter).GetDelivery(context.Background(), keys[120], provider.DeliveryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != keys[120] || len(d.Deliveries) != 1 || len(d.Deliveries[0].History) != 2 || d.Deliveries[0].LastResponse != "seeded" {
		t.Fatalf("get: %+v", d)
	}
	_, err = p.(provider.DeliveryGetter).GetDelivery(context.Background(), "00000000-0000-0000-0000-000000000000", provider.DeliveryQuery{})
	if clierr.ExitCode(err) != clierr.ExitNotFound {
		t.Fatalf("unknown key: %v (exit %d), want exit 4", err, clierr.ExitCode(err))
	}
}

func TestRedeliverAndBatch(t *testing.T) {
	f := newFixture(t, banklyemu.Options{DeliveryClient: answered})
	day := time.Now().UTC().Truncate(24 * time.Hour)
	keys := f.emu.SeedMessages(banklyemu.MessageSeed{Count: 3, Attempts: 4, Start: day.Add(time.Minute), Step: time.Second})
	p := f.must(t, provider.Read|provider.Write)
	if err := p.(provider.Redeliverer).Redeliver(context.Background(), keys[0], provider.RedeliverOptions{}); err != nil {
		t.Fatal(err)
	}
	if r := messageRequests(f, http.MethodPost, "/webhooks/processed-messages/"+keys[0]); len(r) != 1 || r[0].ContentLength > 0 {
		t.Fatalf("reprocess requests %d, want 1 without a body", len(r))
	}
	want := []provider.Delivery{{ID: keys[1]}, {ID: keys[2]}}
	q := provider.DeliveryQuery{From: day, To: day.Add(24*time.Hour - time.Nanosecond), Status: provider.DeliveryFailed}
	res, handled, err := p.(provider.BatchRedeliverer).RedeliverFailed(context.Background(), q, want)
	if err != nil || !handled || len(res) != 2 || !res[0].Redelivered || !res[1].Redelivered {
		t.Fatalf("batch: %+v handled %v err %v", res, handled, err)
	}
	b := messageRequests(f, http.MethodPost, "/webhooks/processed-messages/batch")
	if len(b) != 1 {
		t.Fatalf("%d batch requests, want 1", len(b))
	}
	// A window that is not whole days cannot be batched: nothing is sent.
	_, handled, err = p.(provider.BatchRedeliverer).RedeliverFailed(context.Background(), provider.DeliveryQuery{From: day.Add(time.Hour)}, want)
	if handled || err != nil || len(messageRequests(f, http.MethodPost, "/webhooks/processed-messages/batch")) != 1 {
		t.Fatalf("partial day: handled %v err %v", handled, err)
	}
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/webhooks/processed-messages/batch" {
				return false
			}
			w.WriteHeader(status)
			w.Write([]byte(`{"errors":[{"code":"NOT_FOUND","messages":["no such route"]}]}`))
			return true
		}
		res, handled, err := p.(provider.BatchRedeliverer).RedeliverFailed(context.Background(), q, want)
		if handled || err != nil || res != nil {
			t.Fatalf("batch answering %d: handled %v err %v, want a fallback", status, handled, err)
		}
	}
	if n := len(messageRequests(f, http.MethodPost, "/webhooks/processed-messages/batch")); n != 3 {
		t.Fatalf("%d batch requests, want 3", n)
	}
}
