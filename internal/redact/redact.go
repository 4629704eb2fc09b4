// Package redact keeps secrets out of everything hookctl prints: headers,
// bodies, URLs and free text. Values registered with a Redactor are removed
// wherever they appear, as a last line of defence behind the field rules.
package redact

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Mark replaces a secret.
const Mark = "[REDACTED]"

// Redactor knows the secret values of one run.
type Redactor struct {
	mu     sync.RWMutex
	values []string
	// byStart lists, for each byte, the values (longest first) a copy
	// starting with that byte may be: the value's first byte, or an escape.
	byStart [256][]string
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
	added := false
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < minCut || slices.Contains(r.values, v) {
			continue
		}
		r.values = append(r.values, v)
		added = true
	}
	if !added {
		return
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })
	r.byStart = [256][]string{}
	for _, v := range r.values {
		// Escaped copies start with an escape: \u0073, %73, &#115;.
		for _, c := range []byte{v[0], '\\', '%', '&'} {
			if l := r.byStart[c]; len(l) == 0 || l[len(l)-1] != v {
				r.byStart[c] = append(r.byStart[c], v)
			}
		}
	}
}

// userInfoRE is compiled on first use, not at start-up.
var userInfoRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s"']+@`)
})

// String removes known secret values and URL user-info from free text. A
// secret is found also when encoders altered it (JSON, Go or HTML escapes,
// percent encoding, in any mix and case) and when the text was cut inside
// it: a text ending, or reaching "…", within a secret's first bytes.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		if len(r.values) > 0 {
			s = r.secrets(s)
		}
		r.mu.RUnlock()
	}
	if strings.Contains(s, "@") {
		s = userInfoRE().ReplaceAllString(s, "${1}"+Mark+"@")
	}
	return s
}

// Bytes is String for a byte slice.
func (r *Redactor) Bytes(b []byte) []byte {
	return []byte(r.String(string(b)))
}

// Truncate redacts s and then cuts it with Cut.
func (r *Redactor) Truncate(s string, n int) string {
	s = r.String(s)
	if len(s) <= n {
		return s
	}
	return r.String(Cut(s, n))
}

// Cut shortens s to at most n bytes on a character boundary, ending it with
// "…"; it keeps a [REDACTED] mark whole rather than cut it.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndex(s[:min(len(s), cut+len(Mark))], Mark); i >= 0 && i < cut && i+len(Mark) > cut {
		cut = i + len(Mark)
	}
	return s[:cut] + ellipsis
}

// secrets replaces every copy of a registered value; r.mu is held.
func (r *Redactor) secrets(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		for _, v := range r.byStart[s[i]] {
			if s[i] == v[0] && i+1 < len(s) {
				// Quick reject of a literal first byte: the second must fit too.
				if n := s[i+1]; n != v[1] && n != '\\' && n != '%' && n != '&' && n != '+' {
					continue
				}
			}
			if end := matchAt(s, i, v); end > i {
				if b.Len() == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[last:i])
				b.WriteString(Mark)
				last = end
				i = end - 1
				break
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
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
	if !strings.Contains(raw, "@") { // user-info ends at an '@': none to remove
		return raw
	}
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
	switch fieldKey(name) {
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

// Body redacts a JSON or form body for the debug dump: the values of secret
// fields (access_token, refresh_token, privateKey, ...) are registered, so
// that their other copies go too, and replaced; then every known value is
// removed, in the raw bytes, before anything re-reads them. Everything else
// is kept byte for byte. A body that reads as a form is treated as one
// whatever its content type (x/oauth2 accepts text/plain token answers).
func (r *Redactor) Body(contentType string, body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	isJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	isForm := !isJSON && (strings.Contains(contentType, "application/x-www-form-urlencoded") || looksLikeForm(trimmed))
	register := func(v string) { r.Add(v) }
	switch {
	case isJSON:
		jsonFields(body, IsSecretField, register)
	case isForm:
		formFields(trimmed, IsSecretField, register)
	}
	out := r.Bytes(body)
	switch {
	case isJSON:
		out = jsonFields(out, IsSecretField, nil)
	case isForm:
		out = formFields(out, IsSecretField, nil)
	}
	return out
}
