package deliveries

import (
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
)

// deliveryJSON is a delivery as list prints it: the same document as
// provider.Delivery's (its fields are promoted), written without reflection
// when streamed (output.JSONAppender), since --all prints tens of thousands.
type deliveryJSON struct{ provider.Delivery }

// AppendJSON implements output.JSONAppender, in provider.Delivery's field order.
func (d deliveryJSON) AppendJSON(dst []byte, prefix string) []byte {
	o := output.Object(dst, prefix)
	o.String("provider", d.Provider)
	o.String("id", d.ID)
	o.String("event", d.Event)
	o.String("context", d.Context)
	o.StringPtr("webhook_id", d.WebhookID)
	o.String("url", d.URL)
	o.String("status", d.Status)
	o.Int("attempts", d.Attempts)
	o.IntPtr("last_status_code", d.LastStatusCode)
	o.StringPtr("last_attempt_at", d.LastAttemptAt)
	o.StringPtr("created_at", d.CreatedAt)
	return o.End()
}
