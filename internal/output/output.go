// Package output prints results as a table, JSON or YAML, optionally through
// a jq expression. It is the only package that knows tablewriter.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/itchyny/gojq"
	"go.yaml.in/yaml/v3"
)

// Formats are the values of --output.
var Formats = []string{"table", "wide", "json", "yaml", "name"}

// Options select the format of one run.
type Options struct {
	Format   string // one of Formats
	JQ       string
	Template string // a Go template over the JSON document
	Color    bool   // ANSI colour in tables and JSON
	// Width is the terminal's width (tables are fitted to it); 0 off a terminal.
	Width     int
	NoHeaders bool
	// TTY: stdout is a terminal (--jq strings are made terminal-safe).
	TTY bool
}

// Printer writes documents to stdout in the chosen format.
type Printer struct {
	opts Options
	jq   *gojq.Code
	tmpl *template.Template
}

// New validates the options (a bad --jq is a usage error) and returns a Printer.
func New(o Options) (*Printer, error) {
	p := &Printer{opts: o}
	if o.JQ != "" && o.Template != "" {
		return nil, clierr.Usagef("--jq and --template both given: use one")
	}
	if (o.JQ != "" || o.Template != "") && o.Format != "table" && o.Format != "json" {
		flag := "--jq"
		if o.Template != "" {
			flag = "--template"
		}
		return nil, clierr.Usagef("%s works on the JSON document: drop -o %s (or %s)", flag, o.Format, flag)
	}
	if o.Template != "" {
		t, err := parseTemplate(o.Template)
		if err != nil {
			return nil, err
		}
		p.tmpl = t
	}
	if o.JQ != "" {
		q, err := gojq.Parse(o.JQ)
		if err != nil {
			return nil, clierr.Usagef("--jq: %v: fix the expression", err)
		}
		code, err := gojq.Compile(q)
		if err != nil {
			return nil, clierr.Usagef("--jq: %v: fix the expression", err)
		}
		p.jq = code
		p.opts.Format = "json"
	}
	return p, nil
}

// IsTable reports whether the output is a table.
func (p *Printer) IsTable() bool {
	return (p.opts.Format == "table" || p.opts.Format == "wide") && p.jq == nil && p.tmpl == nil
}

// Print writes doc (anything encoding/json can marshal); table is used for
// the table format and may be nil when the document has no table form.
func (p *Printer) Print(w io.Writer, doc any, table *Table) error {
	var buf bytes.Buffer
	var err error
	switch {
	case p.jq != nil:
		err = p.writeJQ(&buf, doc)
	case p.tmpl != nil:
		err = p.writeTemplate(&buf, doc)
	case p.opts.Format == "json" || (table == nil && p.opts.Format != "yaml" && p.opts.Format != "name"):
		err = WriteJSON(&buf, doc)
		if err == nil && p.opts.Color {
			colored := ColorJSON(buf.Bytes())
			buf.Reset()
			buf.Write(colored)
		}
	case p.opts.Format == "yaml":
		err = WriteYAML(&buf, doc)
	case p.opts.Format == "name":
		// Whether a command prints ids is decided before it runs (see
		// cmdutil.CheckOutput); an empty list prints nothing.
		if table == nil {
			return clierr.Usagef("-o name prints the ids of a list, and this command prints none: use -o json")
		}
		for _, n := range table.Names {
			fmt.Fprintln(&buf, n)
		}
	default:
		table.Render(&buf, RenderOptions{Color: p.opts.Color, Width: p.opts.Width, NoHeaders: p.opts.NoHeaders, Wide: p.opts.Format == "wide"})
	}
	if err != nil {
		return err
	}
	// Written in one piece, so that an interrupt never leaves half a document.
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteJSON writes one indented JSON document.
func WriteJSON(w io.Writer, doc any) error {
	out, err := appendJSON(nil, doc, "")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// appendJSON appends doc indented by two spaces, its lines after the first
// starting with prefix, with no newline after it, and DEL and the C1
// controls escaped.
func appendJSON(dst []byte, doc any, prefix string) ([]byte, error) {
	n := len(dst)
	out, err := jsonx.MarshalIndent(dst, doc, prefix, "  ")
	if err != nil {
		return dst, err
	}
	if item := out[n:]; bytes.IndexByte(item, 0x7f) >= 0 || bytes.IndexByte(item, 0xc2) >= 0 {
		out = append(out[:n:n], escapeControls(item)...)
	}
	return out, nil
}

// escapeControls writes DEL and the C1 controls (U+0080-U+009F, U+009B is
// CSI) in JSON strings as \u escapes, which encoding/json leaves raw: the
// value stays exact and no terminal acts on it. In valid JSON these bytes
// occur only inside strings.
func escapeControls(b []byte) []byte {
	if bytes.IndexByte(b, 0x7f) < 0 && bytes.IndexByte(b, 0xc2) < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == 0x7f:
			out = append(out, `\u007f`...)
		case b[i] == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			out = append(out, fmt.Sprintf(`\u%04x`, b[i+1])...)
			i++
		default:
			out = append(out, b[i])
		}
	}
	return out
}

// WriteYAML writes the document as YAML with the keys in JSON order.
func WriteYAML(w io.Writer, doc any) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var node yaml.Node
	// YAML refuses DEL and C1 controls raw; escaped, they round-trip.
	if err := yaml.Unmarshal(escapeControls(data), &node); err != nil {
		return err
	}
	clearStyle(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	return enc.Close()
}

// clearStyle drops the flow style that JSON input gives every node, so the
// YAML comes out in block style.
func clearStyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && needsQuotes(n.Value) {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		clearStyle(c)
	}
}

func needsQuotes(s string) bool {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return true
	}
	_, isString := v.(string)
	return !isString || s == "" || strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.ContainsAny(s, "\n")
}

// asJSON is the document as JSON sees it (maps, slices, json.Number), so that
// --jq and --template name fields as -o json prints them.
func asJSON(doc any) (any, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err = dec.Decode(&v)
	return v, err
}

func (p *Printer) writeJQ(w io.Writer, doc any) error {
	input, err := asJSON(doc)
	if err != nil {
		return err
	}
	input = numbersForJQ(input)
	iter := p.jq.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := v.(error); ok {
			if h, ok := err.(*gojq.HaltError); ok && h.Value() == nil {
				return nil
			}
			return fmt.Errorf("--jq: %v", err)
		}
		if s, ok := v.(string); ok {
			if p.opts.TTY {
				s = termsafe.Text(s) // a raw string is text for the terminal
			}
			fmt.Fprintln(w, s)
			continue
		}
		out, err := gojq.Marshal(v)
		if err != nil {
			return err
		}
		w.Write(out)
		fmt.Fprintln(w)
	}
}

// numbersForJQ turns json.Number into the int/float64 values gojq takes.
func numbersForJQ(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return int(i)
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = numbersForJQ(x)
		}
	case []any:
		for i, x := range t {
			t[i] = numbersForJQ(x)
		}
	}
	return v
}
