package config

import "github.com/hookctl/hookctl/internal/provider"

// Key is one setting a profile may hold, with the providers that read it
// (none for settings of every provider).
type Key struct {
	provider.Key
	Providers []string
}

// For reports whether the provider named reads the key.
func (k Key) For(name string) bool {
	if len(k.Providers) == 0 || name == "" {
		return true
	}
	for _, p := range k.Providers {
		if p == name {
			return true
		}
	}
	return false
}

// globalKeys are the settings of every provider, in `config view` order.
var globalKeys = []provider.Key{
	{Name: "provider", Env: "HOOKCTL_PROVIDER", Doc: "which provider the profile talks to"},
	{Name: "output", Env: "HOOKCTL_OUTPUT", Doc: "table, json or yaml"},
	{Name: "base_url", Env: "HOOKCTL_BASE_URL", Doc: "API base URL"},
	{Name: "timeout", Env: "HOOKCTL_TIMEOUT", Doc: "whole-command deadline"},
	{Name: "debug", Env: "HOOKCTL_DEBUG", Doc: "dump HTTP exchanges on stderr"},
}

// AllKeys lists the global keys, then each provider's, in registry order.
// A key several providers declare is listed once, naming each.
func AllKeys(infos []provider.Info) []Key {
	at := map[string]int{}
	var out []Key
	for _, k := range globalKeys {
		at[k.Name] = len(out)
		out = append(out, Key{Key: k})
	}
	for _, info := range infos {
		for _, k := range info.Keys {
			if i, ok := at[k.Name]; ok {
				if len(out[i].Providers) > 0 {
					out[i].Providers = append(out[i].Providers, info.Name)
				}
				continue
			}
			at[k.Name] = len(out)
			out = append(out, Key{Key: k, Providers: []string{info.Name}})
		}
	}
	return out
}
