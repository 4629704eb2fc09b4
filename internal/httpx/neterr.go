package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

// NetworkError is a request that got no HTTP answer, described in one line.
type NetworkError struct {
	Host  string
	Cause string
	Err   error
}

func (e *NetworkError) Error() string { return "cannot reach " + e.Host + ": " + e.Cause }
func (e *NetworkError) Unwrap() error { return e.Err }

// Network describes a transport error by its cause rather than Go's nested
// "Get ...: dial tcp ...: connect: ..." text; a TLS failure becomes a *TLSError. Context errors pass unchanged,
// so that timeouts and interrupts keep their own messages.
func Network(err error, host string) error {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	if te := ClassifyTLS(err, host, ""); te != nil {
		return te
	}
	var dns *net.DNSError
	cause := ""
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		cause = "connection refused (is the server running? check the base URL)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		cause = "the server closed or reset the connection"
	case errors.As(err, &dns):
		cause = "cannot resolve " + dns.Name
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			cause = "timed out"
		} else {
			inner := err
			for errors.Unwrap(inner) != nil {
				inner = errors.Unwrap(inner)
			}
			cause = inner.Error()
		}
	}
	return &NetworkError{Host: host, Cause: cause, Err: err}
}
