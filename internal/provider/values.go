package provider

import "strconv"

// Values are the provider-declared inputs a user gave, by declared name:
// only inputs that were set are present.
type Values map[string][]string

// Has reports whether the input was given.
func (v Values) Has(name string) bool {
	_, ok := v[name]
	return ok
}

// String is the input's last value, or "".
func (v Values) String(name string) string {
	if s := v[name]; len(s) > 0 {
		return s[len(s)-1]
	}
	return ""
}

// Strings are every value of a list input.
func (v Values) Strings(name string) []string { return v[name] }

// Int is the input as a number, or 0.
func (v Values) Int(name string) int {
	n, _ := strconv.Atoi(v.String(name))
	return n
}

// Bool is the input as a boolean.
func (v Values) Bool(name string) bool {
	b, _ := strconv.ParseBool(v.String(name))
	return b
}

// Set sets an input to one value, making a map when needed.
func (v *Values) Set(name string, values ...string) {
	if *v == nil {
		*v = Values{}
	}
	(*v)[name] = values
}

// StringPtr returns the input's value as a pointer, nil when not given.
func (v Values) StringPtr(name string) *string {
	if !v.Has(name) {
		return nil
	}
	s := v.String(name)
	return &s
}
