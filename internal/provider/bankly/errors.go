package bankly

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
)

// DecodeError turns an error answer into a provider.APIError, whatever shape
// Bankly used: errors[], ProblemDetails, or a bare {code, message}.
func DecodeError(status int, h http.Header, raw []byte) error {
	e := &provider.APIError{Provider: Name, Status: status, RequestID: h.Get("x-bkly-correlation-id"), RequestIDLabel: "x-bkly-correlation-id"}
	var be api.Error
	if json.Unmarshal(raw, &be) == nil {
		var msgs []string
		for _, item := range be.Errors {
			m := strings.Join(item.Messages, " ")
			if m == "" {
				m = item.Message
			}
			if m != "" {
				msgs = append(msgs, m)
			}
			if e.Code == "" {
				e.Code = item.Code
			}
			if e.Param == "" {
				e.Param = item.PropertyName
			}
		}
		if len(msgs) == 0 && be.Message != "" {
			msgs = append(msgs, be.Message)
		}
		if len(msgs) == 0 && be.Title != "" {
			msgs = append(msgs, be.Title)
		}
		if e.Code == "" {
			e.Code = be.Code
		}
		if e.RequestID == "" {
			e.RequestID = be.TraceID
		}
		e.Message = strings.Join(msgs, "; ")
	}
	if e.Message == "" && e.Code == "" && len(bytes.TrimSpace(raw)) > 0 {
		e.Message = "the answer was not Bankly JSON (" + h.Get("Content-Type") + "): " + provider.Snippet(raw)
	}
	switch {
	case status == http.StatusConflict || e.Code == "WEBHOOK_CONFIGURATION_ALREADY_EXISTS":
		e.Hint = "a configuration for this context, event and URL already exists: list it with `hookctl webhooks list`"
	case status == http.StatusForbidden:
		e.Hint = "the token lacks the scope this call needs, or the client certificate is not allowed: check the client registration's scopes"
	case status == http.StatusTooManyRequests:
		e.Hint = httpx.RateLimitHint("Bankly rate-limits at 180 requests per 10 s and asks to wait five minutes", h, 5*time.Minute)
	}
	return e
}
