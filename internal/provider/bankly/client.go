package bankly

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/randid"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/validate"
	"golang.org/x/time/rate"
)

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
	u, tokenURL, clientID, err := endpoints(env)
	if err != nil {
		return nil, err
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
	files, err := readTLSFiles(env.Settings)
	if err != nil {
		return nil, err
	}
	files.Passphrase = pass
	tlsConf, roots, err := loadTLS(files, now())
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
	// The certificate (its key is checked to pair with it) and the CAs are
	// all the TLS configuration holds: targets sharing them share connections.
	apiClient := env.Client(shareKey(files), tlsConf, roots)
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

// shareKey names the TLS material of files, without a secret in it.
func shareKey(f tlsFiles) string {
	cert, ca := sha256.Sum256(f.CertPEM), sha256.Sum256(f.CAPEM)
	return "bankly mTLS " + hex.EncodeToString(cert[:]) + " " + hex.EncodeToString(ca[:])
}

// endpoints resolves the API base URL, the token URL and the client id:
// flags and profile over the environment's URLs.
func endpoints(env *provider.Env) (base *url.URL, tokenURL, clientID string, err error) {
	info := Info()
	envName := env.Get("environment")
	urls, ok := info.Environment(envName)
	if !ok {
		return nil, "", "", provider.Invalidf("environment", "environment %q: use %s", envName, strings.Join(info.EnvironmentNames(), " or "))
	}
	raw := env.BaseURL
	if raw == "" {
		raw = env.Get("base_url")
	}
	if raw == "" {
		raw = urls.URLs["base_url"]
	}
	if base, err = validate.CredentialURL("{base-url}", raw); err != nil {
		return nil, "", "", provider.Invalidf("base_url", "%v", err)
	}
	if tokenURL = env.Get("token_url"); tokenURL == "" {
		tokenURL = urls.URLs["token_url"]
	}
	if _, err := validate.CredentialURL("token_url", tokenURL); err != nil {
		return nil, "", "", provider.Invalidf("token_url", "%v", err)
	}
	if clientID = env.Get("client_id"); clientID == "" {
		return nil, "", "", provider.Invalidf("client_id", "no Bankly client id: set client_id in the profile (or BANKLY_CLIENT_ID), from Bankly's client registration")
	}
	return base, tokenURL, clientID, nil
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
		if status == http.StatusForbidden && attempt == 0 && bytes.Contains(bytes.ToLower(raw), []byte("scope")) {
			// The token may predate a change of the registration's scopes.
			c.debugf("Bankly answered 403 naming a scope: dropping the token and fetching a new one")
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
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { written.Store(true) }})
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
		err = fmt.Errorf("bankly: %s %s: %w", method, path, classifyTLS(err, u.Host))
		if written.Load() && method != http.MethodGet && method != http.MethodPost {
			// An update or delete may have been made; only its answer was lost.
			// (A create's own lookup handles POST.)
			return 0, nil, nil, &provider.OutcomeUnknownError{Provider: Name, Op: method + " " + path, Err: err}
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := httpx.ReadBody(resp, maxBody)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bankly: reading the answer to %s %s: %w", method, path, err)
	}
	if id := resp.Header.Get("x-bkly-correlation-id"); id != "" {
		c.debugf("%s %s: x-bkly-correlation-id %s", method, path, id)
	}
	return resp.StatusCode, resp.Header, raw, nil
}
