// Package conektaemu is a stateful emulator of Conekta's webhooks API v2.3.0:
// bearer auth, the vendor Accept header, cursor pagination, the 10-webhooks
// limit, the localhost URL rule and Conekta's error model.
package conektaemu

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/delivery"
	"github.com/hookctl/hookctl/internal/emulator/emustate"
	"github.com/hookctl/hookctl/internal/randid"
)

// MaxWebhooks is Conekta's limit per environment.
const MaxWebhooks = 10

// Webhook is one stored webhook, in the v2.3.0 response shape.
type Webhook struct {
	ID               string   `json:"id"`
	Object           string   `json:"object"`
	URL              string   `json:"url"`
	Status           string   `json:"status"`
	Active           bool     `json:"active"`
	Livemode         bool     `json:"livemode"`
	Description      string   `json:"description,omitempty"`
	SubscribedEvents []string `json:"subscribed_events"`
}

// Event is a recorded event (webhook_ping from `test`).
type Event struct {
	ID            string         `json:"id"`
	Object        string         `json:"object"`
	Type          string         `json:"type"`
	Livemode      bool           `json:"livemode"`
	CreatedAt     int64          `json:"created_at"`
	Data          map[string]any `json:"data"`
	WebhookStatus string         `json:"webhook_status"`
	WebhookLogs   []WebhookLog   `json:"webhook_logs"`

	// served is the event as GET /events answers it, encoded once until
	// the event changes (nil: encode again).
	served []byte
}

// servedJSON is ev encoded, from the cache while ev is unchanged.
func (ev *Event) servedJSON() []byte {
	if ev.served == nil {
		ev.served = encode(ev)
	}
	return ev.served
}

var encode = emustate.Encode

// WebhookLog is the delivery series of an event to one webhook. WebhookID and
// Attempts are the emulator's additions (the spec's WebhookLog allows extra
// properties); Conekta itself is only known to send the other fields.
type WebhookLog struct {
	ID                     string         `json:"id"`
	Object                 string         `json:"object"`
	WebhookID              string         `json:"webhook_id,omitempty"`
	URL                    string         `json:"url"`
	FailedAttempts         int            `json:"failed_attempts"`
	LastAttemptedAt        int64          `json:"last_attempted_at"`
	LastHTTPResponseStatus int            `json:"last_http_response_status"`
	ResponseData           map[string]any `json:"response_data"`
	Attempts               []Attempt      `json:"emulator_attempts"`
}

// Attempt is one POST of a delivery, as the emulator recorded it.
type Attempt struct {
	AttemptedAt     int64  `json:"attempted_at"`
	HTTPStatus      int    `json:"http_status"`
	Error           string `json:"error,omitempty"`
	ResponseExcerpt string `json:"response_excerpt"`
}

// State is what --persist saves.
type State struct {
	// Webhooks are the parent company's; ChildWebhooks each child company's
	// (X-Child-Company-Id selects one; events and keys are shared).
	Webhooks      []*Webhook            `json:"webhooks"`
	ChildWebhooks map[string][]*Webhook `json:"child_webhooks,omitempty"`
	Events        []*Event              `json:"events"`
	WebhookKeys   []*WebhookKey         `json:"webhook_keys"`
}

// Options configure the emulator.
type Options struct {
	AllowLocalURLs bool
	// Deliver sends webhook_ping deliveries of `test` to the webhook URL
	// (triggered events are always delivered).
	Deliver bool
	// OnChange is called after every change (persistence).
	OnChange func(State)
	// DeliveryClient sends deliveries; nil uses a client with a 5 s timeout.
	DeliveryClient *http.Client
	// RetrySchedule is the wait before each retry of a failed delivery;
	// nil is delivery.DefaultSchedule.
	RetrySchedule []time.Duration
}

// Server is the emulator. It is an http.Handler.
type Server struct {
	opts Options
	mu   sync.Mutex
	st   State
	eng  *delivery.Engine
	// keys caches the parsed private keys of st.WebhookKeys by id.
	keys map[string]*rsa.PrivateKey
}

// New returns an empty emulator.
func New(o Options) *Server {
	return &Server{opts: o, st: State{Webhooks: []*Webhook{}, Events: []*Event{}, WebhookKeys: []*WebhookKey{}},
		eng: delivery.New(o.DeliveryClient, o.RetrySchedule), keys: map[string]*rsa.PrivateKey{}}
}

// Restore replaces the state (from --persist).
func (s *Server) Restore(st State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.Webhooks == nil {
		st.Webhooks = []*Webhook{}
	}
	if st.Events == nil {
		st.Events = []*Event{}
	}
	if st.WebhookKeys == nil {
		st.WebhookKeys = []*WebhookKey{}
	}
	s.st = st
	s.keys = map[string]*rsa.PrivateKey{}
}

// Snapshot returns a copy of the state.
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Server) snapshotLocked() State { return emustate.Clone(s.st) }

// Seed adds n webhooks with example URLs, beyond the 10-webhooks limit if asked.
func (s *Server) Seed(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.st.Webhooks = append(s.st.Webhooks, &Webhook{
			ID: newID(), Object: "webhook", URL: fmt.Sprintf("https://example.com/hooks/conekta/%d", i+1),
			Status: "listening", Active: true, SubscribedEvents: []string{"order.paid", "charge.refunded"},
		})
	}
}

// Wait waits for pending deliveries, retries included.
func (s *Server) Wait() { s.eng.Wait() }

// Close abandons pending retries and waits for attempts in flight.
func (s *Server) Close() { s.eng.Close() }

func newID() string { return randid.Hex(12) }

var acceptRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^application/vnd\.conekta-v(\d+\.\d+\.\d+)\+json$`)
})

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == delivery.ControlPath {
		s.control(w, r)
		return
	}
	version := "2.3.0"
	if m := acceptRE().FindStringSubmatch(strings.TrimSpace(r.Header.Get("Accept"))); m != nil {
		version = m[1]
	} else {
		writeError(w, version, http.StatusConflict, "conflict_error", "conekta.errors.conflict.api_version",
			"La versión del API no es válida.", "Send Accept: application/vnd.conekta-v2.3.0+json to choose the API version.", nil)
		return
	}
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || !strings.HasPrefix(key, "key_") || len(key) < 8 {
		code, debug := "conekta.errors.authentication.missing_key", "Please include your access key in your request."
		if auth != "" {
			code, debug = "conekta.errors.authentication.invalid_key", "The access key is invalid: send Authorization: Bearer key_..."
		}
		writeError(w, version, http.StatusUnauthorized, "authentication_error", code, "Acceso no autorizado.", debug, nil)
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "events" && r.Method == http.MethodGet:
		s.getEvent(w, version, parts[1])
	case len(parts) == 3 && parts[0] == "events" && parts[2] == "resend" && r.Method == http.MethodPost:
		s.resend(w, r, version, parts[1])
	case path == "/webhook_keys" && r.Method == http.MethodGet:
		s.listKeys(w, r, version)
	case path == "/webhook_keys" && r.Method == http.MethodPost:
		s.createKey(w, r, version)
	case len(parts) == 2 && parts[0] == "webhook_keys" && r.Method == http.MethodGet:
		s.getKey(w, version, parts[1])
	case len(parts) == 2 && parts[0] == "webhook_keys" && r.Method == http.MethodPut:
		s.updateKey(w, r, version, parts[1])
	case len(parts) == 2 && parts[0] == "webhook_keys" && r.Method == http.MethodDelete:
		s.deleteKey(w, version, parts[1])
	case path == "/webhooks" && r.Method == http.MethodGet:
		s.list(w, r, version)
	case path == "/webhooks" && r.Method == http.MethodPost:
		s.create(w, r, version)
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodGet:
		s.withWebhook(w, r, version, parts[1], func(h *Webhook) any { return h })
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodPut:
		s.update(w, r, version, parts[1])
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodDelete:
		s.delete(w, r, version, parts[1])
	case len(parts) == 3 && parts[0] == "webhooks" && parts[2] == "test" && r.Method == http.MethodPost:
		s.test(w, r, version, parts[1])
	case path == "/events" && r.Method == http.MethodGet:
		s.listEvents(w, r, version)
	default:
		writeError(w, version, http.StatusNotFound, "resource_not_found_error", "conekta.errors.resource_not_found.route",
			"El recurso no ha sido encontrado.", fmt.Sprintf("There is no route %s %s.", r.Method, r.URL.Path), nil)
	}
}

func writeJSON(w http.ResponseWriter, version string, status int, v any) {
	setHeaders(w, version)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeBytes writes an answer already encoded.
func writeBytes(w http.ResponseWriter, version string, status int, body []byte) {
	setHeaders(w, version)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func setHeaders(w http.ResponseWriter, version string) {
	w.Header().Set("Content-Type", "application/vnd.conekta-v"+version+"+json")
	w.Header().Set("Conekta-Media-Type", "conekta-v"+version+"; format=application/json")
}

// WriteError writes Conekta's error model.
func writeError(w http.ResponseWriter, version string, status int, typ, code, msg, debug string, param *string) {
	writeJSON(w, version, status, map[string]any{
		"object": "error", "type": typ, "log_id": newID(),
		"details": []map[string]any{{"code": code, "message": msg, "debug_message": debug, "param": param}},
	})
}

// Unavailable writes Conekta's 503 answer (for the chaos wrapper).
func Unavailable(w http.ResponseWriter, r *http.Request) {
	writeError(w, "2.3.0", http.StatusServiceUnavailable, "api_error", "conekta.errors.api.system.general_failure",
		"Servicio no disponible.", "The service is temporarily unavailable (emulated failure).", nil)
}

func notFound(w http.ResponseWriter, version, id string) { notFoundKind(w, version, "Webhook", id) }

func notFoundKind(w http.ResponseWriter, version, kind, id string) {
	writeError(w, version, http.StatusNotFound, "resource_not_found_error", "conekta.errors.resource_not_found.entity",
		"El recurso no ha sido encontrado.", fmt.Sprintf("The object %s %q could not be found.", kind, id), nil)
}

func invalid(w http.ResponseWriter, version, param, code, msg, debug string) {
	writeError(w, version, http.StatusUnprocessableEntity, "parameter_validation_error",
		"conekta.errors.parameter_validation."+code, msg, debug, &param)
}

// ChildCompanyHeader selects a child company's webhooks; without it, the parent's.
const ChildCompanyHeader = "X-Child-Company-Id"

// company is the company a request acts on: "" for the parent.
func company(r *http.Request) string { return strings.TrimSpace(r.Header.Get(ChildCompanyHeader)) }

// hooksLocked is a company's webhooks.
func (s *Server) hooksLocked(company string) []*Webhook {
	if company == "" {
		return s.st.Webhooks
	}
	return s.st.ChildWebhooks[company]
}

// setHooksLocked replaces a company's webhooks.
func (s *Server) setHooksLocked(company string, hooks []*Webhook) {
	if company == "" {
		s.st.Webhooks = hooks
		return
	}
	if s.st.ChildWebhooks == nil {
		s.st.ChildWebhooks = map[string][]*Webhook{}
	}
	s.st.ChildWebhooks[company] = hooks
}

// allHooksLocked is every company's webhooks, the parent's first.
func (s *Server) allHooksLocked() []*Webhook {
	all := slices.Clone(s.st.Webhooks)
	for _, c := range slices.Sorted(maps.Keys(s.st.ChildWebhooks)) {
		all = append(all, s.st.ChildWebhooks[c]...)
	}
	return all
}

func (s *Server) find(company, id string) (int, *Webhook) {
	for i, h := range s.hooksLocked(company) {
		if h.ID == id {
			return i, h
		}
	}
	return -1, nil
}

func (s *Server) withWebhook(w http.ResponseWriter, r *http.Request, version, id string, f func(*Webhook) any) {
	s.mu.Lock()
	_, h := s.find(company(r), id)
	var out any
	if h != nil {
		out = f(h)
	}
	data, _ := json.Marshal(out)
	s.mu.Unlock()
	if h == nil {
		notFound(w, version, id)
		return
	}
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	limit, ok := parseLimit(q)
	if !ok {
		invalid(w, version, "limit", "limit.invalid", "El parámetro limit no es válido.", "limit must be an integer from 1 to 250.")
		return
	}
	s.mu.Lock()
	all := []*Webhook{}
	for _, h := range s.hooksLocked(company(r)) {
		if u := q.Get("url"); u != "" && h.URL != u {
			continue
		}
		if term := q.Get("search"); term != "" && !strings.Contains(h.URL, term) && !strings.Contains(h.ID, term) && !strings.Contains(strings.Join(h.SubscribedEvents, " "), term) {
			continue
		}
		all = append(all, h)
	}
	page := paginate(all, func(h *Webhook) string { return h.ID }, q, limit, "webhooks")
	data := encode(page.Items)
	s.mu.Unlock()
	writeList(w, version, page, data)
}

type webhookBody struct {
	URL              *string   `json:"url"`
	SubscribedEvents *[]string `json:"subscribed_events"`
	Active           *bool     `json:"active"`
}

func (s *Server) decode(w http.ResponseWriter, r *http.Request, version string) (*webhookBody, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var b webhookBody
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		err = dec.Decode(&b)
	}
	if err != nil {
		writeError(w, version, http.StatusBadRequest, "malformed_request_error", "conekta.errors.malformed_request.json",
			"La solicitud no es un JSON válido.", "The request body is not a valid JSON object: "+err.Error(), nil)
		return nil, false
	}
	return &b, true
}

func (s *Server) checkURL(w http.ResponseWriter, version, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		invalid(w, version, "url", "url.invalid", "La url no es válida.", "url must be an absolute http or https URL.")
		return false
	}
	if !s.opts.AllowLocalURLs && (strings.Contains(raw, "localhost") || strings.Contains(raw, "127.0.0.1")) {
		invalid(w, version, "url", "url.invalid", "La url no es válida.", "url must not point to localhost or 127.0.0.1.")
		return false
	}
	return true
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, version string) {
	b, ok := s.decode(w, r, version)
	if !ok {
		return
	}
	if b.URL == nil || *b.URL == "" {
		invalid(w, version, "url", "url.missing", "El parámetro url es requerido.", `The "url" is missing.`)
		return
	}
	if !s.checkURL(w, version, *b.URL) {
		return
	}
	s.mu.Lock()
	hooks := s.hooksLocked(company(r))
	if len(hooks) >= MaxWebhooks {
		s.mu.Unlock()
		invalid(w, version, "url", "webhook.limit_exceeded", "Se alcanzó el número máximo de webhooks.",
			fmt.Sprintf("Each environment supports %d webhooks.", MaxWebhooks))
		return
	}
	h := &Webhook{ID: newID(), Object: "webhook", URL: *b.URL, Status: "listening", Active: true, SubscribedEvents: []string{}}
	if b.SubscribedEvents != nil {
		h.SubscribedEvents = *b.SubscribedEvents
	}
	s.setHooksLocked(company(r), append(hooks, h))
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, version, id string) {
	b, ok := s.decode(w, r, version)
	if !ok {
		return
	}
	if b.URL != nil && !s.checkURL(w, version, *b.URL) {
		return
	}
	s.mu.Lock()
	_, h := s.find(company(r), id)
	if h == nil {
		s.mu.Unlock()
		notFound(w, version, id)
		return
	}
	if b.URL != nil {
		h.URL = *b.URL
	}
	if b.SubscribedEvents != nil {
		h.SubscribedEvents = *b.SubscribedEvents
	}
	if b.Active != nil {
		h.Active = *b.Active
	}
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, version, id string) {
	s.mu.Lock()
	c := company(r)
	i, h := s.find(c, id)
	if h == nil {
		s.mu.Unlock()
		notFound(w, version, id)
		return
	}
	hooks := s.hooksLocked(c)
	s.setHooksLocked(c, append(hooks[:i:i], hooks[i+1:]...))
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

func (s *Server) changedLocked() {
	if s.opts.OnChange != nil {
		s.opts.OnChange(s.snapshotLocked())
	}
}
