// Package clierr holds hookctl's error types and the one place where errors
// become the contract's exit codes.
package clierr

import (
	"context"
	"errors"
	"fmt"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
)

// Exit codes of the command-line contract.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitAuth        = 3
	ExitNotFound    = 4
	ExitConflict    = 5
	ExitUnknown     = 6 // outcome unknown: a write may have been applied
	ExitDrift       = 7
	ExitInterrupted = 130
)

// Codes are the exit codes with their meaning, as `hookctl help exit-codes` prints them.
var Codes = []struct {
	Code    int
	Meaning string
}{
	{ExitOK, "success"},
	{ExitFailure, "failure: API error, network, timeout, partial failure of a multi-item command"},
	{ExitUsage, "usage or invalid input, found before any request was sent; nothing was changed"},
	{ExitAuth, "authentication or authorization: 401/403, token endpoint refusal, client certificate rejected"},
	{ExitNotFound, "not found (404)"},
	{ExitConflict, "conflict (409)"},
	{ExitUnknown, "outcome unknown: a write may have been applied; check before retrying"},
	{ExitDrift, "drift: diff --exit-code found differences"},
	{ExitInterrupted, "interrupted (SIGINT/SIGTERM)"},
}

// UsageError is bad input found before any request was sent: exit 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError. The message should name the flag or field and the fix.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// IsUsage reports whether err is a usage error.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// ExitError carries an exit code for an error that has already been reported,
// such as a partial failure of `delete` whose per-item results were printed.
type ExitError struct {
	Code   int
	Err    error
	Silent bool
	// Final: the command ended its own stop after an interrupt (such as
	// listen's clean-up at Ctrl-C), so the code stands instead of 130.
	Final bool
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ErrInterrupted marks a run stopped by SIGINT.
var ErrInterrupted = errors.New("interrupted")

// ExitCode maps an error to the contract's exit code. It is the only place
// that does so.
func ExitCode(err error) int {
	var (
		ee  *ExitError
		ve  *provider.ValidationError
		ae  *provider.APIError
		aue *provider.AuthError
		oue *provider.OutcomeUnknownError
		te  *httpx.TLSError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrInterrupted):
		return ExitInterrupted
	case errors.As(err, &ee):
		return ee.Code
	case IsUsage(err), errors.As(err, &ve):
		return ExitUsage
	case errors.As(err, &oue):
		return ExitUnknown
	case errors.As(err, &aue):
		return ExitAuth
	case errors.As(err, &te):
		if te.Refused() {
			return ExitAuth
		}
		return ExitFailure
	case errors.As(err, &ae):
		return apiExit[ae.Kind()]
	}
	return ExitFailure
}

// apiExit maps what a provider's answer means to an exit code.
var apiExit = map[provider.Kind]int{
	provider.KindOther:       ExitFailure,
	provider.KindRateLimited: ExitFailure,
	provider.KindAuth:        ExitAuth,
	provider.KindNotFound:    ExitNotFound,
	provider.KindConflict:    ExitConflict,
}

// TimeoutMessage explains a deadline that ran out.
func TimeoutMessage(err error, timeout string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("timed out after %s (raise it with --timeout or HOOKCTL_TIMEOUT)", timeout)
	}
	return ""
}
