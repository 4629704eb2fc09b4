// Package clierr holds hookctl's error types and the one place where errors
// become the contract's exit codes.
package clierr

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Exit codes of the command-line contract.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitAuth        = 3
	ExitNotFound    = 4
	ExitConflict    = 5
	ExitInterrupted = 130
)

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

// ExitCoder is implemented by errors that know their exit code
// (provider API errors, authentication errors).
type ExitCoder interface{ ExitCode() int }

// ExitError carries an exit code for an error that has already been reported,
// such as a partial failure of `delete` whose per-item results were printed.
type ExitError struct {
	Code   int
	Err    error
	Silent bool
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }
func (e *ExitError) ExitCode() int { return e.Code }

// ErrInterrupted marks a run stopped by SIGINT.
var ErrInterrupted = errors.New("interrupted")

// ExitCode maps an error to the contract's exit code. It is the only place
// that does so.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, ErrInterrupted) {
		return ExitInterrupted
	}
	if IsUsage(err) || isCobraUsage(err) {
		return ExitUsage
	}
	var ec ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return ExitFailure
}

// isCobraUsage recognises the plain errors cobra returns for argument and
// command mistakes that no hook of ours can intercept.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command ", "unknown flag", "unknown shorthand flag", "invalid argument ", "flag needs an argument", "required flag(s)", "accepts ", "requires at least", "if any flags in the group", "none of the others can be"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// TimeoutMessage explains a deadline that ran out.
func TimeoutMessage(err error, timeout string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("timed out after %s (raise it with --timeout or HOOKCTL_TIMEOUT)", timeout)
	}
	return ""
}
