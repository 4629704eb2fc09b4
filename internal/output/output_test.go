package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/mattn/go-runewidth"
)

// TestNameOfEmptyList: -o name prints one id a line, and an empty list
// prints nothing (so that `for id in $(... -o name)` works); a document with
// no table is refused.
func TestNameOfEmptyList(t *testing.T) {
	p, err := New(Options{Format: "name"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		table *Table
		want  string
	}{
		{&Table{Header: []string{"id"}, Rows: [][]string{{"a"}, {"b"}}, Names: []string{"a", "b"}}, "a\nb\n"},
		{&Table{Header: []string{"id"}}, ""},
		{&Table{Header: []string{"id"}, Names: []string{}}, ""},
	} {
		var out bytes.Buffer
		if err := p.Print(&out, []string{}, c.table); err != nil || out.String() != c.want {
			t.Errorf("%+v: %q, %v; want %q", c.table, out.String(), err, c.want)
		}
	}
	var out bytes.Buffer
	if err := p.Print(&out, map[string]any{}, nil); clierr.ExitCode(err) != 2 || out.Len() != 0 {
		t.Errorf("no table: %v, %q", err, out.String())
	}
}

// TestTableFitsTheTerminal: at any width that leaves each column a
// character, no rendered line is wider than the terminal: the Shrink columns
// are cut first, then the others (TARGET and ID, at the left, last), then
// headers; with room to spare nothing is cut.
func TestTableFitsTheTerminal(t *testing.T) {
	tables := map[string]func() *Table{
		"webhooks over many targets": func() *Table {
			tb := &Table{Header: []string{"id", "url", "enabled", "events", "status"}, Shrink: []int{1, 3}, Wide: map[int]bool{4: true}}
			for i := 0; i < 3; i++ {
				tb.Rows = append(tb.Rows, []string{"6307a60c41de27127515a57" + string(rune('0'+i)), "https://example.com/a/very/long/path/that/goes/on/and/on", "yes", "order.paid,order.expired,charge.refunded", "listening"})
			}
			tb.Prefix("target", []string{"conekta-emulator", "conekta-production-mx", "c"})
			return tb
		},
		"keys": func() *Table {
			return &Table{Header: []string{"id", "active", "created_at", "deactivated_at"}, Shrink: []int{3, 2}, Rows: [][]string{
				{"645a59da22e7da0001cad283", "yes", "2026-12-02T01:53:56Z", "2026-12-02T01:53:56Z"},
				{"645a59da22e7da0001cad284", "no", "2026-12-02T01:53:56Z", ""},
			}}
		},
		"wide runes": func() *Table {
			return &Table{Header: []string{"id", "name"}, Shrink: []int{1}, Rows: [][]string{{"abc", "名前名前名前名前名前名前名前名前名前名前名前"}}}
		},
	}
	for name, mk := range tables {
		var natural int
		var b bytes.Buffer
		mk().Render(&b, RenderOptions{})
		for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			natural = max(natural, runewidth.StringWidth(line))
		}
		tb := mk()
		cols := len(tb.Header)
		for width := gap*(cols-1) + cols; width <= natural+5; width++ {
			var out bytes.Buffer
			mk().Render(&out, RenderOptions{Width: width})
			lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			if len(lines) != len(tb.Rows)+1 {
				t.Fatalf("%s at %d: %d lines:\n%s", name, width, len(lines), out.String())
			}
			for _, line := range lines {
				if w := runewidth.StringWidth(line); w > width {
					t.Fatalf("%s at %d: a line of %d:\n%s", name, width, w, out.String())
				}
			}
			if cut := strings.Contains(out.String(), "…"); cut != (width < natural) {
				t.Fatalf("%s at %d (natural %d): cut %v:\n%s", name, width, natural, cut, out.String())
			}
		}
	}
	// A table of details, without Shrink columns, is never cut.
	detail := &Table{Header: []string{"field", "value"}, Rows: [][]string{{"message", strings.Repeat("long text ", 20)}}}
	var whole, at40 bytes.Buffer
	detail.Render(&whole, RenderOptions{})
	detail.Render(&at40, RenderOptions{Width: 40})
	if whole.String() != at40.String() {
		t.Errorf("detail table cut:\n%s", at40.String())
	}
	// The order: at 60 columns the URL and EVENTS are cut to the minimum
	// before TARGET and ID lose anything; ENABLED keeps its header.
	var out bytes.Buffer
	tables["webhooks over many targets"]().Render(&out, RenderOptions{Width: 60})
	lines := strings.Split(out.String(), "\n")
	if !strings.HasPrefix(lines[0], "TARGET") || !strings.Contains(lines[0], "   ENABLED   ") || !strings.Contains(lines[1], "   https…   ") || !strings.HasSuffix(lines[1], "   order…") {
		t.Errorf("at 60:\n%s", out.String())
	}
}
