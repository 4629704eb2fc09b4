package jsonx

import (
	"math"
	"unicode/utf8"
	"unsafe"
)

// Scanner reads a document of a shape its caller knows, member by member,
// without reflection: for the pages of a listing that are decoded by the
// hundred. It only takes the plain case: a member name with an escape, a
// null where the caller wants a value, a number that is not a plain
// integer, a repeated member, anything that is not JSON — each makes a
// method report false, and the caller then decodes the whole document with
// Unmarshal, which is the reference: it gives the same values and the error.
// What a Scanner skips it validates, so a document it accepts is one that
// Unmarshal accepts.
//
// The strings it reads share the document's memory (a page of hundreds of
// members then costs no allocation a string): the document must not change
// once it is given to NewScanner.
type Scanner struct {
	text string
	i    int
}

// maxDepth bounds the nesting a Scanner skips; deeper documents are left to
// Unmarshal.
const maxDepth = 1000

// NewScanner reads data, which must not change afterwards: the strings
// read from it are views of it.
func NewScanner(data []byte) *Scanner {
	if len(data) == 0 {
		return &Scanner{}
	}
	return &Scanner{text: unsafe.String(&data[0], len(data))}
}

func (s *Scanner) space() {
	for s.i < len(s.text) {
		switch s.text[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek is the next byte after white space, or 0 at the end.
func (s *Scanner) peek() byte {
	s.space()
	if s.i < len(s.text) {
		return s.text[s.i]
	}
	return 0
}

// End reports whether nothing but white space is left.
func (s *Scanner) End() bool {
	s.space()
	return s.i == len(s.text)
}

// Object reads an object, calling member with each member's name; member
// must read the value (String, Int, Object, Array or Skip) and report
// whether it could.
func (s *Scanner) Object(member func(name string) bool) bool {
	return s.list('{', '}', func() bool {
		name, ok := s.name()
		if !ok || s.peek() != ':' {
			return false
		}
		s.i++
		return member(name)
	})
}

// list reads open, items separated by commas, and close.
func (s *Scanner) list(open, close byte, item func() bool) bool {
	if s.peek() != open {
		return false
	}
	s.i++
	if s.peek() == close {
		s.i++
		return true
	}
	for {
		if !item() {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case close:
			s.i++
			return true
		default:
			return false
		}
	}
}

// name reads a member name without escapes.
func (s *Scanner) name() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	start := s.i + 1
	for i := start; i < len(s.text); i++ {
		switch c := s.text[i]; {
		case c == '"':
			s.i = i + 1
			return s.text[start:i], true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// Array reads an array, calling elem for each element, which elem must
// read.
func (s *Scanner) Array(elem func() bool) bool {
	return s.list('[', ']', elem)
}

// String reads a string. One with escapes or invalid UTF-8 is decoded by
// Unmarshal, so that it reads exactly as there.
func (s *Scanner) String() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	start := s.i
	plain := true
	ascii := true
	i := start + 1
	for ; i < len(s.text); i++ {
		c := s.text[i]
		if c == '"' {
			break
		}
		switch {
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '\\':
			n, ok := escape(s.text, i)
			if !ok {
				return "", false
			}
			plain = false
			i += n - 1
		}
	}
	if i >= len(s.text) {
		return "", false
	}
	s.i = i + 1
	v := s.text[start+1 : i]
	if plain && (ascii || utf8.ValidString(v)) {
		return v, true
	}
	var out string
	if Unmarshal([]byte(s.text[start:s.i]), &out) != nil {
		return "", false
	}
	return out, true
}

// escape is the length of the escape sequence at text[i] ('\\'), false
// when it is not one JSON allows.
func escape(text string, i int) (int, bool) {
	if i+1 >= len(text) {
		return 0, false
	}
	switch text[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		if i+6 > len(text) {
			return 0, false
		}
		for _, c := range []byte(text[i+2 : i+6]) {
			if !isHex(c) {
				return 0, false
			}
		}
		return 6, true
	}
	return 0, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Int reads a plain integer: digits, perhaps after a minus sign, no
// fraction or exponent, within int's range (else Unmarshal says it is out
// of range).
func (s *Scanner) Int() (int, bool) {
	s.space()
	i := s.i
	neg := i < len(s.text) && s.text[i] == '-'
	if neg {
		i++
	}
	start := i
	var v int64
	for i < len(s.text) && '0' <= s.text[i] && s.text[i] <= '9' {
		v = v*10 + int64(s.text[i]-'0')
		i++
	}
	n := i - start
	// 18 digits cannot overflow an int64; int's own range is checked after.
	if n == 0 || n > 18 || (n > 1 && s.text[start] == '0') {
		return 0, false
	}
	if i < len(s.text) {
		switch s.text[i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	if v < math.MinInt || v > math.MaxInt {
		return 0, false
	}
	s.i = i
	return int(v), true
}

// Skip reads any one value, validating it.
func (s *Scanner) Skip() bool {
	return s.skip(0)
}

func (s *Scanner) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch c := s.peek(); {
	case c == '{':
		return s.Object(func(string) bool { return s.skip(depth + 1) })
	case c == '[':
		return s.Array(func() bool { return s.skip(depth + 1) })
	case c == '"':
		return s.skipString()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// skipString passes over a string; invalid UTF-8 is let through, as
// Unmarshal lets it through.
func (s *Scanner) skipString() bool {
	for i := s.i + 1; i < len(s.text); i++ {
		switch c := s.text[i]; {
		case c == '"':
			s.i = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			n, ok := escape(s.text, i)
			if !ok {
				return false
			}
			i += n - 1
		}
	}
	return false
}

func (s *Scanner) literal(word string) bool {
	if len(s.text)-s.i < len(word) || s.text[s.i:s.i+len(word)] != word {
		return false
	}
	s.i += len(word)
	return true
}

// number passes over a number as JSON writes one:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *Scanner) number() bool {
	t, i := s.text, s.i
	digits := func() int {
		n := 0
		for i < len(t) && '0' <= t[i] && t[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(t) && t[i] == '-' {
		i++
	}
	switch {
	case i < len(t) && t[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(t) && t[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	s.i = i
	return true
}

// Names are the member names a caller reads from one kind of object.
// Unmarshal matches names without regard to case, '-' or '_': a name that
// is not one of them exactly may still be one of them there, and then the
// caller must leave the document to Unmarshal.
type Names struct {
	folded map[string]bool
}

// NewNames are the names of the members a caller reads.
func NewNames(names ...string) Names {
	n := Names{folded: make(map[string]bool, len(names))}
	for _, name := range names {
		f, _ := fold(nil, name)
		n.folded[string(f)] = true
	}
	return n
}

// Other reports whether name, which is none of the names exactly, is
// certainly another member (one to skip): false when Unmarshal might take it
// for one of them.
func (n Names) Other(name string) bool {
	var buf [64]byte
	f, ok := fold(buf[:0], name)
	return ok && !n.folded[string(f)]
}

// fold appends name in lower case without '-' and '_' to b; false when name
// is not ASCII (Unicode folding is Unmarshal's to judge).
func fold(b []byte, name string) ([]byte, bool) {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= utf8.RuneSelf:
			return nil, false
		case c == '-' || c == '_':
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return b, true
}
