// Package validate checks user input before any request is sent.
package validate

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// MaxURLLength is the longest URL hookctl accepts.
const MaxURLLength = 2048

// URL checks a webhook or API URL: absolute http(s), ASCII, no user-info,
// at most 2 KB. The error message names field and the fix.
func URL(field, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("%s is empty: give an absolute https:// URL", field)
	}
	if len(raw) > MaxURLLength {
		return nil, fmt.Errorf("%s is %d bytes long: at most %d are accepted", field, len(raw), MaxURLLength)
	}
	for _, r := range raw {
		if r < 0x21 || r > 0x7e {
			return nil, fmt.Errorf("%s contains %q: percent-encode non-ASCII characters and spaces (use punycode for host names)", field, r)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL: %v", field, strings.TrimPrefix(err.Error(), "parse "))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return nil, fmt.Errorf("%s %q is relative: give an absolute https:// URL", field, raw)
		}
		return nil, fmt.Errorf("%s has scheme %q: only http and https URLs are accepted", field, u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s contains credentials (user-info): remove them from the URL", field)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%s has no host: give an absolute https:// URL", field)
	}
	return u, nil
}

// Base64 reports whether s is standard base64 (with padding).
func Base64(s string) bool {
	if s == "" {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}

// CredentialURL checks a URL that hookctl sends credentials to (an API key,
// a token request): URL's rules, then https, or http only for a loopback
// host (the emulator), so that no secret crosses a network in clear text.
func CredentialURL(field, raw string) (*url.URL, error) {
	u, err := URL(field, raw)
	if err != nil {
		return nil, err
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "https" || scheme == "http" && Loopback(u.Hostname()) {
		return u, nil
	}
	return nil, fmt.Errorf("%s %s sends the credentials in clear text: use https (http is accepted only for loopback hosts such as the emulator)", field, u.Redacted())
}

// Loopback reports whether host (without brackets or port) is `localhost`
// or a loopback IP address (127.0.0.0/8, ::1). No name is resolved.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
