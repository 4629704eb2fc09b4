package cmd_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
)

// receiver is a loopback webhook receiver answering status, counting deliveries.
func receiver(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(status)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

// TestDeliveriesBadInputSendsNothing: each mistake is one line and exit 2
// before any request (token requests included).
func TestDeliveriesBadInputSendsNothing(t *testing.T) {
	old := time.Now().AddDate(0, -7, 0).Format("2006-01-02")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "b", "deliveries", "list", "--from", old}, "more than 6 months ago"},
		{[]string{"--profile", "b", "deliveries", "list", "--since", "200d"}, "more than 6 months ago"},
		{[]string{"--profile", "b", "deliveries", "redeliver", "3f0c0000-0000-0000-0000-000000000000", "--to", "x"}, "--to is not a bankly flag"},
		{[]string{"--profile", "b", "deliveries", "list", "--webhook", "x"}, "--webhook is not a bankly flag"},
		{[]string{"--profile", "c", "deliveries", "list", "--context", "Pix"}, "--context is not a conekta flag"},
		{[]string{"--profile", "c", "deliveries", "list", "--event", "order.piad"}, "did you mean order.paid?"},
		{[]string{"--profile", "b", "deliveries", "redeliver", "--failed", "--since", "1h", "--event", "PIX_CASH_IN_WAS_CLEARD", "--yes"}, "did you mean PIX_CASH_IN_WAS_CLEARED?"},
		{[]string{"--profile", "c", "deliveries", "redeliver", "--failed"}, "--failed needs a window"},
		{[]string{"--profile", "c", "deliveries", "redeliver", "--failed", "--since", "24h"}, "stdin is not a terminal, pass --yes"},
		{[]string{"--profile", "b", "deliveries", "redeliver", "--failed", "--from", "2026-01-01"}, "stdin is not a terminal, pass --yes"},
		{[]string{"--profile", "c", "deliveries", "redeliver", "ID1", "--since", "1h"}, "--since applies with --failed"},
		{[]string{"--profile", "c", "deliveries", "list", "--status", "faild"}, "did you mean failed?"},
		{[]string{"--profile", "c", "deliveries", "list", "--since", "24h", "--from", "2026-01-01"}, "--since and --from/--to both given"},
		{[]string{"--profile", "c", "deliveries", "list", "--from", "yesterday"}, "give RFC 3339"},
		{[]string{"--profile", "c", "deliveries", "list", "--limit", "5", "--all"}, "--limit and --all both given"},
	} {
		w := newWorld(t, nil, nil)
		w.chdir()
		out, errOut, code := w.exec(c.args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, out, errOut, c.want)
		}
		if w.count.api != 0 || w.count.tokens != 0 {
			t.Errorf("%v: %d API and %d token requests sent, want none", c.args, w.count.api, w.count.tokens)
		}
	}
}

// TestDeliveriesBankly: list streams every page into one JSON array with the
// contract's keys; redeliver reports per id and exits 1 when one failed.
func TestDeliveriesBankly(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	recv, hits := receiver(t, http.StatusOK)
	keys := w.bemu.SeedMessages(banklyemu.MessageSeed{Count: 250, Attempts: 4, Start: time.Now().Add(-5 * time.Hour), Step: time.Second, URI: recv.URL})
	out, errOut, code := w.exec("--profile", "b", "deliveries", "list", "--all", "-o", "json")
	var items []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil || len(items) != 250 {
		t.Fatalf("list --all: exit %d, %d items: %s", code, len(items), errOut)
	}
	var names []string
	for k := range items[0] {
		names = append(names, k)
	}
	slices.Sort(names)
	want := []string{"attempts", "context", "created_at", "event", "id", "last_attempt_at", "last_status_code", "provider", "status", "url", "webhook_id"}
	if !slices.Equal(names, want) || items[0]["id"] != keys[0] || items[0]["status"] != "failed" || items[0]["attempts"] != 4.0 || items[0]["last_status_code"] != 500.0 {
		t.Fatalf("first item %v", items[0])
	}
	api := w.count.api
	out, _, code = w.exec("--profile", "b", "deliveries", "redeliver", keys[0], "00000000-0000-0000-0000-000000000000", "-o", "json")
	var res []struct {
		ID          string
		Redelivered bool
		Error       *string
	}
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 2 {
		t.Fatalf("redeliver: exit %d: %s", code, out)
	}
	if !res[0].Redelivered || res[0].Error != nil || res[1].Redelivered || res[1].Error == nil || !strings.Contains(*res[1].Error, "404") {
		t.Fatalf("redeliver results %s", out)
	}
	if n := w.count.api - api; n != 2 || hits.Load() != 1 {
		t.Fatalf("%d API requests and %d deliveries, want 2 and 1", n, hits.Load())
	}
}

// TestRedeliverFailedBatchFallback: --failed over whole days uses Bankly's
// batch; when it answers 404 or 405, each message is reprocessed alone.
func TestRedeliverFailedBatchFallback(t *testing.T) {
	for _, status := range []int{0, http.StatusNotFound, http.StatusMethodNotAllowed} {
		var mu sync.Mutex
		var posts []string
		w := newWorld(t, nil, func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/webhooks/processed-messages/") {
				mu.Lock()
				posts = append(posts, strings.TrimPrefix(r.URL.Path, "/webhooks/processed-messages/"))
				mu.Unlock()
				if status != 0 && r.URL.Path == "/webhooks/processed-messages/batch" {
					rw.WriteHeader(status)
					return
				}
			}
			next.ServeHTTP(rw, r)
		})
		w.chdir()
		recv, _ := receiver(t, http.StatusOK)
		day := time.Now().UTC().Truncate(24 * time.Hour)
		keys := w.bemu.SeedMessages(banklyemu.MessageSeed{Count: 3, Attempts: 4, Start: day, Step: time.Second, URI: recv.URL})
		today := day.Format("2006-01-02")
		out, errOut, code := w.exec("--profile", "b", "deliveries", "redeliver", "--failed", "--from", today, "--to", today, "--yes", "-o", "json")
		var res []struct {
			ID          string
			Redelivered bool
		}
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 3 {
			t.Fatalf("batch answering %d: exit %d: %s %s", status, code, out, errOut)
		}
		want := []string{"batch"}
		if status != 0 {
			want = append(want, keys...)
		}
		if !slices.Equal(posts, want) {
			t.Fatalf("batch answering %d: POSTs %v, want %v", status, posts, want)
		}
		for i, r := range res {
			if r.ID != keys[i] || !r.Redelivered {
				t.Fatalf("batch answering %d: results %s", status, out)
			}
		}
		if !strings.Contains(errOut, "Redeliver 3 failed bankly deliveries") {
			t.Fatalf("stderr %q: want what is resent", errOut)
		}
	}
}

// TestDeliveriesConekta: --failed resends each failed event, oldest first, to
// the webhooks whose delivery failed; a failure is reported and exits 1.
func TestDeliveriesConekta(t *testing.T) {
	var once sync.Once
	var ids []string
	recv, hits := receiver(t, http.StatusOK)
	w := newWorld(t, func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		once.Do(func() {
			ids = next.(*conektaemu.Server).SeedEvents(conektaemu.EventSeed{Count: 3, Logs: 1, Attempts: 2, Start: time.Now().Add(-time.Hour), Step: time.Second, URL: recv.URL})
		})
		next.ServeHTTP(rw, r)
	}, nil)
	w.chdir()
	out, errOut, code := w.exec("--profile", "c", "deliveries", "redeliver", "--failed", "--since", "2h", "--dry-run", "-o", "name")
	if code != 0 || out != strings.Join(ids, "\n")+"\n" {
		t.Fatalf("--dry-run: exit %d: %q %s; want %v oldest first", code, out, errOut, ids)
	}
	if hits.Load() != 0 {
		t.Fatalf("--dry-run delivered %d", hits.Load())
	}
	out, errOut, code = w.exec("--profile", "c", "deliveries", "redeliver", "--failed", "--since", "2h", "--limit", "2", "--yes", "-o", "json")
	var res []struct {
		ID          string
		Redelivered bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 2 || res[0].ID != ids[0] || res[1].ID != ids[1] || hits.Load() != 2 {
		t.Fatalf("--failed --limit 2: exit %d, %d deliveries: %s %s", code, hits.Load(), out, errOut)
	}
	out, _, code = w.exec("--profile", "c", "deliveries", "redeliver", ids[2], "0123456789abcdef01234567")
	if code != 1 || !strings.Contains(out, ids[2]) || hits.Load() != 3 {
		t.Fatalf("redeliver with one unknown: exit %d: %s", code, out)
	}
	out, _, code = w.exec("--profile", "c", "deliveries", "list", "--status", "succeeded", "-o", "json", "--jq", "length")
	if code != 0 || out != "3\n" {
		t.Fatalf("after redelivery: exit %d, %q succeeded, want 3", code, out)
	}
}
