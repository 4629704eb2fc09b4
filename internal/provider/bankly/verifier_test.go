package bankly_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly"
)

// TestVerifier: the registry's verifier over VerifyHMAC: valid, tampered
// body, wrong key, other URI, stale timestamp, and the URI's sources.
func TestVerifier(t *testing.T) {
	v := bankly.Info().Verifier
	now := time.Unix(1767225600, 0)
	body := []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED","idempotencyKey":"idem-1","data":{}}`)
	good := signed(t, []byte(testPrivate), body, now.Add(-time.Minute))
	d := &provider.Received{Method: "POST", RequestURI: "/local", Host: "127.0.0.1:8080", Header: good, Body: body}
	if !v.Detect(good) {
		t.Fatal("a Bankly delivery is not detected")
	}
	if v.Detect(http.Header{"Digest": {"x"}}) {
		t.Fatal("a DIGEST delivery is detected as Bankly's")
	}
	if ev, id := v.Describe(d); ev != "PIX_CASH_IN_WAS_CLEARED" || id != "idem-1" {
		t.Fatalf("describe: %q %q", ev, id)
	}
	prep := func(in provider.Values, registered string) provider.VerifyFunc {
		t.Helper()
		check, err := v.Prepare(context.Background(), provider.VerifyInput{Input: in, RegisteredURL: registered, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return check
	}
	base := provider.Values{"private-key": {testPrivate}, "url": {testURI}}
	with := func(k, val string) provider.Values {
		out := provider.Values{}
		for a, b := range base {
			out[a] = b
		}
		out[k] = []string{val}
		return out
	}
	tampered := *d
	tampered.Body = []byte(strings.Replace(string(body), "idem-1", "idem-2", 1))
	cases := []struct {
		name  string
		check provider.VerifyFunc
		d     *provider.Received
		want  string
	}{
		{"valid", prep(base, ""), d, ""},
		{"registered URL from the command", prep(provider.Values{"private-key": {testPrivate}}, testURI), d, ""},
		{"tampered body", prep(base, ""), &tampered, "signature mismatch"},
		{"wrong key", prep(with("private-key", "b3RoZXIta2V5"), ""), d, "signature mismatch"},
		{"other URI", prep(with("url", "https://example.com/other"), ""), d, "signature mismatch"},
		{"received URL when none is given", prep(provider.Values{"private-key": {testPrivate}}, ""), d, "checked over the URL as received"},
		{"skew", prep(with("max-skew", "30s"), ""), d, "stale requestTimestamp"},
		{"skew off", prep(with("max-skew", "0"), ""), d, ""},
		{"base64 key mode names the mode that matches", prep(with("hmac-key", "base64"), ""), d, "it matches with the key read as raw"},
	}
	for _, c := range cases {
		err := c.check(c.d)
		if c.want == "" {
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			continue
		}
		var se *provider.SignatureError
		if !errors.As(err, &se) || !strings.Contains(se.Reason, c.want) || clierr.ExitCode(err) != clierr.ExitFailure || strings.Contains(se.Reason, testPrivate) {
			t.Fatalf("%s: %v, want a signature error with %q (and no key)", c.name, err, c.want)
		}
	}
}

// TestVerifierInputs: missing or bad inputs are validation errors (exit 2).
func TestVerifierInputs(t *testing.T) {
	v := bankly.Info().Verifier
	for name, c := range map[string]struct {
		in   provider.Values
		want string
	}{
		"no private key": {nil, "give {private-key}"},
		"bad skew":       {provider.Values{"private-key": {testPrivate}, "max-skew": {"soon"}}, "{max-skew}"},
		"bad mode":       {provider.Values{"private-key": {testPrivate}, "hmac-key": {"hex"}}, "{hmac-key}"},
		"relative url":   {provider.Values{"private-key": {testPrivate}, "url": {"/pix"}}, "{url}"},
		"not base64":     {provider.Values{"private-key": {"not base64!"}, "hmac-key": {"base64"}}, "not base64"},
	} {
		_, err := v.Prepare(context.Background(), provider.VerifyInput{Input: c.in})
		var ve *provider.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Msg, c.want) || clierr.ExitCode(err) != clierr.ExitUsage {
			t.Fatalf("%s: %v, want a validation error with %q", name, err, c.want)
		}
	}
}
