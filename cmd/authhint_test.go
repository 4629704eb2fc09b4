package cmd_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnauthorizedHintNamesTheKeyUsed: Conekta's 401 hint names where the
// API key was read (the environment, the profile's api_key or its
// api_key_file), never the key itself.
func TestUnauthorizedHintNamesTheKeyUsed(t *testing.T) {
	unauthorized := func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusUnauthorized)
		rw.Write([]byte(`{"object":"error","type":"authentication_error","details":[{"message":"bad key"}]}`))
	}
	w := newWorld(t, unauthorized, nil)
	w.chdir()
	cfg := filepath.Join(w.dir, "config.yaml")
	file, _ := os.ReadFile(cfg)
	inline := filepath.Join(w.dir, "inline.yaml")
	os.WriteFile(inline, []byte(strings.Replace(string(file), "api_key_file: conekta.key", "api_key: "+relConektaKey, 1)), 0o600)
	for _, c := range []struct {
		name, config, env, want string
	}{
		{"api_key_file", cfg, "", `check the API key (api_key_file in profile "c")`},
		{"api_key", inline, "", `check the API key (api_key in profile "c")`},
		{"environment", inline, relConektaKey, "check the API key (CONEKTA_API_KEY)"},
	} {
		t.Setenv("HOOKCTL_CONFIG", c.config)
		t.Setenv("CONEKTA_API_KEY", c.env)
		before := w.count.api
		out, errOut, code := w.exec("--profile", "c", "webhooks", "list")
		if code != 3 || out != "" || w.count.api-before != 1 || !strings.Contains(errOut, "401 Unauthorized") ||
			!strings.HasSuffix(strings.TrimSpace(errOut), c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, %d requests, stdout %q, stderr %q; want %q", c.name, code, w.count.api-before, out, errOut, c.want)
		}
		if leaks := w.secretsIn(out, errOut); len(leaks) > 0 {
			t.Errorf("%s: leaked %v", c.name, leaks)
		}
	}
}
