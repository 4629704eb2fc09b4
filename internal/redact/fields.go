package redact

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// JSONFields replaces the values of the named keys, wherever they appear in
// a JSON document, with "[REDACTED]", and keeps every other byte as it was.
// Names match whatever their case, '_' and '-'. A document cut short inside
// such a value loses the rest of it; past any other syntax error the text is
// kept as it is.
func JSONFields(raw []byte, names ...string) []byte {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[fieldKey(n)] = true
	}
	return jsonFields(raw, func(k string) bool { return want[fieldKey(k)] }, nil)
}

// fieldKey is a field name lower-cased, without '-' and '_'.
func fieldKey(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

var quotedMark = []byte(`"` + Mark + `"`)

// jsonFields walks raw and replaces the value of every key for which secret
// reports true, unless it is "" or null; found, when set, gets each string
// value replaced, decoded.
func jsonFields(raw []byte, secret func(string) bool, found func(string)) []byte {
	s := &jsonScanner{b: raw, secret: secret, found: found, cutFrom: -1}
	for {
		s.space()
		if s.i >= len(s.b) || (s.b[s.i] != '{' && s.b[s.i] != '[') {
			break
		}
		if !s.value() {
			break
		}
	}
	if s.cutFrom >= 0 {
		s.out = append(s.out, s.b[s.last:s.cutFrom]...)
		s.out = append(s.out, quotedMark...)
		return s.out
	}
	if s.out == nil {
		return raw
	}
	return append(s.out, s.b[s.last:]...)
}

type jsonScanner struct {
	b      []byte
	i      int
	secret func(string) bool
	found  func(string)
	out    []byte
	last   int // b[last:] is not yet copied to out
	// cutFrom is where a secret value started that the document ends inside.
	cutFrom  int
	depth    int
	inSecret bool
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value skips one JSON value; false on a syntax error or the end of input.
func (s *jsonScanner) value() bool {
	s.space()
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '{':
		return s.object()
	case '[':
		return s.array()
	case '"':
		_, ok := s.str()
		return ok
	}
	start := s.i
	for s.i < len(s.b) && strings.IndexByte("+-.0123456789eEtruefalsn", s.b[s.i]) >= 0 {
		s.i++
	}
	return s.i > start && s.i < len(s.b)
}

// str skips a string and returns its raw bytes, quotes included.
func (s *jsonScanner) str() ([]byte, bool) {
	start := s.i
	s.i++
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return s.b[start:s.i], true
		}
		s.i++
	}
	s.i = len(s.b)
	return s.b[start:], false
}

func (s *jsonScanner) object() bool {
	if s.depth++; s.depth > 10000 {
		return false
	}
	defer func() { s.depth-- }()
	s.i++
	for {
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == '}' {
			s.i++
			return true
		}
		if s.b[s.i] != '"' {
			return false
		}
		rawKey, ok := s.str()
		if !ok {
			return false
		}
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.space()
		key := string(rawKey[1 : len(rawKey)-1])
		if bytes.IndexByte(rawKey, '\\') >= 0 {
			_ = json.Unmarshal(rawKey, &key)
		}
		if !s.inSecret && s.secret(key) {
			start := s.i
			s.inSecret = true // the whole value goes: nothing inside it is replaced
			ok := s.value()
			s.inSecret = false
			if !ok {
				if s.i >= len(s.b) {
					s.cutFrom = start
				}
				return false
			}
			s.replace(start, s.i)
		} else if !s.value() {
			return false
		}
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *jsonScanner) array() bool {
	if s.depth++; s.depth > 10000 {
		return false
	}
	defer func() { s.depth-- }()
	s.i++
	for {
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == ']' {
			s.i++
			return true
		}
		if !s.value() {
			return false
		}
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// replace puts the mark in place of the value at b[start:end].
func (s *jsonScanner) replace(start, end int) {
	v := s.b[start:end]
	if string(v) == `""` || string(v) == "null" {
		return
	}
	if s.found != nil && v[0] == '"' {
		var str string
		if json.Unmarshal(v, &str) == nil {
			s.found(str)
		}
	}
	if s.out == nil {
		s.out = make([]byte, 0, len(s.b))
	}
	s.out = append(s.out, s.b[s.last:start]...)
	s.out = append(s.out, quotedMark...)
	s.last = end
}

// looksLikeForm reports whether b reads as application/x-www-form-urlencoded:
// key=value pairs joined by '&', no spaces.
func looksLikeForm(b []byte) bool {
	if len(b) == 0 || bytes.IndexByte(b, '=') < 0 {
		return false
	}
	for _, part := range bytes.Split(b, []byte("&")) {
		eq := bytes.IndexByte(part, '=')
		if eq <= 0 {
			return false
		}
		for _, c := range part[:eq] {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-%[]+", c) >= 0) {
				return false
			}
		}
		for _, c := range part[eq+1:] {
			if c <= ' ' || c == 0x7f {
				return false
			}
		}
	}
	return true
}

// formFields replaces the values of secret keys of a form body, keeping the
// rest byte-exact; found gets each value replaced, decoded.
func formFields(b []byte, secret func(string) bool, found func(string)) []byte {
	var out []byte
	last := 0
	pos := 0
	for _, part := range bytes.Split(b, []byte("&")) {
		eq := bytes.IndexByte(part, '=')
		if eq > 0 && eq+1 < len(part) {
			key, err := url.QueryUnescape(string(part[:eq]))
			if err != nil {
				key = string(part[:eq])
			}
			if secret(key) {
				if found != nil {
					if v, err := url.QueryUnescape(string(part[eq+1:])); err == nil {
						found(v)
					} else {
						found(string(part[eq+1:]))
					}
				}
				out = append(out, b[last:pos+eq+1]...)
				out = append(out, Mark...)
				last = pos + len(part)
			}
		}
		pos += len(part) + 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
