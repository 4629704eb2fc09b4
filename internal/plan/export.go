package plan

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hookctl/hookctl/internal/provider"
)

// Reference is a secret export wrote as a reference: the user provides it
// before apply can create or change the webhook it belongs to.
type Reference struct {
	Target  string
	Webhook string
	Field   string
	Ref     Ref
}

// Export describes a target's remote webhooks as the file does: sorted, no
// ids or timestamps, secrets as references named after the target and the
// webhook.
func Export(target string, info provider.Info, remote []provider.Webhook) (*Target, []Reference) {
	code := info.Code
	t := &Target{Provider: info.Name, Webhooks: []Webhook{}}
	for _, w := range remote {
		t.Webhooks = append(t.Webhooks, FromRemote(code, w))
	}
	Sort(code, t.Webhooks)
	var refs []Reference
	taken := map[string]bool{}
	next := map[string]int{}
	name := func(parts ...string) string {
		base := envName(strings.Join(parts, "_"))
		n := base
		if taken[n] {
			// BASE_2_KEY, BASE_3_KEY, ...: numbered before the last word.
			last := lastWord(base)
			stem := strings.TrimSuffix(base, "_"+last)
			i := max(next[base], 2)
			for n = fmt.Sprintf("%s_%d_%s", stem, i, last); taken[n]; n = fmt.Sprintf("%s_%d_%s", stem, i, last) {
				i++
			}
			next[base] = i + 1
		}
		taken[n] = true
		return n
	}
	for i, w := range t.Webhooks {
		id := strconv.Itoa(i + 1)
		if ev := w.String("event"); ev != "" {
			id = ev
		}
		if u, ok := w["url"].(string); ok {
			if bare, ui := splitURL(u); ui != "" {
				r := Ref{Kind: "env", Name: name(target, id, "URL_USERINFO")}
				w["url"] = joinURL(bare, r.String())
				refs = append(refs, Reference{Target: target, Webhook: Label(code, w), Field: "url", Ref: r})
			}
		}
		label := ""
		for _, wo := range code.WriteOnly {
			r := Ref{Kind: "env", Name: name(target, id, lastWord(wo.Field))}
			w[wo.Field] = r.String()
			if label == "" {
				label = Label(code, w) // write-only fields are never part of the key
			}
			refs = append(refs, Reference{Target: target, Webhook: label, Field: wo.Field, Ref: r})
		}
	}
	return t, refs
}

// envName makes an environment variable name of s: upper case, each run
// of other characters than A-Z and 0-9 one _, none at either end.
func envName(s string) string {
	b := make([]byte, 0, len(s)+8)
	gap := false
	upper := s
	if !isASCII(s) { // strings.ToUpper maps some letters (ı, ſ) into A-Z
		upper = strings.ToUpper(s)
	}
	for _, r := range upper {
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if gap && len(b) > 0 {
				b = append(b, '_')
			}
			b, gap = append(b, byte(r)), false
			continue
		}
		gap = true
	}
	if len(b) == 0 || b[0] >= '0' && b[0] <= '9' {
		return "HOOKCTL_" + string(b)
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lastWord(s string) string {
	if i := strings.LastIndex(s, "_"); i >= 0 {
		return strings.ToUpper(s[i+1:])
	}
	return strings.ToUpper(s)
}
