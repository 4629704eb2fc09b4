// Package plan is webhooks as code, provider-neutral: the file (export and
// parse), matching the file to a provider's webhooks, the plan of changes
// (diff), its order, its rendering as text and as data, and the saved plan.
// What differs between providers comes from their provider.Code.
package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hookctl/hookctl/internal/provider"
	"go.yaml.in/yaml/v3"
)

// Version is the file format's version.
const Version = 1

// MaxFileSize bounds a file of webhooks as code.
const MaxFileSize = 16 << 20

// Document is a file of webhooks as code.
type Document struct {
	Version int
	// Targets by name: a profile, or profile/child-company.
	Targets map[string]*Target
}

// Target is one target of the file.
type Target struct {
	Provider string
	Webhooks []Webhook
}

// Webhook is one webhook of the file: its fields by name. Values are
// string, bool ("enabled") or []string ("events"); a field the file omits
// is absent, and left as it is by apply.
type Webhook map[string]any

// Kinds of field values.
func listField(name string) bool { return name == "events" }
func boolField(name string) bool { return name == "enabled" }

// String is a string field's value, or "".
func (w Webhook) String(name string) string {
	s, _ := w[name].(string)
	return s
}

// Names lists the target names, sorted.
func (d *Document) Names() []string {
	out := make([]string, 0, len(d.Targets))
	for name := range d.Targets {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// SplitTarget splits a target name into its profile and child company.
func SplitTarget(name string) (profile, child string) {
	profile, child, _ = strings.Cut(name, "/")
	return profile, child
}

// fieldOrder is the file's order of a provider's fields, write-only last.
func fieldOrder(code *provider.Code) []string {
	out := slices.Clone(code.Fields)
	for _, wo := range code.WriteOnly {
		out = append(out, wo.Field)
	}
	return out
}

// Sort puts the webhooks of a target in the file's order: by matching key,
// then by the other fields.
func Sort(code *provider.Code, ws []Webhook) {
	order := append(slices.Clone(code.Key), fieldOrder(code)...)
	// Each webhook's sort texts are made once, not at every comparison.
	type keyed struct {
		texts []string
		w     Webhook
	}
	ks := make([]keyed, len(ws))
	for i, w := range ws {
		texts := make([]string, len(order))
		for j, f := range order {
			texts[j] = sortText(w[f])
		}
		ks[i] = keyed{texts, w}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		return slices.Compare(ks[i].texts, ks[j].texts) < 0
	})
	for i := range ks {
		ws[i] = ks[i].w
	}
}

func sortText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "false" // enabled first
		}
		return "true"
	case []string:
		return strings.Join(x, "\x00")
	}
	return ""
}

// EncodeYAML writes the document as YAML: version first, targets sorted,
// each webhook's fields in the provider's order.
func (d *Document) EncodeYAML(registry []provider.Info) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	root.Content = append(root.Content, str("version"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(d.Version)})
	targets := &yaml.Node{Kind: yaml.MappingNode}
	root.Content = append(root.Content, str("targets"), targets)
	for _, name := range d.Names() {
		t := d.Targets[name]
		code := codeOf(registry, t.Provider)
		tn := &yaml.Node{Kind: yaml.MappingNode}
		ws := &yaml.Node{Kind: yaml.SequenceNode}
		if len(t.Webhooks) == 0 {
			ws.Style = yaml.FlowStyle
		}
		tn.Content = append(tn.Content, str("provider"), str(t.Provider), str("webhooks"), ws)
		for _, w := range t.Webhooks {
			wn := &yaml.Node{Kind: yaml.MappingNode}
			for _, f := range fieldOrder(code) {
				v, ok := w[f]
				if !ok {
					continue
				}
				wn.Content = append(wn.Content, str(f), valueNode(v))
			}
			ws.Content = append(ws.Content, wn)
		}
		targets.Content = append(targets.Content, str(name), tn)
	}
	if len(targets.Content) == 0 {
		targets.Style = yaml.FlowStyle
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func valueNode(v any) *yaml.Node {
	switch x := v.(type) {
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case []string:
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, s := range x {
			n.Content = append(n.Content, str(s))
		}
		return n
	default:
		return str(fmt.Sprint(x))
	}
}

// EncodeJSON writes the document as indented JSON in the same order as
// MarshalYAML.
func (d *Document) EncodeJSON(registry []provider.Info) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"version\": %d,\n  \"targets\": {", d.Version)
	for i, name := range d.Names() {
		t := d.Targets[name]
		code := codeOf(registry, t.Provider)
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    %s: {\n      \"provider\": %s,\n      \"webhooks\": [", jsonText(name), jsonText(t.Provider))
		order := fieldOrder(code)
		for j, w := range t.Webhooks {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n        {")
			k := 0
			for _, f := range order {
				v, ok := w[f]
				if !ok {
					continue
				}
				if k > 0 {
					b.WriteString(",")
				}
				k++
				b.WriteString("\n          ")
				b.WriteString(jsonText(f))
				b.WriteString(": ")
				b.WriteString(jsonText(v))
			}
			b.WriteString("\n        }")
		}
		if len(t.Webhooks) > 0 {
			b.WriteString("\n      ")
		}
		b.WriteString("]\n    }")
	}
	if len(d.Targets) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("}\n}\n")
	return b.Bytes(), nil
}

// jsonText is v as compact JSON, as encoding/json writes it without HTML
// escaping; strings of plain printable ASCII (nearly every value of the
// file) are written directly, without an encoder each.
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		if plainJSON(x) {
			return `"` + x + `"`
		}
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []string:
		var b strings.Builder
		b.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonText(s))
		}
		b.WriteByte(']')
		return b.String()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// plainJSON reports whether s is printable ASCII that JSON needs no
// escape for.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func codeOf(registry []provider.Info, name string) *provider.Code {
	for _, info := range registry {
		if info.Name == name && info.Code != nil {
			return info.Code
		}
	}
	return &provider.Code{}
}

// InfoOf returns the registration of a provider.
func InfoOf(registry []provider.Info, name string) (provider.Info, bool) {
	for _, info := range registry {
		if info.Name == name {
			return info, true
		}
	}
	return provider.Info{}, false
}
