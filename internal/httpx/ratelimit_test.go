package httpx

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/redact"
)

// debugClient retries with the given policy and logs to the returned buffer.
func debugClient(p RetryPolicy) (*http.Client, *syncBuffer) {
	var buf syncBuffer
	return New(Options{Debug: &buf, Redactor: redact.New(), Retry: p}), &buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var retryLine = regexp.MustCompile(`\* retrying (\S+) \S+ in (\S+) \(attempt (\d) of (\d)\): (.*)`)

// delays returns the waits the retry log announced, in order.
func delays(t *testing.T, log string) []time.Duration {
	t.Helper()
	var out []time.Duration
	for _, m := range retryLine.FindAllStringSubmatch(log, -1) {
		d, err := time.ParseDuration(m[2])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func do(t *testing.T, c *http.Client, ctx context.Context, method, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(`{"n":1}`))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestRateLimitWithoutUsableRetryAfterStopsAtOnce: Bankly asks for five
// minutes; retrying 429 within a second (or 3 ms with Retry-After: 0) only
// prolongs the refusal.
func TestRateLimitWithoutUsableRetryAfterStopsAtOnce(t *testing.T) {
	for _, ra := range []string{"", "0", "soon", "-5", "Wed, 21 Oct 2015 07:28:00 GMT", "300"} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(method+" Retry-After "+strconv.Quote(ra), func(t *testing.T) {
				srv, n := serverRetryAfter(t, ra, 429, 200)
				c, log := debugClient(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
				resp := do(t, c, context.Background(), method, srv.URL)
				if resp.StatusCode != 429 || n.Load() != 1 {
					t.Fatalf("status %d after %d requests, want 429 after 1\n%s", resp.StatusCode, n.Load(), log)
				}
				want := "without a usable Retry-After"
				if ra == "300" {
					want = "the wait of 5m0s would exceed the retry budget"
				}
				if !strings.Contains(log.String(), "* not retrying "+method+" "+srv.URL+": ") || !strings.Contains(log.String(), want) {
					t.Fatalf("log does not say why it stopped (%q):\n%s", want, log)
				}
			})
		}
	}
}

func TestRateLimitBeyondDeadlineStopsAtOnce(t *testing.T) {
	srv, n := serverRetryAfter(t, "20", 429, 200)
	c, log := debugClient(RetryPolicy{BaseDelay: time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp := do(t, c, ctx, "GET", srv.URL)
	if resp.StatusCode != 429 || n.Load() != 1 || !strings.Contains(log.String(), "the wait of 20s would pass the deadline") {
		t.Fatalf("status %d after %d requests\n%s", resp.StatusCode, n.Load(), log)
	}
}

// TestRateLimitHonoursRetryAfter: a 429 with a Retry-After within the
// deadline is waited out, a create included (a 429 was never processed).
func TestRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ method, ra string }{
		{"POST", "1"},
		{"GET", "date"},
	} {
		t.Run(c.method+" "+c.ra, func(t *testing.T) {
			t.Parallel()
			ra := c.ra
			if ra == "date" {
				ra = time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
			}
			srv, n := serverRetryAfter(t, ra, 429, 201)
			cl, log := debugClient(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
			start := time.Now()
			resp := do(t, cl, context.Background(), c.method, srv.URL)
			if resp.StatusCode != 201 || n.Load() != 2 {
				t.Fatalf("status %d after %d requests, want 201 after 2\n%s", resp.StatusCode, n.Load(), log)
			}
			d := delays(t, log.String())
			if len(d) != 1 || d[0] < 900*time.Millisecond || d[0] > 2*time.Second || time.Since(start) < d[0] {
				t.Fatalf("announced waits %v, want one of about the Retry-After\n%s", d, log)
			}
			if !strings.Contains(log.String(), "(attempt 2 of 4): 429 Too Many Requests") {
				t.Fatal(log)
			}
		})
	}
}

// TestBackoffFloorUnderRetryAfterZero: Retry-After: 0 on a 503 used to give
// four requests in a few milliseconds; each wait is now at least the backoff.
func TestBackoffFloorUnderRetryAfterZero(t *testing.T) {
	srv, n := serverRetryAfter(t, "0", 503)
	const base = 40 * time.Millisecond
	c, log := debugClient(RetryPolicy{BaseDelay: base, MaxDelay: 100 * time.Millisecond})
	start := time.Now()
	resp := do(t, c, context.Background(), "GET", srv.URL)
	elapsed := time.Since(start)
	if resp.StatusCode != 503 || n.Load() != 4 {
		t.Fatalf("status %d after %d requests", resp.StatusCode, n.Load())
	}
	d := delays(t, log.String())
	// Exponential with jitter between half and all of the step; capped at MaxDelay.
	bounds := [][2]time.Duration{{base / 2, base}, {base, 2 * base}, {50 * time.Millisecond, 100 * time.Millisecond}}
	if len(d) != 3 {
		t.Fatalf("waits %v\n%s", d, log)
	}
	var sum time.Duration
	for i, b := range bounds {
		if d[i] < b[0] || d[i] > b[1] {
			t.Errorf("wait %d is %s, want within [%s, %s]", i+1, d[i], b[0], b[1])
		}
		sum += d[i]
	}
	if elapsed < sum-3*time.Millisecond {
		t.Errorf("the waits announced (%s) were not waited (%s)", sum, elapsed)
	}
	for i := 2; i <= 4; i++ {
		if !strings.Contains(log.String(), fmt.Sprintf("(attempt %d of 4): 503 Service Unavailable", i)) {
			t.Errorf("attempt %d not logged:\n%s", i, log)
		}
	}
}

// TestRetryPolicyDefaults: a zero policy waits 125-250 ms before the first
// of three retries, within a 30 s budget.
func TestRetryPolicyDefaults(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	if p != (RetryPolicy{MaxRetries: 3, MaxWait: 30 * time.Second, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}) {
		t.Fatalf("%+v", p)
	}
	if q := (RetryPolicy{MaxRetries: -1, MaxWait: time.Second, BaseDelay: 2, MaxDelay: 3}).withDefaults(); q != (RetryPolicy{MaxRetries: 0, MaxWait: time.Second, BaseDelay: 2, MaxDelay: 3}) {
		t.Fatalf("%+v", q)
	}
	srv, n := serverSeq(t, 503, 200)
	c, log := debugClient(RetryPolicy{})
	resp := do(t, c, context.Background(), "GET", srv.URL)
	d := delays(t, log.String())
	if resp.StatusCode != 200 || n.Load() != 2 || len(d) != 1 || d[0] < 125*time.Millisecond || d[0] > 250*time.Millisecond || !strings.Contains(log.String(), "(attempt 2 of 4)") {
		t.Fatalf("status %d after %d, waits %v\n%s", resp.StatusCode, n.Load(), d, log)
	}
}

func TestRetryBudget(t *testing.T) {
	// Each wait is 10-20 ms: a 5 ms budget allows none, a 25 ms budget one or two.
	for _, c := range []struct {
		budget   time.Duration
		min, max int32
	}{{5 * time.Millisecond, 1, 1}, {25 * time.Millisecond, 2, 3}} {
		srv, n := serverSeq(t, 503)
		cl, log := debugClient(RetryPolicy{BaseDelay: 20 * time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxWait: c.budget})
		resp := do(t, cl, context.Background(), "GET", srv.URL)
		if resp.StatusCode != 503 || n.Load() < c.min || n.Load() > c.max || !strings.Contains(log.String(), "would exceed the retry budget") {
			t.Fatalf("budget %s: %d requests\n%s", c.budget, n.Load(), log)
		}
		var sum time.Duration
		for _, x := range delays(t, log.String()) {
			sum += x
		}
		if sum > c.budget {
			t.Fatalf("waited %s beyond the budget %s", sum, c.budget)
		}
	}
}

func TestNoRetryAndMaxRetries(t *testing.T) {
	srv, n := serverSeq(t, 503)
	c, _ := debugClient(RetryPolicy{BaseDelay: time.Millisecond})
	if do(t, c, NoRetry(context.Background()), "GET", srv.URL); n.Load() != 1 {
		t.Fatalf("NoRetry sent %d", n.Load())
	}
	n.Store(0)
	c, _ = debugClient(RetryPolicy{BaseDelay: time.Millisecond, MaxRetries: 1})
	if do(t, c, context.Background(), "GET", srv.URL); n.Load() != 2 {
		t.Fatalf("MaxRetries 1 sent %d", n.Load())
	}
	n.Store(0)
	c, _ = debugClient(RetryPolicy{BaseDelay: time.Millisecond, MaxRetries: -1})
	if do(t, c, context.Background(), "GET", srv.URL); n.Load() != 1 {
		t.Fatalf("MaxRetries -1 sent %d", n.Load())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	srv, n := serverSeq(t, 503)
	c, _ := debugClient(RetryPolicy{BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if _, err := c.Do(req); err == nil || !strings.Contains(err.Error(), "context canceled") || n.Load() != 1 {
		t.Fatalf("%v after %d", err, n.Load())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": -1, "x": -1, "-1": -1, "+3": -1, "1.5": -1, " 7 ": 7 * time.Second, "0": 0, "120": 2 * time.Minute,
		"86400": 24 * time.Hour, "86401": 24 * time.Hour, "99999999999999999999999": -1, "9999999999999": 24 * time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
		now.Add(72 * time.Hour).Format(http.TimeFormat):   24 * time.Hour,
	} {
		if got := retryAfterAt(v, now); got != want {
			t.Errorf("retryAfterAt(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestRetryAdvice(t *testing.T) {
	now := time.Date(2026, 1, 2, 14, 0, 3, 0, time.Local)
	h := http.Header{}
	if RetryAdvice(h, now) != "" {
		t.Fatal("advice without Retry-After")
	}
	h.Set("Retry-After", "0")
	if _, ok := RetryAt(h, now); ok || RetryAdvice(h, now) != "" {
		t.Fatal("Retry-After: 0 says nothing about when")
	}
	h.Set("Retry-After", "300")
	at, ok := RetryAt(h, now)
	if !ok || !at.Equal(now.Add(5*time.Minute)) {
		t.Fatal(at, ok)
	}
	zone := now.Format("MST")
	if got := RetryAdvice(h, now); got != "retry after 14:05:03 "+zone+" (Retry-After: 300)" {
		t.Fatal(got)
	}
	h.Set("Retry-After", "86400")
	if got := RetryAdvice(h, now); got != "retry after 2026-01-03 14:00:03 "+zone+" (Retry-After: 86400)" {
		t.Fatal(got)
	}
	h.Set("Retry-After", "43199")
	if got := RetryAdvice(h, now); !strings.HasPrefix(got, "retry after 02:00:02 ") {
		t.Fatal(got)
	}
	h.Set("Retry-After", "43200")
	if got := RetryAdvice(h, now); !strings.HasPrefix(got, "retry after 2026-01-03 02:00:03 ") {
		t.Fatal(got)
	}
}

func TestRateLimitHint(t *testing.T) {
	h := http.Header{}
	if got := RateLimitHint("slow down", h, 0); got != "slow down" {
		t.Fatal(got)
	}
	before := time.Now()
	got := RateLimitHint("wait five minutes", h, 5*time.Minute)
	after := time.Now()
	ok := false
	for _, t0 := range []time.Time{before, after} {
		ok = ok || got == "wait five minutes: retry after "+t0.Add(5*time.Minute).Local().Format("15:04:05 MST")
	}
	if !ok {
		t.Fatal(got)
	}
	h.Set("Retry-After", "60")
	if got := RateLimitHint("wait five minutes", h, 5*time.Minute); !strings.HasPrefix(got, "wait five minutes: retry after ") || !strings.HasSuffix(got, "(Retry-After: 60)") {
		t.Fatal(got)
	}
}

// TestRetryAfterExactlyTheBudget: a wait that uses the whole budget is waited.
func TestRetryAfterExactlyTheBudget(t *testing.T) {
	t.Parallel()
	srv, n := serverRetryAfter(t, "1", 503, 200)
	c, log := debugClient(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxWait: time.Second})
	if resp := do(t, c, context.Background(), "GET", srv.URL); resp.StatusCode != 200 || n.Load() != 2 {
		t.Fatalf("status %d after %d\n%s", resp.StatusCode, n.Load(), log)
	}
	if d := delays(t, log.String()); len(d) != 1 || d[0] != time.Second {
		t.Fatalf("waits %v", d)
	}
}

// TestTinyBackoff: nanosecond steps (as tests configure) still retry.
func TestTinyBackoff(t *testing.T) {
	for _, base := range []time.Duration{1, 2, 3, -5} {
		srv, n := serverSeq(t, 503, 503, 503, 200)
		c, _ := debugClient(RetryPolicy{BaseDelay: base, MaxDelay: 4})
		if resp := do(t, c, context.Background(), "GET", srv.URL); resp.StatusCode != 200 || n.Load() != 4 {
			t.Fatalf("base %d: status %d after %d", base, resp.StatusCode, n.Load())
		}
	}
}
