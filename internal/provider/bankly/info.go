// Package bankly is hookctl's adapter for Bankly's webhook configurations:
// mutual TLS, OAuth2 client credentials with least-privilege scopes, a token
// cache across invocations, and Bankly's full-body PATCH.
package bankly

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/hookctl/hookctl/internal/provider"
)

// Name is the provider's name on the command line.
const Name = "bankly"

const (
	// MaxPageSize is the largest pageSize Bankly accepts.
	MaxPageSize = 100
	// DefaultLimit is how many items `list` returns without --limit or --all.
	DefaultLimit = 20
	// MaxKeyLength is the longest public or private key Bankly accepts.
	MaxKeyLength = 64
	// listConcurrency bounds the pages fetched at once by --all.
	listConcurrency = 4
	apiVersion      = "1.0"
	maxBody         = 16 << 20
)

// Names of the inputs Bankly declares.
const (
	inPrivateKey = "private-key"
	inPublicKey  = "public-key"
)

// Info registers the adapter: everything the command layer knows of Bankly.
func Info() provider.Info {
	return provider.Info{
		Name:  Name,
		Title: "Bankly",
		Doc:   "Bankly (Brazil): mutual TLS and OAuth2 client credentials, /webhooks/configurations",
		Keys: []provider.Key{
			{Name: "environment", Env: "BANKLY_ENVIRONMENT", Default: "sandbox", Doc: "sandbox or production"},
			{Name: "token_url", Env: "BANKLY_TOKEN_URL", Doc: "OAuth2 token endpoint"},
			{Name: "client_id", Env: "BANKLY_CLIENT_ID", Doc: "OAuth2 client id"},
			{Name: "cert_file", Env: "BANKLY_CERT_FILE", Path: true, Doc: "PEM client certificate"},
			{Name: "key_file", Env: "BANKLY_KEY_FILE", Path: true, SecretFile: true, Doc: "PEM client key"},
			{Name: "key_passphrase", Env: "BANKLY_KEY_PASSPHRASE", Secret: true, Doc: "passphrase of an encrypted key"},
			{Name: "key_passphrase_file", Path: true, SecretFile: true, Doc: "file holding the key passphrase"},
			{Name: "ca_file", Env: "BANKLY_CA_FILE", Path: true, Doc: "extra CA bundle"},
			{Name: "scopes", Doc: "OAuth2 scopes, space separated"},
		},
		Environments: []provider.Environment{
			{Name: "sandbox", URLs: map[string]string{"token_url": "https://auth-mtls.sandbox.bankly.com.br/oauth2/token", "base_url": "https://api-mtls.sandbox.bankly.com.br"}},
			{Name: "production", URLs: map[string]string{"token_url": "https://auth-mtls.bankly.com.br/oauth2/token", "base_url": "https://api-mtls.bankly.com.br"}},
		},
		Flags: []provider.Flag{
			{Name: "page", Kind: provider.IntFlag, Verbs: []string{"list"}, Paging: true, Usage: "page number, from 1"},
			{Name: "page-size", Kind: provider.IntFlag, Verbs: []string{"list"}, Paging: true, Usage: "items per page, 1 to 100"},
			{Name: "event", Verbs: []string{"create"}, Complete: "events", Usage: "event name of the configuration"},
			{Name: "context", Verbs: []string{"create", "listen"}, Complete: "contexts", Usage: "context of the event (inferred when unambiguous)"},
			{Name: "name", Verbs: []string{"create"}, Usage: "name of the configuration (default: the event name)"},
			{Name: inPublicKey, Verbs: []string{"create", "update"}, Usage: "public key sent in every delivery's headers"},
			{Name: inContext, Verbs: []string{provider.VerbDeliveriesList, provider.VerbDeliveriesRedeliver}, Complete: "contexts", Usage: "only messages of this context (e.g. Pix)"},
			{Name: inURL, Verbs: []string{"verify", "listen"}, Usage: "the configuration's uri as registered (Bankly signs it; a tunnel changes the local one)"},
			{Name: inMaxSkew, Verbs: []string{"verify", "listen"}, Usage: "how far requestTimestamp may be from now (default 5m; 0 skips the check)"},
			{Name: inHMACKey, Verbs: []string{"test", "verify", "listen"}, Values: []string{KeyModeRaw, KeyModeBase64}, Usage: "HMAC key: raw (the private key's text, as given; default) or base64 (its decoded bytes)"},
		},
		Secrets: []provider.SecretInput{
			{Name: inPrivateKey, Env: "BANKLY_WEBHOOK_PRIVATE_KEY", Usage: "the webhook's base64 private key", Verbs: []string{"create", "update", "test", "verify", "listen"}},
		},
		KeyPair: &provider.KeyPair{Private: inPrivateKey, Public: inPublicKey, Generate: generateKeys},
		Help: map[string]string{
			"doctor":                         "the client certificate and key files, the key matching the certificate, the certificate's validity (warn within 30 days of expiry), the server's TLS handshake and certificate chain (ca_file and the system roots), the clock against the server's Date, the token endpoint and the scopes it grants, and the API with webhook.read.",
			"test":                           "Bankly has no test endpoint: hookctl builds a sample event for the configuration's context and event name, signs it as Bankly signs (HMAC-SHA256, header authorization: hmac ...), POSTs it to the configuration's URL and reports the receiver's status and latency (synthetic: true). It needs the webhook's private key. A non-2xx answer exits 1.",
			"update":                         "Bankly's PATCH replaces uri, publicKey and privateKey together and never returns the private key, so changing the URL or public key needs the private key.",
			provider.VerbDeliveriesList:      "GET /webhooks/processed-messages with startDate/endDate (whole days, at most six months back), state, eventName and context, 100 a page; after the first page the rest are fetched at once within Bankly's rate budget. The id is the message's idempotencyKey; Bankly gives no creation time or webhook id.",
			provider.VerbDeliveriesGet:       "Bankly has no lookup by idempotencyKey: hookctl searches the processed messages of the last six months and stops at the match. Bankly does not serve the payload.",
			provider.VerbDeliveriesRedeliver: "POST /webhooks/processed-messages/{idempotencyKey} (scope webhook.read, as Bankly documents). --failed over whole days uses POST /webhooks/processed-messages/batch (SDK evidence only; over 30 days it needs --context), and goes one by one when that answers 404 or 405 or the window is not whole days.",
			"create":                         "--context is inferred from the event catalog when unambiguous; --name defaults to the event name.",
			"keys":                           "Bankly has no account-wide webhook keys: each configuration carries its own publicKey and privateKey (set with webhooks create/update; verify with hookctl verify --private-key-file).",
			"verify":                         "authorization: hmac <base64 HMAC-SHA256> over publicKey, the lower-cased URL-encoded registered uri (--url; a tunnel changes the local one), requestTimestamp, nonce and the base64 of the exact body, keyed with the configuration's private key; requestTimestamp must be within --max-skew (default 5m).",
		},
		Examples: map[string]string{
			"list": "hookctl webhooks list --page 2 --page-size 50",
			"create": `hookctl webhooks create --url https://example.com/hooks/pix --event PIX_CASH_IN_WAS_CLEARED \
      --generate-keys --private-key-out pix.key`,
			"update": "hookctl webhooks update 15aab67f-18fe-45d3-8b7b-e999de104b04 --url https://example.com/new --private-key-file pix.key",
			"test":   "hookctl webhooks test 15aab67f-18fe-45d3-8b7b-e999de104b04 --private-key-file pix.key",
			"verify": "hookctl verify --provider bankly --request saved/0001.http --private-key-file pix.key --url https://example.com/hooks/pix",
			"events": `hookctl webhooks events --provider bankly -o json --jq '.[] | select(.context=="Pix") | .name'`,
		},
		Capabilities: []provider.Capability{provider.CapTest, provider.CapDeliveries, provider.CapRedeliver},
		Events:       Events,
		New:          New,
		Doctor:       doctor,
		Verifier:     verifier{},
		Code: &provider.Code{
			Fields:    []string{"url", "context", "event", "name", "enabled", "public_key"},
			Key:       []string{"context", "event", "url"},
			Immutable: []string{"name", "context", "event"},
			// Bankly's PATCH replaces uri, publicKey and privateKey together.
			WriteOnly: []provider.WriteOnly{{Field: "private_key", Input: inPrivateKey, Create: true, With: []string{"url", "public_key"},
				Doc: "the configuration's HMAC signing key"}},
		},
	}
}

// generateKeys makes a fresh pair: 32 random bytes in base64 each, 44
// characters, within Bankly's 64.
func generateKeys() (private, public string) {
	return randomKey(), randomKey()
}

func randomKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

var (
	_ provider.Provider = (*Client)(nil)
	_ provider.Tester   = (*Client)(nil)
	_ provider.Finder   = (*Client)(nil)
)
