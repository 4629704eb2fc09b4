// Package emulator runs local, stateful emulators of the providers' webhook
// APIs; the handlers live in conektaemu and banklyemu.
package emulator

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/delivery"
)

// Chaos adds latency and a rate of 503 answers (with Retry-After) in front of
// an emulator, so that users' CI can exercise retries.
type Chaos struct {
	Latency  time.Duration
	FailRate float64
	// RetryAfter is the Retry-After of a failure, in seconds.
	RetryAfter int
	// Fail writes the provider's own 503 body.
	Fail func(w http.ResponseWriter, r *http.Request)

	mu  sync.Mutex
	rng *rand.Rand
}

// Wrap returns next behind the chaos.
func (c *Chaos) Wrap(next http.Handler) http.Handler {
	if c.Latency <= 0 && c.FailRate <= 0 {
		return next
	}
	c.rng = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The control endpoint is the emulator's own, not the provider's: no chaos.
		if r.URL.Path == delivery.ControlPath {
			next.ServeHTTP(w, r)
			return
		}
		if c.Latency > 0 {
			select {
			case <-time.After(c.Latency):
			case <-r.Context().Done():
				return
			}
		}
		c.mu.Lock()
		fail := c.FailRate > 0 && c.rng.Float64() < c.FailRate
		c.mu.Unlock()
		if fail {
			w.Header().Set("Retry-After", strconv.Itoa(c.RetryAfter))
			c.Fail(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
