// Package emustate holds what the emulators share about their state.
package emustate

import "encoding/json"

// Clone deep-copies a state through JSON, the form --persist saves it in.
func Clone[T any](v T) T {
	data, _ := json.Marshal(v)
	var out T
	_ = json.Unmarshal(data, &out)
	return out
}
