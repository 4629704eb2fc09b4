package redact

import "testing"

// Copies cut at the edge of what counts: at least three of the secret's own
// bytes and six of the text, or three bytes and an escape cut short.
func TestStringCutAtTheEdges(t *testing.T) {
	r := New()
	r.Add(hostile)
	for _, c := range []struct{ text, want string }{
		{"echo %73%33%63", "echo " + Mark},            // three bytes, nine of text
		{"echo s3%63r", "echo " + Mark},               // four bytes, six of text
		{"echo s3%63r…", "echo " + Mark + "…"},        // the same before an ellipsis
		{"echo s3%63", "echo s3%63"},                  // three bytes, five of text
		{"echo s3c%7", "echo " + Mark},                // three bytes and a cut escape
		{"echo s3%7", "echo s3%7"},                    // two bytes and a cut escape
		{"echo s3c&#x0000072…", "echo " + Mark + "…"}, // a cut escape of ten bytes
		{"echo s3c&#x00000072…", "echo s3c&#x00000072…"},
		{"echo s3c&zz", "echo " + Mark},
	} {
		if got := r.String(c.text); got != c.want {
			t.Errorf("%q -> %q, want %q", c.text, got, c.want)
		}
	}
}

// Escapes of the bytes 0 and '+' decode like any other.
func TestStringEscapedLowBytes(t *testing.T) {
	r := New()
	r.Add("key\x00sec+ret1")
	for _, form := range []string{`key\x00sec\x2bret1`, `key\u0000sec\u002Bret1`, `key%00sec%2Bret1`, `key&#0;sec&#x2b;ret1`, "key\x00sec+ret1"} {
		if got := r.String("a " + form + " b"); got != "a "+Mark+" b" {
			t.Errorf("%q -> %q", form, got)
		}
	}
}

func TestStringEscapeBounds(t *testing.T) {
	for _, c := range []struct{ secret, text, want string }{
		// A last escape that just fits at the end of the text decodes.
		{"abcdef1", "x %61%62%63", "x " + Mark},
		// A decimal reference of nine characters decodes; ten do not.
		{"abc+defgh1", "abc&#00000043;defgh1", Mark},
		{"abc+defgh1", "abc&#000000043;defgh1", "abc&#000000043;defgh1"},
		// An unknown entity or a digit beyond the base stands for nothing.
		{"abc\x01defgh1", "abc&bogus;defgh1", "abc&bogus;defgh1"},
		{"abc\x14defgh1", "abc&#1a;defgh1", "abc&#1a;defgh1"},
		// An empty reference is no escape.
		{"abcdefgh1", "x &#; y", "x &#; y"},
		{"abcdefgh1", "x &#x; y", "x &#x; y"},
	} {
		r := New()
		r.Add(c.secret)
		if got := r.String(c.text); got != c.want {
			t.Errorf("%q in %q -> %q, want %q", c.secret, c.text, got, c.want)
		}
	}
}

func TestAddAndCut(t *testing.T) {
	r := New()
	r.Add("abcde", "abcdef", "abcdefghij", "sk_other_1234567")
	for text, want := range map[string]string{
		"x abcde y":                 "x abcde y",        // five bytes are too short to register
		"x abcdef y":                "x " + Mark + " y", // six are enough
		"x abcdefghij y":            "x " + Mark + " y", // the longest value first
		`x \u0073k_other_1234567 y`: "x " + Mark + " y", // every value is found escaped
		"x %73k_other_1234567 y":    "x " + Mark + " y",
		"x &#115;k_other_1234567":   "x " + Mark,
	} {
		if got := r.String(text); got != want {
			t.Errorf("%q -> %q, want %q", text, got, want)
		}
	}
	for _, s := range []string{"", "a", "abc", "héllo"} {
		if got := Cut(s, len(s)); got != s {
			t.Errorf("Cut(%q, %d) = %q", s, len(s), got)
		}
	}
}

func TestSecretsScan(t *testing.T) {
	r := New()
	r.Add("abcdef", "a bcdefg")
	for text, want := range map[string]string{
		"abcdefabcdef":     Mark + Mark, // adjacent copies
		"x abcdefabcdef y": "x " + Mark + Mark + " y",
		"x a":              "x a", // the text ends on a first byte
		"a":                "a",
		`x a\u0062cdef`:    "x " + Mark, // literal first byte, escaped second
		"x a%62cdef":       "x " + Mark,
		"x a&#98;cdef":     "x " + Mark,
		"x a+bcdefg":       "x " + Mark,
		"x abx":            "x abx",
	} {
		if got := r.String(text); got != want {
			t.Errorf("%q -> %q, want %q", text, got, want)
		}
	}
}

func TestCutKeepsMarksWhole(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{Mark + "abc", 5, Mark + "…"},   // a mark at the start crossing the cut
		{"abc" + Mark + "x", 3, "abc…"}, // a mark starting at the cut stays out
		{"ab" + Mark + "x", 12, "ab" + Mark + "…"},
		{"\x80\x80abc", 1, "…"}, // no character boundary before the cut
		{"héllo", 2, "h…"},
	} {
		if got := Cut(c.s, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
	if got := Value("0123456789abcdef"); got != Mark+"cdef" {
		t.Errorf("Value of 16 bytes = %q", got)
	}
	if got := Value("0123456789abcde"); got != Mark {
		t.Errorf("Value of 15 bytes = %q", got)
	}
}

func TestURLAndEmptyBody(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/x?a=1":        "https://example.com/x?a=1",
		"https://u:p@example.com/x":        "https://" + Mark + "@example.com/x",
		"https://u:p@exa mple.com/%zz":     "https://" + Mark + "@exa mple.com/%zz", // not a URL Go parses
		"not a url with https://u@h/ here": "not a url with https://" + Mark + "@h/ here",
	} {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
	for _, body := range []string{"", " \n"} {
		if got := string(New().Body("application/json", []byte(body))); got != body {
			t.Errorf("Body(%q) = %q", body, got)
		}
	}
}
