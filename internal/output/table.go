package output

import (
	"bytes"
	"io"
	"slices"
	"strings"

	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/mattn/go-runewidth"
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
	// Shrink lists the columns that may be cut to fit the terminal, first cut first.
	Shrink []int
	// Wide marks the columns shown only with -o wide.
	Wide map[int]bool
	// Names are the rows' names (ids), one a line with -o name (none for an
	// empty list).
	Names []string
}

// RenderOptions say how a table is written.
type RenderOptions struct {
	Color bool
	// Width is the terminal's width; 0 (off a terminal) never cuts a cell.
	Width     int
	NoHeaders bool
	Wide      bool
}

// ANSI colours used in tables.
const (
	Green = "\x1b[32m"
	Red   = "\x1b[31m"
	reset = "\x1b[0m"
)

// A cut column keeps comfortWidth while others can give; then at least
// minWidth (or its header's width).
const (
	comfortWidth = 16
	minWidth     = 6
)

// gap is the space between columns.
const gap = 3

// Render writes the table: the columns -o wide adds only when asked, cells of
// the Shrink columns cut with an ellipsis to fit Width, colour only when
// asked; trailing padding is removed.
func (t *Table) Render(w io.Writer, o RenderOptions) {
	header, rows, colors, shrink := t.visible(o.Wide)
	// Cells hold provider data: no escape sequence reaches the terminal.
	for j, h := range header {
		header[j] = termsafe.Line(h)
	}
	for _, r := range rows {
		for j, cell := range r {
			r[j] = termsafe.Line(cell)
		}
	}
	if o.Width > 0 {
		fit(header, rows, shrink, o.Width)
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
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: strings.Repeat(" ", gap), Overwrite: true}},
			},
			Row: tw.CellConfig{
				Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone},
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: strings.Repeat(" ", gap), Overwrite: true}},
			},
		}),
	)
	if !o.NoHeaders {
		up := make([]string, len(header))
		for i, h := range header {
			up[i] = strings.ToUpper(h)
		}
		table.Header(up)
	}
	for _, r := range rows {
		_ = table.Append(r)
	}
	_ = table.Render()
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	first := 1
	if o.NoHeaders {
		first = 0
	}
	for i, line := range lines {
		line = strings.TrimRight(line, " ")
		if o.Color && i >= first && i-first < len(rows) {
			line = colorize(line, rows[i-first], colors)
		}
		io.WriteString(w, line+"\n")
	}
}

// visible returns copies of the columns to show, with the colour and shrink
// settings moved to their new indices.
func (t *Table) visible(wide bool) ([]string, [][]string, map[int]func(string) string, []int) {
	var keep []int
	at := map[int]int{}
	for i := range t.Header {
		if wide || !t.Wide[i] {
			at[i] = len(keep)
			keep = append(keep, i)
		}
	}
	header := make([]string, len(keep))
	for j, i := range keep {
		header[j] = t.Header[i]
	}
	rows := make([][]string, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]string, len(keep))
		for j, i := range keep {
			if i < len(row) {
				rows[r][j] = row[i]
			}
		}
	}
	colors := map[int]func(string) string{}
	for i, f := range t.Colors {
		if j, ok := at[i]; ok {
			colors[j] = f
		}
	}
	var shrink []int
	for _, i := range t.Shrink {
		if j, ok := at[i]; ok {
			shrink = append(shrink, j)
		}
	}
	return header, rows, colors, shrink
}

// fit cuts cells, with an ellipsis, until no line is wider than width, in
// a table that declares Shrink columns: first the Shrink columns, in order, down to a comfortable width; then all
// of them evenly down to the minimum (never below their header's width);
// then the other columns the same way, in turn from the right (so that the
// first columns, TARGET and ID or a detail's FIELD, keep the most); at last
// every column, headers too, down to one character. Only the gaps between
// columns are never cut.
func fit(header []string, rows [][]string, shrink []int, width int) {
	if len(shrink) == 0 {
		return // a table of details (field, value) is read whole: the terminal wraps it
	}
	widths := make([]int, len(header))
	for j, h := range header {
		widths[j] = runewidth.StringWidth(h)
	}
	for _, r := range rows {
		for j, cell := range r {
			widths[j] = max(widths[j], runewidth.StringWidth(cell))
		}
	}
	total := gap * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	floor := func(j int) int { return max(minWidth, runewidth.StringWidth(header[j])) }
	// comfortably cuts the columns in turn down to a comfortable width.
	comfortably := func(cols []int) {
		for _, j := range cols {
			if cut := min(total-width, widths[j]-max(comfortWidth, runewidth.StringWidth(header[j]))); cut > 0 {
				widths[j] -= cut
				total -= cut
			}
		}
	}
	// evenly cuts the columns, a character at a time in turn, down to their floor.
	evenly := func(cols []int, floor func(int) int) {
		for cut := true; total > width && cut; {
			cut = false
			for _, j := range cols {
				if total > width && widths[j] > floor(j) {
					widths[j]--
					total--
					cut = true
				}
			}
		}
	}
	comfortably(shrink)
	evenly(shrink, floor)
	var others, all []int
	for j := len(widths) - 1; j >= 0; j-- {
		if !slices.Contains(shrink, j) {
			others = append(others, j)
		}
		all = append(all, j)
	}
	comfortably(others)
	evenly(others, floor)
	evenly(all, func(int) int { return 1 })
	for j := range widths {
		if runewidth.StringWidth(header[j]) > widths[j] {
			header[j] = runewidth.Truncate(header[j], widths[j], "…")
		}
		for _, r := range rows {
			if runewidth.StringWidth(r[j]) > widths[j] {
				r[j] = runewidth.Truncate(r[j], widths[j], "…")
			}
		}
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

// Prefix adds a first column (TARGET, say) holding values[i] on row i.
func (t *Table) Prefix(header string, values []string) {
	t.Header = append([]string{header}, t.Header...)
	for i := range t.Rows {
		t.Rows[i] = append([]string{values[i]}, t.Rows[i]...)
	}
	colors := make(map[int]func(string) string, len(t.Colors))
	for k, v := range t.Colors {
		colors[k+1] = v
	}
	t.Colors = colors
	for i := range t.Shrink {
		t.Shrink[i]++
	}
	wide := make(map[int]bool, len(t.Wide))
	for k, v := range t.Wide {
		wide[k+1] = v
	}
	t.Wide = wide
}
