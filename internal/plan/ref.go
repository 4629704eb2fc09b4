package plan

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// A reference names a secret the file does not hold: ${env:NAME} or
// ${file:PATH} (relative to the file's directory).
type Ref struct {
	Kind string // "env" or "file"
	Name string
}

func (r Ref) String() string { return "${" + r.Kind + ":" + r.Name + "}" }

var (
	refRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\{(env|file):([^{}]+)\}$`) })
	envRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })
	refAnyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}?`) })
)

// ParseRef parses a whole value as a reference.
func ParseRef(s string) (Ref, error) {
	m := refRE().FindStringSubmatch(s)
	if m == nil {
		return Ref{}, fmt.Errorf("%q is not a reference: write ${env:NAME} or ${file:PATH}", cutText(s))
	}
	r := Ref{Kind: m[1], Name: m[2]}
	if r.Kind == "env" && !envRE().MatchString(r.Name) {
		return Ref{}, fmt.Errorf("%q: an environment variable name is letters, digits and _", s)
	}
	return r, nil
}

// HasRef reports whether s holds something that looks like a reference.
func HasRef(s string) bool { return strings.Contains(s, "${") }

// Resolver gives a reference's value; ok is false when it is not set (an
// unset variable, a missing file); err is for a reference that cannot be
// read (a file everyone may read, say).
type Resolver func(r Ref) (value string, ok bool, err error)

// splitURL cuts a URL's user-info out: the URL without it, and the
// user-info ("" when none). It works on text, so a reference in the
// user-info is kept as written.
func splitURL(raw string) (bare, userinfo string) {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw, ""
	}
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw, ""
	}
	return raw[:i+3] + rest[at+1:], rest[:at]
}

// joinURL puts user-info into a URL without any.
func joinURL(bare, userinfo string) string {
	if userinfo == "" {
		return bare
	}
	i := strings.Index(bare, "://")
	return bare[:i+3] + userinfo + "@" + bare[i+3:]
}

// urlRef is the reference a URL's user-info is, if any.
func urlRef(raw string) (Ref, bool) {
	_, ui := splitURL(raw)
	if ui == "" {
		return Ref{}, false
	}
	r, err := ParseRef(ui)
	return r, err == nil
}

func cutText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
