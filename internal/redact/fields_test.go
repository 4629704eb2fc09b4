package redact

import (
	"strings"
	"testing"
)

func TestJSONFieldsEdges(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// A top-level array is walked like an object.
		{`[{"privateKey":"x"}]`, `[{"privateKey":"[REDACTED]"}]`},
		{` [ {"a":1}, {"privateKey":"x"} ]`, ` [ {"a":1}, {"privateKey":"[REDACTED]"} ]`},
		// Numbers with an exponent sign are numbers.
		{`{"a":1e+5,"privateKey":"x"}`, `{"a":1e+5,"privateKey":"[REDACTED]"}`},
		{`{"a":-2.5E-3,"privateKey":"x"}`, `{"a":-2.5E-3,"privateKey":"[REDACTED]"}`},
		// A missing value is a syntax error: the rest is kept as it is.
		{`{"a":,"privateKey":"x"}`, `{"a":,"privateKey":"x"}`},
		// Documents ending inside a value, a number or after a colon.
		{`{"a":`, `{"a":`},
		{`[1`, `[1`},
		{`[1,`, `[1,`},
		{`{"a":12`, `{"a":12`},
		{`{"privateKey":`, `{"privateKey":"[REDACTED]"`},
		{`{"privateKey":12`, `{"privateKey":"[REDACTED]"`},
		{`{"privateKey":null`, `{"privateKey":"[REDACTED]"`},
		{`{"privateKey":"ab\`, `{"privateKey":"[REDACTED]"`},
		{`{`, `{`},
		{`{ `, `{ `},
		{`{"a"`, `{"a"`},
		{`{"a" `, `{"a" `},
		{`{"a":1,`, `{"a":1,`},
		{`{"a":1 `, `{"a":1 `},
		{`[`, `[`},
		{`[ `, `[ `},
		{`[1 `, `[1 `},
		{`[{"privateKey":"x"} `, `[{"privateKey":"[REDACTED]"} `},
	} {
		if got := string(JSONFields([]byte(c.in), "privateKey")); got != c.want {
			t.Errorf("%s -> %s, want %s", c.in, got, c.want)
		}
	}
}

// Nesting is followed 10000 levels deep; deeper documents are kept as they
// are rather than walked.
func TestJSONFieldsDepth(t *testing.T) {
	nested := func(open, close string, n int) string {
		return strings.Repeat(open, n-1) + `{"privateKey":"x"}` + strings.Repeat(close, n-1)
	}
	for _, c := range []struct {
		name, doc string
		redacted  bool
	}{
		{"objects 10000 deep", nested(`{"a":`, `}`, 10000), true},
		{"objects 10001 deep", nested(`{"a":`, `}`, 10001), false},
		{"arrays 10000 deep", nested(`[`, `]`, 10000), true},
		{"arrays 10001 deep", nested(`[`, `]`, 10001), false},
		{"many siblings", `[` + strings.Repeat(`{"a":[]},`, 12000) + `{"privateKey":"x"}]`, true},
	} {
		got := string(JSONFields([]byte(c.doc), "privateKey"))
		if c.redacted != strings.Contains(got, `{"privateKey":"[REDACTED]"}`) || !c.redacted && got != c.doc {
			t.Errorf("%s: redacted %v, want %v", c.name, !c.redacted, c.redacted)
		}
	}
}
