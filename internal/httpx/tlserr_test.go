package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/pki"
)

// tlsServer serves over TLS with the given certificate and client
// authentication, counting handshakes the server saw begin.
func tlsServer(t *testing.T, cert *pki.Pair, clientAuth tls.ClientAuthType, maxVersion uint16) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hellos atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()}, ClientAuth: clientAuth, MaxVersion: maxVersion,
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { hellos.Add(1); return nil, nil }}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &hellos
}

func trusting(ca *pki.CA) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	return New(Options{TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, Retry: RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}})
}

// TestTLSFailuresAreClassifiedAndNeverRetried: each TLS failure is one
// handshake, a *TLSError that says what is wrong, and the right exit code.
func TestTLSFailuresAreClassifiedAndNeverRetried(t *testing.T) {
	ca, _ := pki.NewCA("test CA")
	stranger, _ := pki.NewCA("stranger CA")
	good, _ := ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})
	wrongHost, _ := ca.Issue("api.example.com", pki.Options{Server: true, Hosts: []string{"api.example.com", "10.9.8.7"}})
	notAfter := time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	expired, _ := ca.Issue("expired.example", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}, NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter})
	notBefore := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	future, _ := ca.Issue("future.example", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}, NotBefore: notBefore, NotAfter: notBefore.AddDate(1, 0, 0)})
	untrusted, _ := stranger.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})

	for _, c := range []struct {
		name       string
		cert       *pki.Pair
		clientAuth tls.ClientAuthType
		maxVersion uint16
		method     string
		kind       TLSKind
		exit       int
		want       []string
	}{
		{"TLS 1.2: the server demands a client certificate", good, tls.RequireAnyClientCert, tls.VersionTLS12, "GET", TLSRefused, 3, []string{"refused the TLS handshake (remote error: tls: "}},
		{"TLS 1.3: the server demands a client certificate", good, tls.RequireAnyClientCert, tls.VersionTLS13, "GET", TLSRefused, 3, []string{"refused the TLS handshake (remote error: tls: certificate required)"}},
		{"TLS 1.3 alert on a PUT", good, tls.RequireAnyClientCert, tls.VersionTLS13, "PUT", TLSRefused, 3, []string{"remote error: tls: certificate required"}},
		{"server certificate for another host", wrongHost, tls.NoClientCert, 0, "GET", TLSWrongHost, 1, []string{"is for api.example.com, 10.9.8.7, not 127.0.0.1"}},
		{"expired server certificate", expired, tls.NoClientCert, 0, "GET", TLSExpired, 1, []string{"(CN=expired.example) expired at 2024-03-04T05:06:07Z"}},
		{"server certificate not valid yet", future, tls.NoClientCert, 0, "GET", TLSExpired, 1, []string{"(CN=future.example) is not valid before " + notBefore.UTC().Format(time.RFC3339), "clock"}},
		{"server certificate from an unknown CA", untrusted, tls.NoClientCert, 0, "GET", TLSUnknownAuthority, 1, []string{"is not trusted: it is signed by an unknown authority (issuer CN=stranger CA): " + DefaultCAHint}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, hellos := tlsServer(t, c.cert, c.clientAuth, c.maxVersion)
			host := strings.TrimPrefix(srv.URL, "https://")
			req, _ := http.NewRequest(c.method, srv.URL, strings.NewReader("{}"))
			var dump strings.Builder
			cl := trusting(ca)
			cl.Transport.(*retryTransport).log = &dump
			resp, err := cl.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("the request succeeded")
			}
			if n := hellos.Load(); n != 1 {
				t.Errorf("%d handshakes, want 1 (no retry)\n%s", n, dump.String())
			}
			if strings.Contains(dump.String(), "retrying") {
				t.Errorf("retried:\n%s", dump.String())
			}
			got := Network(err, host)
			var te *TLSError
			if !errors.As(got, &te) {
				t.Fatalf("Network gave %T %v, want a *TLSError", got, got)
			}
			if te.Kind != c.kind || te.Host != host || !errors.Is(got, te.Err) {
				t.Errorf("kind %q host %q, want %q %q", te.Kind, te.Host, c.kind, host)
			}
			if te.Refused() != (c.exit == 3) {
				t.Errorf("refused %v, want exit %d", te.Refused(), c.exit)
			}
			if !te.NonRetryable() || retryableError(got) {
				t.Error("a TLS error must not be retryable")
			}
			for _, w := range c.want {
				if !strings.Contains(got.Error(), w) {
					t.Errorf("message %q does not contain %q", got.Error(), w)
				}
			}
			if c.kind != TLSUnknownAuthority && strings.Contains(got.Error(), "ca_file") || strings.Contains(got.Error(), "cannot reach") {
				t.Errorf("message %q gives the wrong advice", got.Error())
			}
		})
	}
}

func TestTLSErrorToPlainHTTPServer(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	ca, _ := pki.NewCA("test CA")
	url := "https://" + strings.TrimPrefix(srv.URL, "http://")
	_, err := trusting(ca).Get(url)
	var te *TLSError
	if !errors.As(Network(err, "h"), &te) || te.Kind != TLSNotTLS || !strings.Contains(te.Error(), "h did not answer with TLS: check the URL's scheme and port") {
		t.Fatalf("%v", Network(err, "h"))
	}
}

func TestClassifyTLSCallerHintAndOthers(t *testing.T) {
	if ClassifyTLS(nil, "h", "") != nil || ClassifyTLS(io.EOF, "h", "x") != nil {
		t.Fatal("not a TLS error")
	}
	unknown := &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
	if got := ClassifyTLS(unknown, "h", "add it with ca_file").Error(); got != "the server certificate of h is not trusted: it is signed by an unknown authority: add it with ca_file" {
		t.Fatal(got)
	}
	other := &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.IncompatibleUsage}}
	if te := ClassifyTLS(other, "h", ""); te.Kind != TLSInvalid || !strings.HasPrefix(te.Error(), "the server certificate of h is not valid: ") {
		t.Fatal(te)
	}
	bare := &tls.CertificateVerificationError{Err: errors.New("boom")}
	if te := ClassifyTLS(bare, "h", ""); te.Kind != TLSInvalid || te.Error() != "the server certificate of h is not valid: boom" {
		t.Fatal(te)
	}
	if certNames(nil) != "other names" || certNames(&x509.Certificate{}) != "no host name" {
		t.Fatal("certNames of nothing")
	}
	many := &x509.Certificate{DNSNames: []string{"a", "b", "c", "d", "e", "f", "g\x1b[2J"}}
	if got := certNames(many); got != "a, b, c, d, e, 2 more" {
		t.Fatal(got)
	}
	if got := certNames(&x509.Certificate{DNSNames: []string{"a", "b", "c", "d", "e"}}); got != "a, b, c, d, e" {
		t.Fatal(got)
	}
	if got := certNames(&x509.Certificate{DNSNames: []string{"x\x1b]52;c;AAAA\x07"}}); got != "x?]52;c;AAAA?" {
		t.Fatal(got)
	}
	if got := printable("\x1f \x7e\x7f\u0080\u009f\u00a0é"); got != "? ~???\u00a0é" {
		t.Fatalf("%q", got)
	}
	cn := &x509.Certificate{}
	cn.Subject.CommonName = "legacy.example"
	cn.Issuer.Organization = []string{"Org"}
	if certNames(cn) != "legacy.example" || issuerOf(cn) != "issuer O=Org" || subject(&x509.Certificate{}) != "" {
		t.Fatal(certNames(cn), issuerOf(cn))
	}
}
