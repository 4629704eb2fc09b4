package output

import (
	"bytes"
	"fmt"
	"testing"
)

// A stream flushed after every item prints the same bytes as one flushed
// once: the buffer a flush reuses never carries one batch into the next.
func TestStreamFlushesAlike(t *testing.T) {
	type item struct {
		ID   string `json:"id"`
		Note string `json:"note"`
	}
	for _, format := range []string{"json", "yaml", "name", "table"} {
		run := func(every bool) string {
			p, err := New(Options{Format: format})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			s := p.Stream(&out, &Table{Header: []string{"ID", "NOTE"}})
			for i := range 5 {
				// Items of different sizes: a short one after a long one
				// would show a stale tail.
				note := fmt.Sprintf("%0*d", 40-i*8, i)
				id := fmt.Sprintf("wh_%d", i)
				s.Add(item{id, note}, []string{id, note}, id)
				if every {
					if err := s.Flush(); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return out.String()
		}
		once, each := run(false), run(true)
		if format != "table" && once != each { // a table's widths are fixed by its first batch
			t.Errorf("-o %s: flushed once\n%s\nflushed after each item\n%s", format, once, each)
		}
		if c := bytes.Count([]byte(each), []byte("wh_4")); c != 1 {
			t.Errorf("-o %s: the last item printed %d times:\n%s", format, c, each)
		}
	}
}
