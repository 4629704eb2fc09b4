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

// ListOptions select what `list` returns.
type ListOptions struct {
	Limit  int    // at most this many items; 0: the default page
	All    bool   // follow every page
	Status string // "", "enabled" or "disabled"
	// MaxItems is the most items one invocation may hold (--max-items); more
	// is an error, never a silent cut. 0 means DefaultMaxItems.
	MaxItems int
	// Input holds the provider's declared list inputs (cursors, pages, filters).
	Input Values
	// Debugf reports what is done client-side (--debug).
	Debugf func(format string, args ...any)
	// Progress, when set, is told the pages fetched of the total (0: unknown).
	Progress func(done, total int)
}

// Report calls Progress when set.
func (o ListOptions) Report(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// ListResult is one `list` answer.
type ListResult struct {
	Items []Webhook
	// Raw holds the provider's pages as received.
	Raw []json.RawMessage
	// Next, when more items exist, holds the list inputs that fetch them.
	Next *Continuation
}

// Continuation is where a list can go on from: the values of the provider's
// declared list inputs that fetch the next page.
type Continuation struct {
	Input Values
	// Order lists Input's names in the order they are best shown.
	Order []string
}

// Fields are the normalized webhook fields a user gave; nil means not given.
type Fields struct {
	URL       *string
	Enabled   *bool
	Events    *[]string
	Name      *string
	Context   *string
	PublicKey *string
}

// IsZero reports whether no field is given.
func (f Fields) IsZero() bool {
	return f.URL == nil && f.Enabled == nil && f.Events == nil && f.Name == nil && f.Context == nil && f.PublicKey == nil
}

// CreateRequest is the input of `create`: the normalized fields (from --file
// and --url) and the provider's declared inputs, which take precedence.
type CreateRequest struct {
	Fields     Fields
	Input      Values
	NoValidate bool
}

// UpdateRequest is the input of `update`.
type UpdateRequest struct {
	// Set are explicit changes: each given field is to be changed.
	Set Fields
	// Desired, from a whole object (--file), is a desired state: a field equal
	// to the current value is no change.
	Desired *Fields
	// Input holds the provider's declared update inputs.
	Input      Values
	NoValidate bool
}

// TestOptions are the input of `test`: the provider's declared test inputs.
type TestOptions struct {
	Input Values
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

// DefaultMaxItems bounds a list of one invocation.
const DefaultMaxItems = 100000

// Finder is the optional capability of looking up the webhook a create whose
// outcome is unknown would have made: found is false only when the lookup
// proves it does not exist.
type Finder interface {
	FindCreated(ctx context.Context, req CreateRequest) (w *Webhook, found bool, err error)
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
	// ReadFile reads the file a path key names: ("", nil, nil) when unset;
	// a secret file everyone may read is refused.
	ReadFile(key string) (path string, data []byte, err error)
}

// Env is what an adapter is given to build itself.
type Env struct {
	Settings Settings
	// BaseURL is --base-url / HOOKCTL_BASE_URL / the profile's base_url.
	BaseURL string
	// Overrides are command-line values of the provider's keys (flags with a Key).
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
	// SharedHTTPClient is HTTPClient over a network transport shared, in
	// one run, by every client built with the same non-empty share key: an
	// adapter names with it everything tlsConf and roots hold, and many
	// targets with the same credentials then share connections. Nil in
	// tests that build an Env by hand: use HTTPClient then.
	SharedHTTPClient func(share string, tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client
}

// Client is SharedHTTPClient where the Env has one, else HTTPClient.
func (e *Env) Client(share string, tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
	if e.SharedHTTPClient != nil {
		return e.SharedHTTPClient(share, tlsConf, roots)
	}
	return e.HTTPClient(tlsConf, roots)
}

// Get returns an override, or the setting.
func (e *Env) Get(key string) string {
	if v, ok := e.Overrides[key]; ok && v != "" {
		return v
	}
	return e.Settings.String(key)
}
