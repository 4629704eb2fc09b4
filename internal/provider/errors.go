package provider

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hookctl/hookctl/internal/redact"
)

// APIError is an error answer of a provider API, decoded.
type APIError struct {
	Provider  string
	Status    int
	Code      string // provider's error code
	Type      string
	Param     string
	Message   string
	RequestID string // Conekta log_id, Bankly x-bkly-correlation-id
	// RequestIDLabel names RequestID as the provider does.
	RequestIDLabel string
	Hint           string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s", e.Provider, e.Status, http.StatusText(e.Status))
	if e.Type != "" {
		fmt.Fprintf(&b, " (%s)", e.Type)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " [field %s]", e.Param)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " [code %s]", e.Code)
	}
	if e.RequestID != "" {
		label := e.RequestIDLabel
		if label == "" {
			label = "request id"
		}
		fmt.Fprintf(&b, " [%s %s]", label, e.RequestID)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// ExitCode maps the HTTP status to the contract's exit codes.
func (e *APIError) ExitCode() int {
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return 3
	case http.StatusNotFound:
		return 4
	case http.StatusConflict:
		return 5
	}
	return 1
}

// Snippet is the start of a body for an error message: one line, at most
// 160 bytes (see redact.Cut). Redact the body first (Redactor.Bytes); the
// final redaction of an error message also hides a secret's first bytes
// left before the "…".
func Snippet(b []byte) string {
	return redact.Cut(strings.Join(strings.Fields(string(b)), " "), 160)
}

// AuthError is an authentication or authorization failure that did not come
// as an API answer: token endpoint refusal, client certificate rejected.
type AuthError struct {
	Msg string
	Err error
}

func (e *AuthError) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	return e.Msg
}
func (e *AuthError) Unwrap() error { return e.Err }
func (e *AuthError) ExitCode() int { return 3 }
