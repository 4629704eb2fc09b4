package conekta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
)

// doctor checks the API key's shape, that the account answers, and that it
// accepts the API version hookctl speaks.
func doctor(ctx context.Context, env *provider.Env) []provider.Check {
	var out []provider.Check
	add := func(name, result, format string, args ...any) {
		out = append(out, provider.Check{Check: name, Result: result, Detail: fmt.Sprintf(format, args...)})
	}
	p, err := New(env)
	if err != nil {
		add("settings", provider.CheckFail, "%v", err)
		return out
	}
	c := p.(*Client)
	add("settings", provider.CheckOK, "API %s, version %s", c.base.Host, strings.TrimSuffix(strings.TrimPrefix(c.accept, "application/vnd.conekta-v"), "+json"))
	if strings.HasPrefix(c.apiKey, "key_") {
		add("API key", provider.CheckOK, "a private API key (key_…)")
	} else {
		add("API key", provider.CheckWarn, "does not look like a Conekta private API key (key_…): use the private key of the account's API keys page")
	}
	raw, err := c.do(httpx.NoRetry(ctx), http.MethodGet, "/webhooks", url.Values{"limit": {"1"}}, nil, nil)
	var ae *provider.APIError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		add("account", provider.CheckFail, "%v", err)
		return out
	case errors.As(err, &ae) && (ae.Status == http.StatusConflict || ae.Type == "conflict_error"):
		add("API version", provider.CheckFail, "%v: set api_version to one Conekta accepts", err)
		return out
	case err != nil:
		add("account", provider.CheckFail, "%v", err)
		return out
	}
	var page struct {
		Data []struct {
			Livemode *bool `json:"livemode"`
		} `json:"data"`
	}
	mode := "test or live: no webhook to tell"
	if json.Unmarshal(raw, &page) == nil && len(page.Data) > 0 && page.Data[0].Livemode != nil {
		mode = "test mode"
		if *page.Data[0].Livemode {
			mode = "live mode"
		}
	}
	add("account", provider.CheckOK, "the account answers (%s)", mode)
	add("API version", provider.CheckOK, "Conekta accepts %s", c.accept)
	return out
}
