// Package bankly is hookctl's adapter for Bankly's webhook configurations:
// mutual TLS, OAuth2 client credentials with least-privilege scopes, a token
// cache across invocations, and Bankly's full-body PATCH.
package bankly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
	"github.com/hookctl/hookctl/internal/randid"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/validate"
	"golang.org/x/time/rate"
)

// Name is the provider's name on the command line.
const Name = "bankly"

// Endpoints of each environment.
var environments = map[string]struct{ TokenURL, BaseURL string }{
	"sandbox":    {"https://auth-mtls.sandbox.bankly.com.br/oauth2/token", "https://api-mtls.sandbox.bankly.com.br"},
	"production": {"https://auth-mtls.bankly.com.br/oauth2/token", "https://api-mtls.bankly.com.br"},
}

const (
	// MaxPageSize is the largest pageSize Bankly accepts.
	MaxPageSize = 100
	// DefaultLimit is how many items `list` returns without --limit or --all.
	DefaultLimit = 20
	// MaxKeyLength is the longest public or private key Bankly accepts.
	MaxKeyLength = 64
	// listConcurrency bounds the pages fetched at once by --all.
	listConcurrency = 4
	apiVersion      = "1.0"
	maxBody         = 16 << 20
)

// Info registers the adapter.
func Info() provider.Info {
	return provider.Info{
		Name: Name,
		Flags: map[string][]string{
			"list":   {"page", "page-size"},
			"create": {"url", "event", "context", "name", "public-key", "private-key-file", "private-key-stdin", "generate-keys", "private-key-out"},
			"update": {"url", "public-key", "private-key-file", "private-key-stdin", "enable", "disable"},
			"test":   {"private-key-file", "private-key-stdin", "hmac-key"},
		},
		Events: Events,
		New:    New,
	}
}

// Client talks to one Bankly client registration.
type Client struct {
	api      *http.Client
	base     *url.URL
	tokens   *tokenSource
	receiver *http.Client
	warnf    func(string, ...any)
	debugf   func(string, ...any)
	redactor *redact.Redactor
	now      func() time.Time
	// limiter keeps concurrent paging under Bankly's 180 requests per 10 s.
	limiter *rate.Limiter
}

// Scopes returns the least scopes an access needs.
func Scopes(a provider.Access) []string {
	var s []string
	if a&provider.Read != 0 {
		s = append(s, "webhook.read")
	}
	if a&provider.Write != 0 {
		s = append(s, "webhook.write")
	}
	return s
}

// New builds a client from the resolved settings.
func New(env *provider.Env) (provider.Provider, error) {
	envName := env.Get("environment")
	if envName == "" {
		envName = "sandbox"
	}
	urls, ok := environments[envName]
	if !ok {
		return nil, clierr.Usagef("environment %q: use sandbox or production", envName)
	}
	base := env.BaseURL
	if base == "" {
		base = env.Get("base_url")
	}
	if base == "" {
		base = urls.BaseURL
	}
	u, err := validate.URL("--base-url", base)
	if err != nil {
		return nil, clierr.Usagef("%v", err)
	}
	tokenURL := env.Get("token_url")
	if tokenURL == "" {
		tokenURL = urls.TokenURL
	}
	if _, err := validate.URL("token_url", tokenURL); err != nil {
		return nil, clierr.Usagef("%v", err)
	}
	clientID := env.Get("client_id")
	if clientID == "" {
		return nil, clierr.Usagef("no Bankly client id: set client_id in the profile (or BANKLY_CLIENT_ID), from Bankly's client registration")
	}
	pass, err := env.Settings.Secret("key_passphrase", "key_passphrase_file")
	if err != nil {
		return nil, err
	}
	env.Redactor.Add(pass)
	now := env.Now
	if now == nil {
		now = time.Now
	}
	tlsConf, roots, err := loadTLS(tlsFiles{
		CertFile: env.Settings.Path("cert_file"), KeyFile: env.Settings.Path("key_file"),
		CAFile: env.Settings.Path("ca_file"), Passphrase: pass,
	}, now())
	if err != nil {
		return nil, err
	}
	scopes := Scopes(env.Access)
	if s := env.Get("scopes"); s != "" {
		scopes = strings.Fields(s)
	}
	debugf, warnf := env.Debugf, env.Warnf
	if debugf == nil {
		debugf = func(string, ...any) {}
	}
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	apiClient := env.HTTPClient(tlsConf, roots)
	cacheDir := ""
	if !env.NoCache && env.CacheDir != "" {
		cacheDir = env.CacheDir + "/tokens"
	}
	return &Client{
		api:  apiClient,
		base: u,
		tokens: &tokenSource{tokenURL: tokenURL, clientID: clientID, scopes: scopes, client: apiClient,
			cacheDir: cacheDir, now: now, debugf: debugf, redactor: env.Redactor},
		receiver: env.HTTPClient(nil, nil),
		warnf:    warnf,
		debugf:   debugf,
		redactor: env.Redactor,
		now:      now,
		// A burst of 90 refilled at 9/s never exceeds 180 requests in any 10 s.
		limiter: rate.NewLimiter(rate.Limit(9), 90),
	}, nil
}

// Name implements provider.Provider.
func (c *Client) Name() string { return Name }

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return raw
}

// do sends one API request with a token, retrying once with a fresh token
// after a 401; it returns the raw body of a 2xx answer.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any) ([]byte, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		status, hdr, raw, err := c.send(ctx, method, path, query, payload, tok)
		if err != nil {
			return nil, err
		}
		if status == http.StatusUnauthorized && attempt == 0 {
			c.debugf("Bankly answered 401: dropping the token and fetching a new one")
			c.tokens.Invalidate()
			continue
		}
		if status < 200 || status > 299 {
			return nil, DecodeError(status, hdr, c.redactor.Bytes(raw))
		}
		return raw, nil
	}
}

func (c *Client) send(ctx context.Context, method, path string, query url.Values, payload []byte, token string) (int, http.Header, []byte, error) {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	if method == http.MethodPatch {
		// Bankly's PATCH takes the full body (or none): repeating it is harmless.
		ctx = httpx.Idempotent(ctx)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("api-version", apiVersion)
	req.Header.Set("x-correlation-id", randid.UUID())
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.api.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bankly: %s %s: %w", method, path, classifyTLS(err, u.Host))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bankly: reading the answer to %s %s: %w", method, path, err)
	}
	if id := resp.Header.Get("x-bkly-correlation-id"); id != "" {
		c.debugf("%s %s: x-bkly-correlation-id %s", method, path, id)
	}
	return resp.StatusCode, resp.Header, raw, nil
}

// DecodeError turns an error answer into a provider.APIError, whatever shape
// Bankly used: errors[], ProblemDetails, or a bare {code, message}.
func DecodeError(status int, h http.Header, raw []byte) error {
	e := &provider.APIError{Provider: Name, Status: status, RequestID: h.Get("x-bkly-correlation-id"), RequestIDLabel: "x-bkly-correlation-id"}
	var be api.Error
	if json.Unmarshal(raw, &be) == nil {
		var msgs []string
		for _, item := range be.Errors {
			m := strings.Join(item.Messages, " ")
			if m == "" {
				m = item.Message
			}
			if m != "" {
				msgs = append(msgs, m)
			}
			if e.Code == "" {
				e.Code = item.Code
			}
			if e.Param == "" {
				e.Param = item.PropertyName
			}
		}
		if len(msgs) == 0 && be.Message != "" {
			msgs = append(msgs, be.Message)
		}
		if len(msgs) == 0 && be.Title != "" {
			msgs = append(msgs, be.Title)
		}
		if e.Code == "" {
			e.Code = be.Code
		}
		if e.RequestID == "" {
			e.RequestID = be.TraceID
		}
		e.Message = strings.Join(msgs, "; ")
	}
	if e.Message == "" && e.Code == "" && len(bytes.TrimSpace(raw)) > 0 {
		e.Message = "the answer was not Bankly JSON (" + h.Get("Content-Type") + "): " + provider.Snippet(raw)
	}
	switch {
	case status == http.StatusConflict || e.Code == "WEBHOOK_CONFIGURATION_ALREADY_EXISTS":
		e.Hint = "a configuration for this context, event and URL already exists: list it with `hookctl webhooks list`"
	case status == http.StatusForbidden:
		e.Hint = "the token lacks the scope this call needs, or the client certificate is not allowed: check the client registration's scopes"
	case status == http.StatusTooManyRequests:
		e.Hint = "Bankly rate-limits at 180 requests per 10 s and asks to wait five minutes"
	}
	return e
}

// normalize maps a configuration to the contract's Webhook.
func normalize(raw json.RawMessage) (provider.Webhook, error) {
	var c api.Configuration
	if err := json.Unmarshal(raw, &c); err != nil {
		return provider.Webhook{}, fmt.Errorf("bankly: cannot decode a webhook configuration (%v): %s", err, provider.Snippet(raw))
	}
	w := provider.Webhook{
		Provider: Name, ID: c.ID, URL: c.URI, Enabled: c.Status == "Enabled", Status: c.Status,
		Events: []string{}, Name: c.Name, Context: c.Context, PublicKey: c.PublicKey, Raw: raw,
	}
	if c.EventName != "" {
		w.Events = []string{c.EventName}
	}
	if c.CreatedAt != "" {
		w.CreatedAt = &c.CreatedAt
	}
	if c.UpdatedAt != "" {
		w.UpdatedAt = &c.UpdatedAt
	}
	return w, nil
}

// decodeOne reads `data` as an object or a one-element array.
func decodeOne(raw []byte) (*provider.Webhook, error) {
	var env api.Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("bankly: the answer is not valid JSON (%v): %s", err, provider.Snippet(raw))
	}
	data := bytes.TrimSpace(env.Data)
	if len(data) > 0 && data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil || len(items) == 0 {
			return nil, fmt.Errorf("bankly: the answer holds no configuration: %s", provider.Snippet(raw))
		}
		data = items[0]
	}
	if len(data) == 0 || string(data) == "null" {
		return nil, fmt.Errorf("bankly: the answer holds no configuration: %s", provider.Snippet(raw))
	}
	w, err := normalize(data)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

func configPath(id string) string { return "/webhooks/configurations/" + url.PathEscape(id) }

// Get implements provider.Provider.
func (c *Client) Get(ctx context.Context, id string) (*provider.Webhook, error) {
	raw, err := c.do(ctx, http.MethodGet, configPath(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(raw)
}

type page struct {
	items []provider.Webhook
	raw   []byte
	total int // -1 when Bankly gave none
}

func (c *Client) fetchPage(ctx context.Context, status string, n, size int) (*page, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	q := url.Values{"page": {strconv.Itoa(n)}, "pageSize": {strconv.Itoa(size)}}
	if status != "" {
		q.Set("status", status)
	}
	raw, err := c.do(ctx, http.MethodGet, "/webhooks/configurations", q, nil)
	if err != nil {
		return nil, err
	}
	var env api.ListEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("bankly: the list answer is not a list of configurations (%v): %s", err, provider.Snippet(raw))
	}
	p := &page{raw: raw, total: -1}
	for _, it := range env.Data {
		w, err := normalize(it)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, w)
	}
	if env.Meta != nil && env.Meta.Total != nil {
		p.total = *env.Meta.Total
	}
	return p, nil
}

// List implements provider.Provider. With --all, once the first page gives
// meta.total, the remaining pages are fetched concurrently.
func (c *Client) List(ctx context.Context, o provider.ListOptions) (*provider.ListResult, error) {
	status := ""
	switch o.Status {
	case "enabled":
		status = "Enabled"
	case "disabled":
		status = "Disabled"
	}
	res := &provider.ListResult{Items: []provider.Webhook{}}
	if o.Page > 0 || o.PageSize > 0 {
		n, size := max(o.Page, 1), o.PageSize
		if size == 0 {
			size = DefaultLimit
		}
		p, err := c.fetchPage(ctx, status, n, size)
		if err != nil {
			return nil, err
		}
		res.Items, res.Raw = p.items, []json.RawMessage{p.raw}
		if o.Limit > 0 && len(res.Items) > o.Limit {
			res.Items = res.Items[:o.Limit]
		}
		if p.total > n*size {
			res.Next = fmt.Sprintf("--page %d --page-size %d", n+1, size)
		}
		return res, nil
	}
	target := o.Limit
	if target == 0 && !o.All {
		target = DefaultLimit
	}
	size := MaxPageSize
	if !o.All && target < MaxPageSize {
		size = target
	}
	first, err := c.fetchPage(ctx, status, 1, size)
	if err != nil {
		return nil, err
	}
	pages := []*page{first}
	switch {
	case target > 0 && len(first.items) >= target:
	case first.total >= 0:
		n := (first.total + size - 1) / size
		if target > 0 {
			n = min(n, (target+size-1)/size)
		}
		rest, err := c.fetchConcurrently(ctx, status, size, 2, n)
		if err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	default:
		for n := 2; len(pages[len(pages)-1].items) == size && (target == 0 || count(pages) < target); n++ {
			p, err := c.fetchPage(ctx, status, n, size)
			if err != nil {
				return nil, err
			}
			pages = append(pages, p)
		}
	}
	for _, p := range pages {
		res.Items = append(res.Items, p.items...)
		res.Raw = append(res.Raw, p.raw)
	}
	if target > 0 && len(res.Items) > target {
		res.Items = res.Items[:target]
	}
	if !o.All && first.total > len(res.Items) {
		res.Next = fmt.Sprintf("--limit %d, or --all", first.total)
	}
	return res, nil
}

func count(pages []*page) int {
	n := 0
	for _, p := range pages {
		n += len(p.items)
	}
	return n
}

// fetchConcurrently fetches pages from..to with a bounded number of workers,
// in order; the first error cancels the rest.
func (c *Client) fetchConcurrently(ctx context.Context, status string, size, from, to int) ([]*page, error) {
	if to < from {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]*page, to-from+1)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for w := 0; w < min(listConcurrency, len(out)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				p, err := c.fetchPage(ctx, status, n, size)
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				out[n-from] = p
			}
		}()
	}
feed:
	for n := from; n <= to; n++ {
		select {
		case jobs <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkPublicKey and checkPrivateKey apply Bankly's documented limits.
func checkPublicKey(public string) error {
	if public == "" {
		return clierr.Usagef("--public-key is required (or --generate-keys): the value Bankly sends in every delivery's publicKey header")
	}
	if len(public) > MaxKeyLength {
		return clierr.Usagef("--public-key is %d characters: Bankly takes at most %d", len(public), MaxKeyLength)
	}
	return nil
}

func checkPrivateKey(private string) error {
	if private == "" {
		return clierr.Usagef("the webhook private key is required: give --private-key-file, --private-key-stdin or BANKLY_WEBHOOK_PRIVATE_KEY (or --generate-keys on create)")
	}
	if len(private) > MaxKeyLength {
		return clierr.Usagef("the webhook private key is %d characters: Bankly takes at most %d", len(private), MaxKeyLength)
	}
	if !validate.Base64(private) {
		return clierr.Usagef("the webhook private key is not valid base64: Bankly takes a base64 value (e.g. `head -c 32 /dev/urandom | base64`)")
	}
	return nil
}

func checkURI(field, raw string) error {
	if _, err := validate.URL(field, raw); err != nil {
		return clierr.Usagef("%v", err)
	}
	return nil
}

func (c *Client) warnHTTP(raw string) {
	if strings.HasPrefix(raw, "http://") {
		c.warnf("%s is plain http: Bankly will deliver events unencrypted; use https", raw)
	}
}

// resolveContext infers the context of an event from the catalog.
func resolveContext(event, ctxName string, noValidate bool) (string, error) {
	if event == "" {
		return "", clierr.Usagef("--event is required: the Bankly event name, e.g. PIX_CASH_IN_WAS_CLEARED (see `hookctl webhooks events --provider bankly`)")
	}
	if noValidate {
		if ctxName == "" {
			return "", clierr.Usagef("--context is required with --no-validate: hookctl cannot infer it")
		}
		return ctxName, nil
	}
	known := ContextsOf(event)
	if ctxName == "" {
		switch len(known) {
		case 0:
			return "", clierr.Usagef("--event %q is not in Bankly's known catalog: check the spelling (case-sensitive), or give --context and --no-validate", event)
		case 1:
			return known[0], nil
		default:
			return "", clierr.Usagef("--event %q belongs to contexts %s: choose one with --context", event, strings.Join(known, ", "))
		}
	}
	for _, k := range known {
		if k == ctxName {
			return ctxName, nil
		}
	}
	if !KnownContext(ctxName) {
		return "", clierr.Usagef("--context %q is not a Bankly context: see `hookctl webhooks events --provider bankly`, or pass --no-validate", ctxName)
	}
	return "", clierr.Usagef("--event %q is not an event of context %s: see `hookctl webhooks events --provider bankly`, or pass --no-validate", event, ctxName)
}

// Create implements provider.Provider.
func (c *Client) Create(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, error) {
	if r.URL == "" {
		return nil, clierr.Usagef("--url is required: the URL Bankly delivers events to")
	}
	if err := checkURI("--url", r.URL); err != nil {
		return nil, err
	}
	if len(r.Events) != 1 {
		return nil, clierr.Usagef("a Bankly configuration has exactly one event: give --event NAME (create one configuration per event)")
	}
	event := r.Events[0]
	ctxName, err := resolveContext(event, r.Context, r.NoValidate)
	if err != nil {
		return nil, err
	}
	if err := checkPublicKey(r.PublicKey); err != nil {
		return nil, err
	}
	if err := checkPrivateKey(r.PrivateKey); err != nil {
		return nil, err
	}
	name := r.Name
	if name == "" {
		name = event
	}
	c.warnHTTP(r.URL)
	body := api.CreateRequest{Name: name, Context: ctxName, EventName: event, URI: r.URL, PrivateKey: r.PrivateKey, PublicKey: r.PublicKey}
	raw, err := c.do(ctx, http.MethodPost, "/webhooks/configurations", nil, body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("bankly: the configuration was created but Bankly returned no body: find it with `hookctl webhooks list`")
	}
	w, err := decodeOne(raw)
	if err != nil {
		return nil, err
	}
	if w.Status == "" {
		// New configurations start enabled; Bankly's create answer may omit status.
		w.Enabled = true
	}
	return w, nil
}

// Update implements provider.Provider: read the configuration, apply the
// changes, send the full body; enable/disable have their own endpoints.
func (c *Client) Update(ctx context.Context, id string, r provider.UpdateRequest) (*provider.Webhook, error) {
	if r.SetEvents || len(r.AddEvents) > 0 || len(r.RemoveEvents) > 0 {
		if !(r.SetEvents && len(r.AddEvents) == 0 && len(r.RemoveEvents) == 0) {
			return nil, clierr.Usagef("a Bankly configuration's event cannot be changed: delete it and create a new one")
		}
	}
	if r.URL != nil {
		if err := checkURI("--url", *r.URL); err != nil {
			return nil, err
		}
	}
	if r.PublicKey != nil {
		if err := checkPublicKey(*r.PublicKey); err != nil {
			return nil, err
		}
	}
	if (r.URL != nil || r.PublicKey != nil) && (!r.FromFile || r.PrivateKey != "") {
		if err := checkPrivateKey(r.PrivateKey); err != nil {
			return nil, err
		}
	}
	cur, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.SetEvents && !(len(r.Events) == 1 && len(cur.Events) == 1 && r.Events[0] == cur.Events[0]) {
		return nil, clierr.Usagef("a Bankly configuration's event cannot be changed (it is %s): delete it and create a new one", strings.Join(cur.Events, ""))
	}
	if r.Name != nil && *r.Name != cur.Name {
		return nil, clierr.Usagef("a Bankly configuration's name cannot be changed (it is %q): delete it and create a new one", cur.Name)
	}
	if r.Context != nil && *r.Context != cur.Context {
		return nil, clierr.Usagef("a Bankly configuration's context cannot be changed (it is %q): delete it and create a new one", cur.Context)
	}
	// Bankly's PATCH replaces uri, publicKey and privateKey together.
	body := api.UpdateRequest{PrivateKey: r.PrivateKey, PublicKey: cur.PublicKey, URI: cur.URL}
	if r.URL != nil {
		body.URI = *r.URL
	}
	if r.PublicKey != nil {
		body.PublicKey = *r.PublicKey
	}
	patch := r.URL != nil || r.PublicKey != nil
	if r.FromFile && body.URI == cur.URL && body.PublicKey == cur.PublicKey && r.PrivateKey == "" {
		// A --file repeating the current URL and public key changes neither.
		patch = false
	}
	if patch {
		if err := checkPrivateKey(r.PrivateKey); err != nil {
			return nil, err
		}
	}
	out := cur
	if patch {
		if err := checkPublicKey(body.PublicKey); err != nil {
			return nil, err
		}
		c.warnHTTP(body.URI)
		raw, err := c.do(ctx, http.MethodPatch, configPath(id), nil, body)
		if err != nil {
			return nil, err
		}
		out = merge(cur, raw)
	}
	if r.Enabled != nil && *r.Enabled != cur.Enabled {
		action, status := "disable", "Disabled"
		if *r.Enabled {
			action, status = "enable", "Enabled"
		}
		raw, err := c.do(ctx, http.MethodPatch, configPath(id)+"/"+action, nil, nil)
		if err != nil {
			return nil, err
		}
		out = merge(out, raw)
		out.Status, out.Enabled = status, *r.Enabled
	}
	return out, nil
}

// merge applies the fields of a PATCH answer (which lacks status and dates)
// to the configuration read before it.
func merge(cur *provider.Webhook, raw []byte) *provider.Webhook {
	out := *cur
	if len(bytes.TrimSpace(raw)) == 0 {
		return &out
	}
	w, err := decodeOne(raw)
	if err != nil {
		return &out
	}
	if w.URL != "" {
		out.URL = w.URL
	}
	if w.PublicKey != "" {
		out.PublicKey = w.PublicKey
	}
	if w.Status != "" {
		out.Status, out.Enabled = w.Status, w.Enabled
	}
	if w.UpdatedAt != nil {
		out.UpdatedAt = w.UpdatedAt
	}
	out.Raw = w.Raw
	return &out
}

// Delete implements provider.Provider.
func (c *Client) Delete(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, configPath(id), nil, nil)
	return err
}

var (
	_ provider.Provider = (*Client)(nil)
	_ provider.Tester   = (*Client)(nil)
)
