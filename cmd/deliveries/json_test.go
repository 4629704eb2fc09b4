package deliveries

import (
	"bytes"
	"testing"

	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
)

// streamed prints docs as `deliveries list --all -o json` does.
func streamed(t testing.TB, docs ...any) []byte {
	p, err := output.New(output.Options{Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	s := p.Stream(&b, deliveryTable())
	for _, d := range docs {
		s.Add(d, nil, "")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The written delivery is byte for byte the reflected one, whatever its
// strings hold (escapes, controls, invalid UTF-8) and whichever fields are null.
func FuzzDeliveryJSON(f *testing.F) {
	f.Add("conekta", "ea4c", "order.paid", "", "wh_1", "https://example.com/hooks/1", "failed", 4, 500, "2026-12-01T10:00:00Z", true)
	f.Add("bankly", "\x00\x1f\"\\<>&", "\u2028\u2029\x7f\u0085\u009b", "Pix\xff\xfe", "é日本", "\t\n\r\b\f", "", -1, 0, "\xc2", false)
	f.Fuzz(func(t *testing.T, prov, id, event, ctx, hook, url, status string, attempts, code int, at string, set bool) {
		d := provider.Delivery{Provider: prov, ID: id, Event: event, Context: ctx, URL: url, Status: status, Attempts: attempts}
		if set {
			d.WebhookID, d.LastStatusCode, d.LastAttemptAt, d.CreatedAt = &hook, &code, &at, &id
		}
		want := streamed(t, d, d)
		got := streamed(t, deliveryJSON{d}, deliveryJSON{d})
		if !bytes.Equal(got, want) {
			t.Fatalf("written:\n%s\nreflected:\n%s", got, want)
		}
	})
}

func BenchmarkDeliveryJSON(b *testing.B) {
	code, at, id := 500, "2026-12-01T10:00:00Z", "56913abb483934b406499f5f"
	d := deliveryJSON{provider.Delivery{Provider: "conekta", ID: "ea4cccfa493ef8456e883d72", Event: "order.paid", WebhookID: &id,
		URL: "https://example.com/hooks/seed/1", Status: "failed", Attempts: 4, LastStatusCode: &code, LastAttemptAt: &at, CreatedAt: &at}}
	docs := make([]any, 1000)
	for i := range docs {
		docs[i] = d
	}
	b.ReportAllocs()
	for b.Loop() {
		streamed(b, docs...)
	}
}
