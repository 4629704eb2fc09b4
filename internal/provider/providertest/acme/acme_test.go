package acme_test

import (
	"crypto/tls"
	"net/http"
	"testing"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/provider/providertest/acme"
	"github.com/hookctl/hookctl/internal/redact"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		Info: acme.Info(),
		New: func(t *testing.T) provider.Provider {
			srv := &acme.Server{}
			p, err := acme.New(&provider.Env{
				Settings: providertest.Settings{Info: acme.Info(), Values: map[string]string{"acme_token": "tok_0123456789"}},
				Redactor: redact.New(),
				HTTPClient: func(*tls.Config, *httpx.LazySystemRoots) *http.Client {
					return httpx.New(httpx.Options{UserAgent: "hookctl/test", Transport: srv})
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
		Create: func(i int, url string) provider.CreateRequest {
			return provider.CreateRequest{Fields: provider.Fields{URL: &url}}
		},
	})
}
