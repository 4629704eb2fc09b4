package config

// Key describes one setting that a profile may hold.
type Key struct {
	Name       string
	Env        string // environment variable, when there is one
	Provider   string // "" for every provider
	Secret     bool   // the value itself is a secret
	SecretFile bool   // the value names a file that holds a secret
	Path       bool   // the value is a path: ~ and config-relative
	Doc        string
}

// Keys are every profile key hookctl knows, in the order `config view` shows them.
var Keys = []Key{
	{Name: "provider", Env: "HOOKCTL_PROVIDER", Doc: "conekta or bankly"},
	{Name: "output", Env: "HOOKCTL_OUTPUT", Doc: "table, json or yaml"},
	{Name: "base_url", Env: "HOOKCTL_BASE_URL", Doc: "API base URL"},
	{Name: "timeout", Env: "HOOKCTL_TIMEOUT", Doc: "whole-command deadline"},
	{Name: "debug", Env: "HOOKCTL_DEBUG", Doc: "dump HTTP exchanges on stderr"},
	{Name: "api_key", Env: "CONEKTA_API_KEY", Provider: "conekta", Secret: true, Doc: "Conekta private API key"},
	{Name: "api_key_file", Provider: "conekta", SecretFile: true, Path: true, Doc: "file holding the Conekta API key"},
	{Name: "api_version", Env: "CONEKTA_API_VERSION", Provider: "conekta", Doc: "Conekta API version"},
	{Name: "language", Provider: "conekta", Doc: "es or en (Accept-Language)"},
	{Name: "child_company_id", Provider: "conekta", Doc: "X-Child-Company-Id"},
	{Name: "environment", Env: "BANKLY_ENVIRONMENT", Provider: "bankly", Doc: "sandbox or production"},
	{Name: "token_url", Env: "BANKLY_TOKEN_URL", Provider: "bankly", Doc: "OAuth2 token endpoint"},
	{Name: "client_id", Env: "BANKLY_CLIENT_ID", Provider: "bankly", Doc: "OAuth2 client id"},
	{Name: "cert_file", Env: "BANKLY_CERT_FILE", Provider: "bankly", Path: true, Doc: "PEM client certificate"},
	{Name: "key_file", Env: "BANKLY_KEY_FILE", Provider: "bankly", Path: true, SecretFile: true, Doc: "PEM client key"},
	{Name: "key_passphrase", Env: "BANKLY_KEY_PASSPHRASE", Provider: "bankly", Secret: true, Doc: "passphrase of an encrypted key"},
	{Name: "key_passphrase_file", Provider: "bankly", Path: true, SecretFile: true, Doc: "file holding the key passphrase"},
	{Name: "ca_file", Env: "BANKLY_CA_FILE", Provider: "bankly", Path: true, Doc: "extra CA bundle"},
	{Name: "scopes", Provider: "bankly", Doc: "OAuth2 scopes, space separated"},
}

// LookupKey returns the key named name.
func LookupKey(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}
