package webhooks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/redact"
)

func enabledWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func enabledColor(cell string) string {
	if cell == "yes" {
		return output.Green
	}
	return output.Red
}

// webhookTable is the list table: NAME and CONTEXT appear when any webhook has them.
func webhookTable(items []provider.Webhook) *output.Table {
	named := false
	for _, w := range items {
		if w.Name != "" || w.Context != "" {
			named = true
		}
	}
	t := &output.Table{Empty: "no webhooks"}
	if named {
		t.Header = []string{"id", "name", "context", "events", "enabled", "status", "url"}
		t.Colors = map[int]func(string) string{4: enabledColor}
		t.Truncate = map[int]int{1: 32, 3: 40, 6: 60}
	} else {
		t.Header = []string{"id", "events", "enabled", "status", "url"}
		t.Colors = map[int]func(string) string{2: enabledColor}
		t.Truncate = map[int]int{1: 48, 4: 60}
	}
	for _, w := range items {
		ev := strings.Join(w.Events, ",")
		if named {
			t.Rows = append(t.Rows, []string{w.ID, w.Name, w.Context, ev, enabledWord(w.Enabled), w.Status, w.URL})
		} else {
			t.Rows = append(t.Rows, []string{w.ID, ev, enabledWord(w.Enabled), w.Status, w.URL})
		}
	}
	return t
}

// detailTable shows one webhook as field/value rows.
func detailTable(w *provider.Webhook) *output.Table {
	t := &output.Table{Header: []string{"field", "value"}, Colors: map[int]func(string) string{1: func(c string) string {
		if c == "yes" {
			return output.Green
		}
		if c == "no" {
			return output.Red
		}
		return ""
	}}}
	add := func(k, v string) { t.Rows = append(t.Rows, []string{k, v}) }
	add("provider", w.Provider)
	add("id", w.ID)
	if w.Name != "" {
		add("name", w.Name)
	}
	if w.Context != "" {
		add("context", w.Context)
	}
	add("url", w.URL)
	add("enabled", enabledWord(w.Enabled))
	add("status", w.Status)
	if len(w.Events) == 0 {
		add("events", "")
	}
	for i, e := range w.Events {
		k := ""
		if i == 0 {
			k = "events"
		}
		add(k, e)
	}
	if w.PublicKey != "" {
		add("public_key", w.PublicKey)
	}
	if w.CreatedAt != nil {
		add("created_at", *w.CreatedAt)
	}
	if w.UpdatedAt != nil {
		add("updated_at", *w.UpdatedAt)
	}
	return t
}

// printWebhook prints one webhook (get, create, update).
func printWebhook(f *cmdutil.Factory, raw bool, w *provider.Webhook) error {
	p, err := f.Printer(raw)
	if err != nil {
		return err
	}
	if raw {
		return p.Print(f.IOStreams.Out, rawDoc(w.Raw), nil)
	}
	return p.Print(f.IOStreams.Out, w, detailTable(w))
}

func rawDoc(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return rawPayload(raw)
}

// rawPayload is the provider's payload as received, but for a private key
// the provider should never have sent back.
func rawPayload(raw json.RawMessage) json.RawMessage {
	return redact.JSONFields(raw, "privateKey")
}

func testTable(r *provider.TestResult) *output.Table {
	t := &output.Table{Header: []string{"field", "value"}}
	add := func(k, v string) { t.Rows = append(t.Rows, []string{k, v}) }
	add("provider", r.Provider)
	add("id", r.ID)
	add("url", r.URL)
	add("synthetic", fmt.Sprint(r.Synthetic))
	add("ok", fmt.Sprint(r.OK))
	if r.StatusCode != nil {
		add("status_code", fmt.Sprint(*r.StatusCode))
	}
	if r.LatencyMS != nil {
		add("latency_ms", fmt.Sprint(*r.LatencyMS))
	}
	add("message", r.Message)
	if r.Response != "" {
		add("response", r.Response)
	}
	return t
}
