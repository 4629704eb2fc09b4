package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/redact"
)

// ValidationError is input an adapter refuses before sending anything.
// Msg may name inputs (declared flags, secret inputs, profile keys) as
// {name}; the command layer renders them as the user spells them.
type ValidationError struct {
	// Field is the input at fault, by declared name ("" when none is).
	Field string
	Msg   string
}

func (e *ValidationError) Error() string {
	return RenderInputs(e.Msg, func(n string) string { return n })
}

// Invalidf builds a ValidationError.
func Invalidf(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

var inputRefRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([a-z][a-z0-9_-]*)\}`) })

// RenderInputs replaces each {name} of msg with spell(name).
func RenderInputs(msg string, spell func(name string) string) string {
	if !strings.Contains(msg, "{") {
		return msg
	}
	return inputRefRE().ReplaceAllStringFunc(msg, func(m string) string { return spell(m[1 : len(m)-1]) })
}

// APIError is an error answer of a provider API, decoded.
type APIError struct {
	Provider  string
	Status    int
	Code      string // provider's error code
	Type      string
	Param     string
	Message   string
	RequestID string // the provider's id of the request
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

// Kind classifies an answer for the command layer.
type Kind int

const (
	KindOther Kind = iota
	KindAuth
	KindNotFound
	KindConflict
	KindRateLimited
)

// Kind is what the answer means.
func (e *APIError) Kind() Kind {
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return KindAuth
	case http.StatusNotFound:
		return KindNotFound
	case http.StatusConflict:
		return KindConflict
	case http.StatusTooManyRequests:
		return KindRateLimited
	}
	return KindOther
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

// OutcomeUnknownError is a write whose request may have reached the provider
// and whose answer was lost or undecodable: the change may have been applied.
// It is never retried blindly.
type OutcomeUnknownError struct {
	Provider string
	// Op says what was attempted, e.g. "POST /webhooks".
	Op  string
	Err error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s: %s: the outcome is unknown (%v): the change may have been applied", e.Provider, e.Op, e.Err)
}
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// PartialListError is a list the provider answered inconsistently: hookctl
// never prints part of a list as if it were whole.
type PartialListError struct {
	Provider string
	Reason   string
}

func (e *PartialListError) Error() string {
	return fmt.Sprintf("%s: the list is incomplete: %s", e.Provider, e.Reason)
}
