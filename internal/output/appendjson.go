package output

import (
	"strconv"
	"unicode/utf8"
)

// A JSONAppender writes itself as WriteJSON would, without reflection: a
// streamed list of thousands of items prints each many times faster. It
// appends the value indented by two spaces, its lines after the first
// starting with prefix, with no newline after it.
type JSONAppender interface {
	AppendJSON(dst []byte, prefix string) []byte
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string exactly as WriteJSON prints it:
// encoding/json's escapes without HTML escaping (invalid UTF-8 as \ufffd,
// U+2028 and U+2029 escaped), and DEL and the C1 controls as \u escapes.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		case r >= 0x80 && r <= 0x9f:
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ObjectWriter appends the members of one indented JSON object.
type ObjectWriter struct {
	b      []byte
	prefix string
	n      int
}

// Object starts an object at dst; its members are indented under prefix.
func Object(dst []byte, prefix string) *ObjectWriter {
	return &ObjectWriter{b: append(dst, '{'), prefix: prefix}
}

func (o *ObjectWriter) name(name string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '\n')
	o.b = append(o.b, o.prefix...)
	o.b = append(o.b, "  "...)
	o.b = AppendString(o.b, name)
	o.b = append(o.b, ": "...)
}

// String adds a string member.
func (o *ObjectWriter) String(name, v string) {
	o.name(name)
	o.b = AppendString(o.b, v)
}

// StringPtr adds a string member, null when v is nil.
func (o *ObjectWriter) StringPtr(name string, v *string) {
	if v == nil {
		o.Null(name)
		return
	}
	o.String(name, *v)
}

// Int adds a number member.
func (o *ObjectWriter) Int(name string, v int) {
	o.name(name)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

// IntPtr adds a number member, null when v is nil.
func (o *ObjectWriter) IntPtr(name string, v *int) {
	if v == nil {
		o.Null(name)
		return
	}
	o.Int(name, *v)
}

// Null adds a null member.
func (o *ObjectWriter) Null(name string) {
	o.name(name)
	o.b = append(o.b, "null"...)
}

// End closes the object and returns the bytes.
func (o *ObjectWriter) End() []byte {
	if o.n == 0 {
		return append(o.b, '}')
	}
	o.b = append(o.b, '\n')
	o.b = append(o.b, o.prefix...)
	return append(o.b, '}')
}
