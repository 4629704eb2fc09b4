// Package httpx builds hookctl's HTTP client: User-Agent, retries with
// backoff, and a --debug dump of every attempt with secrets redacted.
package httpx

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/hookctl/hookctl/internal/redact"
)

// Options configure a client.
type Options struct {
	UserAgent string
	Debug     io.Writer // nil: no dump
	Redactor  *redact.Redactor
	TLS       *tls.Config
	// Roots, when set, verifies servers against its extra CAs first and
	// adds the system roots only when those do not verify (see LazySystemRoots).
	Roots *LazySystemRoots
	Retry RetryPolicy
	// Transport replaces the network transport (tests); TLS is then ignored.
	Transport http.RoundTripper
	// Pool and Share, both set, take the network transport from Pool under
	// the key Share, made once for the first client asking: Share must then
	// name everything TLS and Roots hold (the same credentials, the same CAs).
	Pool  *Pool
	Share string
}

// New returns a client whose transport is, outermost first: User-Agent,
// retries, debug dump, network.
func New(o Options) *http.Client {
	base := o.Transport
	if base == nil {
		build := func() http.RoundTripper {
			t := NewTransport(o.TLS)
			if o.Roots != nil && o.TLS != nil {
				o.Roots.install(t, t.TLSClientConfig)
			}
			return t
		}
		if o.Pool != nil && o.Share != "" {
			base = o.Pool.get(o.Share, build)
		} else {
			base = build()
		}
	}
	var rt http.RoundTripper = base
	if o.Debug != nil {
		rt = &dumpTransport{next: rt, w: o.Debug, r: o.Redactor}
	}
	rt = &retryTransport{next: rt, policy: o.Retry.withDefaults(), log: o.Debug}
	if o.UserAgent != "" {
		rt = &uaTransport{next: rt, ua: o.UserAgent}
	}
	return &http.Client{Transport: rt, CheckRedirect: noRedirects}
}

const (
	dialTimeout         = 10 * time.Second
	keepAlive           = 30 * time.Second
	idleConnTimeout     = 60 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
)

// NewTransport is the network transport: HTTP/2 where offered, keep-alive,
// and the given TLS configuration (never InsecureSkipVerify).
func NewTransport(tlsConf *tls.Config) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlive}).DialContext,
		TLSClientConfig:       tlsConf,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
	}
}

// A redirect would resend credentials to another place; the APIs never need it.
func noRedirects(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse }

type uaTransport struct {
	next http.RoundTripper
	ua   string
}

func (t *uaTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.ua)
	}
	return t.next.RoundTrip(req)
}
