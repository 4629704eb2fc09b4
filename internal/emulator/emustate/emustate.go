// Package emustate holds what the emulators share about their state.
package emustate

import (
	"bytes"
	"encoding/json"
)

// Clone deep-copies a state through JSON, the form --persist saves it in.
func Clone[T any](v T) T {
	data, _ := json.Marshal(v)
	var out T
	_ = json.Unmarshal(data, &out)
	return out
}

// Encode is v as the emulators answer it: JSON without HTML escaping, with
// no newline after it.
func Encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
