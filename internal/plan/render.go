package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/hookctl/hookctl/internal/termsafe"
)

// Summary counts the changes of a plan.
type Summary struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Replace   int `json:"replace"`
	Delete    int `json:"delete"`
	Unmanaged int `json:"unmanaged"`
	InSync    int `json:"in_sync"`
	Failed    int `json:"failed"`
}

func (s *Summary) add(p *TargetPlan) {
	s.Create += p.Count(Create)
	s.Update += p.Count(Update)
	s.Replace += p.Count(Replace)
	s.Delete += p.Count(Delete)
	s.Unmanaged += p.Count(Unmanaged)
	s.InSync += p.InSync
}

// Result is one target of a run: its plan, or why there is none.
type Result struct {
	Target   string
	Provider string
	Plan     *TargetPlan
	Err      string
}

// Data is the plan as data (-o json): target by target.
type Data struct {
	Targets []TargetData `json:"targets"`
	Summary Summary      `json:"summary"`
	Drift   bool         `json:"drift"`
}

// TargetData is one target of Data.
type TargetData struct {
	Target   string   `json:"target"`
	Provider string   `json:"provider"`
	OK       bool     `json:"ok"`
	Error    string   `json:"error,omitempty"`
	Changes  []Change `json:"changes"`
	InSync   int      `json:"in_sync"`
	Problems []string `json:"problems"`
	Notes    []string `json:"notes"`
}

// NewData builds the data of results.
func NewData(results []Result) Data {
	d := Data{Targets: []TargetData{}}
	for _, r := range results {
		td := TargetData{Target: r.Target, Provider: r.Provider, Changes: []Change{}, Problems: []string{}, Notes: []string{}}
		if r.Plan == nil {
			td.Error = r.Err
			d.Summary.Failed++
		} else {
			td.OK = true
			td.Changes = r.Plan.Changes
			td.InSync = r.Plan.InSync
			td.Problems = append(td.Problems, r.Plan.Problems...)
			td.Notes = append(td.Notes, r.Plan.Notes...)
			d.Summary.add(r.Plan)
			d.Drift = d.Drift || r.Plan.Drift()
		}
		d.Targets = append(d.Targets, td)
	}
	return d
}

// Text writes the plan for people: per target a heading, one line per
// change with its symbol, its fields' before → after, then a summary.
func Text(w io.Writer, results []Result) error {
	var b strings.Builder
	var sum Summary
	for _, r := range results {
		if r.Plan == nil {
			fmt.Fprintf(&b, "%s (%s): not planned: %s\n", r.Target, r.Provider, r.Err)
			sum.Failed++
			continue
		}
		p := r.Plan
		sum.add(p)
		if len(p.Changes) == 0 {
			fmt.Fprintf(&b, "%s (%s): no changes, %d in sync\n", p.Target, p.Provider, p.InSync)
		} else {
			fmt.Fprintf(&b, "%s (%s):\n", p.Target, p.Provider)
		}
		for _, c := range p.Changes {
			id := ""
			if c.ID != "" {
				id = "  (" + c.ID + ")"
			}
			fmt.Fprintf(&b, "  %-3s %-9s %s%s\n", c.Action.Symbol(), c.Action, c.Webhook, id)
			for _, fc := range c.Fields {
				fmt.Fprintf(&b, "        %s\n", fieldLine(c.Action, fc))
			}
		}
		if len(p.Changes) > 0 && p.InSync > 0 {
			fmt.Fprintf(&b, "  %d in sync\n", p.InSync)
		}
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "  note: %s\n", n)
		}
		for _, pr := range p.Problems {
			fmt.Fprintf(&b, "  ! %s\n", pr)
		}
	}
	switch {
	case sum.Create+sum.Update+sum.Replace+sum.Delete > 0:
		fmt.Fprintf(&b, "Plan: %d to create, %d to update, %d to replace, %d to delete.", sum.Create, sum.Update, sum.Replace, sum.Delete)
	case sum.Unmanaged > 0:
		b.WriteString("No changes to apply, but the webhooks do not match the file:")
	default:
		b.WriteString("No changes: the webhooks match the file.")
	}
	if sum.Unmanaged > 0 {
		fmt.Fprintf(&b, " %d unmanaged (not in the file; --prune deletes them).", sum.Unmanaged)
	}
	if sum.Failed > 0 {
		fmt.Fprintf(&b, " %d target(s) not planned.", sum.Failed)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, termsafe.Text(b.String()))
	return err
}

func fieldLine(a Action, fc FieldChange) string {
	switch {
	case fc.Info:
		return fc.Field + ": (write-only, not compared)"
	case fc.WriteOnly && a == Create:
		return fmt.Sprintf("%s: %s (write-only)", fc.Field, valueText(fc.After))
	case fc.WriteOnly:
		return fmt.Sprintf("%s: (write-only) → %s (rotated)", fc.Field, valueText(fc.After))
	case a == Create:
		return fmt.Sprintf("%s: %s", fc.Field, valueText(fc.After))
	}
	line := fmt.Sprintf("%s: %s → %s", fc.Field, valueText(fc.Before), valueText(fc.After))
	if fc.Forces {
		line += " (forces replacement)"
	}
	return line
}
