package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/termsafe"
)

// templateFuncs are the helpers --template offers, as gh's do.
var templateFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"join": func(sep string, v []any) string {
		parts := make([]string, len(v))
		for i, x := range v {
			b, _ := json.Marshal(x)
			parts[i] = strings.Trim(string(b), `"`)
		}
		return strings.Join(parts, sep)
	},
	"upper": strings.ToUpper,
}

func parseTemplate(text string) (*template.Template, error) {
	t, err := template.New("--template").Funcs(templateFuncs).Option("missingkey=zero").Parse(text)
	if err != nil {
		return nil, clierr.Usagef("--template: %v: fix the template", strings.TrimPrefix(err.Error(), "template: "))
	}
	return t, nil
}

// writeTemplate runs the template over the document as JSON sees it, so that
// fields are named as in -o json.
func (p *Printer) writeTemplate(w io.Writer, doc any) error {
	input, err := asJSON(doc)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := p.tmpl.Execute(&out, input); err != nil {
		// Found after the request: a failure (exit 1), not a usage error.
		return fmt.Errorf("--template: %v", strings.TrimPrefix(err.Error(), "template: "))
	}
	text := out.String()
	if p.opts.TTY {
		text = termsafe.Text(text) // provider data: no escape sequence acts on the terminal
	}
	_, err = io.WriteString(w, text)
	return err
}
