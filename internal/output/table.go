package output

import (
	"bytes"
	"io"
	"strings"

	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Table is a plain, borderless table in the style of kubectl and gh.
type Table struct {
	Header []string
	Rows   [][]string
	// Colors maps a column index to a function choosing an ANSI colour for a cell.
	Colors map[int]func(cell string) string
	// Truncate maps a column index to the width its cells are cut to on a terminal.
	Truncate map[int]int
	// Empty is written to stderr by the caller when there are no rows.
	Empty string
}

// ANSI colours used in tables.
const (
	Green = "\x1b[32m"
	Red   = "\x1b[31m"
	Dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

// Render writes the table. Cells are truncated only on a terminal, and
// coloured only when color is set; trailing padding is removed.
func (t *Table) Render(w io.Writer, color, tty bool) {
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		row := make([]string, len(r))
		for j, cell := range r {
			// Cells hold provider data: no escape sequence reaches the terminal.
			cell = termsafe.Line(cell)
			if n, ok := t.Truncate[j]; ok && tty {
				cell = truncate(cell, n)
			}
			row[j] = cell
		}
		rows[i] = row
	}
	var buf bytes.Buffer
	table := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{ShowHeader: tw.Off, ShowFooter: tw.Off, BetweenRows: tw.Off, BetweenColumns: tw.Off},
				Lines:      tw.Lines{ShowTop: tw.Off, ShowBottom: tw.Off, ShowHeaderLine: tw.Off, ShowFooterLine: tw.Off},
			},
		})),
		tablewriter.WithConfig(tablewriter.Config{
			Header: tw.CellConfig{
				Formatting: tw.CellFormatting{AutoFormat: tw.Off, AutoWrap: tw.WrapNone},
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: "   ", Overwrite: true}},
			},
			Row: tw.CellConfig{
				Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone},
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: "   ", Overwrite: true}},
			},
		}),
	)
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = strings.ToUpper(termsafe.Line(h))
	}
	table.Header(header)
	for _, r := range rows {
		_ = table.Append(r)
	}
	_ = table.Render()
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, " ")
		if color && i > 0 && i-1 < len(rows) {
			line = colorize(line, rows[i-1], t.Colors)
		}
		io.WriteString(w, line+"\n")
	}
}

// colorize wraps the cells of one rendered line in colour codes. The cells are
// found by their text, left to right, so alignment is computed uncoloured.
func colorize(line string, cells []string, colors map[int]func(string) string) string {
	if len(colors) == 0 {
		return line
	}
	var b strings.Builder
	pos := 0
	for j, cell := range cells {
		if cell == "" {
			continue
		}
		idx := strings.Index(line[pos:], cell)
		if idx < 0 {
			break
		}
		start := pos + idx
		b.WriteString(line[pos:start])
		if f, ok := colors[j]; ok {
			if c := f(cell); c != "" {
				b.WriteString(c + cell + reset)
				pos = start + len(cell)
				continue
			}
		}
		b.WriteString(cell)
		pos = start + len(cell)
	}
	b.WriteString(line[pos:])
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if n <= 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
