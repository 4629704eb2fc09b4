package provider

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Received is one received request, exactly as it came: the body's bytes
// are never re-encoded.
type Received struct {
	Method string
	// RequestURI is the path and query as received ("/hooks?x=1").
	RequestURI string
	Host       string
	Header     http.Header
	Body       []byte
}

// ReceivedURL is the URL the request itself names: http://Host+RequestURI
// (a receiver behind a tunnel or proxy saw another one than the sender used).
func (d *Received) ReceivedURL() string {
	uri := d.RequestURI
	if !strings.HasPrefix(uri, "/") {
		uri = "/" + uri
	}
	return "http://" + d.Host + uri
}

// VerifyInput is what a signature check is given.
type VerifyInput struct {
	// Input holds the provider's declared inputs of the verify (or listen)
	// command: flags and secrets.
	Input Values
	// RegisteredURL is the URL the webhook is registered with when the
	// command knows it (listen --register); a declared input wins.
	RegisteredURL string
	// Provider builds the provider, for inputs that need the account (a key
	// fetched from the provider); nil when no account is at hand.
	Provider func() (Provider, error)
	Now      func() time.Time
	Debugf   func(format string, args ...any)
	// Note, when set, is told what a check that passed could not confirm
	// (a message naming inputs as {name}); nil drops such notes.
	Note func(msg string)
}

// VerifyFunc verifies one delivery: nil when its signature is valid, otherwise a
// *SignatureError saying which part differs.
type VerifyFunc func(d *Received) error

// Verifier checks the signatures of a provider's deliveries. It is reached
// through Info.Verifier, without building the provider: verifying needs no
// account unless an input says so.
type Verifier interface {
	// Detect reports whether a request's headers look like one of the
	// provider's deliveries.
	Detect(h http.Header) bool
	// Describe reads a delivery's event name and id ("" when unknown).
	Describe(d *Received) (event, id string)
	// Prepare checks the inputs (a *ValidationError, before anything is
	// received) and loads what they name, once.
	Prepare(ctx context.Context, in VerifyInput) (VerifyFunc, error)
}

// SignatureError is a delivery whose signature does not verify; Reason
// says which part differs.
type SignatureError struct {
	Provider string
	Reason   string
}

func (e *SignatureError) Error() string { return e.Reason }

// Detect returns the registered provider whose deliveries look like h.
func Detect(infos []Info, h http.Header) (Info, bool) {
	for _, info := range infos {
		if info.Verifier != nil && info.Verifier.Detect(h) {
			return info, true
		}
	}
	return Info{}, false
}
