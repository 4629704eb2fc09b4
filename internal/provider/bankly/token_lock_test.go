package bankly_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
)

func tokenRequests(f *fixture) int {
	n := 0
	for _, r := range f.requests() {
		if r.URL.Path == "/oauth2/token" {
			n++
		}
	}
	return n
}

// TestColdStartsShareOneToken: ten clients starting together against a slow
// token endpoint fetch at most two tokens between them (a file lock).
func TestColdStartsShareOneToken(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/oauth2/token" {
			time.Sleep(300 * time.Millisecond)
		}
		return false
	}
	cache := t.TempDir()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.provider(t, provider.Read, nil, cache)
			if err == nil {
				_, err = p.List(context.Background(), provider.ListOptions{})
			}
			if err != nil {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := tokenRequests(f); failed.Load() != 0 || n > 2 {
		t.Fatalf("%d token requests for ten cold starts (%d failed), want at most 2", n, failed.Load())
	}
}

// TestGrantedScopesAreWhatIsCached: a grant short of the request is a clear
// authentication error, and the cache records what was granted, so a later
// read reuses it while a later write does not.
func TestGrantedScopesAreWhatIsCached(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/oauth2/token" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"granted-read-only-0123456789","token_type":"Bearer","expires_in":3600,"scope":"webhook.read"}`)
			return true
		}
		return false
	}
	cache := t.TempDir()
	p, _ := f.provider(t, provider.Write, nil, cache)
	err := p.Delete(context.Background(), "00000000-0000-4000-8000-000000000000")
	if clierr.ExitCode(err) != 3 || !strings.Contains(err.Error(), `granted "webhook.read"`) {
		t.Fatalf("a read-only grant for a write: %v (exit %d)", err, clierr.ExitCode(err))
	}
	files, _ := filepath.Glob(filepath.Join(cache, "tokens", "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), `"scopes":["webhook.read"]`) {
		t.Fatalf("cached %s", data)
	}
	before := tokenRequests(f)
	q, _ := f.provider(t, provider.Write, nil, cache)
	q.Delete(context.Background(), "00000000-0000-4000-8000-000000000000")
	if tokenRequests(f) != before+1 {
		t.Fatalf("a write reused a read-only token")
	}
}

// TestForbiddenScopeRefetchesOnce: a 403 that names a scope drops the token
// and fetches a new one, once.
func TestForbiddenScopeRefetchesOnce(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	var forbidden atomic.Int32
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/webhooks/configurations" && forbidden.Add(1) == 1 {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"errors":[{"code":"FORBIDDEN","messages":["The access token lacks the scope webhook.read."]}]}`)
			return true
		}
		return false
	}
	p, _ := f.provider(t, provider.Read, nil, t.TempDir())
	if _, err := p.List(context.Background(), provider.ListOptions{}); err != nil {
		t.Fatalf("after one 403: %v", err)
	}
	if n := tokenRequests(f); n != 2 {
		t.Fatalf("%d token requests, want 2 (the first token dropped)", n)
	}
}
