package bankly

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// expiryWarning is how early doctor warns of a certificate's expiry.
const expiryWarning = 30 * 24 * time.Hour

// maxSkew is the clock difference doctor tolerates.
const maxSkew = time.Minute

// doctor checks each link of the chain: settings, client certificate and
// key, the server's TLS handshake and clock, the token and its scopes, and
// the API with webhook.read. It stops at the first link the rest need.
func doctor(ctx context.Context, env *provider.Env) []provider.Check {
	var out []provider.Check
	add := func(name, result, format string, args ...any) {
		out = append(out, provider.Check{Check: name, Result: result, Detail: fmt.Sprintf(format, args...)})
	}
	now := time.Now
	if env.Now != nil {
		now = env.Now
	}
	base, tokenURL, clientID, err := endpoints(env)
	if err != nil {
		add("settings", provider.CheckFail, "%v", err)
		return out
	}
	add("settings", provider.CheckOK, "client %s, API %s, token %s", clientID, base.Host, hostOf(tokenURL))
	files, err := readTLSFiles(env.Settings)
	if err != nil {
		add("certificate files", provider.CheckFail, "%v", err)
		return out
	}
	add("certificate files", provider.CheckOK, "%s and %s are readable and not world-readable", files.CertFile, files.KeyFile)
	pass, err := env.Settings.Secret("key_passphrase", "key_passphrase_file")
	if err != nil {
		add("client key", provider.CheckFail, "%v", err)
		return out
	}
	env.Redactor.Add(pass)
	keyDER, err := decodeKey(files.KeyPEM, pass, files.KeyFile)
	if err != nil {
		add("client key", provider.CheckFail, "%v", err)
		return out
	}
	add("client key", provider.CheckOK, "%s holds a usable private key", files.KeyFile)
	pair, err := tls.X509KeyPair(files.CertPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		add("key matches certificate", provider.CheckFail, "%s and %s do not make a pair (%v): use the certificate Bankly issued with its own key", files.CertFile, files.KeyFile, err)
		return out
	}
	add("key matches certificate", provider.CheckOK, "the key is the certificate's")
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	switch left := time.Duration(0); {
	case err != nil:
		add("certificate validity", provider.CheckFail, "%s: %v", files.CertFile, err)
		return out
	case now().After(leaf.NotAfter):
		add("certificate validity", provider.CheckFail, "expired on %s: issue a new one with Bankly and update cert_file/key_file", leaf.NotAfter.UTC().Format(time.RFC3339))
		return out
	case now().Before(leaf.NotBefore):
		add("certificate validity", provider.CheckFail, "not valid before %s: check the system clock", leaf.NotBefore.UTC().Format(time.RFC3339))
		return out
	default:
		left = leaf.NotAfter.Sub(now())
		if left < expiryWarning {
			add("certificate validity", provider.CheckWarn, "expires in %d days (%s): renew it with Bankly now", int(left.Hours()/24), leaf.NotAfter.UTC().Format("2006-01-02"))
		} else {
			add("certificate validity", provider.CheckOK, "valid until %s", leaf.NotAfter.UTC().Format("2006-01-02"))
		}
	}
	files.Passphrase = pass
	conf, roots, err := loadTLS(files, now())
	if err != nil {
		add("TLS settings", provider.CheckFail, "%v", err)
		return out
	}
	client := env.HTTPClient(conf, roots)
	ctx = httpx.NoRetry(ctx)

	// The handshake and the server's clock: an unauthenticated request to the API.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base.String(), "/")+"/webhooks/configurations?page=1&pageSize=1", nil)
	resp, err := client.Do(req)
	if err != nil {
		add("server TLS handshake", provider.CheckFail, "%v", classifyTLS(err, base.Host))
		return out
	}
	resp.Body.Close()
	add("server TLS handshake", provider.CheckOK, "%s accepts the client certificate and its own chain verifies (ca_file and the system roots)", base.Host)
	if d, err := http.ParseTime(resp.Header.Get("Date")); err != nil {
		add("clock", provider.CheckWarn, "the server sent no usable Date header: cannot compare clocks")
	} else if skew := now().Sub(d); skew > maxSkew || skew < -maxSkew {
		add("clock", provider.CheckWarn, "this machine's clock is %s off the server's: fix the time (tokens and signatures depend on it)", skew.Round(time.Second))
	} else {
		add("clock", provider.CheckOK, "within %s of the server's", maxSkew)
	}

	// The token, asked for both scopes, and what it grants.
	want := Scopes(provider.Read | provider.Write)
	cc := clientcredentials.Config{ClientID: clientID, TokenURL: tokenURL, Scopes: want, AuthStyle: oauth2.AuthStyleInParams}
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, client))
	if err != nil {
		add("token endpoint", provider.CheckFail, "%v", (&tokenSource{tokenURL: tokenURL, clientID: clientID, scopes: want}).tokenError(err))
		return out
	}
	env.Redactor.Add(tok.AccessToken)
	add("token endpoint", provider.CheckOK, "%s issued a token", hostOf(tokenURL))
	granted := want
	if s, _ := tok.Extra("scope").(string); s != "" {
		granted = strings.Fields(s)
	}
	switch {
	case !covers(granted, want[:1]):
		add("scopes", provider.CheckFail, "granted %q, without webhook.read: ask Bankly to add webhook.read and webhook.write to the client registration", strings.Join(granted, " "))
		return out
	case !covers(granted, want):
		add("scopes", provider.CheckFail, "granted %q, without webhook.write: create, update and delete will be refused; ask Bankly to add it to the client registration", strings.Join(granted, " "))
	default:
		add("scopes", provider.CheckOK, "granted %s", strings.Join(granted, " "))
	}

	// The API, with webhook.read.
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base.String(), "/")+"/webhooks/configurations?page=1&pageSize=1", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("api-version", apiVersion)
	resp, err = client.Do(req)
	if err != nil {
		add("API", provider.CheckFail, "%v", classifyTLS(err, base.Host))
		return out
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var raw [4096]byte
		n, _ := resp.Body.Read(raw[:])
		add("API", provider.CheckFail, "%v", DecodeError(resp.StatusCode, resp.Header, raw[:n]))
		return out
	}
	add("API", provider.CheckOK, "GET /webhooks/configurations answered %d", resp.StatusCode)
	return out
}
