// Package termsafe makes text from outside (provider answers, URLs, error
// bodies) safe to print on a terminal: control characters and escape
// sequences are shown as visible text instead of acting on the terminal.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text neutralises s for a terminal, keeping tabs and newlines: C0 controls
// and DEL in caret notation (ESC as ^[, so "\x1b[2J" prints as "^[[2J"), C1
// controls and the Unicode characters that reorder or hide text as \u escapes,
// invalid UTF-8 as U+FFFD.
func Text(s string) string { return clean(s, false) }

// Line is Text for one line: newlines are shown as ^J too.
func Line(s string) string { return clean(s, true) }

func clean(s string, oneLine bool) string {
	if isSafe(s, oneLine) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\t' || c == '\n' && !oneLine:
				b.WriteByte(c)
			case c < 0x20:
				b.WriteByte('^')
				b.WriteByte(c + 0x40)
			case c == 0x7f:
				b.WriteString("^?")
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isSafe is the fast path: printable ASCII (and tab, newline) only, or
// UTF-8 without anything to neutralise.
func isSafe(s string, oneLine bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' && !oneLine {
			continue
		}
		if c < utf8.RuneSelf {
			return false
		}
		for _, r := range s[i:] {
			if r == utf8.RuneError || r < 0x20 && r != '\t' && (r != '\n' || oneLine) || r == 0x7f || hidden(r) {
				return false
			}
		}
		return utf8.ValidString(s)
	}
	return true
}

// hidden reports the characters above ASCII that act on a terminal or
// change how the text around them reads: C1 controls (U+009B is CSI),
// bidirectional overrides and isolates, line and paragraph separators.
func hidden(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}
