package conekta_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider"
)

// answered is an emulator delivery client that answers every delivery 200
// without leaving the machine.
var answered = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
})}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func listAll(t *testing.T, p provider.Provider, q provider.DeliveryQuery) ([]provider.Delivery, int, bool) {
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

func eventsRequests(rs []recorded) int {
	n := 0
	for _, r := range rs {
		if r.Method == http.MethodGet && r.Path == "/events" {
			n++
		}
	}
	return n
}

func TestDeliveriesPagesAndWindowStop(t *testing.T) {
	srv, emu, seen := fake(t, conektaemu.Options{DeliveryClient: answered})
	now := time.Now()
	// 400 events before the window, then 800 in it (newest last): 5 pages of 250.
	emu.SeedEvents(conektaemu.EventSeed{Count: 400, Logs: 1, Attempts: 1, Start: now.Add(-72 * time.Hour), Step: time.Second})
	ids := emu.SeedEvents(conektaemu.EventSeed{Count: 800, Logs: 1, Attempts: 4, Start: now.Add(-20 * time.Hour), Step: time.Second})
	var debug []string
	p, err := build(srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, batches, more := listAll(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), All: true,
		Debugf: func(f string, a ...any) { debug = append(debug, f) }})
	if len(got) != 800 || more {
		t.Fatalf("%d deliveries (more %v), want 800", len(got), more)
	}
	slices.Reverse(ids) // Conekta lists newest first
	for i, d := range got {
		if d.ID != ids[i] || d.Status != provider.DeliveryFailed || d.Attempts != 4 || d.LastStatusCode == nil || *d.LastStatusCode != 500 || d.WebhookID == nil {
			t.Fatalf("delivery %d = %+v, want event %s failed after 4 attempts", i, d, ids[i])
		}
	}
	// Pages 1-4 hold the window (250+250+250+50); the 4th reaches older events: no 5th.
	if n := eventsRequests(seen()); n != 4 || batches != 4 {
		t.Fatalf("%d GET /events (%d batches), want 4", n, batches)
	}
	if len(debug) == 0 || !strings.Contains(debug[0], "client-side") {
		t.Fatalf("debug lines %q: want the client-side filtering said", debug)
	}
}

func TestDeliveriesFiltersAndLimit(t *testing.T) {
	srv, emu, seen := fake(t, conektaemu.Options{DeliveryClient: answered})
	now := time.Now()
	emu.SeedEvents(conektaemu.EventSeed{Count: 30, Logs: 2, Attempts: 1, Status: 200, Start: now.Add(-2 * time.Hour), Step: time.Second})
	failed := emu.SeedEvents(conektaemu.EventSeed{Count: 5, Logs: 2, Attempts: 3, Start: now.Add(-time.Hour), Step: time.Second})
	p := newClient(t, srv.URL, nil)
	got, _, more := listAll(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), Status: provider.DeliveryFailed, All: true})
	if len(got) != 10 || more {
		t.Fatalf("%d failed deliveries, want 10 (5 events × 2 webhooks)", len(got))
	}
	hook := *got[0].WebhookID
	got, _, _ = listAll(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), Input: provider.Values{"webhook": {hook}}, All: true})
	if len(got) != 35 {
		t.Fatalf("--webhook: %d deliveries, want 35", len(got))
	}
	got, _, more = listAll(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), Limit: 3})
	if len(got) != 3 || !more || got[0].ID != failed[4] {
		t.Fatalf("--limit 3: %d (more %v), first %s, want 3, more, %s", len(got), more, got[0].ID, failed[4])
	}
	got, _, _ = listAll(t, p, provider.DeliveryQuery{From: now.Add(-24 * time.Hour), Event: "charge.paid", All: true})
	if len(got) != 0 {
		t.Fatalf("--event charge.paid: %d deliveries, want 0", len(got))
	}
	if n := eventsRequests(seen()); n != 4 {
		t.Fatalf("%d GET /events, want 4 (one page each)", n)
	}
}

func TestDeliveryGetAndRedeliver(t *testing.T) {
	srv, emu, seen := fake(t, conektaemu.Options{DeliveryClient: answered})
	ids := emu.SeedEvents(conektaemu.EventSeed{Count: 1, Logs: 2, Attempts: 3, Start: time.Now().Add(-time.Minute), Step: time.Second})
	p := newClient(t, srv.URL, nil)
	d, err := p.(provider.DeliveryGetter).GetDelivery(context.Background(), ids[0], provider.DeliveryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Deliveries) != 2 || len(d.Deliveries[0].History) != 3 || d.Deliveries[0].LastResponse != "seeded" || len(d.Payload) == 0 {
		t.Fatalf("get: %+v", d)
	}
	hooks := []string{*d.Deliveries[0].WebhookID, *d.Deliveries[1].WebhookID}
	r := p.(provider.Redeliverer)
	if err := r.Redeliver(context.Background(), ids[0], provider.RedeliverOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Redeliver(context.Background(), ids[0], provider.RedeliverOptions{Input: provider.Values{"to": {hooks[1]}}}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, rec := range seen() {
		if rec.Method == http.MethodPost {
			bodies = append(bodies, rec.Path+" "+rec.Body)
		}
	}
	want := []string{
		"/events/" + ids[0] + "/resend " + mustJSON(map[string]any{"webhooks_ids": hooks}),
		"/events/" + ids[0] + "/resend " + mustJSON(map[string]any{"webhooks_ids": hooks[1:]}),
	}
	if !slices.Equal(bodies, want) {
		t.Fatalf("resend requests\n%q\nwant\n%q", bodies, want)
	}
	err = r.Redeliver(context.Background(), "0123456789abcdef01234567", provider.RedeliverOptions{})
	var ae *provider.APIError
	if !errors.As(err, &ae) || clierr.ExitCode(err) != clierr.ExitNotFound {
		t.Fatalf("unknown event: %v (exit %d), want 404 → exit 4", err, clierr.ExitCode(err))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
