// Package jsonx decodes the long answers of a listing (pages of events and
// processed messages) in one pass, with encoding/json/v2's engine (the
// go-json-experiment module mirrors it; on Go 1.27 it is the standard
// library's), and as tolerantly as encoding/json decodes the rest: member
// names matched without regard to case, a repeated member taken as given,
// invalid UTF-8 replaced. encoding/json validates a document and then decodes
// it, and decoding into json.RawMessage items first scans them once more: for
// 100,000 delivery attempts that was most of a listing's CPU.
package jsonx

import (
	"bytes"
	stdjson "encoding/json"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

var tolerant = json.JoinOptions(
	json.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// Unmarshal decodes data into v as encoding/json.Unmarshal would accept it.
// An error says where the document is wrong (a JSON pointer, an offset).
func Unmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v, tolerant); err != nil {
		return &decodeError{err}
	}
	return nil
}

// decodeError is the engine's error without its package's name: hookctl's
// messages name the answer that is wrong, not the library reading it.
type decodeError struct{ err error }

func (e *decodeError) Error() string {
	msg := e.err.Error()
	for _, p := range []string{"jsontext: ", "json: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

func (e *decodeError) Unwrap() error { return e.err }

// MarshalIndent appends v to dst as encoding/json's Encoder writes it with
// SetEscapeHTML(false) and then json.Indent(prefix, indent) reformats it,
// without the newline, in one pass. Invalid UTF-8 is the one thing the two
// engines write differently (encoding/json escapes its replacement): such a
// value is written by encoding/json itself.
func MarshalIndent(dst []byte, v any, prefix, indent string) ([]byte, error) {
	n := len(dst)
	b := bytes.NewBuffer(dst)
	err := json.MarshalWrite(b, v, jsonv1.DefaultOptionsV1(), jsontext.EscapeForHTML(false), jsontext.AllowInvalidUTF8(false),
		jsontext.WithIndentPrefix(prefix), jsontext.WithIndent(indent))
	if err == nil {
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
	}
	var compact bytes.Buffer
	enc := stdjson.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b.Bytes()[:n], err
	}
	out := bytes.NewBuffer(b.Bytes()[:n])
	if err := stdjson.Indent(out, compact.Bytes(), prefix, indent); err != nil {
		return b.Bytes()[:n], err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}
