// Package redact keeps secrets out of everything hookctl prints: headers,
// bodies, URLs and free text. Values registered with a Redactor are removed
// wherever they appear, as a last line of defence behind the field rules.
package redact

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mark replaces a secret.
const Mark = "[REDACTED]"

// Redactor knows the secret values of one run.
type Redactor struct {
	mu     sync.RWMutex
	values []string
}

// New returns an empty Redactor.
func New() *Redactor { return &Redactor{} }

// Add registers secret values. Very short values are ignored: replacing
// them everywhere would garble output without protecting anything.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < 6 {
			continue
		}
		r.values = append(r.values, v)
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })
}

// userInfoRE is compiled on first use, not at start-up.
var userInfoRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s"']+@`)
})

// String removes known secret values and URL user-info from free text.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, v := range r.values {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, Mark)
			}
		}
		r.mu.RUnlock()
	}
	return userInfoRE().ReplaceAllString(s, "${1}"+Mark+"@")
}

// Value shows a secret as the mark plus, for long values, its last four
// characters, so that a user can tell which key is configured.
func Value(s string) string {
	if s == "" {
		return ""
	}
	if len(s) >= 16 {
		return Mark + s[len(s)-4:]
	}
	return Mark
}

// URL removes the user-info of a URL and returns the rest unchanged.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return userInfoRE().ReplaceAllString(raw, "${1}"+Mark+"@")
	}
	u.User = nil
	s := u.String()
	return strings.Replace(s, "://", "://"+Mark+"@", 1)
}

var secretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"x-api-key": true, "privatekey": true,
}

// IsSecretField reports whether a JSON, form or header field holds a secret.
func IsSecretField(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	switch n {
	case "authorization", "accesstoken", "refreshtoken", "idtoken", "token", "apikey",
		"privatekey", "clientsecret", "password", "passphrase", "keypassphrase", "secret",
		"clientassertion", "assertion", "webhookprivatekey":
		return true
	}
	return false
}

// Headers returns a copy of h with secret headers redacted.
func (r *Redactor) Headers(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if secretHeaders[strings.ToLower(k)] || IsSecretField(k) {
			out[k] = []string{Mark}
			continue
		}
		red := make([]string, len(vs))
		for i, v := range vs {
			red[i] = r.String(v)
		}
		out[k] = red
	}
	return out
}

// Body redacts secret fields of a JSON or form body, then any known value.
func (r *Redactor) Body(contentType string, body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		var v any
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			if out, err := json.Marshal(redactJSON(v)); err == nil {
				return []byte(r.String(string(out)))
			}
		}
	case strings.Contains(contentType, "application/x-www-form-urlencoded"):
		if vals, err := url.ParseQuery(string(trimmed)); err == nil {
			for k := range vals {
				if IsSecretField(k) {
					vals[k] = []string{Mark}
				}
			}
			return []byte(r.String(vals.Encode()))
		}
	}
	return []byte(r.String(string(body)))
}

func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsSecretField(k) {
				if s, ok := val.(string); ok && s == "" {
					continue
				}
				t[k] = Mark
				continue
			}
			t[k] = redactJSON(val)
		}
	case []any:
		for i := range t {
			t[i] = redactJSON(t[i])
		}
	case string:
		return userInfoRE().ReplaceAllString(t, "${1}"+Mark+"@")
	}
	return v
}
