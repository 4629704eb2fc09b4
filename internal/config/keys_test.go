package config

import (
	"slices"
	"testing"

	"github.com/hookctl/hookctl/internal/provider"
)

// twoProviders declare a global key again, a key they share and one key each.
var twoProviders = []provider.Info{
	{Name: "a", Keys: []provider.Key{{Name: "timeout"}, {Name: "shared", Env: "A_SHARED"}, {Name: "only_a"}}},
	{Name: "b", Keys: []provider.Key{{Name: "shared"}, {Name: "only_b"}}},
}

func TestAllKeysListsEachKeyOnceWithItsProviders(t *testing.T) {
	keys := AllKeys(twoProviders)
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	want := []string{"provider", "output", "base_url", "timeout", "debug", "shared", "only_a", "only_b"}
	if !slices.Equal(names, want) {
		t.Fatalf("keys %q, want %q", names, want)
	}
	providers := map[string][]string{"timeout": nil, "shared": {"a", "b"}, "only_a": {"a"}, "only_b": {"b"}}
	for _, k := range keys {
		if p, ok := providers[k.Name]; ok && !slices.Equal(k.Providers, p) {
			t.Errorf("%s: providers %q, want %q", k.Name, k.Providers, p)
		}
	}
	if keys[5].Env != "A_SHARED" {
		t.Errorf("shared key: the first declaration must win, got env %q", keys[5].Env)
	}
}

func TestKeyFor(t *testing.T) {
	keys := AllKeys(twoProviders)
	byName := map[string]Key{}
	for _, k := range keys {
		byName[k.Name] = k
	}
	cases := []struct {
		key, provider string
		want          bool
	}{
		{"timeout", "a", true},
		{"timeout", "zz", true},
		{"shared", "a", true},
		{"shared", "b", true},
		{"only_a", "a", true},
		{"only_a", "b", false},
		{"only_b", "a", false},
		{"only_a", "", true},
	}
	for _, c := range cases {
		if got := byName[c.key].For(c.provider); got != c.want {
			t.Errorf("%s.For(%q) = %v, want %v", c.key, c.provider, got, c.want)
		}
	}
}
