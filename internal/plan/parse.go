package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/validate"
	"go.yaml.in/yaml/v3"
)

// Parse reads a file of webhooks as code (YAML or JSON). It is strict:
// unknown fields, wrong types, a missing matching key, a secret written as
// a value, two webhooks with one key are usage errors of one line naming
// the file, the target, the webhook and the field.
func Parse(data []byte, file string, registry []provider.Info) (*Document, error) {
	p := &parser{file: file}
	if len(data) > MaxFileSize {
		return nil, clierr.Usagef("%s is larger than %d MiB", file, MaxFileSize>>20)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, clierr.Usagef("%s is neither YAML nor JSON: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, clierr.Usagef("%s is empty: write `version: 1` and `targets:` (see `hookctl export`)", file)
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, p.errf(top, "", "the file must be a mapping with version and targets (see `hookctl export`)")
	}
	doc := &Document{Targets: map[string]*Target{}}
	var sawVersion, sawTargets bool
	for i := 0; i < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "version":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || n != Version {
				return nil, p.errf(v, "", "version %q: this hookctl reads version %d", v.Value, Version)
			}
			doc.Version, sawVersion = n, true
		case "targets":
			sawTargets = true
			if v.Kind != yaml.MappingNode {
				if v.Tag == "!!null" {
					continue
				}
				return nil, p.errf(v, "", "targets must be a mapping of target names (profile or profile/child-company)")
			}
			for j := 0; j < len(v.Content); j += 2 {
				name := v.Content[j].Value
				if err := checkTargetName(name); err != nil {
					return nil, p.errf(v.Content[j], "", "target %q: %v", name, err)
				}
				t, err := p.target(name, v.Content[j+1], registry)
				if err != nil {
					return nil, err
				}
				doc.Targets[name] = t
			}
		default:
			return nil, p.errf(k, "", "unknown field %q: the file has version and targets", k.Value)
		}
	}
	if !sawVersion {
		return nil, clierr.Usagef("%s has no version: add `version: %d` at the top", file, Version)
	}
	if !sawTargets {
		return nil, clierr.Usagef("%s has no targets: add `targets:` (see `hookctl export`)", file)
	}
	return doc, nil
}

func checkTargetName(name string) error {
	profile, child := SplitTarget(name)
	switch {
	case strings.TrimSpace(profile) == "":
		return fmt.Errorf("name a profile, or profile/child-company")
	case strings.Contains(name, "/") && (child == "" || strings.Contains(child, "/")):
		return fmt.Errorf("write profile/child-company, with one /")
	}
	return nil
}

type parser struct{ file string }

func (p *parser) errf(n *yaml.Node, where, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if where != "" {
		msg = where + ": " + msg
	}
	return clierr.Usagef("%s:%d: %s", p.file, n.Line, msg)
}

func (p *parser) target(name string, n *yaml.Node, registry []provider.Info) (*Target, error) {
	where := fmt.Sprintf("target %q", name)
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, where, "must be a mapping with provider and webhooks")
	}
	t := &Target{}
	var list *yaml.Node
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "provider":
			t.Provider = v.Value
			info, ok := InfoOf(registry, v.Value)
			if v.Kind != yaml.ScalarNode || !ok {
				return nil, p.errf(v, where, "provider %q: use one of %s", v.Value, strings.Join(providerNames(registry), ", "))
			}
			if info.Code == nil {
				return nil, p.errf(v, where, "webhooks as code is not supported by %s", info.Name)
			}
		case "webhooks":
			list = v
		default:
			return nil, p.errf(k, where, "unknown field %q: a target has provider and webhooks", k.Value)
		}
	}
	if t.Provider == "" {
		return nil, p.errf(n, where, "no provider: add `provider: %s`", strings.Join(providerNames(registry), "|"))
	}
	if list == nil || list.Tag == "!!null" {
		return t, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, p.errf(list, where, "webhooks must be a list")
	}
	info, _ := InfoOf(registry, t.Provider)
	seen := map[string]int{}
	for i, wn := range list.Content {
		w, err := p.webhook(fmt.Sprintf("%s, webhook %d", where, i+1), wn, info)
		if err != nil {
			return nil, err
		}
		k := keyOf(info.Code, w)
		if j, dup := seen[k]; dup {
			return nil, p.errf(wn, fmt.Sprintf("%s, webhook %d", where, i+1), "same %s as webhook %d: each webhook appears once", strings.Join(info.Code.Key, ", "), j+1)
		}
		seen[k] = i
		t.Webhooks = append(t.Webhooks, w)
	}
	return t, nil
}

func (p *parser) webhook(where string, n *yaml.Node, info provider.Info) (Webhook, error) {
	code := info.Code
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, where, "must be a mapping of fields (%s)", strings.Join(fieldOrder(code), ", "))
	}
	w := Webhook{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := k.Value
		fw := where + ": " + f
		wo := writeOnly(code, f)
		if !code.HasField(f) && wo == nil {
			return nil, p.errf(k, where, "unknown field %q: %s webhooks take %s", f, info.Name, strings.Join(fieldOrder(code), ", "))
		}
		switch {
		case listField(f):
			if v.Kind != yaml.SequenceNode {
				return nil, p.errf(v, fw, "must be a list of names, e.g. [a, b]")
			}
			list := []string{}
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode || e.Tag != "!!str" || strings.TrimSpace(e.Value) == "" {
					return nil, p.errf(e, fw, "%q is not a name", e.Value)
				}
				list = append(list, e.Value)
			}
			w[f] = normList(list)
		case boolField(f):
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return nil, p.errf(v, fw, "must be true or false, not %q", v.Value)
			}
			w[f] = v.Value == "true"
		default:
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				return nil, p.errf(v, fw, "must be a text value")
			}
			s := v.Value
			if wo != nil {
				if _, err := ParseRef(s); err != nil {
					return nil, p.errf(v, fw, "is a secret (%s): the file holds a reference to it, ${env:NAME} or ${file:PATH}, never the value", wo.Doc)
				}
			} else if f == "url" {
				if err := checkURL(s); err != nil {
					return nil, p.errf(v, fw, "%v", err)
				}
			} else if HasRef(s) {
				return nil, p.errf(v, fw, "references (${...}) are only for secrets: the user-info of url and %s", strings.Join(writeOnlyNames(code), ", "))
			} else if strings.TrimSpace(s) == "" {
				return nil, p.errf(v, fw, "is empty")
			}
			w[f] = s
		}
	}
	for _, f := range code.Key {
		if _, ok := w[f]; !ok {
			return nil, p.errf(n, where, "no %s: %s webhooks are matched by %s", f, info.Name, strings.Join(code.Key, ", "))
		}
	}
	return w, nil
}

// checkURL checks a file's URL: its user-info, if any, must be a reference.
func checkURL(raw string) error {
	bare, ui := splitURL(raw)
	if ui != "" {
		if _, err := ParseRef(ui); err != nil {
			return fmt.Errorf("credentials in a URL are secrets: write them as a reference, https://${env:NAME}@host/path")
		}
	}
	if HasRef(bare) {
		return fmt.Errorf("only the user-info of a URL may be a reference (https://${env:NAME}@host/path)")
	}
	if _, err := validate.URL("url", bare); err != nil {
		return err
	}
	return nil
}

func writeOnly(code *provider.Code, field string) *provider.WriteOnly {
	for i := range code.WriteOnly {
		if code.WriteOnly[i].Field == field {
			return &code.WriteOnly[i]
		}
	}
	return nil
}

func writeOnlyNames(code *provider.Code) []string {
	var out []string
	for _, wo := range code.WriteOnly {
		out = append(out, wo.Field)
	}
	return out
}

func providerNames(registry []provider.Info) []string {
	var out []string
	for _, info := range registry {
		if info.Code != nil {
			out = append(out, info.Name)
		}
	}
	return out
}
