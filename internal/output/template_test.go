package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
)

func TestTemplateIsTerminalSafeAndFailsAfterTheFact(t *testing.T) {
	doc := map[string]any{"name": "N\x1b[2J\x1b]0;pwned\a", "id": "a"}
	for _, tty := range []bool{true, false} {
		p, err := New(Options{Format: "table", Template: "{{.name}}", TTY: tty})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := p.Print(&out, doc, nil); err != nil {
			t.Fatal(err)
		}
		if raw := strings.Contains(out.String(), "\x1b"); raw == tty {
			t.Errorf("tty %v: %q", tty, out.String())
		}
	}
	p, _ := New(Options{Format: "json", Template: "{{index . 5}}"})
	err := p.Print(&bytes.Buffer{}, []any{1}, nil)
	if err == nil || clierr.ExitCode(err) != 1 {
		t.Fatalf("a template failing on the data: %v (exit %d), want exit 1", err, clierr.ExitCode(err))
	}
	if _, err := New(Options{Format: "json", Template: "{{"}); clierr.ExitCode(err) != 2 {
		t.Fatalf("a template that does not parse: %v", err)
	}
}
