package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
)

// Two declared providers, neither of them real: the plan knows providers
// only by what they declare.
var registry = []provider.Info{
	{Name: "alpha", Title: "Alpha", Code: &provider.Code{Fields: []string{"url", "events", "enabled"}, Key: []string{"url"}, Limit: 3}},
	{Name: "beta", Title: "Beta", Code: &provider.Code{
		Fields: []string{"url", "context", "event", "name", "enabled", "public_key"}, Key: []string{"context", "event", "url"},
		Immutable: []string{"name", "context", "event"},
		WriteOnly: []provider.WriteOnly{{Field: "private_key", Input: "private-key", Create: true, With: []string{"url", "public_key"}, Doc: "the signing key"}},
	}, KeyPair: &provider.KeyPair{Private: "private-key", Public: "public-key", Generate: func() (string, string) { return "cHJpdg==", "pub" }}},
	{Name: "gamma", Title: "Gamma"},
}

func info(name string) provider.Info { i, _ := InfoOf(registry, name); return i }

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", ``, "f.yaml is empty"},
		{"not yaml", "version: [1", "neither YAML nor JSON"},
		{"no version", "targets: {}", "has no version"},
		{"bad version", "version: 2\ntargets: {}", `f.yaml:1: version "2": this hookctl reads version 1`},
		{"no targets", "version: 1", "has no targets"},
		{"unknown top", "version: 1\ntargets: {}\nextra: 1", `f.yaml:3: unknown field "extra"`},
		{"bad target name", "version: 1\ntargets:\n  a/b/c: {provider: alpha}", `target "a/b/c": write profile/child-company`},
		{"unknown provider", "version: 1\ntargets:\n  a: {provider: zeta}", `target "a": provider "zeta": use one of alpha, beta`},
		{"unsupported", "version: 1\ntargets:\n  a: {provider: gamma}", "webhooks as code is not supported by gamma"},
		{"no provider", "version: 1\ntargets:\n  a: {webhooks: []}", `target "a": no provider`},
		{"unknown field", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'https://x.test/a', evnts: [a]}", `f.yaml:6: target "a", webhook 1: unknown field "evnts": alpha webhooks take url, events, enabled`},
		{"events not list", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'https://x.test/a', events: a}", `webhook 1: events: must be a list`},
		{"enabled not bool", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'https://x.test/a', enabled: 'yes'}", `webhook 1: enabled: must be true or false, not "yes"`},
		{"no key", "version: 1\ntargets:\n  a:\n    provider: beta\n    webhooks:\n      - {url: 'https://x.test/a', context: Pix}", `webhook 1: no event: beta webhooks are matched by context, event, url`},
		{"secret value", "version: 1\ntargets:\n  a:\n    provider: beta\n    webhooks:\n      - {url: 'https://x.test/a', context: P, event: E, private_key: c2VjcmV0}", `private_key: is a secret (the signing key)`},
		{"url credentials", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'https://u:p@x.test/a'}", `url: credentials in a URL are secrets`},
		{"ref elsewhere", "version: 1\ntargets:\n  a:\n    provider: beta\n    webhooks:\n      - {url: 'https://x.test/a', context: P, event: E, name: '${env:X}'}", `name: references (${...}) are only for secrets`},
		{"bad url", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'ftp://x.test/a'}", `url: url has scheme "ftp"`},
		{"duplicate", "version: 1\ntargets:\n  a:\n    provider: alpha\n    webhooks:\n      - {url: 'https://x.test/a'}\n      - {url: 'https://x.test/a', enabled: false}", `webhook 2: same url as webhook 1`},
		{"bad env name", "version: 1\ntargets:\n  a:\n    provider: beta\n    webhooks:\n      - {url: 'https://x.test/a', context: P, event: E, private_key: '${env:1X}'}", `private_key: is a secret`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), "f.yaml", registry)
			if err == nil || clierr.ExitCode(err) != clierr.ExitUsage || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want a usage error containing %q", err, tc.want)
			}
		})
	}
}

const sample = `version: 1
targets:
  b/co_1:
    provider: beta
    webhooks:
      - url: https://${env:B_USERINFO}@x.test/pix
        context: Pix
        event: PIX_IN
        name: PIX_IN
        enabled: true
        public_key: pub-1
        private_key: ${env:B_PIX_IN_KEY}
  a:
    provider: alpha
    webhooks:
      - url: https://x.test/b
        events: [order.paid, charge.paid, order.paid]
      - url: https://x.test/a
        events: []
        enabled: false
`

func TestParseAndEncode(t *testing.T) {
	doc, err := Parse([]byte(sample), "f.yaml", registry)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(doc.Names(), ","); got != "a,b/co_1" {
		t.Fatalf("names %s", got)
	}
	ev := doc.Targets["a"].Webhooks[0]["events"].([]string)
	if strings.Join(ev, ",") != "charge.paid,order.paid" {
		t.Errorf("events not normalized: %v", ev)
	}
	for _, w := range doc.Targets {
		Sort(codeOf(registry, w.Provider), w.Webhooks)
	}
	y, err := doc.EncodeYAML(registry)
	if err != nil {
		t.Fatal(err)
	}
	want := `version: 1
targets:
  a:
    provider: alpha
    webhooks:
      - url: https://x.test/a
        events: []
        enabled: false
      - url: https://x.test/b
        events: [charge.paid, order.paid]
  b/co_1:
    provider: beta
    webhooks:
      - url: https://${env:B_USERINFO}@x.test/pix
        context: Pix
        event: PIX_IN
        name: PIX_IN
        enabled: true
        public_key: pub-1
        private_key: ${env:B_PIX_IN_KEY}
`
	if string(y) != want {
		t.Errorf("yaml:\n%s\nwant:\n%s", y, want)
	}
	j, _ := doc.EncodeJSON(registry)
	again, err := Parse(j, "f.json", registry)
	if err != nil {
		t.Fatalf("json does not parse back: %v\n%s", err, j)
	}
	y2, _ := again.EncodeYAML(registry)
	if !bytes.Equal(y, y2) {
		t.Errorf("json round trip differs:\n%s", y2)
	}
	empty := &Document{Version: 1, Targets: map[string]*Target{}}
	if y, _ := empty.EncodeYAML(registry); string(y) != "version: 1\ntargets: {}\n" {
		t.Errorf("empty: %q", y)
	}
}

func hooks(ws ...provider.Webhook) []provider.Webhook { return ws }

func alphaHook(id, url string, enabled bool, events ...string) provider.Webhook {
	return provider.Webhook{ID: id, URL: url, Enabled: enabled, Events: events}
}

func betaHook(id, ctx, event, url string) provider.Webhook {
	return provider.Webhook{ID: id, URL: url, Enabled: true, Events: []string{event}, Context: ctx, Name: event, PublicKey: "pub"}
}

func TestExport(t *testing.T) {
	tg, refs := Export("b-prod", info("beta"), hooks(
		betaHook("2", "Ted", "TED_IN", "https://x.test/ted"),
		betaHook("1", "Pix", "PIX_IN", "https://user:pw@x.test/pix"),
		betaHook("3", "Pix", "PIX_IN", "https://x.test/pix2"),
	))
	var b bytes.Buffer
	for _, w := range tg.Webhooks {
		fmt.Fprintln(&b, w["url"], w["private_key"])
	}
	want := `https://${env:B_PROD_PIX_IN_URL_USERINFO}@x.test/pix ${env:B_PROD_PIX_IN_KEY}
https://x.test/pix2 ${env:B_PROD_PIX_IN_2_KEY}
https://x.test/ted ${env:B_PROD_TED_IN_KEY}
`
	if b.String() != want {
		t.Errorf("export:\n%s", b.String())
	}
	if len(refs) != 4 || refs[0].Field != "url" || refs[0].Webhook != "Pix PIX_IN https://${env:B_PROD_PIX_IN_URL_USERINFO}@x.test/pix" {
		t.Errorf("refs %+v", refs)
	}
	for _, w := range tg.Webhooks {
		if _, ok := w["id"]; ok || strings.Contains(fmt.Sprint(w), "pw@") {
			t.Errorf("id or secret exported: %v", w)
		}
	}
}

func parseTarget(t *testing.T, prov, webhooks string) *Target {
	t.Helper()
	doc, err := Parse([]byte("version: 1\ntargets:\n  t:\n    provider: "+prov+"\n    webhooks:\n"+webhooks), "f.yaml", registry)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Targets["t"]
}

func env(values map[string]string) Resolver {
	return func(r Ref) (string, bool, error) {
		v, ok := values[r.Name]
		return v, ok, nil
	}
}

func TestCompute(t *testing.T) {
	for _, tc := range []struct {
		name, prov, file string
		remote           []provider.Webhook
		o                Options
		want             string
	}{
		{"in sync", "alpha", "      - {url: 'https://x.test/a', events: [b, a], enabled: true}\n",
			hooks(alphaHook("1", "https://x.test/a", true, "a", "b")), Options{}, "No changes: the webhooks match the file.\n"},
		{"omitted fields are left", "alpha", "      - {url: 'https://x.test/a'}\n",
			hooks(alphaHook("1", "https://x.test/a", false, "a")), Options{}, "No changes"},
		{"update", "alpha", "      - {url: 'https://x.test/a', events: [a, c], enabled: false}\n",
			hooks(alphaHook("1", "https://x.test/a", true, "a", "b")), Options{},
			"  ~   update    https://x.test/a  (1)\n        events: [a, b] → [a, c]\n        enabled: true → false\n"},
		{"deleted by hand is a create", "alpha", "      - {url: 'https://x.test/a', events: [a]}\n",
			nil, Options{}, "  +   create    https://x.test/a\n        events: [a]\nPlan: 1 to create"},
		{"unmanaged", "alpha", "",
			hooks(alphaHook("1", "https://x.test/z", true)), Options{}, "  ?   unmanaged https://x.test/z  (1)\nNo changes to apply, but the webhooks do not match the file: 1 unmanaged (not in the file; --prune deletes them).\n"},
		{"prune", "alpha", "",
			hooks(alphaHook("1", "https://x.test/z", true)), Options{Prune: true}, "  -   delete    https://x.test/z  (1)\nPlan: 0 to create, 0 to update, 0 to replace, 1 to delete."},
		{"limit", "alpha", "      - {url: 'https://x.test/a'}\n      - {url: 'https://x.test/b'}\n",
			hooks(alphaHook("1", "https://x.test/y", true), alphaHook("2", "https://x.test/z", true)), Options{},
			"  ! the plan leaves 4 webhooks and Alpha allows at most 3 per environment"},
		{"limit with prune", "alpha", "      - {url: 'https://x.test/a'}\n      - {url: 'https://x.test/b'}\n",
			hooks(alphaHook("1", "https://x.test/y", true), alphaHook("2", "https://x.test/z", true)), Options{Prune: true}, "Plan: 2 to create, 0 to update, 0 to replace, 2 to delete."},
		{"write-only not compared", "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_IN, enabled: false, private_key: '${env:K}'}\n",
			hooks(betaHook("1", "Pix", "PIX_IN", "https://x.test/p")), Options{},
			"  ~   update    Pix PIX_IN https://x.test/p  (1)\n        enabled: true → false\n        private_key: (write-only, not compared)\n"},
		{"write-only alone is no diff", "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_IN, private_key: '${env:K}'}\n",
			hooks(betaHook("1", "Pix", "PIX_IN", "https://x.test/p")), Options{}, "no changes, 1 in sync"},
		{"rotate", "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_IN, private_key: '${env:K}'}\n",
			hooks(betaHook("1", "Pix", "PIX_IN", "https://x.test/p")), Options{RotateSecrets: true, Resolve: env(nil)},
			"        private_key: (write-only) → ${env:K} (rotated)\n  note: update Pix PIX_IN https://x.test/p needs ${env:K}, which is not set\n"},
		{"event change is a replace", "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_OUT, name: PIX_IN}\n",
			hooks(betaHook("1", "Pix", "PIX_IN", "https://x.test/p")), Options{},
			"  -/+ replace   Pix PIX_OUT https://x.test/p  (1)\n        event: PIX_IN → PIX_OUT (forces replacement)\n  note: replace Pix PIX_OUT https://x.test/p needs private_key, the signing key: add `private_key: ${env:NAME}` to the file, or pass --generate-keys-dir DIR\n"},
		{"name change is a replace", "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_IN, name: other, private_key: '${env:K}'}\n",
			hooks(betaHook("1", "Pix", "PIX_IN", "https://x.test/p")), Options{Resolve: env(map[string]string{"K": "x"})},
			"        name: PIX_IN → other (forces replacement)\n        private_key: (write-only, not compared)\nPlan: 0 to create, 0 to update, 1 to replace"},
		{"url change is a create and an unmanaged", "alpha", "      - {url: 'https://x.test/new'}\n",
			hooks(alphaHook("1", "https://x.test/old", true)), Options{},
			"  +   create    https://x.test/new\n  ?   unmanaged https://x.test/old  (1)\n"},
		{"user-info value never compared (read back redacted)", "alpha", "      - {url: 'https://${env:U}@x.test/a'}\n",
			hooks(alphaHook("1", "https://[REDACTED]@x.test/a", true)), Options{Resolve: env(map[string]string{"U": "new:pw"})}, "no changes, 1 in sync"},
		{"user-info not compared when unset", "alpha", "      - {url: 'https://${env:U}@x.test/a'}\n",
			hooks(alphaHook("1", "https://old:pw@x.test/a", true)), Options{Resolve: env(nil)}, "no changes, 1 in sync"},
		{"user-info added is a change", "alpha", "      - {url: 'https://${env:U}@x.test/a'}\n",
			hooks(alphaHook("1", "https://x.test/a", true)), Options{Resolve: env(map[string]string{"U": "new:pw"})},
			"        url: https://x.test/a → https://${env:U}@x.test/a\n"},
		{"user-info removed is a change", "alpha", "      - {url: 'https://x.test/a'}\n",
			hooks(alphaHook("1", "https://[REDACTED]@x.test/a", true)), Options{},
			"        url: https://[REDACTED]@x.test/a → https://x.test/a\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := parseTarget(t, tc.prov, tc.file)
			p := Compute("t", info(tc.prov), tg, tc.remote, tc.o)
			var b bytes.Buffer
			if err := Text(&b, []Result{{Target: "t", Provider: tc.prov, Plan: p}}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.want) {
				t.Errorf("plan:\n%s\nwant it to contain:\n%s", b.String(), tc.want)
			}
			if strings.Contains(b.String(), "pw") {
				t.Errorf("secret in the plan:\n%s", b.String())
			}
		})
	}
}

func TestTextExact(t *testing.T) {
	a := Compute("a", info("alpha"), parseTarget(t, "alpha", "      - {url: 'https://x.test/a', events: [a]}\n      - {url: 'https://x.test/b', enabled: false}\n"),
		hooks(alphaHook("1", "https://x.test/b", true), alphaHook("2", "https://x.test/c", true), alphaHook("3", "https://x.test/d", true)), Options{Prune: true})
	b := Compute("b", info("beta"), parseTarget(t, "beta", "      - {url: 'https://x.test/p', context: Pix, event: PIX_IN, private_key: '${env:K}'}\n"),
		hooks(betaHook("9", "Pix", "PIX_IN", "https://x.test/p")), Options{})
	var out bytes.Buffer
	Text(&out, []Result{{Target: "a", Provider: "alpha", Plan: a}, {Target: "b", Provider: "beta", Plan: b}, {Target: "c", Provider: "alpha", Err: "alpha: 500 Internal Server Error"}})
	want := `a (alpha):
  -   delete    https://x.test/c  (2)
  -   delete    https://x.test/d  (3)
  ~   update    https://x.test/b  (1)
        enabled: true → false
  +   create    https://x.test/a
        events: [a]
b (beta): no changes, 1 in sync
c (alpha): not planned: alpha: 500 Internal Server Error
Plan: 1 to create, 1 to update, 0 to replace, 2 to delete. 1 target(s) not planned.
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	d := NewData([]Result{{Target: "a", Provider: "alpha", Plan: a}, {Target: "c", Provider: "alpha", Err: "x"}})
	if !d.Drift || d.Summary.Delete != 2 || d.Summary.Failed != 1 || d.Targets[1].OK || d.Targets[1].Error != "x" {
		t.Errorf("data %+v", d)
	}
}

// TestUnmanagedIsDrift: a remote webhook the file lacks is drift (the
// remote does not match the file) but no write; in sync is neither.
func TestUnmanagedIsDrift(t *testing.T) {
	for _, tc := range []struct {
		name          string
		file          string
		remote        []provider.Webhook
		o             Options
		drift, writes bool
		unmanaged     int
	}{
		{"in sync", "      - {url: 'https://x.test/a'}\n", hooks(alphaHook("1", "https://x.test/a", true)), Options{}, false, false, 0},
		{"unmanaged only", "      - {url: 'https://x.test/a'}\n", hooks(alphaHook("1", "https://x.test/a", true), alphaHook("2", "https://x.test/z", true)), Options{}, true, false, 1},
		{"unmanaged pruned", "      - {url: 'https://x.test/a'}\n", hooks(alphaHook("1", "https://x.test/a", true), alphaHook("2", "https://x.test/z", true)), Options{Prune: true}, true, true, 0},
		{"empty file, empty remote", "", nil, Options{}, false, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Compute("a", info("alpha"), parseTarget(t, "alpha", tc.file), tc.remote, tc.o)
			d := NewData([]Result{{Target: "a", Provider: "alpha", Plan: p}})
			if p.Drift() != tc.drift || d.Drift != tc.drift || p.Writes() != tc.writes || d.Summary.Unmanaged != tc.unmanaged {
				t.Errorf("drift %v (data %v), writes %v, unmanaged %d; want %v, %v, %d", p.Drift(), d.Drift, p.Writes(), d.Summary.Unmanaged, tc.drift, tc.writes, tc.unmanaged)
			}
		})
	}
}

func TestSteps(t *testing.T) {
	tp := &TargetPlan{Changes: []Change{{Action: Create, Webhook: "c"}, {Action: Update, Webhook: "u"}, {Action: Replace, Webhook: "r"}, {Action: Delete, Webhook: "d"}, {Action: Unmanaged, Webhook: "x"}}}
	var got []string
	for _, s := range Steps(tp) {
		got = append(got, s.kind+" "+s.c.Webhook)
	}
	if strings.Join(got, ", ") != "delete d, delete r, update u, create r, create c" {
		t.Errorf("order: %v", got)
	}
}

func TestSavedAndStale(t *testing.T) {
	remote := hooks(alphaHook("1", "https://x.test/b", true), alphaHook("2", "https://x.test/c", true))
	p := Compute("a", info("alpha"), parseTarget(t, "alpha", "      - {url: 'https://x.test/b', enabled: false, events: [x]}\n"), remote, Options{Prune: true})
	s := &Saved{File: "f.yaml", BaseDir: "/", Prune: true, Targets: []*TargetPlan{p}}
	data, err := s.Encode()
	if err != nil || !IsSaved(data) || IsSaved([]byte(sample)) {
		t.Fatalf("encode: %v", err)
	}
	back, err := DecodeSaved(data, "plan.json")
	if err != nil {
		t.Fatal(err)
	}
	bp := back.Targets[0]
	if ev, ok := bp.Changes[1].Desired["events"].([]string); !ok || ev[0] != "x" {
		t.Errorf("desired after decode: %#v", bp.Changes[1].Desired)
	}
	prints := func(ws []provider.Webhook) map[string]string {
		m := map[string]string{}
		for _, w := range ws {
			m[w.ID] = Fingerprint(info("alpha").Code, w)
		}
		return m
	}
	code := info("alpha").Code
	if why := Stale(bp, StateFingerprint(code, remote), prints(remote)); why != "" {
		t.Errorf("fresh plan stale: %s", why)
	}
	changed := hooks(alphaHook("1", "https://x.test/b", false), remote[1])
	if why := Stale(bp, StateFingerprint(code, changed), prints(changed)); !strings.Contains(why, "webhook 1 (https://x.test/b) of the planned update changed") {
		t.Errorf("changed: %q", why)
	}
	gone := remote[:1]
	if why := Stale(bp, StateFingerprint(code, gone), prints(gone)); !strings.Contains(why, "webhook 2 (https://x.test/c) of the planned delete is gone") {
		t.Errorf("gone: %q", why)
	}
	added := append(hooks(alphaHook("7", "https://x.test/z", true)), remote...)
	if why := Stale(bp, StateFingerprint(code, added), prints(added)); why != "webhooks were added or removed" {
		t.Errorf("added: %q", why)
	}
	for _, bad := range []string{`{"kind":"hookctl-plan","version":9}`, `{"kind":"hookctl-plan","version":1,"targets":[{"target":"a","fingerprint":"x","changes":[{"action":"explode"}]}]}`, `{"kind":"hookctl-plan","version":1,"extra":1}`} {
		if _, err := DecodeSaved([]byte(bad), "p"); clierr.ExitCode(err) != clierr.ExitUsage {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("version: 1\ntargets: {a: {provider: alpha, webhooks: [{url: 'https://x.test'}]}}"))
	f.Add([]byte(`{"version":1,"targets":{"b":{"provider":"beta","webhooks":[{"url":"https://x.test","context":"P","event":"E","private_key":"${file:k}"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, "f", registry)
		if err != nil {
			if clierr.ExitCode(err) != clierr.ExitUsage || strings.Contains(err.Error(), "\n") {
				t.Fatalf("not a one-line usage error: %v", err)
			}
			return
		}
		// What parses encodes, and parses again to the same document.
		y, err := doc.EncodeYAML(registry)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(y, "f", registry)
		if err != nil {
			t.Fatalf("encoded document does not parse: %v\n%s", err, y)
		}
		y2, _ := again.EncodeYAML(registry)
		if !bytes.Equal(y, y2) {
			t.Fatalf("not stable:\n%s\n%s", y, y2)
		}
	})
}

// TestEncodingShortcuts: the export's direct writers give exactly what the
// general ones did (encoding/json without HTML escaping; the regexp that
// made environment variable names).
func TestEncodingShortcuts(t *testing.T) {
	nonWord := regexp.MustCompile(`[^A-Z0-9]+`)
	for _, s := range []string{"", "a", "https://example.com/x?y=1&z=<2>", "quote\"back\\slash", "tab\tnl\n", "ünï\u2028code", "\xff\xfe", "__a__b__", "mx-prod/co_1", "Pix PIX_IN", "9lives", "ção"} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got, want := jsonText(s), strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Errorf("jsonText(%q) = %s, want %s", s, got, want)
		}
		old := strings.Trim(nonWord.ReplaceAllString(strings.ToUpper(s), "_"), "_")
		if old == "" || old[0] >= '0' && old[0] <= '9' {
			old = "HOOKCTL_" + old
		}
		if got := envName(s); got != old {
			t.Errorf("envName(%q) = %q, want %q", s, got, old)
		}
	}
	for _, v := range []any{true, false, []string{}, []string(nil), []string{"a", "b\"c"}} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if l, ok := v.([]string); ok && l == nil {
			enc.Encode([]string{})
		} else {
			enc.Encode(v)
		}
		if got, want := jsonText(v), strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Errorf("jsonText(%#v) = %s, want %s", v, got, want)
		}
	}
}
