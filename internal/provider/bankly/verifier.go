package bankly

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/provider"
)

// Names of the verify inputs Bankly declares (and inPrivateKey).
const (
	inURL     = "url"
	inMaxSkew = "max-skew"
	inHMACKey = "hmac-key"
)

// DefaultMaxSkew is how far requestTimestamp may be from now.
const DefaultMaxSkew = 5 * time.Minute

// verifier implements provider.Verifier for Bankly's HMAC headers.
type verifier struct{}

// Detect implements provider.Verifier: authorization "hmac ..." with the
// headers Bankly signs beside it.
func (verifier) Detect(h http.Header) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Get("Authorization"))), "hmac ") &&
		(h.Get("publicKey") != "" || h.Get("requestTimestamp") != "")
}

// Describe implements provider.Verifier: the event name and idempotencyKey.
func (verifier) Describe(d *provider.Received) (event, id string) {
	var ev struct {
		Name           string `json:"name"`
		IdempotencyKey string `json:"idempotencyKey"`
	}
	_ = json.Unmarshal(d.Body, &ev)
	id = ev.IdempotencyKey
	if id == "" {
		id = d.Header.Get("idempotency-Key")
	}
	return ev.Name, id
}

// Prepare implements provider.Verifier: the configuration's private key,
// the registered uri ({url}, else the one the command knows, else the URL
// as received) and the allowed skew of requestTimestamp.
func (verifier) Prepare(_ context.Context, in provider.VerifyInput) (provider.VerifyFunc, error) {
	private := in.Input.String(inPrivateKey)
	if private == "" {
		return nil, provider.Invalidf(inPrivateKey, "verifying recomputes Bankly's HMAC with the configuration's private key: give {private-key}")
	}
	mode := in.Input.String(inHMACKey)
	switch mode {
	case "", KeyModeRaw:
		mode = KeyModeRaw
	case KeyModeBase64:
		if _, err := HMACKey(private, mode); err != nil {
			return nil, provider.Invalidf(inPrivateKey, "%v", err)
		}
	default:
		return nil, provider.Invalidf(inHMACKey, "{hmac-key} %q: use raw (the private key's text, as given) or base64 (its decoded bytes)", mode)
	}
	skew := DefaultMaxSkew
	if s := in.Input.String(inMaxSkew); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, provider.Invalidf(inMaxSkew, "{max-skew} %q is not a duration: give e.g. 5m, or 0 to skip the timestamp check", s)
		}
		skew = d
	}
	registered := in.Input.String(inURL)
	if registered == "" {
		registered = in.RegisteredURL
	}
	if registered != "" {
		if u, err := url.Parse(registered); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, provider.Invalidf(inURL, "{url} %q is not an absolute http(s) URL: give the configuration's uri as registered", registered)
		}
	}
	now := in.Now
	if now == nil {
		now = time.Now
	}
	return func(d *provider.Received) error {
		uri, note := registered, ""
		if uri == "" {
			uri, note = d.ReceivedURL(), " (no {url} given: checked over the URL as received; give the configuration's uri with {url})"
		}
		if err := VerifyHMAC(d.Body, d.Header, private, uri, now(), skew, mode); err != nil {
			return &provider.SignatureError{Provider: Name, Reason: err.Error() + note}
		}
		if registered == "" && in.Note != nil {
			in.Note("checked over the URL in the request, " + uri + ", since no {url} was given: a tunnel or proxy changes that URL; give the configuration's uri with {url}")
		}
		return nil
	}, nil
}

var _ provider.Verifier = verifier{}
