package output

import (
	"bytes"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
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
