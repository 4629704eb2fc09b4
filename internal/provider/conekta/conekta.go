// Package conekta is hookctl's adapter for Conekta's webhooks API (v2.3.0):
// bearer API key, vendor Accept header, cursor pagination.
package conekta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta/api"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/suggest"
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

// APIVersions are the versions whose webhook bodies hookctl sends and
// decodes: v2.1.0 had `events` and `synchronous` instead.
var APIVersions = []string{"2.3.0", "2.2.0"}

// Client talks to one Conekta account.
type Client struct {
	http         *http.Client
	base         *url.URL
	apiKey       string
	keySource    string // where apiKey was read: an environment variable or a profile key
	accept       string
	language     string
	childCompany string
	warnf        func(string, ...any)
	redactor     *redact.Redactor
	debugf       func(string, ...any)
}

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
	// Where the key was read, for the hint of a 401.
	keySource := provider.SourceOf(env.Settings, "api_key")
	if env.Settings.String("api_key") == "" {
		keySource = provider.SourceOf(env.Settings, "api_key_file")
	}
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
	if !slices.Contains(APIVersions, version) {
		return nil, provider.Invalidf("api_version", "{api_version} %q is not a Conekta API version hookctl speaks: use %s", version, strings.Join(APIVersions, " or "))
	}
	child := env.Get("child_company_id")
	if strings.ContainsFunc(child, unicode.IsControl) {
		return nil, provider.Invalidf("child_company_id", "{child_company_id} %q holds control characters (such as a line break): give the child company's id alone", child)
	}
	lang := env.Get("language")
	if lang != "es" && lang != "en" {
		return nil, provider.Invalidf("language", "language %q is not supported by Conekta: use es or en", lang)
	}
	warnf, debugf := env.Warnf, env.Debugf
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	if debugf == nil {
		debugf = func(string, ...any) {}
	}
	return &Client{
		http:         env.Client("conekta", nil, nil), // no credentials in the transport: one for every target
		base:         u,
		apiKey:       key,
		keySource:    keySource,
		accept:       "application/vnd.conekta-v" + version + "+json",
		language:     lang,
		childCompany: child,
		warnf:        warnf,
		redactor:     env.Redactor,
		debugf:       debugf,
	}, nil
}

// Name implements provider.Provider.
func (c *Client) Name() string { return Name }

// answer is an HTTP answer, read.
type answer struct {
	status int
	header http.Header
	raw    []byte
}

// send sends one request. wrote reports whether the request may have reached
// the server (its headers were written), which decides whether a failed
// write has an unknown outcome; err is unprefixed.
func (c *Client) send(ctx context.Context, method, path string, query url.Values, body any) (a *answer, wrote bool, err error) {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var rd io.Reader
	if body != nil {
		payload, err := json.Marshal(body)
		if err != nil {
			return nil, false, err
		}
		rd = bytes.NewReader(payload)
	}
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { written.Store(true) }})
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", c.accept)
	req.Header.Set("Accept-Language", c.language)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.childCompany != "" {
		if method == http.MethodPost || method == http.MethodDelete {
			c.debugf("conekta: X-Child-Company-Id is not declared by Conekta's spec for %s %s; sending it anyway so that the change cannot land at the parent company", method, path)
		}
		req.Header.Set("X-Child-Company-Id", c.childCompany)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, written.Load(), httpx.Network(err, u.Host)
	}
	defer resp.Body.Close()
	raw, err := httpx.ReadBody(resp, maxBody)
	if err != nil {
		return nil, true, fmt.Errorf("reading the answer: %w", httpx.Network(err, u.Host))
	}
	return &answer{status: resp.StatusCode, header: resp.Header, raw: raw}, true, nil
}

// do sends one request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any, out any) ([]byte, error) {
	a, wrote, err := c.send(ctx, method, path, query, body)
	if err != nil {
		err = fmt.Errorf("conekta: %s %s: %w", method, path, err)
		if wrote && method != http.MethodGet {
			// The change may have been made; only its answer was lost.
			return nil, &provider.OutcomeUnknownError{Provider: Name, Op: method + " " + path, Err: err}
		}
		return nil, err
	}
	if a.status < 200 || a.status > 299 {
		return nil, c.decodeError(a.status, a.header, c.redactor.Bytes(a.raw))
	}
	if out != nil {
		if err := jsonx.Unmarshal(a.raw, out); err != nil {
			return nil, fmt.Errorf("conekta: the answer to %s %s is not valid JSON (%v): %s", method, path, err, provider.Snippet(a.raw))
		}
	}
	return a.raw, nil
}

// decodeError is DecodeError with a 401's hint naming where the key was read.
func (c *Client) decodeError(status int, h http.Header, raw []byte) error {
	err := DecodeError(status, h, raw)
	if e, ok := err.(*provider.APIError); ok && status == http.StatusUnauthorized && c.keySource != "" {
		e.Hint = "check the API key (" + c.keySource + ")"
	}
	return err
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
		e.Hint = "check the API key (CONEKTA_API_KEY, api_key or api_key_file)"
	case http.StatusConflict:
		e.Hint = "Conekta answers conflict_error to an API version it does not accept: set api_version to " + strings.Join(APIVersions, " or ")
	case http.StatusTooManyRequests:
		e.Hint = httpx.RateLimitHint("Conekta is rate limiting; try again later", h, 0)
	}
	return e
}

// normalize maps a webhook_response to the contract's Webhook; a webhook
// without an id (`null`, `{"id": null}`) is refused.
func normalize(raw json.RawMessage) (provider.Webhook, error) {
	w, err := normalizeAnonymous(raw)
	if err == nil && w.ID == "" {
		err = fmt.Errorf("conekta: the answer holds a webhook without an id: %s", provider.Snippet(raw))
	}
	return w, err
}

// normalizeAnonymous is normalize for answers that may leave the id out.
func normalizeAnonymous(raw json.RawMessage) (provider.Webhook, error) {
	var w api.Webhook
	if err := jsonx.Unmarshal(raw, &w); err != nil {
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

// List implements provider.Provider: cursor pages of up to 250, merged. A
// walk backwards (previous) reads pages nearest the cursor first; its items
// come out in the forward listing's order all the same. A list is whole or
// an error: a repeated cursor, a page that brings nothing new while more are
// announced, and more than ListOptions.MaxItems webhooks stop it.
func (c *Client) List(ctx context.Context, o provider.ListOptions) (*provider.ListResult, error) {
	target := o.Limit
	if target == 0 && !o.All {
		target = DefaultLimit
	}
	maxItems := o.MaxItems
	if maxItems <= 0 {
		maxItems = provider.DefaultMaxItems
	}
	debugf := o.Debugf
	if debugf == nil {
		debugf = func(string, ...any) {}
	}
	clientFilter := o.Status != ""
	pageSize := MaxPageSize
	if !o.All && !clientFilter && target < MaxPageSize {
		pageSize = target
	}
	if clientFilter {
		debugf("conekta has no status filter: filtering %s webhooks client-side on `active`", o.Status)
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
	back := dir == "previous"
	partial := func(format string, args ...any) error {
		return &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf(format, args...)}
	}
	res := &provider.ListResult{Items: []provider.Webhook{}}
	read := map[string]bool{} // ids seen, kept or filtered out
	sent := map[string]bool{cursor: true}
	edge := "" // the id last read in the walk's direction: where a continuation starts
	for pages := 1; ; pages++ {
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
		o.Report(pages, 0) // cursor pages: the total is not known ahead
		looked, fresh, full := 0, 0, false
		for k := range page.Data {
			i := k
			if back {
				i = len(page.Data) - 1 - k
			}
			w, err := normalize(page.Data[i])
			if err != nil {
				return nil, err
			}
			looked++
			edge = w.ID
			if read[w.ID] {
				debugf("conekta: webhook %s came again on page %d: kept once", w.ID, pages)
				continue
			}
			read[w.ID] = true
			fresh++
			if len(read) > maxItems {
				return nil, partial("the list holds more than %d webhooks, the most one invocation holds", maxItems)
			}
			if clientFilter && (o.Status == "enabled") != w.Enabled {
				continue
			}
			res.Items = append(res.Items, w)
			if full = target > 0 && len(res.Items) >= target; full {
				break
			}
		}
		more := page.HasMore
		if back {
			more = page.PreviousPageURL != nil && *page.PreviousPageURL != ""
		}
		if full && (more || looked < len(page.Data)) {
			res.Next = &provider.Continuation{Input: provider.Values{dir: {edge}}, Order: []string{dir}}
		}
		if full || !more {
			break
		}
		if fresh == 0 {
			return nil, partial("page %d brought no new webhooks although Conekta says more follow", pages)
		}
		next := nextCursor(page, dir, edge)
		if sent[next] {
			return nil, partial("Conekta's %s cursor %q repeats after %d pages", dir, next, pages)
		}
		sent[next] = true
		cursor = next
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	if back {
		// Pages nearest the cursor came first, each in forward order.
		slices.Reverse(res.Items)
		slices.Reverse(res.Raw)
	}
	return res, nil
}

// nextCursor takes the cursor from next_page_url / previous_page_url (whose
// host may differ from the base URL), falling back to the id read last.
func nextCursor(page api.WebhookList, dir, edge string) string {
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
	return edge
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
	if err := checkEventNames(events); err != nil {
		return err
	}
	for _, e := range events {
		if !KnownEvent(e) {
			c.warnf("event %q is not in Conekta's known catalog (hookctl webhooks events)%s; sending it anyway", e, suggest.Hint(e, eventNames))
		}
	}
	return nil
}

// checkEventNames refuses what Conekta would: an empty event name.
func checkEventNames(events []string) error {
	for _, e := range events {
		if strings.TrimSpace(e) == "" {
			return provider.Invalidf("events", "{events} contains an empty event name: remove the extra comma")
		}
	}
	return nil
}

// CheckCreate implements provider.WriteChecker: createBody's checks, quietly.
func (c *Client) CheckCreate(r provider.CreateRequest) error {
	quiet := *c
	quiet.warnf = func(string, ...any) {}
	_, err := quiet.createBody(r)
	return err
}

// CheckUpdate implements provider.WriteChecker: updateBody's checks,
// quietly. Whether --add-events/--remove-events change anything needs the
// webhook read first, so it is not checked.
func (c *Client) CheckUpdate(r provider.UpdateRequest) error {
	quiet := *c
	quiet.warnf = func(string, ...any) {}
	_, _, _, err := quiet.updateBody(r)
	return err
}

// createBody checks a create request and returns the body it sends.
func (c *Client) createBody(r provider.CreateRequest) (api.CreateRequest, error) {
	f := r.Fields
	if f.URL == nil || *f.URL == "" {
		return api.CreateRequest{}, provider.Invalidf("url", "{url} is required: the URL Conekta delivers events to")
	}
	if err := ValidateURL("url", *f.URL, r.NoValidate); err != nil {
		return api.CreateRequest{}, err
	}
	var events []string
	if f.Events != nil {
		events = *f.Events
	}
	if r.Input.Has("events") {
		events = r.Input.Strings("events")
	}
	if err := c.checkEvents(events); err != nil {
		return api.CreateRequest{}, err
	}
	if nonEmpty(f.Name) || nonEmpty(f.Context) || nonEmpty(f.PublicKey) {
		return api.CreateRequest{}, provider.Invalidf("", "Conekta webhooks have no name, context or keys: remove them from the input")
	}
	return api.CreateRequest{URL: *f.URL, SubscribedEvents: events}, nil
}

// Create implements provider.Provider. An answer that may hide a created
// webhook (lost after the request was written, a 5xx, a 204, an empty or
// undecodable 200) is a provider.OutcomeUnknownError. With a child company,
// the webhook is read back under it to confirm where it landed.
func (c *Client) Create(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, error) {
	body, err := c.createBody(r)
	if err != nil {
		return nil, err
	}
	const op = "POST /webhooks"
	unknown := func(err error) error { return &provider.OutcomeUnknownError{Provider: Name, Op: op, Err: err} }
	a, wrote, err := c.send(ctx, http.MethodPost, "/webhooks", nil, body)
	var ne *httpx.NetworkError
	switch {
	case err != nil && wrote && errors.As(err, &ne):
		return nil, unknown(afterSend{ne})
	case err != nil && wrote:
		return nil, unknown(err)
	case err != nil:
		return nil, fmt.Errorf("conekta: %s: %w", op, err)
	case a.status >= 500:
		return nil, unknown(c.decodeError(a.status, a.header, a.raw))
	case a.status < 200 || a.status > 299:
		return nil, c.explainCreateError(ctx, c.decodeError(a.status, a.header, a.raw))
	case a.status == http.StatusNoContent || len(bytes.TrimSpace(a.raw)) == 0:
		return nil, unknown(fmt.Errorf("Conekta answered %d without the webhook", a.status))
	}
	w, err := decodeWebhook(a.raw)
	if err != nil {
		return nil, unknown(err)
	}
	if c.childCompany != "" {
		if err := c.confirmChild(ctx, w.ID); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// afterSend words a network failure after the request was written.
type afterSend struct{ ne *httpx.NetworkError }

func (e afterSend) Error() string { return e.ne.Cause + " after the request was sent to " + e.ne.Host }
func (e afterSend) Unwrap() error { return e.ne }

// confirmChild reads a created webhook back under the child company: the
// spec does not declare X-Child-Company-Id on POST /webhooks.
func (c *Client) confirmChild(ctx context.Context, id string) error {
	c.debugf("conekta: reading webhook %s back under child company %s to confirm where it landed", id, c.childCompany)
	got, err := c.Get(ctx, id)
	var ae *provider.APIError
	switch {
	case errors.As(err, &ae) && ae.Kind() == provider.KindNotFound:
		return fmt.Errorf("conekta: webhook %s was created but is not found under child company %s: it may have landed at the parent company; list the parent's webhooks (without the child company) and delete it there", id, c.childCompany)
	case err != nil:
		c.warnf("webhook %s was created, but reading it back under child company %s failed: %v", id, c.childCompany, err)
	case got.ID != id:
		return fmt.Errorf("conekta: webhook %s was created, but reading it back under child company %s returned webhook %q", id, c.childCompany, got.ID)
	}
	return nil
}

// FindCreated implements provider.Finder: it lists the webhooks with the
// request's URL (GET /webhooks?url=) and returns the newest one with the same
// events. found is false only when that listing completed.
func (c *Client) FindCreated(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, bool, error) {
	body, err := c.createBody(r)
	if err != nil {
		return nil, false, err
	}
	res, err := c.List(ctx, provider.ListOptions{All: true, Input: provider.Values{"url": {body.URL}}, Debugf: c.debugf})
	if err != nil {
		return nil, false, err
	}
	var match *provider.Webhook
	n := 0
	for i := range res.Items {
		var w api.Webhook
		if json.Unmarshal(res.Items[i].Raw, &w) != nil || w.URL != body.URL {
			continue
		}
		if len(body.SubscribedEvents) > 0 && !sameEvents(w.SubscribedEvents, body.SubscribedEvents) {
			continue
		}
		match, n = &res.Items[i], n+1
	}
	if n > 1 {
		c.debugf("conekta: %d webhooks have URL %s and these events; taking the last listed", n, redact.URL(body.URL))
	}
	return match, match != nil, nil
}

func sameEvents(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
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
	body, add, remove, err := c.updateBody(r)
	if err != nil {
		return nil, err
	}
	if len(add) > 0 || len(remove) > 0 {
		cur, err := c.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		base := cur.Events
		if body.SubscribedEvents != nil {
			base = body.SubscribedEvents
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

// updateBody checks an update request and returns the body it sends, but
// for the events to add and remove (they need the webhook read first).
func (c *Client) updateBody(r provider.UpdateRequest) (body api.UpdateRequest, add, remove []string, err error) {
	want := r.Set
	if d := r.Desired; d != nil {
		if nonEmpty(d.Name) || nonEmpty(d.Context) || d.PublicKey != nil {
			return body, nil, nil, provider.Invalidf("", "Conekta webhooks have no name, context or keys: remove them from the input")
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
	add, remove = r.Input.Strings("add-events"), r.Input.Strings("remove-events")
	if want.URL != nil {
		if err := ValidateURL("url", *want.URL, r.NoValidate); err != nil {
			return body, nil, nil, err
		}
		body.URL = want.URL
	}
	for _, name := range []string{"events", "add-events", "remove-events"} {
		if err := c.checkEvents(r.Input.Strings(name)); err != nil {
			return body, nil, nil, err
		}
	}
	body.Active = want.Enabled
	if want.Events != nil {
		body.SubscribedEvents = *want.Events
		if body.SubscribedEvents == nil {
			body.SubscribedEvents = []string{}
		}
	}
	if body.URL == nil && body.SubscribedEvents == nil && body.Active == nil && len(add) == 0 && len(remove) == 0 {
		return body, nil, nil, provider.Invalidf("", "nothing to update: give {url}, {events}, {add-events}, {remove-events}, {enable} or {disable}")
	}
	return body, add, remove, nil
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
	w, err := normalizeAnonymous(raw)
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
	_ provider.Finder   = (*Client)(nil)

	_ provider.WriteChecker = (*Client)(nil)
)
