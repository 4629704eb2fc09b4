// Package banklyemu is a stateful emulator of Bankly's webhook
// configurations API behind mutual TLS: the OAuth2 token endpoint with
// scopes and expires_in, and the API with Bankly's documented rules
// (full-body PATCH, api-version required, pageSize <= 100, 409 on duplicates,
// enable/disable, delete, scope per method, x-bkly-correlation-id).
package banklyemu

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/delivery"
	"github.com/hookctl/hookctl/internal/emulator/emustate"
	"github.com/hookctl/hookctl/internal/randid"
)

// Configuration is one stored configuration; PrivateKey is never returned.
type Configuration struct {
	publicConfiguration
	PrivateKey string `json:"privateKey"`

	// served is the public configuration encoded, until it changes (nil:
	// encode again).
	served []byte
}

func (c *Configuration) servedJSON() []byte {
	if c.served == nil {
		c.served = encode(c.public())
	}
	return c.served
}

// publicConfiguration is a configuration as the API returns it: no private key.
type publicConfiguration struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Context   string `json:"context"`
	EventName string `json:"eventName"`
	URI       string `json:"uri"`
	PublicKey string `json:"publicKey"`
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
	Status    string `json:"status,omitempty"`
}

func (c *Configuration) public() publicConfiguration { return c.publicConfiguration }

// State is what --persist saves.
type State struct {
	Configurations []*Configuration `json:"configurations"`
	Messages       []*Message       `json:"messages"`
}

// Options configure the emulator.
type Options struct {
	// ClientID is the registered client; any other is invalid_client.
	ClientID string
	// Scopes the client registration allows.
	Scopes []string
	// TokenTTL is the expires_in of issued tokens (default 1 h).
	TokenTTL time.Duration
	OnChange func(State)
	// OmitStatus leaves status out of GET-by-id answers (Bankly's page does
	// not show it there), for tests of clients that must not guess it.
	OmitStatus bool
	// HMACKey is how a delivery's HMAC key is read from the configuration's
	// privateKey: "raw" (its text, the default) or "base64" (decoded).
	HMACKey string
	// DeliveryClient sends deliveries; nil uses a client with a 5 s timeout.
	DeliveryClient *http.Client
	// RetrySchedule is the wait before each of Bankly's three retries; a
	// shorter list repeats its last wait, nil is delivery.DefaultSchedule.
	RetrySchedule []time.Duration
}

type token struct {
	scopes []string
	expiry time.Time
}

// Server is the emulator; it is an http.Handler expecting TLS with a
// verified client certificate.
type Server struct {
	opts   Options
	mu     sync.Mutex
	st     State
	tokens map[string]token
	eng    *delivery.Engine

	// gen counts the changes to the messages that a search may see; search
	// is the last search's matches, valid while gen is unchanged (a
	// listing asks for the same search page after page).
	gen    uint64
	search struct {
		gen  uint64
		key  string
		hits []*Message
	}

	// TokenRequests and APIRequests count requests (tests, benchmarks).
	TokenRequests atomic.Int64
	APIRequests   atomic.Int64
}

// New returns an empty emulator.
func New(o Options) *Server {
	if o.TokenTTL == 0 {
		o.TokenTTL = time.Hour
	}
	if o.Scopes == nil {
		o.Scopes = []string{"webhook.read", "webhook.write"}
	}
	return &Server{opts: o, st: State{Configurations: []*Configuration{}, Messages: []*Message{}}, tokens: map[string]token{},
		eng: delivery.New(o.DeliveryClient, threeRetries(o.RetrySchedule))}
}

// Retries is how many retries follow a failed first attempt (Bankly documents three).
const Retries = 3

func threeRetries(s []time.Duration) []time.Duration {
	if len(s) == 0 {
		s = delivery.DefaultSchedule
	}
	out := make([]time.Duration, Retries)
	for i := range out {
		out[i] = s[min(i, len(s)-1)]
	}
	return out
}

// Wait waits for pending deliveries, retries included.
func (s *Server) Wait() { s.eng.Wait() }

// Close abandons pending retries and waits for attempts in flight.
func (s *Server) Close() { s.eng.Close() }

// Restore replaces the state (from --persist).
func (s *Server) Restore(st State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.Configurations == nil {
		st.Configurations = []*Configuration{}
	}
	if st.Messages == nil {
		st.Messages = []*Message{}
	}
	s.st = st
	s.gen++
}

// Snapshot returns a copy of the state.
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Server) snapshotLocked() State { return emustate.Clone(s.st) }

func (s *Server) changedLocked() {
	s.gen++
	if s.opts.OnChange != nil {
		s.opts.OnChange(s.snapshotLocked())
	}
}

// Seed adds n configurations.
func (s *Server) Seed(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events := []struct{ ctx, ev string }{{"Pix", "PIX_CASH_IN_WAS_CLEARED"}, {"Ted", "TED_CASH_IN_WAS_CLEARED"}, {"Card", "CARD_WAS_ISSUED"}, {"Boleto", "BOLETO_WAS_REGISTERED"}}
	for i := 0; i < n; i++ {
		e := events[i%len(events)]
		s.st.Configurations = append(s.st.Configurations, &Configuration{
			publicConfiguration: publicConfiguration{
				ID: randid.UUID(), Name: fmt.Sprintf("%s_%d", e.ev, i+1), Context: e.ctx, EventName: e.ev,
				URI: fmt.Sprintf("https://example.com/hooks/bankly/%d", i+1), PublicKey: "seed-public-" + strconv.Itoa(i+1),
				CreatedAt: now(), Status: "Enabled",
			},
			PrivateKey: base64.StdEncoding.EncodeToString([]byte("seed-private-" + strconv.Itoa(i+1))),
		})
	}
}

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05.00") }

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-bkly-correlation-id", randid.UUID())
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		writeErrors(w, http.StatusForbidden, "FORBIDDEN", "", "A client certificate is required (mutual TLS).")
		return
	}
	if r.URL.Path == "/oauth2/token" {
		s.token(w, r)
		return
	}
	if r.URL.Path == delivery.ControlPath {
		s.control(w, r)
		return
	}
	s.APIRequests.Add(1)
	path := strings.TrimSuffix(r.URL.Path, "/")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	messages := len(parts) >= 2 && len(parts) <= 3 && parts[0] == "webhooks" && parts[1] == "processed-messages"
	if !messages && (len(parts) < 2 || parts[0] != "webhooks" || parts[1] != "configurations" || len(parts) > 4) {
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "", "Route not found.")
		return
	}
	need := "webhook.write"
	// Bankly's documentation lists webhook.read for reprocessing too.
	if r.Method == http.MethodGet || messages {
		need = "webhook.read"
	}
	if !s.authorize(w, r, need) {
		return
	}
	if v := r.Header.Get("api-version"); v != "1.0" && v != "1" {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "api-version", "The api-version header is required: send api-version: 1.0.")
		return
	}
	switch {
	case messages && len(parts) == 2 && r.Method == http.MethodGet:
		s.listMessages(w, r)
	case messages && len(parts) == 3 && parts[2] == "batch" && r.Method == http.MethodPost:
		s.batchReprocess(w, r)
	case messages && len(parts) == 3 && parts[2] != "batch" && r.Method == http.MethodPost:
		s.reprocess(w, parts[2])
	case messages:
		writeErrors(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "", "Method not allowed.")
	case len(parts) == 2 && r.Method == http.MethodGet:
		s.list(w, r)
	case len(parts) == 2 && r.Method == http.MethodPost:
		s.create(w, r)
	case len(parts) == 3 && r.Method == http.MethodGet:
		s.get(w, parts[2])
	case len(parts) == 3 && r.Method == http.MethodPatch:
		s.update(w, r, parts[2])
	case len(parts) == 3 && r.Method == http.MethodDelete:
		s.delete(w, parts[2])
	case len(parts) == 4 && r.Method == http.MethodPatch && (parts[3] == "enable" || parts[3] == "disable"):
		s.setStatus(w, parts[2], parts[3] == "enable")
	default:
		writeErrors(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "", "Method not allowed.")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeErrors(w http.ResponseWriter, status int, code, property string, msgs ...string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"code": code, "propertyName": property, "messages": msgs}}})
}

// Unavailable writes Bankly's 503 answer (for the chaos wrapper).
func Unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-bkly-correlation-id", randid.UUID())
	writeErrors(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "", "Service temporarily unavailable (emulated failure).")
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.TokenRequests.Add(1)
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be form-urlencoded")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	if r.PostForm.Get("client_secret") != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "tls_client_auth clients send no client_secret")
		return
	}
	if id := r.PostForm.Get("client_id"); id == "" || id != s.opts.ClientID {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	if len(scopes) == 0 || len(scopes) > 10 {
		oauthError(w, http.StatusBadRequest, "invalid_scope", "request between 1 and 10 scopes")
		return
	}
	for _, sc := range scopes {
		if !contains(s.opts.Scopes, sc) {
			oauthError(w, http.StatusBadRequest, "invalid_scope", "scope "+sc+" is not registered for this client")
			return
		}
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := "bkly_" + base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = token{scopes: scopes, expiry: time.Now().Add(s.opts.TokenTTL)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": int(s.opts.TokenTTL.Seconds()), "scope": strings.Join(scopes, " "),
	})
}

// ExpireTokens makes every issued token invalid (tests of the 401 refresh).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]token{}
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request, need string) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	t, found := s.tokens[tok]
	s.mu.Unlock()
	if !ok || !found || time.Now().After(t.expiry) {
		writeErrors(w, http.StatusUnauthorized, "UNAUTHORIZED", "", "The access token is missing, invalid or expired.")
		return false
	}
	if !contains(t.scopes, need) {
		writeErrors(w, http.StatusForbidden, "FORBIDDEN", "", "The access token lacks the scope "+need+".")
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) find(id string) (int, *Configuration) {
	for i, c := range s.st.Configurations {
		if c.ID == id {
			return i, c
		}
	}
	return -1, nil
}

func links(id string) []map[string]string {
	u := "/webhooks/configurations/" + id
	return []map[string]string{{"url": u, "rel": "get_webhook", "method": "GET"}, {"url": u, "rel": "update_webhook", "method": "PATCH"}, {"url": u, "rel": "delete_webhook", "method": "DELETE"}}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, size, ok := paging(w, q)
	if !ok {
		return
	}
	status := q.Get("status")
	if status != "" && status != "Enabled" && status != "Disabled" {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "status", "status must be Enabled or Disabled.")
		return
	}
	s.mu.Lock()
	first := (page - 1) * size
	var items [][]byte
	total := 0
	for _, c := range s.st.Configurations {
		if status != "" && c.Status != status {
			continue
		}
		if total >= first && len(items) < size {
			items = append(items, c.servedJSON())
		}
		total++
	}
	s.mu.Unlock()
	writeList(w, items, encode([]map[string]string{{"url": fmt.Sprintf("/webhooks?page=%d&pageSize=%d", page+1, size), "rel": "search_webhook", "method": "GET"}}),
		encode(map[string]int{"page": page, "pageSize": size, "total": total}))
}

// writeList writes a list answer from its items already encoded, in one
// buffer and in the order writeJSON writes a map's: data, links, meta.
func writeList(w http.ResponseWriter, items [][]byte, links, meta []byte) {
	n := len(links) + len(meta) + 32 + len(items)
	for _, it := range items {
		n += len(it)
	}
	b := make([]byte, 0, n)
	b = append(b, `{"data":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(append(b, `],"links":`...), links...)
	b = append(append(b, `,"meta":`...), meta...)
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (s *Server) get(w http.ResponseWriter, id string) {
	s.mu.Lock()
	_, c := s.find(id)
	var out publicConfiguration
	if c != nil {
		out = c.public()
		if s.opts.OmitStatus {
			out.Status = ""
		}
	}
	s.mu.Unlock()
	if c == nil {
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "id", "Configuration not found.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "links": links(id)})
}

func decodeBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	var body map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "body", "The body must be a JSON object.")
		return nil, false
	}
	return body, true
}

// field reads a required string field, checking Bankly's rules.
func field(w http.ResponseWriter, body map[string]any, name string) (string, bool) {
	v, _ := body[name].(string)
	if v == "" {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", name, name+" is required.")
		return "", false
	}
	switch name {
	case "privateKey", "publicKey":
		if len(v) > 64 {
			writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", name, name+" must have at most 64 characters.")
			return "", false
		}
		if name == "privateKey" {
			if _, err := base64.StdEncoding.DecodeString(v); err != nil {
				writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", name, "privateKey must be base64.")
				return "", false
			}
		}
	case "uri":
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", name, "uri must be an absolute URL.")
			return "", false
		}
	}
	return v, true
}

func (s *Server) duplicateLocked(ctx, event, uri, except string) bool {
	for _, c := range s.st.Configurations {
		if c.ID != except && c.Context == ctx && c.EventName == event && c.URI == uri {
			return true
		}
	}
	return false
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	body, ok := decodeBody(w, r)
	if !ok {
		return
	}
	vals := map[string]string{}
	for _, f := range []string{"name", "context", "eventName", "uri", "privateKey", "publicKey"} {
		v, ok := field(w, body, f)
		if !ok {
			return
		}
		vals[f] = v
	}
	s.mu.Lock()
	if s.duplicateLocked(vals["context"], vals["eventName"], vals["uri"], "") {
		s.mu.Unlock()
		writeErrors(w, http.StatusConflict, "WEBHOOK_CONFIGURATION_ALREADY_EXISTS", "", "This configuration already exists.")
		return
	}
	c := &Configuration{publicConfiguration: publicConfiguration{ID: randid.UUID(), Name: vals["name"], Context: vals["context"],
		EventName: vals["eventName"], URI: vals["uri"], PublicKey: vals["publicKey"], CreatedAt: now(), Status: "Enabled"},
		PrivateKey: vals["privateKey"]}
	s.st.Configurations = append(s.st.Configurations, c)
	out := c.public()
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"data": out, "links": links(c.ID)})
}

// update is Bankly's PATCH: privateKey, publicKey and uri all required.
func (s *Server) update(w http.ResponseWriter, r *http.Request, id string) {
	body, ok := decodeBody(w, r)
	if !ok {
		return
	}
	vals := map[string]string{}
	for _, f := range []string{"privateKey", "publicKey", "uri"} {
		v, ok := field(w, body, f)
		if !ok {
			return
		}
		vals[f] = v
	}
	s.mu.Lock()
	_, c := s.find(id)
	if c == nil {
		s.mu.Unlock()
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "id", "Configuration not found.")
		return
	}
	if s.duplicateLocked(c.Context, c.EventName, vals["uri"], id) {
		s.mu.Unlock()
		writeErrors(w, http.StatusConflict, "WEBHOOK_CONFIGURATION_ALREADY_EXISTS", "", "This configuration already exists.")
		return
	}
	c.PrivateKey, c.PublicKey, c.URI, c.UpdatedAt, c.served = vals["privateKey"], vals["publicKey"], vals["uri"], now(), nil
	// Bankly's PATCH answer has no status or dates.
	out := publicConfiguration{ID: c.ID, Name: c.Name, Context: c.Context, EventName: c.EventName, URI: c.URI, PublicKey: c.PublicKey}
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "links": links(id)})
}

func (s *Server) setStatus(w http.ResponseWriter, id string, enable bool) {
	s.mu.Lock()
	_, c := s.find(id)
	if c == nil {
		s.mu.Unlock()
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "id", "Configuration not found.")
		return
	}
	c.Status = "Disabled"
	if enable {
		c.Status = "Enabled"
	}
	c.UpdatedAt, c.served = now(), nil
	out := c.public()
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "links": links(id)})
}

func (s *Server) delete(w http.ResponseWriter, id string) {
	s.mu.Lock()
	i, c := s.find(id)
	if c == nil {
		s.mu.Unlock()
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "id", "Configuration not found.")
		return
	}
	s.st.Configurations = append(s.st.Configurations[:i], s.st.Configurations[i+1:]...)
	s.changedLocked()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// PrivateKeyOf returns the stored private key of a configuration (tests).
func (s *Server) PrivateKeyOf(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, c := s.find(id); c != nil {
		return c.PrivateKey
	}
	return ""
}

// maxPage keeps (page-1)*pageSize within any int.
const maxPage = math.MaxInt32 / 100

// paging reads page and pageSize as Bankly does (defaults 1 and 10), answering
// 400 itself when they are out of range.
func paging(w http.ResponseWriter, q url.Values) (page, size int, ok bool) {
	page, size = 1, 10
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPage {
			writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "page", fmt.Sprintf("page must be from 1 to %d.", maxPage))
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "pageSize", "pageSize must be from 1 to 100.")
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}
