package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"sync"
)

// LazySystemRoots makes a TLS configuration whose RootCAs hold only extra
// CAs (a ca_file) behave as if the system roots were added too, without
// paying for loading them (tens of milliseconds) when the extra CAs verify
// the server: a handshake that fails verification is retried once with the
// system roots plus the extra CAs. Verification is never skipped.
type LazySystemRoots struct {
	Extra []*x509.Certificate

	once sync.Once
	pool *x509.CertPool
}

func (l *LazySystemRoots) union() *x509.CertPool {
	l.once.Do(func() {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, c := range l.Extra {
			pool.AddCert(c)
		}
		l.pool = pool
	})
	return l.pool
}

func proxied() bool {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		if os.Getenv(k) != "" {
			return true
		}
	}
	return false
}

// install sets t up to dial TLS itself, first with the extra roots alone.
func (l *LazySystemRoots) install(t *http.Transport, conf *tls.Config) {
	if proxied() {
		// Through a proxy the transport does its own TLS: verify against both at once.
		conf.RootCAs = l.union()
		return
	}
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlive}
	t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialTLS(ctx, dialer, network, addr, conf)
		var unknown x509.UnknownAuthorityError
		var verr *tls.CertificateVerificationError
		if err != nil && (errors.As(err, &unknown) || errors.As(err, &verr)) {
			withSystem := conf.Clone()
			withSystem.RootCAs = l.union()
			return dialTLS(ctx, dialer, network, addr, withSystem)
		}
		return conn, err
	}
}

func dialTLS(ctx context.Context, d *net.Dialer, network, addr string, conf *tls.Config) (net.Conn, error) {
	raw, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c := conf.Clone()
	if c.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		c.ServerName = host
	}
	if len(c.NextProtos) == 0 {
		c.NextProtos = []string{"h2", "http/1.1"}
	}
	tc := tls.Client(raw, c)
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return tc, nil
}
