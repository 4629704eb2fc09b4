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
		// Arrays end where they end: what follows is walked too.
		{`[[1],{"privateKey":"x"}]`, `[[1],{"privateKey":"[REDACTED]"}]`},
		{`[1] {"privateKey":"x"}`, `[1] {"privateKey":"[REDACTED]"}`},
		{`{"a":{}} {"privateKey":"x"}`, `{"a":{}} {"privateKey":"[REDACTED]"}`},
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
		{"an array at depth 10000", `{"a":` + strings.Repeat(`[`, 9999) + strings.Repeat(`]`, 9999) + `,"privateKey":"x"}`, true},
		{"an array at depth 10001", `{"a":` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000) + `,"privateKey":"x"}`, false},
		{"many siblings", `[` + strings.Repeat(`{"a":[]},`, 12000) + `{"privateKey":"x"}]`, true},
	} {
		got := string(JSONFields([]byte(c.doc), "privateKey"))
		if c.redacted != strings.Contains(got, `"privateKey":"[REDACTED]"`) || !c.redacted && got != c.doc {
			t.Errorf("%s: redacted %v, want %v", c.name, !c.redacted, c.redacted)
		}
	}
}

func TestFormBodiesExact(t *testing.T) {
	for _, c := range []struct{ name, ct, in, want string }{
		{"secret in the middle", "application/x-www-form-urlencoded", "a=b&token=abcdef123&c=d&password=hunter22&e=f", "a=b&token=[REDACTED]&c=d&password=[REDACTED]&e=f"},
		{"escaped key", "application/x-www-form-urlencoded", "access%5Ftoken=abcdef123&x=1", "access%5Ftoken=[REDACTED]&x=1"},
		{"badly escaped key kept", "application/x-www-form-urlencoded", "tok%zz=abcdef123", "tok%zz=abcdef123"},
		{"empty value", "application/x-www-form-urlencoded", "token=&a=b", "token=&a=b"},
		{"every key character", "text/plain", "az=1&AZ=2&09=3&a_.-%5B[]+=4&token=abcdef123", "az=1&AZ=2&09=3&a_.-%5B[]+=4&token=[REDACTED]"},
	} {
		if got := string(New().Body(c.ct, []byte(c.in))); got != c.want {
			t.Errorf("%s: %q -> %q, want %q", c.name, c.in, got, c.want)
		}
	}
	// Text that is not a form (an empty key, a key character outside the
	// set, a space or control character in a value) is left alone.
	for _, in := range []string{"=x&token=abcdef123", "a`=1&token=abcdef123", "a{=1&token=abcdef123", "@=1&token=abcdef123",
		"a\\=1&token=abcdef123", "/=1&token=abcdef123", ":=1&token=abcdef123", "a=b c&token=abcdef123", "a=b\x7f&token=abcdef123", "a=b\x01&token=abcdef123"} {
		if got := string(New().Body("text/plain", []byte(in))); got != in {
			t.Errorf("%q is not a form, yet became %q", in, got)
		}
	}
}
