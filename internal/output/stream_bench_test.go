package output

import (
	"io"
	"testing"

	"github.com/hookctl/hookctl/internal/provider"
)

// BenchmarkStreamJSON prints 1,000 deliveries (one Conekta page's worth) as
// the JSON array of `deliveries list --all -o json`.
func BenchmarkStreamJSON(b *testing.B) {
	p, err := New(Options{Format: "json"})
	if err != nil {
		b.Fatal(err)
	}
	code, at, id := 500, "2026-12-01T10:00:00Z", "56913abb483934b406499f5f"
	d := provider.Delivery{Provider: "conekta", ID: "ea4cccfa493ef8456e883d72", Event: "order.paid", WebhookID: &id,
		URL: "https://example.com/hooks/seed/1", Status: "failed", Attempts: 4, LastStatusCode: &code, LastAttemptAt: &at, CreatedAt: &at}
	b.ReportAllocs()
	for b.Loop() {
		s := p.Stream(io.Discard, &Table{})
		for range 1000 {
			s.Add(d, nil, d.ID)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
