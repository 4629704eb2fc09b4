package plan

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hookctl/hookctl/internal/clierr"
)

// SavedKind marks a saved plan file.
const SavedKind = "hookctl-plan"

// Saved is a plan written by `apply --plan-out` and applied exactly by
// `apply PLAN`: each target's changes, and fingerprints of the remote state
// (whole, and of each webhook changed) they were computed against. It holds
// references, never secrets.
type Saved struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	// File is the file of webhooks the plan was made from; BaseDir the
	// directory its ${file:...} references are relative to.
	File          string        `json:"file"`
	BaseDir       string        `json:"base_dir"`
	Prune         bool          `json:"prune"`
	RotateSecrets bool          `json:"rotate_secrets"`
	Targets       []*TargetPlan `json:"targets"`
}

// Encode writes the saved plan.
func (s *Saved) Encode() ([]byte, error) {
	s.Kind, s.Version = SavedKind, Version
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(s)
	return b.Bytes(), err
}

// IsSaved reports whether data looks like a saved plan (JSON of SavedKind).
func IsSaved(data []byte) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	return json.Unmarshal(data, &head) == nil && head.Kind == SavedKind
}

// DecodeSaved reads a saved plan.
func DecodeSaved(data []byte, file string) (*Saved, error) {
	var s Saved
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, clierr.Usagef("%s is not a saved plan (%v): make one with `hookctl apply -f FILE --plan-out PLAN`", file, err)
	}
	if s.Kind != SavedKind || s.Version != Version {
		return nil, clierr.Usagef("%s: saved plan version %d: this hookctl applies version %d; make a new plan", file, s.Version, Version)
	}
	for _, t := range s.Targets {
		if t == nil || t.Target == "" || t.Fingerprint == "" {
			return nil, clierr.Usagef("%s: a target of the saved plan has no name or fingerprint: make a new plan", file)
		}
		for i := range t.Changes {
			c := &t.Changes[i]
			c.Desired = fixTypes(c.Desired)
			switch c.Action {
			case Create, Update, Replace, Delete, Unmanaged:
			default:
				return nil, clierr.Usagef("%s: target %s: unknown action %q: make a new plan", file, t.Target, c.Action)
			}
			if (c.Action == Create || c.Action == Update || c.Action == Replace) && c.Desired == nil {
				return nil, clierr.Usagef("%s: target %s: %s %s has no desired webhook: make a new plan", file, t.Target, c.Action, c.Webhook)
			}
			if c.Action != Create && c.ID == "" {
				return nil, clierr.Usagef("%s: target %s: %s %s has no id: make a new plan", file, t.Target, c.Action, c.Webhook)
			}
		}
	}
	return &s, nil
}

// fixTypes turns JSON's []any back into []string.
func fixTypes(w Webhook) Webhook {
	for k, v := range w {
		if l, ok := v.([]any); ok {
			out := make([]string, 0, len(l))
			for _, e := range l {
				out = append(out, fmt.Sprint(e))
			}
			w[k] = out
		}
	}
	return w
}

// Stale explains why a target's remote state no longer matches what its
// saved plan saw ("" when it does): the first change whose webhook changed
// or is gone, else webhooks added or removed. prints holds the remote
// webhooks' fingerprints by id.
func Stale(saved *TargetPlan, fingerprint string, prints map[string]string) string {
	if saved.Fingerprint == fingerprint {
		return ""
	}
	for _, c := range saved.Changes {
		if c.Action == Create {
			continue
		}
		switch p, ok := prints[c.ID]; {
		case !ok:
			return fmt.Sprintf("webhook %s (%s) of the planned %s is gone", c.ID, c.Webhook, c.Action)
		case p != c.Basis:
			return fmt.Sprintf("webhook %s (%s) of the planned %s changed", c.ID, c.Webhook, c.Action)
		}
	}
	return "webhooks were added or removed"
}
