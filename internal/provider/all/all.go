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
