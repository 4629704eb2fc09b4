package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// TLSKind says what went wrong in a TLS handshake.
type TLSKind string

const (
	// TLSRefused: the server sent a TLS alert (bad certificate, certificate
	// required, unknown CA, handshake failure, ...): it refused this client.
	TLSRefused TLSKind = "refused"
	// TLSUnknownAuthority: the server certificate is signed by a CA this client does not trust.
	TLSUnknownAuthority TLSKind = "unknown-authority"
	// TLSWrongHost: the server certificate is for other names.
	TLSWrongHost TLSKind = "wrong-host"
	// TLSExpired: the server certificate expired or is not valid yet.
	TLSExpired TLSKind = "expired"
	// TLSInvalid: any other reason the server certificate was refused.
	TLSInvalid TLSKind = "invalid"
	// TLSNotTLS: the server did not answer with TLS at all.
	TLSNotTLS TLSKind = "not-tls"
)

// TLSError is a TLS handshake that failed, described by what to fix. A new
// attempt cannot fix any of them, so none is retried.
type TLSError struct {
	Kind TLSKind
	// Alert is the TLS alert the server sent (TLSRefused), e.g. "bad certificate".
	Alert string
	Host  string
	Msg   string
	Err   error
}

func (e *TLSError) Error() string      { return e.Msg }
func (e *TLSError) Unwrap() error      { return e.Err }
func (e *TLSError) NonRetryable() bool { return true }

// Refused reports whether the server refused the handshake, so this
// client's credentials (an authentication failure); an untrusted server is not.
func (e *TLSError) Refused() bool { return e.Kind == TLSRefused }

// DefaultCAHint is what an unknown authority error advises when the caller has nothing better.
const DefaultCAHint = "if a private CA or a TLS-inspecting proxy signs it, add that CA to the system's trusted roots"

// ClassifyTLS describes err when it is a TLS failure, nil otherwise.
// caHint is the advice for a certificate signed by an unknown authority
// (e.g. "add it with ca_file").
func ClassifyTLS(err error, host, caHint string) *TLSError {
	if err == nil {
		return nil
	}
	if alert, ok := remoteAlert(err); ok {
		return &TLSError{Kind: TLSRefused, Host: host, Err: err, Alert: strings.TrimPrefix(alert, "tls: "),
			Msg: fmt.Sprintf("%s refused the TLS handshake (remote error: %s): it does not accept this client's TLS credentials or settings", host, alert)}
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) {
		return &TLSError{Kind: TLSWrongHost, Host: host, Err: err,
			Msg: fmt.Sprintf("the server certificate of %s is for %s, not %s: check the URL's host name", host, certNames(hostErr.Certificate), hostErr.Host)}
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		if invalid.Reason == x509.Expired && invalid.Cert != nil {
			c := invalid.Cert
			if time.Now().Before(c.NotBefore) {
				return &TLSError{Kind: TLSExpired, Host: host, Err: err,
					Msg: fmt.Sprintf("the server certificate of %s (%s) is not valid before %s: check this machine's clock", host, subject(c), c.NotBefore.UTC().Format(time.RFC3339))}
			}
			return &TLSError{Kind: TLSExpired, Host: host, Err: err,
				Msg: fmt.Sprintf("the server certificate of %s (%s) expired at %s: the server must renew it (or check this machine's clock)", host, subject(c), c.NotAfter.UTC().Format(time.RFC3339))}
		}
		return &TLSError{Kind: TLSInvalid, Host: host, Err: err,
			Msg: fmt.Sprintf("the server certificate of %s is not valid: %v", host, invalid)}
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		issuer := "an unknown authority"
		if unknown.Cert != nil {
			issuer = fmt.Sprintf("an unknown authority (%s)", issuerOf(unknown.Cert))
		}
		if caHint == "" {
			caHint = DefaultCAHint
		}
		return &TLSError{Kind: TLSUnknownAuthority, Host: host, Err: err,
			Msg: fmt.Sprintf("the server certificate of %s is not trusted: it is signed by %s: %s", host, issuer, caHint)}
	}
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		return &TLSError{Kind: TLSInvalid, Host: host, Err: err,
			Msg: fmt.Sprintf("the server certificate of %s is not valid: %v", host, verr.Err)}
	}
	var record tls.RecordHeaderError
	if errors.As(err, &record) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return &TLSError{Kind: TLSNotTLS, Host: host, Err: err,
			Msg: fmt.Sprintf("%s did not answer with TLS: check the URL's scheme and port", host)}
	}
	return nil
}

// remoteAlert returns the alert text of a TLS alert the peer sent
// ("tls: bad certificate"): crypto/tls reports it as a net.OpError
// whose Op is "remote error".
func remoteAlert(err error) (string, bool) {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil && strings.HasPrefix(op.Err.Error(), "tls: ") {
		return op.Err.Error(), true
	}
	return "", false
}

func certNames(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no host name"
	}
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("%d more", len(names)-5))
	}
	return printable(strings.Join(names, ", "))
}

func subject(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + printable(c.Subject.CommonName)
	}
	return printable(c.Subject.String())
}

func issuerOf(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return "issuer CN=" + printable(c.Issuer.CommonName)
	}
	return "issuer " + printable(c.Issuer.String())
}

// printable keeps what a server put in its certificate from driving the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return '?'
		}
		return r
	}, s)
}
