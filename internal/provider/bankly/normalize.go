package bankly

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
	"github.com/hookctl/hookctl/internal/redact"
)

// normalize maps a configuration to the contract's Webhook.
func normalize(raw json.RawMessage) (provider.Webhook, error) {
	var c api.Configuration
	if err := jsonx.Unmarshal(raw, &c); err != nil {
		return provider.Webhook{}, fmt.Errorf("bankly: cannot decode a webhook configuration (%v): %s", err, provider.Snippet(raw))
	}
	if c.ID == "" {
		return provider.Webhook{}, fmt.Errorf("bankly: the answer holds a configuration without an id: %s", provider.Snippet(raw))
	}
	uri := c.URI
	if strings.Contains(uri, "@") {
		uri = redact.URL(uri) // credentials in a URL are a secret: never printed
	}
	w := provider.Webhook{
		Provider: Name, ID: c.ID, URL: uri, Enabled: c.Status == "Enabled", Status: c.Status,
		Events: []string{}, Name: c.Name, Context: c.Context, PublicKey: c.PublicKey, Raw: raw,
	}
	if c.EventName != "" {
		w.Events = []string{c.EventName}
	}
	if c.CreatedAt != "" {
		w.CreatedAt = &c.CreatedAt
	}
	if c.UpdatedAt != "" {
		w.UpdatedAt = &c.UpdatedAt
	}
	return w, nil
}

// decodeOne reads `data` as an object or a one-element array.
func decodeOne(raw []byte) (*provider.Webhook, error) {
	var env api.Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("bankly: the answer is not valid JSON (%v): %s", err, provider.Snippet(raw))
	}
	data := bytes.TrimSpace(env.Data)
	if len(data) > 0 && data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil || len(items) == 0 {
			return nil, fmt.Errorf("bankly: the answer holds no configuration: %s", provider.Snippet(raw))
		}
		data = items[0]
	}
	if len(data) == 0 || string(data) == "null" {
		return nil, fmt.Errorf("bankly: the answer holds no configuration: %s", provider.Snippet(raw))
	}
	w, err := normalize(data)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// merge applies the fields of a PATCH answer (which lacks status and dates)
// to the configuration read before it.
func merge(cur *provider.Webhook, raw []byte) *provider.Webhook {
	out := *cur
	if len(bytes.TrimSpace(raw)) == 0 {
		return &out
	}
	w, err := decodeOne(raw)
	if err != nil {
		return &out
	}
	if w.URL != "" {
		out.URL = w.URL
	}
	if w.PublicKey != "" {
		out.PublicKey = w.PublicKey
	}
	if w.Status != "" {
		out.Status, out.Enabled = w.Status, w.Enabled
	}
	if w.UpdatedAt != nil {
		out.UpdatedAt = w.UpdatedAt
	}
	out.Raw = w.Raw
	return &out
}

// rawURI is a configuration's uri as Bankly holds it, user-info included:
// for delivering to it, never for printing.
func rawURI(w *provider.Webhook) string {
	var c api.Configuration
	if json.Unmarshal(w.Raw, &c) == nil && c.URI != "" {
		return c.URI
	}
	return w.URL
}
