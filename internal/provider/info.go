package provider

import "context"

// Info describes a provider to the command layer without building it: the
// CLI registers flags, reads settings, redacts secrets, completes and
// documents by iterating these declarations.
type Info struct {
	Name string
	// Title is the provider's name as people write it (help text).
	Title string
	// Doc is one line for help and docs.
	Doc string
	// Keys are the profile keys the provider reads, in `config view` order.
	Keys []Key
	// Environments are the named endpoint sets the "environment" key picks.
	Environments []Environment
	// Flags are the provider-specific command-line inputs.
	Flags []Flag
	// Secrets are secret inputs read from a file, stdin or an environment
	// variable, never from a flag value.
	Secrets []SecretInput
	// KeyPair, when set, lets `create` generate the webhook's signing keys.
	KeyPair *KeyPair
	// Help holds, per webhooks verb, a paragraph on how the provider does it.
	Help map[string]string
	// Examples holds, per webhooks verb, example command lines.
	Examples map[string]string
	// Capabilities are the optional interfaces the built provider implements.
	Capabilities []Capability
	// Events returns the known event catalog; built on demand.
	Events func() []EventInfo
	New    func(env *Env) (Provider, error)
	// Doctor, when set, checks each link of the provider's credential chain
	// (`hookctl doctor`); it runs even when New would fail.
	Doctor func(ctx context.Context, env *Env) []Check
	// ChildKey, when set, is the profile key that names a child company
	// (a holding's sub-account): --child-companies runs once per value.
	ChildKey string
	// Verifier, when set, checks the signatures of received deliveries
	// (`hookctl verify`, `hookctl listen --verify`); see verify.go.
	Verifier Verifier
	// Code, when set, is what export, diff and apply need (see Code); nil:
	// webhooks as code is not supported by the provider.
	Code *Code
}

// Check is one line of `hookctl doctor`.
type Check struct {
	Check  string `json:"check"`
	Result string `json:"result"` // CheckOK, CheckWarn or CheckFail
	Detail string `json:"detail"`
}

// Results of a Check.
const (
	CheckOK   = "ok"
	CheckWarn = "warn"
	CheckFail = "fail"
)

// Key is one profile setting.
type Key struct {
	Name string
	// Env is the environment variable that overrides the profile, if any.
	Env string
	// Secret: the value itself is a secret (redacted everywhere).
	Secret bool
	// SecretFile: the value names a file holding a secret.
	SecretFile bool
	// Path: ~ and config-relative paths are resolved.
	Path    bool
	Default string
	Doc     string
}

// Environment is a named set of endpoint URLs, by key name.
type Environment struct {
	Name string
	URLs map[string]string
}

// FlagKind is the type of a flag's value.
type FlagKind int

const (
	StringFlag FlagKind = iota
	BoolFlag
	IntFlag
	// ListFlag is repeatable and comma-separated.
	ListFlag
)

// GroupVerb, as a flag's verb, puts the flag on every verb of the webhooks group.
const GroupVerb = "*"

// Flag is a provider-specific command-line input.
type Flag struct {
	Name  string
	Kind  FlagKind
	Usage string
	// Verbs are the webhooks verbs taking the flag ("list", "create", ...), or GroupVerb.
	Verbs []string
	// Key, when set, makes the flag override that profile key.
	Key string
	// Paging marks a list input that selects a page: a continuation replaces it.
	Paging bool
	// Complete names a completion: "events", "contexts", "webhooks" (ids),
	// "keys" (signing key ids, of the KeyManager capability), or a fixed list in Values.
	Complete string
	Values   []string
}

// SecretInput is a secret the user gives as NAME-file, NAME-stdin or an
// environment variable; the adapter receives it under Name.
type SecretInput struct {
	Name  string
	Env   string
	Usage string
	Verbs []string
}

// KeyPair describes generated signing keys: the values land in the inputs
// named Private and Public.
type KeyPair struct {
	Private, Public string
	Generate        func() (private, public string)
}

// Capability names an optional interface.
type Capability string

const (
	CapTest Capability = "test"
)

// EventInfo is one entry of a provider's event catalog.
type EventInfo struct {
	Provider    string `json:"provider"`
	Context     string `json:"context,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Source says where the entry comes from, e.g. "docs" or "sdk".
	Source string `json:"source,omitempty"`
}

// Takes reports whether verb takes the flag.
func (f Flag) Takes(verb string) bool {
	for _, v := range f.Verbs {
		if v == verb || v == GroupVerb {
			return true
		}
	}
	return false
}

// Takes reports whether verb takes the secret.
func (s SecretInput) Takes(verb string) bool {
	for _, v := range s.Verbs {
		if v == verb {
			return true
		}
	}
	return false
}

// Has reports whether the provider declares the capability.
func (i Info) Has(c Capability) bool {
	for _, x := range i.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// Environment returns the named environment.
func (i Info) Environment(name string) (Environment, bool) {
	for _, e := range i.Environments {
		if e.Name == name {
			return e, true
		}
	}
	return Environment{}, false
}

// EnvironmentNames lists the environments' names.
func (i Info) EnvironmentNames() []string {
	out := make([]string, 0, len(i.Environments))
	for _, e := range i.Environments {
		out = append(out, e.Name)
	}
	return out
}
