package redact

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// minCut is how many bytes of a secret a cut copy must show to be hidden: a
// text that ends (or reaches "…") inside a secret's first bytes is redacted
// from there when at least this much of it matched.
const minCut = 6

// ellipsis is what the truncating helpers append after a cut.
const ellipsis = "…"

// matchAt reports where a copy of secret starting at t[i] ends, or -1. The
// copy may be altered the way encoders alter text, in any mix: JSON and Go
// escapes (\u002B, \u002b, \/, \", \\, \x2b, surrogate pairs), percent
// encoding in either case, '+' for a space, and HTML character references.
// A copy cut short by the end of t or by an ellipsis counts once it shows
// minCut bytes (at least three of the secret's own).
func matchAt(t string, i int, secret string) int {
	m := matcher{t: t, start: i, secret: secret}
	return m.from(i, 0)
}

// matcher matches one secret at one place of a text.
type matcher struct {
	t      string
	start  int
	secret string
	// failed holds the states (text, secret position) known not to match,
	// so that a secret holding '\\', '%' or '&' itself cannot make the
	// choice between an escape and a literal character exponential.
	failed map[[2]int]bool
}

// from matches secret[k:] at t[j:].
func (m *matcher) from(j, k int) int {
	t, secret := m.t, m.secret
	for k < len(secret) {
		cutEnough := k >= minCut || k >= 3 && j-m.start >= minCut
		if j >= len(t) || strings.HasPrefix(t[j:], ellipsis) {
			if cutEnough {
				return j
			}
			return -1
		}
		c := t[j]
		var dec [utf8.UTFMax]byte
		n, w := 0, 0
		switch c {
		case '\\':
			n, w = backslashEscape(t[j:], dec[:])
		case '%':
			n, w = percentEscape(t[j:], dec[:])
		case '&':
			n, w = htmlReference(t[j:], dec[:])
		case '+':
			if secret[k] == ' ' {
				j, k = j+1, k+1
				continue
			}
		}
		if n > 0 && strings.HasPrefix(secret[k:], string(dec[:n])) {
			if c != secret[k] {
				j, k = j+w, k+n
				continue
			}
			// Both the escape and the literal character fit: try the escape first.
			state := [2]int{j + w, k + n}
			if !m.failed[state] {
				if end := m.from(j+w, k+n); end >= 0 {
					return end
				}
				if m.failed == nil {
					m.failed = map[[2]int]bool{}
				}
				m.failed[state] = true
			}
		} else if n == 0 && (c == '\\' || c == '%' || c == '&') && k >= 3 && cutEscape(t[j:]) >= 0 {
			// An escape sequence cut by the end of the text.
			return j + cutEscape(t[j:])
		}
		if c != secret[k] {
			return -1
		}
		j, k = j+1, k+1
	}
	return j
}

// cutEscape reports, for text starting with an escape introducer that did not
// decode, how many bytes lead to the end or an ellipsis when they are few
// enough to be the start of an escape; otherwise -1.
func cutEscape(s string) int {
	for n := 1; n <= 10 && n <= len(s); n++ {
		if n == len(s) || strings.HasPrefix(s[n:], ellipsis) {
			return n
		}
		if c := s[n]; !(isHex(c) || c == 'u' || c == 'U' || c == 'x' || c == '#' || c >= 'a' && c <= 'z') {
			return -1
		}
	}
	return -1
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func hexN(s string, n int) rune {
	if len(s) < n {
		return -1
	}
	var r rune
	for i := 0; i < n; i++ {
		if !isHex(s[i]) {
			return -1
		}
		r = r<<4 | unhex(s[i])
	}
	return r
}

// backslashEscape decodes the escape at the start of s into dec: the bytes it
// stands for and the width it takes in s; 0, 0 when s holds none.
func backslashEscape(s string, dec []byte) (n, w int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch s[1] {
	case '"', '\\', '/', '\'':
		dec[0] = s[1]
		return 1, 2
	case 'b':
		dec[0] = '\b'
		return 1, 2
	case 'f':
		dec[0] = '\f'
		return 1, 2
	case 'n':
		dec[0] = '\n'
		return 1, 2
	case 'r':
		dec[0] = '\r'
		return 1, 2
	case 't':
		dec[0] = '\t'
		return 1, 2
	case 'x':
		if r := hexN(s[2:], 2); r >= 0 {
			dec[0] = byte(r)
			return 1, 4
		}
	case 'u':
		r := hexN(s[2:], 4)
		if r < 0 {
			return 0, 0
		}
		w = 6
		if utf16.IsSurrogate(r) {
			if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
				if r2 := hexN(s[8:], 4); r2 >= 0 {
					r, w = utf16.DecodeRune(r, r2), 12
				}
			}
			if w == 6 {
				r = utf8.RuneError
			}
		}
		return utf8.EncodeRune(dec, r), w
	case 'U':
		if r := hexN(s[2:], 8); r >= 0 && utf8.ValidRune(r) {
			return utf8.EncodeRune(dec, r), 10
		}
	}
	return 0, 0
}

func percentEscape(s string, dec []byte) (n, w int) {
	if r := hexN(s[1:], 2); r >= 0 {
		dec[0] = byte(r)
		return 1, 3
	}
	return 0, 0
}

var htmlNames = map[string]rune{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "sol": '/', "plus": '+', "equals": '=', "bsol": '\\'}

// htmlReference decodes &amp;, &#43; and &#x2B; style references.
func htmlReference(s string, dec []byte) (n, w int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0
	}
	name := s[1:end]
	var r rune = -1
	if name[0] == '#' {
		num := name[1:]
		base := rune(10)
		if len(num) > 0 && (num[0] == 'x' || num[0] == 'X') {
			num, base = num[1:], 16
		}
		if num == "" {
			return 0, 0
		}
		r = 0
		for i := 0; i < len(num); i++ {
			d := unhex(num[i])
			if d < 0 || d >= base {
				return 0, 0
			}
			r = r*base + d
		}
	} else if v, ok := htmlNames[strings.ToLower(name)]; ok {
		r = v
	}
	if r < 0 || !utf8.ValidRune(r) {
		return 0, 0
	}
	return utf8.EncodeRune(dec, r), end + 1
}
