// Package conekta is hookctl's adapter for Conekta's webhooks API (v2.3.0):
// bearer API key, vendor Accept header, cursor pagination.
package conekta

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta/api"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/validate"
)

// Name is the provider's name on the command line.
const Name = "conekta"

// Defaults of the contract.
const (
	DefaultBaseURL    = "https://api.conekta.io"
	DefaultAPIVersion = "2.3.0"
	// MaxWebhooks is Conekta's limit per environment.
	MaxWebhooks = 10
	// MaxPageSize is the largest `limit` Conekta accepts.
	MaxPageSize = 250
	// DefaultLimit is how many items `list` returns without --limit or --all.
	DefaultLimit = 20
	maxBody      = 16 << 20
)

// Client talks to one Conekta account.
type Client struct {
	http         *http.Client
	base         *url.URL
	apiKey       string
	accept       string
	language     string
	childCompany string
	warnf        func(string, ...any)
	redactor     *redact.Redactor
}

var versionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+\.\d+\.\d+$`) })

// New builds a client from the resolved settings.
func New(env *provider.Env) (provider.Provider, error) {
	key, err := env.Settings.Secret("api_key", "api_key_file")
	if err != nil {
		return nil, err
	}
	if key == "" {
		return nil, provider.Invalidf("api_key", "no Conekta API key: set CONEKTA_API_KEY, or api_key_file in the profile")
	}
	env.Redactor.Add(key)
	base := env.BaseURL
	if base == "" {
		base = env.Get("base_url")
	}
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := validate.CredentialURL("{base-url}", base)
	if err != nil {
		return nil, provider.Invalidf("base_url", "%v", err)
	}
	version := env.Get("api_version")
	if !versionRE().MatchString(version) {
		return nil, provider.Invalidf("api_version", "api_version %q is not a version: use the form 2.3.0", version)
	}
	lang := env.Get("language")
	if lang != "es" && lang != "en" {
		return nil, provider.Invalidf("language", "language %q is not supported by Conekta: use es or en", lang)
	}
	warnf := env.Warnf
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	return &Client{
		http:         env.HTTPClient(nil, nil),
		base:         u,
		apiKey:       key,
		accept:       "application/vnd.conekta-v" + version + "+json",
		language:     lang,
		childCompany: env.Get("child_company_id"),
		warnf:        warnf,
		redactor:     env.Redactor,
	}, nil
}

// Name implements provider.Provider.
func (c *Client) Name() string { return Name }

// do sends one request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any, out any) ([]byte, error) {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var rd io.Reader
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", c.accept)
	req.Header.Set("Accept-Language", c.language)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.childCompany != "" {
		req.Header.Set("X-Child-Company-Id", c.childCompany)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("conekta: %s %s: %w", method, path, httpx.Network(err, u.Host))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("conekta: reading the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, DecodeError(resp.StatusCode, resp.Header, c.redactor.Bytes(raw))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("conekta: the answer to %s %s is not valid JSON (%v): %s", method, path, err, provider.Snippet(raw))
		}
	}
	return raw, nil
}

// DecodeError turns an error answer into a provider.APIError.
func DecodeError(status int, h http.Header, raw []byte) error {
	e := &provider.APIError{Provider: Name, Status: status, RequestIDLabel: "log_id"}
	var ae api.Error
	if json.Unmarshal(raw, &ae) == nil && (len(ae.Details) > 0 || ae.Type != "") {
		e.Type = ae.Type
		if ae.LogID != nil {
			e.RequestID = *ae.LogID
		}
		var msgs []string
		for _, d := range ae.Details {
			m := d.Message
			if d.DebugMessage != "" && d.DebugMessage != d.Message {
				if m == "" {
					m = d.DebugMessage
				} else {
					m += " (" + d.DebugMessage + ")"
				}
			}
			if m != "" {
				msgs = append(msgs, m)
			}
			if e.Param == "" && d.Param != nil {
				e.Param = *d.Param
			}
			if e.Code == "" {
				e.Code = d.Code
			}
		}
		e.Message = strings.Join(msgs, "; ")
	} else if len(bytes.TrimSpace(raw)) > 0 {
		e.Message = "the answer was not Conekta JSON (" + h.Get("Content-Type") + "): " + provider.Snippet(raw)
	}
	switch status {
	case http.StatusUnauthorized:
		e.Hint = "check the API key (CONEKTA_API_KEY or api_key_file)"
	case http.StatusTooManyRequests:
		e.Hint = httpx.RateLimitHint("Conekta is rate limiting; try again later", h, 0)
	}
	return e
}

// normalize maps a webhook_response to the contract's Webhook.
func normalize(raw json.RawMessage) (provider.Webhook, error) {
	var w api.Webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return provider.Webhook{}, fmt.Errorf("conekta: cannot decode a webhook (%v): %s", err, provider.Snippet(raw))
	}
	enabled := true // before v2.2.0 there was no `active`: every webhook was active
	if w.Active != nil {
		enabled = *w.Active
	}
	events := w.SubscribedEvents
	if events == nil {
		events = []string{}
	}
	u := w.URL
	if strings.Contains(u, "@") {
		u = redact.URL(u)
	}
	return provider.Webhook{
		Provider: Name, ID: w.ID, URL: u, Enabled: enabled, Status: w.Status,
		Events: events, Raw: raw,
	}, nil
}

func decodeWebhook(raw []byte) (*provider.Webhook, error) {
	w, err := normalize(raw)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// Get implements provider.Provider.
func (c *Client) Get(ctx context.Context, id string) (*provider.Webhook, error) {
	raw, err := c.do(ctx, http.MethodGet, "/webhooks/"+url.PathEscape(id), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeWebhook(raw)
}

// List implements provider.Provider: cursor pages of up to 250, merged.
func (c *Client) List(ctx context.Context, o provider.ListOptions) (*provider.ListResult, error) {
	target := o.Limit
	if target == 0 && !o.All {
		target = DefaultLimit
	}
	clientFilter := o.Status != ""
	pageSize := MaxPageSize
	if !o.All && !clientFilter && target < MaxPageSize {
		pageSize = target
	}
	if clientFilter && o.Debugf != nil {
		o.Debugf("conekta has no status filter: filtering %s webhooks client-side on `active`", o.Status)
	}
	in := o.Input
	if in.Has("next") && in.Has("previous") {
		return nil, provider.Invalidf("next", "{next} and {previous} both given: page in one direction")
	}
	if o.All && (in.Has("next") || in.Has("previous")) {
		return nil, provider.Invalidf("all", "{all} follows every page: drop {next}/{previous}")
	}
	dir, cursor := "next", in.String("next")
	if in.Has("previous") {
		dir, cursor = "previous", in.String("previous")
	}
	res := &provider.ListResult{Items: []provider.Webhook{}}
	for {
		q := url.Values{"limit": {fmt.Sprint(pageSize)}}
		for _, name := range []string{"search", "url"} {
			if v := in.String(name); v != "" {
				q.Set(name, v)
			}
		}
		if cursor != "" {
			q.Set(dir, cursor)
		}
		var page api.WebhookList
		raw, err := c.do(ctx, http.MethodGet, "/webhooks", q, nil, &page)
		if err != nil {
			return nil, err
		}
		res.Raw = append(res.Raw, raw)
		var last string
		read := 0 // items of this page looked at
		full := false
		for _, item := range page.Data {
			w, err := normalize(item)
			if err != nil {
				return nil, err
			}
			read++
			last = w.ID
			if clientFilter && (o.Status == "enabled") != w.Enabled {
				continue
			}
			res.Items = append(res.Items, w)
			if full = target > 0 && len(res.Items) >= target; full {
				break
			}
		}
		more := page.HasMore
		if dir == "previous" {
			more = page.PreviousPageURL != nil && *page.PreviousPageURL != ""
		}
		if full || !more || len(page.Data) == 0 {
			if full && (more || read < len(page.Data)) {
				res.Next = &provider.Continuation{Input: provider.Values{dir: {last}}, Order: []string{dir}}
			}
			return res, nil
		}
		cursor = nextCursor(page, dir, last)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
}

// nextCursor takes the cursor from next_page_url (whose host may differ from
// the base URL), falling back to the last id of the page.
func nextCursor(page api.WebhookList, dir, last string) string {
	link := page.NextPageURL
	if dir == "previous" {
		link = page.PreviousPageURL
	}
	if link != nil {
		if u, err := url.Parse(*link); err == nil {
			if v := u.Query().Get(dir); v != "" {
				return v
			}
		}
	}
	if dir == "previous" {
		var w api.Webhook
		_ = json.Unmarshal(page.Data[0], &w)
		return w.ID
	}
	return last
}

// ValidateURL applies Conekta's rules to a webhook URL: absolute http(s), and
// none of `localhost` or `127.0.0.1` anywhere (the spec's pattern).
func ValidateURL(field, raw string, noValidate bool) error {
	if _, err := validate.URL("{"+field+"}", raw); err != nil {
		return provider.Invalidf(field, "%v", err)
	}
	if !noValidate && (strings.Contains(raw, "localhost") || strings.Contains(raw, "127.0.0.1")) {
		return provider.Invalidf(field, "{%s}: Conekta refuses URLs containing localhost or 127.0.0.1: expose the receiver on a public URL (or pass {no-validate} for an emulator that allows it)", field)
	}
	return nil
}

func (c *Client) checkEvents(events []string) error {
	for _, e := range events {
		if strings.TrimSpace(e) == "" {
			return provider.Invalidf("events", "{events} contains an empty event name: remove the extra comma")
		}
		if !KnownEvent(e) {
			c.warnf("event %q is not in Conekta's known catalog (hookctl webhooks events); sending it anyway", e)
		}
	}
	return nil
}

// Create implements provider.Provider.
func (c *Client) Create(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, error) {
	f := r.Fields
	if f.URL == nil || *f.URL == "" {
		return nil, provider.Invalidf("url", "{url} is required: the URL Conekta delivers events to")
	}
	if err := ValidateURL("url", *f.URL, r.NoValidate); err != nil {
		return nil, err
	}
	var events []string
	if f.Events != nil {
		events = *f.Events
	}
	if r.Input.Has("events") {
		events = r.Input.Strings("events")
	}
	if err := c.checkEvents(events); err != nil {
		return nil, err
	}
	if nonEmpty(f.Name) || nonEmpty(f.Context) || nonEmpty(f.PublicKey) {
		return nil, provider.Invalidf("", "Conekta webhooks have no name, context or keys: remove them from the input")
	}
	raw, err := c.do(ctx, http.MethodPost, "/webhooks", nil, api.CreateRequest{URL: *f.URL, SubscribedEvents: events}, nil)
	if err != nil {
		return nil, c.explainCreateError(ctx, err)
	}
	return decodeWebhook(raw)
}

func nonEmpty(s *string) bool { return s != nil && *s != "" }

// explainCreateError adds the 10-webhooks limit to a refusal when the
// account is at it.
func (c *Client) explainCreateError(ctx context.Context, err error) error {
	ae, ok := err.(*provider.APIError)
	if !ok || ae.Status < 400 || ae.Status >= 500 || ae.Status == http.StatusUnauthorized || ae.Status == http.StatusTooManyRequests {
		return err
	}
	res, lerr := c.List(ctx, provider.ListOptions{Limit: MaxPageSize})
	if lerr == nil && len(res.Items) >= MaxWebhooks {
		ae.Hint = fmt.Sprintf("Conekta allows at most %d webhooks per environment and this account has %d: delete one first (hookctl webhooks delete ID)", MaxWebhooks, len(res.Items))
	}
	return ae
}

// Update implements provider.Provider: PUT with the changed fields; adding or
// removing events reads the webhook first. Conekta's PUT is partial, so the
// fields of a --file object are sent as they are.
func (c *Client) Update(ctx context.Context, id string, r provider.UpdateRequest) (*provider.Webhook, error) {
	want := r.Set
	if d := r.Desired; d != nil {
		if nonEmpty(d.Name) || nonEmpty(d.Context) || d.PublicKey != nil {
			return nil, provider.Invalidf("", "Conekta webhooks have no name, context or keys: remove them from the input")
		}
		if want.URL == nil {
			want.URL = d.URL
		}
		if want.Enabled == nil {
			want.Enabled = d.Enabled
		}
		want.Events = d.Events
	}
	if r.Input.Has("events") {
		ev := r.Input.Strings("events")
		want.Events = &ev
	}
	add, remove := r.Input.Strings("add-events"), r.Input.Strings("remove-events")
	var body api.UpdateRequest
	if want.URL != nil {
		if err := ValidateURL("url", *want.URL, r.NoValidate); err != nil {
			return nil, err
		}
		body.URL = want.URL
	}
	for _, name := range []string{"events", "add-events", "remove-events"} {
		if err := c.checkEvents(r.Input.Strings(name)); err != nil {
			return nil, err
		}
	}
	body.Active = want.Enabled
	if want.Events != nil {
		body.SubscribedEvents = *want.Events
		if body.SubscribedEvents == nil {
			body.SubscribedEvents = []string{}
		}
	}
	if len(add) > 0 || len(remove) > 0 {
		cur, err := c.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		base := cur.Events
		if want.Events != nil {
			base = *want.Events
		}
		body.SubscribedEvents = MergeEvents(base, add, remove)
	}
	if body.URL == nil && body.SubscribedEvents == nil && body.Active == nil {
		return nil, provider.Invalidf("", "nothing to update: give {url}, {events}, {add-events}, {remove-events}, {enable} or {disable}")
	}
	raw, err := c.do(ctx, http.MethodPut, "/webhooks/"+url.PathEscape(id), nil, marshalUpdate(body), nil)
	if err != nil {
		return nil, err
	}
	return decodeWebhook(raw)
}

// marshalUpdate keeps an explicitly empty event list in the body (omitempty
// would drop it).
func marshalUpdate(b api.UpdateRequest) map[string]any {
	m := map[string]any{}
	if b.URL != nil {
		m["url"] = *b.URL
	}
	if b.SubscribedEvents != nil {
		m["subscribed_events"] = b.SubscribedEvents
	}
	if b.Active != nil {
		m["active"] = *b.Active
	}
	return m
}

// MergeEvents returns base plus add minus remove, keeping order, without duplicates.
func MergeEvents(base, add, remove []string) []string {
	drop := map[string]bool{}
	for _, e := range remove {
		drop[e] = true
	}
	seen := map[string]bool{}
	out := []string{}
	for _, e := range append(append([]string{}, base...), add...) {
		if drop[e] || seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, e)
	}
	return out
}

// Delete implements provider.Provider.
func (c *Client) Delete(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/webhooks/"+url.PathEscape(id), nil, nil, nil)
	return err
}

// Test implements provider.Provider with Conekta's native test: Conekta
// accepts it and delivers a webhook_ping to the URL later.
func (c *Client) Test(ctx context.Context, id string, _ provider.TestOptions) (*provider.TestResult, error) {
	raw, err := c.do(ctx, http.MethodPost, "/webhooks/"+url.PathEscape(id)+"/test", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	w, err := decodeWebhook(raw)
	if err != nil {
		return nil, err
	}
	if w.ID == "" {
		w.ID = id
	}
	return &provider.TestResult{
		Provider: Name, ID: w.ID, URL: w.URL, Synthetic: false, OK: true,
		Message: "Conekta accepted the test and delivers a webhook_ping event to the URL asynchronously; check the receiver, or the webhook_ping event in Conekta's events",
		Raw:     raw,
	}, nil
}

var (
	_ provider.Provider = (*Client)(nil)
	_ provider.Tester   = (*Client)(nil)
)
