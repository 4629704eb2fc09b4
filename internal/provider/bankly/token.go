package bankly

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenMargin is how long before expiry a cached token stops being used.
const tokenMargin = 60 * time.Second

// cachedToken is one token file under the cache directory.
type cachedToken struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	Expiry      time.Time `json:"expiry"`
	Scopes      []string  `json:"scopes"`
}

// tokenSource fetches client-credentials tokens over the mTLS client and
// caches them across invocations, keyed by token URL, client id and scopes.
type tokenSource struct {
	tokenURL string
	clientID string
	scopes   []string
	client   *http.Client
	cacheDir string // "" disables the cache
	now      func() time.Time
	debugf   func(string, ...any)
	redactor interface{ Add(...string) }

	mu      sync.Mutex
	current *cachedToken
	file    string
}

func (s *tokenSource) prefix() string {
	h := sha256.Sum256([]byte(s.tokenURL + "\n" + s.clientID))
	return hex.EncodeToString(h[:8])
}

func (s *tokenSource) fileFor(scopes []string) string {
	sorted := append([]string(nil), scopes...)
	sort.Strings(sorted)
	h := sha256.Sum256([]byte(strings.Join(sorted, " ")))
	return filepath.Join(s.cacheDir, s.prefix()+"-"+hex.EncodeToString(h[:8])+".json")
}

func (t *cachedToken) valid(now time.Time) bool {
	return t != nil && t.AccessToken != "" && now.Add(tokenMargin).Before(t.Expiry)
}

func covers(have, need []string) bool {
	set := map[string]bool{}
	for _, s := range have {
		set[s] = true
	}
	for _, s := range need {
		if !set[s] {
			return false
		}
	}
	return true
}

// Token returns a valid access token: in memory, from the cache (any cached
// token whose scopes cover ours), or from the token endpoint.
func (s *tokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current.valid(s.now()) {
		return s.current.AccessToken, nil
	}
	if tok, ok := s.fromCache(); ok {
		return tok, nil
	}
	// Processes starting together share one token: the first fetches and
	// stores it under the lock, the others find it in the cache.
	unlock := s.lock()
	defer unlock()
	if tok, ok := s.fromCache(); ok {
		return tok, nil
	}
	return s.fetchLocked(ctx)
}

func (s *tokenSource) fromCache() (string, bool) {
	t, file := s.readCache()
	if t == nil {
		return "", false
	}
	s.current, s.file = t, file
	s.redactor.Add(t.AccessToken)
	s.debugf("using the cached Bankly token (scopes %s, valid until %s)", strings.Join(t.Scopes, " "), t.Expiry.UTC().Format(time.RFC3339))
	return t.AccessToken, true
}

// lock takes the per-client file lock of the cache; without a cache, or
// when the lock cannot be had, it does nothing.
func (s *tokenSource) lock() func() {
	if s.cacheDir == "" || os.MkdirAll(s.cacheDir, 0o700) != nil {
		return func() {}
	}
	f, err := os.OpenFile(filepath.Join(s.cacheDir, s.prefix()+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}
	}
	if lockFile(f) != nil {
		f.Close()
		return func() {}
	}
	return func() { unlockFile(f); f.Close() }
}

// Invalidate drops the current token and its cache file (after a 401).
func (s *tokenSource) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file != "" {
		os.Remove(s.file)
	}
	s.current, s.file = nil, ""
}

func (s *tokenSource) readCache() (*cachedToken, string) {
	if s.cacheDir == "" {
		return nil, ""
	}
	files, _ := filepath.Glob(filepath.Join(s.cacheDir, s.prefix()+"-*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var t cachedToken
		if json.Unmarshal(data, &t) != nil {
			os.Remove(f)
			continue
		}
		if !t.valid(s.now()) {
			if s.now().After(t.Expiry) {
				os.Remove(f)
			}
			continue
		}
		if covers(t.Scopes, s.scopes) {
			return &t, f
		}
	}
	return nil, ""
}

func (s *tokenSource) fetchLocked(ctx context.Context) (string, error) {
	cc := clientcredentials.Config{
		ClientID:  s.clientID,
		TokenURL:  s.tokenURL,
		Scopes:    s.scopes,
		AuthStyle: oauth2.AuthStyleInParams,
	}
	ctx = context.WithValue(httpx.Idempotent(ctx), oauth2.HTTPClient, s.client)
	tok, err := cc.Token(ctx)
	if err != nil {
		return "", s.tokenError(err)
	}
	s.redactor.Add(tok.AccessToken)
	// The cache records what was granted, which may be less than asked.
	t := &cachedToken{AccessToken: tok.AccessToken, TokenType: tok.TokenType, Expiry: tok.Expiry, Scopes: s.scopes}
	if granted, ok := tok.Extra("scope").(string); ok && strings.TrimSpace(granted) != "" {
		t.Scopes = strings.Fields(granted)
	}
	if !tok.Expiry.IsZero() {
		s.file = s.writeCache(t)
	}
	if !covers(t.Scopes, s.scopes) {
		return "", &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint granted %q, but this command needs %q: ask Bankly to add the missing scope to the client registration", strings.Join(t.Scopes, " "), strings.Join(s.scopes, " "))}
	}
	s.current = t
	return t.AccessToken, nil
}

// writeCache stores the token with mode 0600 in a 0700 directory, atomically.
func (s *tokenSource) writeCache(t *cachedToken) string {
	if s.cacheDir == "" {
		return ""
	}
	if err := os.MkdirAll(s.cacheDir, 0o700); err != nil {
		s.debugf("token cache disabled: %v", err)
		return ""
	}
	_ = os.Chmod(s.cacheDir, 0o700)
	data, _ := json.Marshal(t)
	file := s.fileFor(t.Scopes)
	tmp, err := os.CreateTemp(s.cacheDir, ".token-*")
	if err != nil {
		s.debugf("token cache disabled: %v", err)
		return ""
	}
	_ = tmp.Chmod(0o600)
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
		return ""
	}
	return file
}

// tokenError explains a token endpoint failure.
func (s *tokenSource) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := re.ErrorCode
		switch {
		case code == "invalid_client":
			return &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint refused client_id %s (invalid_client): check client_id, and that cert_file is the certificate registered for that client", s.clientID)}
		case code == "invalid_scope":
			return &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint refused the scopes %q (invalid_scope): the client registration must include them, or set `scopes` in the profile to what it allows", strings.Join(s.scopes, " "))}
		case code == "unauthorized_client" || code == "access_denied" || code == "invalid_grant":
			return &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint refused the request (%s): check the client registration", code)}
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint refused the request (HTTP %d): check client_id and the client certificate", status)}
		case status >= 500:
			return fmt.Errorf("Bankly's token endpoint failed (HTTP %d): try again later", status)
		case code != "":
			return &provider.AuthError{Msg: fmt.Sprintf("Bankly's token endpoint refused the request (%s %s)", code, re.ErrorDescription)}
		}
		return fmt.Errorf("Bankly's token endpoint answered HTTP %d without an OAuth2 error: %s", status, provider.Snippet(re.Body))
	}
	if strings.Contains(err.Error(), "missing access_token") || strings.Contains(err.Error(), "cannot unmarshal") || strings.Contains(err.Error(), "cannot parse json") {
		return fmt.Errorf("Bankly's token endpoint answered without a usable access token (%v)", err)
	}
	return fmt.Errorf("bankly: token request: %w", classifyTLS(err, hostOf(s.tokenURL)))
}
