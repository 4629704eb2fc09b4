package output

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/mattn/go-runewidth"
)

// Stream prints one list as its items arrive, batch by batch, so that a long
// listing never sits in memory: JSON as one array (each item written whole),
// YAML as one sequence, -o name one id a line, and a table whose column
// widths are fitted to the first batch (later cells of the Shrink columns are
// cut to them). --jq and --template need the whole document: their items are
// held until Close.
type Stream struct {
	p     *Printer
	w     io.Writer
	t     *Table // header, colours, shrink and wide settings; rows unused
	held  []any
	n     int
	batch struct {
		docs  []any
		rows  [][]string
		names []string
	}
	widths []int // table: fixed by the first batch
	header []string
	colors map[int]func(string) string
	shrink []int
	out    []byte // the bytes of a flush, kept for the next one
}

// Stream starts a streamed list; t gives the table's columns.
func (p *Printer) Stream(w io.Writer, t *Table) *Stream {
	return &Stream{p: p, w: w, t: t}
}

// Add queues one item: its document, table row and name.
func (s *Stream) Add(doc any, row []string, name string) {
	s.batch.docs = append(s.batch.docs, doc)
	s.batch.rows = append(s.batch.rows, row)
	s.batch.names = append(s.batch.names, name)
}

// Count is how many items were added.
func (s *Stream) Count() int { return s.n + len(s.batch.docs) }

// Flush writes the items queued since the last Flush.
func (s *Stream) Flush() error {
	b := s.batch
	s.batch.docs, s.batch.rows, s.batch.names = nil, nil, nil
	if len(b.docs) == 0 {
		return nil
	}
	o := s.p.opts
	if s.p.jq == nil && s.p.tmpl == nil && o.Format == "json" {
		out := s.out[:0]
		for _, d := range b.docs {
			if s.n == 0 {
				out = append(out, "[\n  "...)
			} else {
				out = append(out, ",\n  "...)
			}
			var err error
			if out, err = s.appendItem(out, d); err != nil {
				return err
			}
			s.n++
		}
		s.out = out[:0]
		_, err := s.w.Write(out)
		return err
	}
	buf := bytes.NewBuffer(s.out[:0])
	switch {
	case s.p.jq != nil || s.p.tmpl != nil:
		s.held = append(s.held, b.docs...)
	case o.Format == "yaml":
		for _, d := range b.docs {
			if err := WriteYAML(buf, []any{d}); err != nil {
				return err
			}
			s.n++
		}
	case o.Format == "name":
		for _, n := range b.names {
			fmt.Fprintln(buf, n)
			s.n++
		}
	default:
		s.renderRows(buf, b.rows)
	}
	s.out = buf.Bytes()[:0]
	_, err := s.w.Write(buf.Bytes())
	return err
}

// appendItem appends one item of the JSON array, indented within it.
func (s *Stream) appendItem(out []byte, d any) ([]byte, error) {
	if !s.p.opts.Color {
		if a, ok := d.(JSONAppender); ok {
			return a.AppendJSON(out, "  "), nil
		}
		return appendJSON(out, d, "  ")
	}
	js, err := appendJSON(nil, d, "")
	if err != nil {
		return out, err
	}
	js = bytes.TrimRight(ColorJSON(js), "\n")
	return append(out, bytes.ReplaceAll(js, []byte("\n"), []byte("\n  "))...), nil
}

// Close flushes and ends the document (an empty list prints as one: `[]`).
func (s *Stream) Close() error {
	if err := s.Flush(); err != nil {
		return err
	}
	o := s.p.opts
	switch {
	case s.p.jq != nil || s.p.tmpl != nil:
		docs := s.held
		if docs == nil {
			docs = []any{}
		}
		return s.p.Print(s.w, docs, nil)
	case o.Format == "json" && s.n == 0:
		_, err := io.WriteString(s.w, "[]\n")
		return err
	case o.Format == "json":
		_, err := io.WriteString(s.w, "\n]\n")
		return err
	case o.Format == "yaml" && s.n == 0:
		_, err := io.WriteString(s.w, "[]\n")
		return err
	}
	return nil
}

// renderRows writes table rows: the first batch sets the widths (fitted to
// the terminal as Table.Render fits), later batches keep them.
func (s *Stream) renderRows(w io.Writer, rows [][]string) {
	o := s.p.opts
	wide := o.Format == "wide"
	t := &Table{Header: s.t.Header, Rows: rows, Colors: s.t.Colors, Shrink: s.t.Shrink, Wide: s.t.Wide}
	header, vis, colors, shrink := t.visible(wide)
	for _, r := range vis {
		for j, cell := range r {
			r[j] = termsafe.Line(cell)
		}
	}
	if s.widths == nil {
		for j, h := range header {
			header[j] = termsafe.Line(h)
		}
		if o.Width > 0 {
			fit(header, vis, shrink, o.Width)
		}
		s.widths = make([]int, len(header))
		for j, h := range header {
			s.widths[j] = runewidth.StringWidth(h)
		}
		for _, r := range vis {
			for j, cell := range r {
				s.widths[j] = max(s.widths[j], runewidth.StringWidth(cell))
			}
		}
		s.header, s.colors, s.shrink = header, colors, shrink
		if !o.NoHeaders {
			up := make([]string, len(header))
			for i, h := range header {
				up[i] = strings.ToUpper(h)
			}
			io.WriteString(w, s.line(up, false)+"\n")
		}
	} else {
		for _, j := range s.shrink {
			for _, r := range vis {
				if runewidth.StringWidth(r[j]) > s.widths[j] {
					r[j] = runewidth.Truncate(r[j], s.widths[j], "…")
				}
			}
		}
	}
	for _, r := range vis {
		io.WriteString(w, s.line(r, o.Color)+"\n")
		s.n++
	}
}

func (s *Stream) line(cells []string, color bool) string {
	var b strings.Builder
	for j, cell := range cells {
		text := cell
		if color {
			if f, ok := s.colors[j]; ok && cell != "" {
				if c := f(cell); c != "" {
					text = c + cell + reset
				}
			}
		}
		b.WriteString(text)
		if j < len(cells)-1 {
			if pad := s.widths[j] - runewidth.StringWidth(cell) + gap; pad > 0 {
				b.WriteString(strings.Repeat(" ", pad))
			} else {
				b.WriteString(" ")
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}
