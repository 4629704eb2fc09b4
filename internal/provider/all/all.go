// Package all is the explicit registry of provider adapters: a new provider
// is one new folder plus one line here.
package all

import (
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/provider/conekta"
)

// Providers returns every adapter, in the order help and completion list them.
func Providers() []provider.Info {
	return []provider.Info{
		conekta.Info(),
		bankly.Info(),
	}
}

// Names lists the providers' names.
func Names() []string {
	var out []string
	for _, p := range Providers() {
		out = append(out, p.Name)
	}
	return out
}

// Lookup finds a provider by name.
func Lookup(name string) (provider.Info, bool) {
	for _, p := range Providers() {
		if p.Name == name {
			return p, true
		}
	}
	return provider.Info{}, false
}
