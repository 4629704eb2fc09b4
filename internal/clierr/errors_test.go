package clierr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
)

// TestExitCodeTable: every typed error maps to the contract's code, also wrapped.
func TestExitCodeTable(t *testing.T) {
	for _, c := range []struct {
		err  error
		code int
	}{
		{nil, 0},
		{errors.New("x"), 1},
		{ErrInterrupted, 130},
		{Usagef("bad"), 2},
		{&provider.ValidationError{Field: "url"}, 2},
		{&provider.AuthError{Msg: "no"}, 3},
		{&provider.APIError{Status: 401}, 3},
		{&provider.APIError{Status: 403}, 3},
		{&provider.APIError{Status: 404}, 4},
		{&provider.APIError{Status: 409}, 5},
		{&provider.APIError{Status: 429}, 1},
		{&provider.APIError{Status: 500}, 1},
		{&provider.OutcomeUnknownError{Err: errors.New("reset")}, 6},
		{&provider.PartialListError{}, 1},
		{&httpx.TLSError{Kind: httpx.TLSRefused}, 3},
		{&httpx.TLSError{Kind: httpx.TLSWrongHost}, 1},
		{&ExitError{Code: 7, Err: errors.New("drift")}, 7},
	} {
		if got := ExitCode(c.err); got != c.code {
			t.Errorf("%T %v: exit %d, want %d", c.err, c.err, got, c.code)
		}
		if c.err != nil {
			if got := ExitCode(fmt.Errorf("wrapped: %w", c.err)); got != c.code {
				t.Errorf("wrapped %T: exit %d, want %d", c.err, got, c.code)
			}
		}
	}
}
