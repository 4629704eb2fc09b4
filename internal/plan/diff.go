package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/redact"
)

// Action is what a change does.
type Action string

// The actions, with their symbols.
const (
	Create    Action = "create"
	Update    Action = "update"
	Replace   Action = "replace"
	Delete    Action = "delete"
	Unmanaged Action = "unmanaged"
)

// Symbol is the action's mark in the text plan.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Replace:
		return "-/+"
	case Delete:
		return "-"
	}
	return "?"
}

// Change is one planned change of a target.
type Change struct {
	Action Action `json:"action"`
	// Webhook names it by its matching key (URL user-info redacted).
	Webhook string `json:"webhook"`
	// ID is the provider's id of the webhook changed ("" for a create).
	ID     string        `json:"id,omitempty"`
	Fields []FieldChange `json:"fields,omitempty"`
	// Needs are the references apply must resolve to make the change.
	Needs []string `json:"needs,omitempty"`
	// Basis is the fingerprint of the remote webhook the change was computed
	// against ("" for a create: no such webhook).
	Basis string `json:"basis,omitempty"`
	// Desired is the file's webhook (references as written), for a create,
	// update or replace.
	Desired Webhook `json:"desired,omitempty"`
}

// FieldChange is one field of a change: before → after.
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// WriteOnly: a secret never read back; not compared unless rotated.
	WriteOnly bool `json:"write_only,omitempty"`
	// Forces: the change of this field forces a replace.
	Forces bool `json:"forces_replacement,omitempty"`
	// Info: shown, not a change (a write-only field not compared).
	Info bool `json:"info,omitempty"`
}

// TargetPlan is the plan of one target.
type TargetPlan struct {
	Target   string   `json:"target"`
	Provider string   `json:"provider"`
	Changes  []Change `json:"changes"`
	// InSync counts the file's webhooks that need no change.
	InSync int `json:"in_sync"`
	// Problems stop an apply before any write (the provider's limit, a
	// change that needs a secret the file does not reference).
	Problems []string `json:"problems,omitempty"`
	// Notes are shown with the plan.
	Notes []string `json:"notes,omitempty"`
	// Fingerprint is of the remote state the plan was computed against.
	Fingerprint string `json:"fingerprint"`
}

// Options change how a plan is computed.
type Options struct {
	// Prune plans a delete of every remote webhook the file lacks.
	Prune bool
	// RotateSecrets plans a change of every write-only field the file references.
	RotateSecrets bool
	// Resolve resolves references; nil resolves none.
	Resolve Resolver
}

// Writes reports whether applying the plan writes anything (an unmanaged
// webhook is reported, not written).
func (p *TargetPlan) Writes() bool {
	for _, c := range p.Changes {
		if c.Action != Unmanaged {
			return true
		}
	}
	return false
}

// Drift reports whether the remote webhooks differ from the file: a change
// to make, or an unmanaged webhook (one the file lacks, which apply keeps
// without --prune, but which is not in sync with the file either).
func (p *TargetPlan) Drift() bool { return len(p.Changes) > 0 }

// Count counts the changes of an action.
func (p *TargetPlan) Count(a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// FromRemote is a provider's webhook as the file describes it.
func FromRemote(code *provider.Code, w provider.Webhook) Webhook {
	out := make(Webhook, len(code.Fields)+len(code.WriteOnly))
	for _, f := range code.Fields {
		switch f {
		case "url":
			out[f] = w.URL
		case "events":
			out[f] = normList(w.Events)
		case "event":
			out[f] = strings.Join(w.Events, ",")
		case "name":
			out[f] = w.Name
		case "context":
			out[f] = w.Context
		case "enabled":
			out[f] = w.Enabled
		case "public_key":
			out[f] = w.PublicKey
		}
	}
	return out
}

// Fields is a file webhook as the provider interface's normalized fields.
func Fields(w Webhook) provider.Fields {
	var f provider.Fields
	for name, v := range w {
		switch x := v.(type) {
		case string:
			s := x
			switch name {
			case "url":
				f.URL = &s
			case "event":
				f.Events = &[]string{s}
			case "name":
				f.Name = &s
			case "context":
				f.Context = &s
			case "public_key":
				f.PublicKey = &s
			}
		case bool:
			b := x
			f.Enabled = &b
		case []string:
			l := slices.Clone(x)
			f.Events = &l
		}
	}
	return f
}

func normList(l []string) []string {
	out := slices.Clone(l)
	if out == nil {
		out = []string{}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// keyOf is a webhook's matching key: its key fields, the URL without user-info.
func keyOf(code *provider.Code, w Webhook) string {
	return keyText(code.Key, w)
}

func keyText(fields []string, w Webhook) string {
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		v := valueText(w[f])
		if f == "url" {
			v, _ = splitURL(v)
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, "\x00")
}

// Label names a webhook by its key for people: key values joined by spaces,
// URL user-info redacted.
func Label(code *provider.Code, w Webhook) string {
	parts := make([]string, 0, len(code.Key))
	for _, f := range code.Key {
		v := valueText(w[f])
		if f == "url" {
			v = showURL(v)
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

// showURL is a URL for output: a reference in the user-info is kept, any
// other user-info redacted.
func showURL(raw string) string {
	bare, ui := splitURL(raw)
	if ui == "" {
		return raw
	}
	if _, err := ParseRef(ui); err == nil {
		return raw
	}
	return joinURL(bare, redact.Mark)
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return fmt.Sprint(x)
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	return ""
}

func mutableKey(code *provider.Code) []string {
	var out []string
	for _, f := range code.Key {
		if !slices.Contains(code.Immutable, f) {
			out = append(out, f)
		}
	}
	return out
}

// Fingerprint is of one remote webhook as the plan sees it: its id and
// fields (the URL's user-info left out).
func Fingerprint(code *provider.Code, w provider.Webhook) string {
	fw := FromRemote(code, w)
	if u, ok := fw["url"].(string); ok {
		fw["url"], _ = splitURL(u)
	}
	fw["id"] = w.ID
	b, _ := json.Marshal(fw) // maps marshal sorted: stable
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// StateFingerprint is of a target's whole remote state.
func StateFingerprint(code *provider.Code, remote []provider.Webhook) string {
	prints := make([]string, 0, len(remote))
	for _, w := range remote {
		prints = append(prints, Fingerprint(code, w))
	}
	sort.Strings(prints)
	sum := sha256.Sum256([]byte(strings.Join(prints, ",")))
	return hex.EncodeToString(sum[:8])
}

// Compute plans the changes that make a target's remote webhooks match the
// file's.
func Compute(name string, info provider.Info, t *Target, remote []provider.Webhook, o Options) *TargetPlan {
	code := info.Code
	p := &TargetPlan{Target: name, Provider: info.Name, Changes: []Change{}, Fingerprint: StateFingerprint(code, remote)}
	rs := make([]Webhook, len(remote))
	used := make([]bool, len(remote))
	byKey := map[string][]int{}
	for i, w := range remote {
		rs[i] = FromRemote(code, w)
		k := keyOf(code, rs[i])
		byKey[k] = append(byKey[k], i)
	}
	var desired []Webhook
	if t != nil {
		desired = slices.Clone(t.Webhooks)
	}
	Sort(code, desired)
	match := make([]int, len(desired))
	for i, d := range desired {
		match[i] = -1
		for _, j := range byKey[keyOf(code, d)] {
			if !used[j] {
				match[i], used[j] = j, true
				break
			}
		}
	}
	// A webhook whose immutable key fields changed is found by the others:
	// it is replaced, not created next to the old one.
	if mk := mutableKey(code); len(mk) < len(code.Key) {
		for i, d := range desired {
			if match[i] >= 0 {
				continue
			}
			for j := range rs {
				if !used[j] && keyText(mk, d) == keyText(mk, rs[j]) {
					match[i], used[j] = j, true
					break
				}
			}
		}
	}
	for i, d := range desired {
		if match[i] < 0 {
			p.Changes = append(p.Changes, createChange(code, d, o))
			continue
		}
		j := match[i]
		c := compare(code, d, rs[j], o)
		c.ID, c.Basis = remote[j].ID, Fingerprint(code, remote[j])
		switch c.Action {
		case "":
			p.InSync++
		default:
			p.Changes = append(p.Changes, c)
		}
	}
	for j := range remote {
		if used[j] {
			continue
		}
		a := Unmanaged
		if o.Prune {
			a = Delete
		}
		p.Changes = append(p.Changes, Change{Action: a, Webhook: Label(code, rs[j]), ID: remote[j].ID, Basis: Fingerprint(code, remote[j])})
	}
	sortChanges(p.Changes)
	p.check(info, len(remote), o, desired)
	return p
}

// phase orders the changes as apply runs them: deletes first (a limit's
// room, a replaced webhook's key), then updates, then creates.
func phase(a Action) int {
	switch a {
	case Delete:
		return 0
	case Replace:
		return 1
	case Update:
		return 2
	case Create:
		return 3
	}
	return 4
}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		if pi, pj := phase(cs[i].Action), phase(cs[j].Action); pi != pj {
			return pi < pj
		}
		return cs[i].Webhook < cs[j].Webhook
	})
}

func createChange(code *provider.Code, d Webhook, o Options) Change {
	c := Change{Action: Create, Webhook: Label(code, d), Desired: d}
	for _, f := range fieldOrder(code) {
		v, ok := d[f]
		if slices.Contains(code.Key, f) && f != "url" {
			continue
		}
		if wo := writeOnly(code, f); wo != nil {
			if ok {
				c.Fields = append(c.Fields, FieldChange{Field: f, Before: nil, After: v, WriteOnly: true})
			}
			continue
		}
		if !ok || f == "url" {
			continue
		}
		c.Fields = append(c.Fields, FieldChange{Field: f, Before: nil, After: shown(f, v)})
	}
	c.Needs = needs(code, d, c)
	return c
}

func shown(field string, v any) any {
	if s, ok := v.(string); ok && field == "url" {
		return showURL(s)
	}
	return v
}

// compare plans the change of one matched webhook: "" when none.
func compare(code *provider.Code, d, r Webhook, o Options) Change {
	c := Change{Webhook: Label(code, d), Desired: d}
	changed, forces := false, false
	for _, f := range code.Fields {
		dv, ok := d[f]
		if !ok {
			continue
		}
		rv := r[f]
		same := valueText(dv) == valueText(rv)
		if f == "url" {
			same = sameURL(dv.(string), rv.(string))
		}
		if same {
			continue
		}
		fc := FieldChange{Field: f, Before: shown(f, rv), After: shown(f, dv)}
		if slices.Contains(code.Immutable, f) {
			fc.Forces, forces = true, true
		}
		c.Fields = append(c.Fields, fc)
		changed = true
	}
	for _, wo := range code.WriteOnly {
		v, ok := d[wo.Field]
		if !ok {
			continue
		}
		if o.RotateSecrets {
			c.Fields = append(c.Fields, FieldChange{Field: wo.Field, Before: "(write-only)", After: v, WriteOnly: true})
			changed = true
			continue
		}
		c.Fields = append(c.Fields, FieldChange{Field: wo.Field, WriteOnly: true, Info: true})
	}
	switch {
	case forces:
		c.Action = Replace
		c.Needs = needs(code, d, c)
	case changed:
		c.Action = Update
		c.Needs = needs(code, d, c)
	default:
		return Change{}
	}
	return c
}

// sameURL compares URLs. User-info is compared by presence only: the
// providers' webhooks come back with it redacted, so its value cannot be
// compared (comparing it would be a diff that never goes away).
func sameURL(file, remote string) bool {
	fb, fu := splitURL(file)
	rb, ru := splitURL(remote)
	return fb == rb && (fu == "") == (ru == "")
}

// needs are the references a change must resolve: the URL's user-info when
// the URL is sent, a write-only field on create, on rotation, or when a
// field sent with it changes.
func needs(code *provider.Code, d Webhook, c Change) []string {
	var out []string
	sends := func(f string) bool {
		if c.Action == Create || c.Action == Replace {
			_, ok := d[f]
			return ok
		}
		for _, fc := range c.Fields {
			if fc.Field == f && !fc.Info {
				return true
			}
		}
		return false
	}
	if u, ok := d["url"].(string); ok && sends("url") {
		if r, ok := urlRef(u); ok {
			out = append(out, r.String())
		}
	}
	for _, wo := range code.WriteOnly {
		need := (c.Action == Create || c.Action == Replace) && wo.Create
		for _, f := range wo.With {
			if c.Action == Update && sends(f) {
				need = true
			}
		}
		if c.Action == Update && sends(wo.Field) {
			need = true
		}
		if !need {
			continue
		}
		if v, ok := d[wo.Field].(string); ok {
			out = append(out, v)
		} else {
			out = append(out, wo.Field+"?")
		}
	}
	return out
}

// check finds what would stop an apply: the provider's limit, a change
// needing a secret the file does not reference.
func (p *TargetPlan) check(info provider.Info, remote int, o Options, desired []Webhook) {
	code := info.Code
	n := remote - p.Count(Delete) + p.Count(Create)
	if code.Limit > 0 && n > code.Limit {
		p.Problems = append(p.Problems, fmt.Sprintf("the plan leaves %d webhooks and %s allows at most %d per environment: remove some from the file, or delete unmanaged ones with --prune", n, info.Title, code.Limit))
	}
	for _, c := range p.Changes {
		for _, need := range c.Needs {
			field, missing := strings.CutSuffix(need, "?")
			if !missing {
				if ref, err := ParseRef(need); err == nil && o.Resolve != nil {
					if _, ok, err := o.Resolve(ref); err == nil && !ok {
						p.Notes = append(p.Notes, fmt.Sprintf("%s %s needs %s, which is not set", c.Action, c.Webhook, ref))
					}
				}
				continue
			}
			wo := writeOnly(code, field)
			hint := "add `" + field + ": ${env:NAME}` to the file"
			if info.KeyPair != nil && info.KeyPair.Private == wo.Input && (c.Action == Create || c.Action == Replace) {
				hint += ", or pass --generate-keys-dir DIR"
			}
			p.Notes = append(p.Notes, fmt.Sprintf("%s %s needs %s, %s: %s", c.Action, c.Webhook, field, wo.Doc, hint))
		}
	}
}
