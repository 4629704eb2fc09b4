package bankly_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
)

// BenchmarkListAll measures list --all over 2,000 configurations (20 pages)
// with 20 ms of latency per request, in-process: the concurrent floor is
// 6 round trips (120 ms), the sequential one 20 (400 ms).
func BenchmarkListAll(b *testing.B) {
	t := &testing.T{}
	f := newFixture(t, banklyemu.Options{})
	f.emu.Seed(2000)
	chaos := &emulator.Chaos{Latency: benchLatency}
	h := chaos.Wrap(f.emu)
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) })
	cache := b.TempDir()
	ctx := context.Background()
	// Each iteration is a new invocation: a fresh client (and rate limiter)
	// with the token already cached, as for a CLI run.
	newClient := func() provider.Provider {
		p, err := f.provider(t, provider.Read, nil, cache)
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	if _, err := newClient().List(ctx, provider.ListOptions{Limit: 1}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := newClient().List(ctx, provider.ListOptions{All: true})
		if err != nil || len(res.Items) != 2000 {
			b.Fatalf("%v %d", err, len(res.Items))
		}
	}
}

// benchLatency is the emulated latency of BenchmarkListAll.
var benchLatency = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("BENCH_LATENCY")); err == nil {
		return d
	}
	return 20 * time.Millisecond
}()
