// Package provider defines what every payment provider adapter offers: the
// normalized Webhook, a small core interface, and optional capabilities.
package provider

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/redact"
)

// Webhook is the normalized webhook of the command-line contract.
type Webhook struct {
	Provider  string   `json:"provider"`
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Enabled   bool     `json:"enabled"`
	Status    string   `json:"status"`
	Events    []string `json:"events"`
	Name      string   `json:"name"`
	Context   string   `json:"context"`
	CreatedAt *string  `json:"created_at"`
	UpdatedAt *string  `json:"updated_at"`
	PublicKey string   `json:"public_key,omitempty"`

	// Raw is the provider's payload as received (--raw).
	Raw json.RawMessage `json:"-"`
}

// ListOptions select what `list` returns. Provider-specific fields are
// ignored by providers that do not have them.
type ListOptions struct {
	Limit    int    // at most this many items; 0: the default page
	All      bool   // follow every page
	Status   string // "", "enabled" or "disabled"
	Search   string // conekta
	URL      string // conekta
	Next     string // conekta cursor
	Previous string // conekta cursor
	Page     int    // bankly
	PageSize int    // bankly
	// Debugf reports what is done client-side (--debug).
	Debugf func(format string, args ...any)
}

// ListResult is one `list` answer.
type ListResult struct {
	Items []Webhook
	// Raw holds the provider's pages as received.
	Raw []json.RawMessage
	// Next is a cursor or page to continue from, when more exist.
	Next string
}

// CreateRequest is the input of `create`.
type CreateRequest struct {
	URL        string
	Events     []string
	Name       string
	Context    string
	PublicKey  string
	PrivateKey string
	NoValidate bool
}

// UpdateRequest is the input of `update`; nil fields are left unchanged.
type UpdateRequest struct {
	URL          *string
	Events       []string // replaces when SetEvents
	SetEvents    bool
	AddEvents    []string
	RemoveEvents []string
	Enabled      *bool
	PublicKey    *string
	PrivateKey   string
	// Immutable holds fields from --file that a provider may refuse to change.
	Name       *string
	Context    *string
	NoValidate bool
	// FromFile marks values read from --file: a value equal to the current
	// one is not a change.
	FromFile bool
}

// TestOptions are the input of `test`.
type TestOptions struct {
	PrivateKey string
	HMACKey    string // "base64" (default) or "raw"
	Timeout    time.Duration
}

// TestResult is what `test` prints.
type TestResult struct {
	Provider   string `json:"provider"`
	ID         string `json:"id"`
	URL        string `json:"url"`
	Synthetic  bool   `json:"synthetic"`
	OK         bool   `json:"ok"`
	StatusCode *int   `json:"status_code"`
	LatencyMS  *int64 `json:"latency_ms"`
	Message    string `json:"message"`
	Response   string `json:"response,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// Provider is the core every adapter implements.
type Provider interface {
	Name() string
	List(ctx context.Context, opts ListOptions) (*ListResult, error)
	Get(ctx context.Context, id string) (*Webhook, error)
	Create(ctx context.Context, req CreateRequest) (*Webhook, error)
	Update(ctx context.Context, id string, req UpdateRequest) (*Webhook, error)
	Delete(ctx context.Context, id string) error
}

// Tester is the optional capability of sending a test delivery.
type Tester interface {
	Test(ctx context.Context, id string, opts TestOptions) (*TestResult, error)
}

// Access is what a command needs of the provider's authorization.
type Access int

const (
	Read Access = 1 << iota
	Write
)

// Settings is where an adapter reads its configuration: environment >
// profile, with ~ and config-relative paths, and secrets from files.
type Settings interface {
	String(key string) string
	Path(key string) string
	Secret(valueKey, fileKey string) (string, error)
}

// Env is what an adapter is given to build itself.
type Env struct {
	Settings Settings
	// BaseURL is --base-url / HOOKCTL_BASE_URL / the profile's base_url.
	BaseURL string
	// Overrides are command-line values of provider keys (e.g. child_company_id).
	Overrides map[string]string
	Access    Access
	// HTTPClient builds a client with hookctl's transport stack over tlsConf;
	// roots, when not nil, adds the system roots lazily (see httpx.LazySystemRoots).
	HTTPClient func(tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client
	Redactor   *redact.Redactor
	Warnf      func(format string, args ...any)
	Debugf     func(format string, args ...any)
	CacheDir   string
	NoCache    bool
	Now        func() time.Time
}

// Get returns an override, or the setting.
func (e *Env) Get(key string) string {
	if v, ok := e.Overrides[key]; ok && v != "" {
		return v
	}
	return e.Settings.String(key)
}

// EventInfo is one entry of a provider's event catalog.
type EventInfo struct {
	Provider    string `json:"provider"`
	Context     string `json:"context,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Info describes a provider to the command layer without building it.
type Info struct {
	Name string
	// Flags lists the provider-specific flags each command accepts.
	Flags map[string][]string
	// Events returns the known event catalog; built on demand.
	Events func() []EventInfo
	New    func(env *Env) (Provider, error)
}
