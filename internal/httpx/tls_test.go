package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/hookctl/hookctl/internal/pki"
)

// TestLazySystemRoots: a server under ca_file is verified without the system
// roots; one under the system roots (SSL_CERT_FILE here) after a second
// handshake; one under neither is refused.
func TestLazySystemRoots(t *testing.T) {
	caFile, _ := pki.NewCA("ca_file CA")
	system, _ := pki.NewCA("system CA")
	stranger, _ := pki.NewCA("stranger CA")
	bundle := filepath.Join(t.TempDir(), "system.pem")
	os.WriteFile(bundle, system.CertPEM, 0o600)
	t.Setenv("SSL_CERT_FILE", bundle)
	t.Setenv("SSL_CERT_DIR", filepath.Dir(bundle))

	serve := func(ca *pki.CA) (*httptest.Server, *atomic.Int32) {
		cert, _ := ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})
		var handshakes atomic.Int32
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()},
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { handshakes.Add(1); return nil, nil }}
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return srv, &handshakes
	}
	client := func() *http.Client {
		pool := x509.NewCertPool()
		pool.AddCert(caFile.Cert)
		return New(Options{TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, Roots: &LazySystemRoots{Extra: []*x509.Certificate{caFile.Cert}}, Retry: RetryPolicy{MaxRetries: -1}})
	}
	for _, c := range []struct {
		name       string
		ca         *pki.CA
		ok         bool
		handshakes int32
	}{{"under ca_file", caFile, true, 1}, {"under the system roots", system, true, 2}, {"under neither", stranger, false, 2}} {
		t.Run(c.name, func(t *testing.T) {
			srv, n := serve(c.ca)
			resp, err := client().Get(srv.URL)
			if (err == nil) != c.ok {
				t.Fatalf("err %v", err)
			}
			if err == nil {
				resp.Body.Close()
			} else {
				var ua x509.UnknownAuthorityError
				var ve *tls.CertificateVerificationError
				if !errors.As(err, &ua) && !errors.As(err, &ve) {
					t.Fatalf("want a verification error, got %v", err)
				}
			}
			if n.Load() != c.handshakes {
				t.Fatalf("%d handshakes, want %d", n.Load(), c.handshakes)
			}
		})
	}
}

// TestLazySystemRootsOffersHTTP2: dialling TLS ourselves must still offer h2.
func TestLazySystemRootsOffersHTTP2(t *testing.T) {
	ca, _ := pki.NewCA("ca_file CA")
	cert, _ := ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.Proto) }))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	c := New(Options{TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, Roots: &LazySystemRoots{Extra: []*x509.Certificate{ca.Cert}}})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/2.0" || string(body) != "HTTP/2.0" {
		t.Fatalf("%s %s", resp.Proto, body)
	}
}
