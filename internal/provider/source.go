package provider

// SourceNamer is implemented by Settings that can say where a key's value
// is read from, in the user's words (an environment variable, or the key of
// a profile), so that an adapter's hint names the setting actually used.
type SourceNamer interface {
	Source(key string) string
}

// SourceOf names where key is read from, or returns key itself when the
// settings cannot say.
func SourceOf(s Settings, key string) string {
	if n, ok := s.(SourceNamer); ok {
		return n.Source(key)
	}
	return key
}
