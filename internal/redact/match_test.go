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
