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
	"strconv"
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
	texts := make([]string, len(ws)*len(order))
	for i, w := range ws {
		t := texts[i*len(order) : (i+1)*len(order) : (i+1)*len(order)]
		for j, f := range order {
			t[j] = sortText(w[f])
		}
		ks[i] = keyed{t, w}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return slices.Compare(a.texts, b.texts) })
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
	parts := make(map[string][]byte, len(d.Targets))
	for name, t := range d.Targets {
		parts[name] = TargetJSON(registry, name, t)
	}
	return JoinJSON(d.Version, parts), nil
}

// TargetJSON is one target as EncodeJSON writes it (its name and object,
// indented for the document), so that targets can be encoded as each is
// read, concurrently, and joined by JoinJSON.
func TargetJSON(registry []provider.Info, name string, t *Target) []byte {
	code := codeOf(registry, t.Provider)
	b := make([]byte, 0, 128+256*len(t.Webhooks))
	b = append(b, "\n    "...)
	b = appendJSONString(b, name)
	b = append(b, ": {\n      \"provider\": "...)
	b = appendJSONString(b, t.Provider)
	b = append(b, ",\n      \"webhooks\": ["...)
	order := fieldOrder(code)
	for j, w := range t.Webhooks {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        {"...)
		k := 0
		for _, f := range order {
			v, ok := w[f]
			if !ok {
				continue
			}
			if k > 0 {
				b = append(b, ',')
			}
			k++
			b = append(b, "\n          "...)
			b = appendJSONString(b, f)
			b = append(b, ": "...)
			b = appendJSONText(b, v)
		}
		b = append(b, "\n        }"...)
	}
	if len(t.Webhooks) > 0 {
		b = append(b, "\n      "...)
	}
	return append(b, "]\n    }"...)
}

// JoinJSON is the document of EncodeJSON from its targets' TargetJSON,
// sorted by target name.
func JoinJSON(version int, targets map[string][]byte) []byte {
	names := make([]string, 0, len(targets))
	size := 64
	for name, part := range targets {
		names = append(names, name)
		size += len(part) + 1
	}
	sort.Strings(names)
	b := make([]byte, 0, size)
	b = append(b, "{\n  \"version\": "...)
	b = strconv.AppendInt(b, int64(version), 10)
	b = append(b, ",\n  \"targets\": {"...)
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, targets[name]...)
	}
	if len(names) > 0 {
		b = append(b, "\n  "...)
	}
	return append(b, "}\n}\n"...)
}

// jsonText is v as compact JSON, as encoding/json writes it without HTML
// escaping.
func jsonText(v any) string { return string(appendJSONText(nil, v)) }

// appendJSONText appends jsonText(v); strings of plain printable ASCII
// (nearly every value of the file) are written directly, without an
// encoder each.
func appendJSONText(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return appendJSONString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	}
	return appendEncoded(b, v)
}

// appendJSONString is appendJSONText for a string, without boxing it.
func appendJSONString(b []byte, s string) []byte {
	if plainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendEncoded(b, s)
}

func appendEncoded(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
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
