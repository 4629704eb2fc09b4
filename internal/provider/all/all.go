// Package all is the explicit registry of provider adapters: a new provider
// is one new folder plus one line here.
package all

import (
	"slices"
	"sync"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/provider/conekta"
)

// registry is built once per process: the command tree asks for it dozens of
// times while it is built, and every start of hookctl builds the tree.
var registry = sync.OnceValue(func() []provider.Info {
	return []provider.Info{
		conekta.Info(),
		bankly.Info(),
	}
})

// Providers returns every adapter, in the order help and completion list them.
func Providers() []provider.Info {
	return slices.Clone(registry())
}
