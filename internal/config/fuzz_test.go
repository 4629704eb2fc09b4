package config

import "testing"

func FuzzParse(f *testing.F) {
	f.Add([]byte("default_profile: a\nprofiles:\n  a:\n    provider: conekta\n    api_key_file: ~/k\n"))
	f.Add([]byte("profiles: [1, 2]\n"))
	f.Add([]byte("profiles:\n  a:\n    nested: {x: 1}\n"))
	f.Add([]byte(":\n\t- bad"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		for name, p := range file.Profiles {
			if p == nil {
				t.Fatalf("profile %q is nil", name)
			}
			for k, v := range p {
				switch v.(type) {
				case map[string]any, []any:
					t.Fatalf("profile %q key %q kept a non-scalar", name, k)
				}
			}
		}
	})
}
