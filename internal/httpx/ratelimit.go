package httpx

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// RetryAt is when a rate-limited answer (429, or a 503 carrying Retry-After)
// received at now says to try again; ok is false when it does not say
// (no Retry-After, zero, or not a number of seconds or an HTTP date).
func RetryAt(h http.Header, now time.Time) (at time.Time, ok bool) {
	d := retryAfterAt(h.Get("Retry-After"), now)
	if d <= 0 {
		return time.Time{}, false
	}
	return now.Add(d), true
}

// RetryAdvice says when to try again after a rate-limited answer received
// at now, e.g. "retry after 14:05:03 (Retry-After: 300)", in local time;
// "" when the answer does not say. Provider adapters append it to their hint.
func RetryAdvice(h http.Header, now time.Time) string {
	at, ok := RetryAt(h, now)
	if !ok {
		return ""
	}
	layout := "15:04:05 MST"
	if at.Sub(now) >= 12*time.Hour {
		layout = "2006-01-02 15:04:05 MST"
	}
	return fmt.Sprintf("retry after %s (Retry-After: %s)", at.Local().Format(layout), printable(strings.TrimSpace(h.Get("Retry-After"))))
}

// RateLimitHint appends to a provider's rate-limit hint when to try again:
// the answer's Retry-After or, without one, the provider's documented wait
// (0: none documented), counted from now.
func RateLimitHint(hint string, h http.Header, documentedWait time.Duration) string {
	now := time.Now()
	if advice := RetryAdvice(h, now); advice != "" {
		return hint + ": " + advice
	}
	if documentedWait > 0 {
		return hint + ": retry after " + now.Add(documentedWait).Local().Format("15:04:05 MST")
	}
	return hint
}
