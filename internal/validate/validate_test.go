package validate

import (
	"strings"
	"testing"
)

func TestCredentialURL(t *testing.T) {
	for _, c := range []struct {
		raw  string
		ok   bool
		want string // in the error
	}{
		{"https://api.example.com", true, ""},
		{"HTTPS://api.example.com/v1", true, ""},
		{"https://10.0.0.1:8443", true, ""},
		{"http://127.0.0.1:8080", true, ""},
		{"http://127.1.2.3", true, ""},
		{"http://127.255.255.254:1/x", true, ""},
		{"http://localhost:9000", true, ""},
		{"http://LocalHost", true, ""},
		{"http://[::1]:8080/x", true, ""},
		{"HTTP://127.0.0.1", true, ""},
		{"http://[::ffff:127.0.0.1]", true, ""},
		{"http://api.example.com", false, "base_url http://api.example.com sends the credentials in clear text: use https"},
		{"HTTP://api.example.com", false, "clear text"},
		{"http://localhost.evil.com", false, "clear text"},
		{"http://localhost.", false, "clear text"},
		{"http://evil.com#@localhost", false, "clear text"},
		{"http://127.0.0.1.nip.io", false, "clear text"},
		{"http://128.0.0.1", false, "clear text"},
		{"http://126.255.255.255", false, "clear text"},
		{"http://0.0.0.0", false, "clear text"},
		{"http://127.1", false, "clear text"},
		{"http://[::2]", false, "clear text"},
		{"http://[::1%25lo]", false, "clear text"},
		{"http://[fe80::1]", false, "clear text"},
		{"http://2130706433", false, "clear text"},
		{"http://user:pw@127.0.0.1", false, "contains credentials"},
		{"https://user:pw@api.example.com", false, "contains credentials"},
		{"ftp://127.0.0.1", false, `scheme "ftp"`},
		{"//127.0.0.1", false, "relative"},
		{"", false, "empty"},
	} {
		u, err := CredentialURL("base_url", c.raw)
		if c.ok {
			if err != nil || u == nil {
				t.Errorf("%q refused: %v", c.raw, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q accepted", c.raw)
			continue
		}
		if !strings.HasPrefix(err.Error(), "base_url") || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "pw") {
			t.Errorf("%q: error %q, want base_url … %q", c.raw, err, c.want)
		}
		if strings.Contains(c.want, "clear text") && !strings.Contains(err.Error(), "http is accepted only for loopback hosts") {
			t.Errorf("%q: error %q does not say what is accepted", c.raw, err)
		}
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true,
		"": false, "[::1]": false, "localhost.localdomain": false, "example.com": false, "::": false, "10.0.0.1": false,
	} {
		if got := Loopback(host); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", host, got, want)
		}
	}
}
