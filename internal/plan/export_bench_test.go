package plan

import (
	"fmt"
	"testing"

	"github.com/hookctl/hookctl/internal/provider"
)

// BenchmarkExport exports one target of 300 webhooks and encodes it, as
// `export` does for each profile.
func BenchmarkExport(b *testing.B) {
	ws := make([]struct{ id, url string }, 0, 300)
	for i := range 300 {
		ws = append(ws, struct{ id, url string }{fmt.Sprint(i), fmt.Sprintf("https://x.test/hooks/%d", i)})
	}
	in := info("beta")
	b.ReportAllocs()
	for b.Loop() {
		list := make([]provider.Webhook, 0, len(ws))
		for _, w := range ws {
			list = append(list, betaHook(w.id, "Pix", "PIX_CASH_IN_WAS_CLEARED", w.url))
		}
		t, _ := Export("bankly-01", in, list)
		doc := &Document{Version: 1, Targets: map[string]*Target{"bankly-01": t}}
		if _, err := doc.EncodeJSON(registry); err != nil {
			b.Fatal(err)
		}
	}
}
