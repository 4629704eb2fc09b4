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

// envName upper-cases as strings.ToUpper does, also where that maps a
// letter outside ASCII into A-Z.
func TestEnvNameAsToUpper(t *testing.T) {
	for in, want := range map[string]string{
		"bankly-01_PIX_CASH_IN_KEY": "BANKLY_01_PIX_CASH_IN_KEY",
		"mx/prod pix.key":           "MX_PROD_PIX_KEY",
		"ıs-ſ":                      "IS_S",
		"9lives":                    "HOOKCTL_9LIVES",
		"--":                        "HOOKCTL_",
		"café_über":                 "CAF_BER",
	} {
		if got := envName(in); got != want {
			t.Errorf("envName(%q) = %q, want %q", in, got, want)
		}
	}
}
