package httpx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// RetryPolicy bounds the retries of one request.
type RetryPolicy struct {
	MaxRetries int           // default 3
	MaxWait    time.Duration // total time spent waiting; default 30s
	BaseDelay  time.Duration // first backoff; default 250ms
	MaxDelay   time.Duration // one backoff at most; default 8s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = 3
	}
	p.MaxRetries = max(p.MaxRetries, 0)
	if p.MaxWait == 0 {
		p.MaxWait = 30 * time.Second
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = 250 * time.Millisecond
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = 8 * time.Second
	}
	return p
}

type idempotentKey struct{}

// Idempotent marks a request as safe to repeat whatever its method
// (a full-body PATCH, an OAuth2 token request).
func Idempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	v, _ := req.Context().Value(idempotentKey{}).(bool)
	return v
}

type retryTransport struct {
	next   http.RoundTripper
	policy RetryPolicy
	log    io.Writer
}

// RoundTrip retries connection errors and 502/503/504 with exponential
// backoff and jitter, waiting at least as long as Retry-After asks; a 429 is
// retried only after the Retry-After it carries (and never when that is
// absent, zero or beyond the deadline or budget). A request that is not
// idempotent is retried only when it provably never reached the server: the
// connection could not be made, or the server answered 429.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	idem := isIdempotent(req)
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		var wrote atomic.Bool // set from the transport's write goroutine (HTTP/2)
		trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
		r = r.WithContext(httptrace.WithClientTrace(r.Context(), trace))
		resp, err := t.next.RoundTrip(r)

		var retry bool
		var after time.Duration // what Retry-After asks; at most a floor of the wait
		switch {
		case err != nil:
			retry = retryableError(err) && (idem || !wrote.Load())
		case resp.StatusCode == http.StatusTooManyRequests:
			// A rate limit is waited out only as long as the server asks:
			// without a usable Retry-After, another attempt would only
			// prolong the refusal (some providers ask for five minutes).
			after = retryAfter(resp.Header.Get("Retry-After"))
			retry = after > 0
			if !retry {
				t.logf("* not retrying %s %s: %s without a usable Retry-After\n", req.Method, req.URL.Redacted(), resp.Status)
			}
		case resp.StatusCode == http.StatusBadGateway, resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
			retry, after = idem, retryAfter(resp.Header.Get("Retry-After"))
		}
		if noRetry, _ := ctx.Value(noRetryKey{}).(bool); noRetry {
			retry = false
		}
		if !retry || attempt >= t.policy.MaxRetries || ctx.Err() != nil {
			return resp, err
		}
		// The backoff is a floor: Retry-After: 0 must not become a burst.
		delay := max(after, t.backoff(attempt))
		if waited+delay > t.policy.MaxWait {
			t.logf("* not retrying %s %s: the wait of %s would exceed the retry budget\n", req.Method, req.URL.Redacted(), delay.Round(time.Millisecond))
			return resp, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			t.logf("* not retrying %s %s: the wait of %s would pass the deadline\n", req.Method, req.URL.Redacted(), delay.Round(time.Millisecond))
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		reason := ""
		if err != nil {
			reason = err.Error()
		} else {
			reason = resp.Status
		}
		t.logf("* retrying %s %s in %s (attempt %d of %d): %s\n", req.Method, req.URL.Redacted(), delay.Round(time.Millisecond), attempt+2, t.policy.MaxRetries+1, reason)
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
		waited += delay
	}
}

func (t *retryTransport) logf(format string, args ...any) {
	if t.log != nil {
		fmt.Fprintf(t.log, format, args...)
	}
}

func (t *retryTransport) backoff(attempt int) time.Duration {
	d := max(min(t.policy.BaseDelay, t.policy.MaxDelay), 0)
	for range attempt {
		d = min(2*d, t.policy.MaxDelay) // no overflow: d <= MaxDelay
	}
	// Full jitter between half and all of the exponential delay.
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// maxRetryAfter caps a Retry-After, far beyond any budget, so that an
// absurd value cannot overflow.
const maxRetryAfter = 24 * time.Hour

// retryAfter parses delta-seconds or an HTTP date; -1 when absent or invalid.
func retryAfter(v string) time.Duration {
	return retryAfterAt(v, time.Now())
}

func retryAfterAt(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil {
		return time.Duration(min(s, uint64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter)
	}
	return -1
}

// retryableError is true for network failures that a new attempt may fix,
// and false for TLS trust and certificate problems, which it cannot.
func retryableError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var alert tls.AlertError
	if errors.As(err, &alert) || ClassifyTLS(err, "", "") != nil {
		return false
	}
	var nonRetryable interface{ NonRetryable() bool }
	if errors.As(err, &nonRetryable) && nonRetryable.NonRetryable() {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}

type noRetryKey struct{}

// NoRetry marks a request that must be sent once (a synthetic delivery).
func NoRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}
