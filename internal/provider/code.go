package provider

// Code declares what webhooks as code (export, diff, apply) needs to know of
// a provider; the plan itself is provider-neutral (internal/plan).
//
// Field names are the normalized fields of the file: "url", "events" (a
// list), "event" (a provider with one event per webhook), "name",
// "context", "enabled", "public_key", and the write-only fields.
type Code struct {
	// Fields are the fields a webhook of the file has, in the file's order;
	// the write-only ones are not listed here.
	Fields []string
	// Key are the fields that identify a webhook when matching the file to
	// the provider: two webhooks with equal keys are the same webhook.
	Key []string
	// Immutable are the fields the provider cannot change in place: a change
	// of one is a replace (delete, then create).
	Immutable []string
	// WriteOnly are secrets the provider takes but never returns: never
	// compared, changed only on purpose (--rotate-secrets).
	WriteOnly []WriteOnly
	// Limit is the most webhooks one target may hold (0: no limit).
	Limit int
}

// WriteOnly is a write-only field of the file.
type WriteOnly struct {
	// Field is its name in the file ("private_key").
	Field string
	// Input is the declared secret input the adapter reads it from.
	Input string
	// Create: a create needs it.
	Create bool
	// With are the fields whose change needs it sent too (the provider
	// replaces them together).
	With []string
	// Doc says what it is, for messages.
	Doc string
}

// HasField reports whether the provider's file has the field.
func (c *Code) HasField(name string) bool {
	for _, f := range c.Fields {
		if f == name {
			return true
		}
	}
	return false
}
