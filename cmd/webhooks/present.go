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

// webhookTable is the list table. Few columns by default (URL and EVENTS
// cut first to fit the terminal); -o wide adds the rest; NAME and CONTEXT
// appear when any webhook has them.
func webhookTable(items []provider.Webhook) *output.Table {
	named := false
	for _, w := range items {
		if w.Name != "" || w.Context != "" {
			named = true
		}
	}
	t := &output.Table{}
	if named {
		t.Header = []string{"id", "context", "events", "enabled", "url", "name", "status"}
		t.Colors = map[int]func(string) string{3: enabledColor}
		t.Shrink = []int{4, 2, 5}
		t.Wide = map[int]bool{5: true, 6: true}
	} else {
		t.Header = []string{"id", "url", "enabled", "events", "status"}
		t.Colors = map[int]func(string) string{2: enabledColor}
		t.Shrink = []int{1, 3}
		t.Wide = map[int]bool{4: true}
	}
	for _, w := range items {
		ev := strings.Join(w.Events, ",")
		if named {
			t.Rows = append(t.Rows, []string{w.ID, w.Context, ev, enabledWord(w.Enabled), w.URL, w.Name, w.Status})
		} else {
			t.Rows = append(t.Rows, []string{w.ID, w.URL, enabledWord(w.Enabled), ev, w.Status})
		}
		t.Names = append(t.Names, w.ID)
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
	t.Names = []string{w.ID}
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
	t := &output.Table{Header: []string{"field", "value"}, Names: []string{r.ID}}
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
