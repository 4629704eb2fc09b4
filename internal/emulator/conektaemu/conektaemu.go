// Package conektaemu is a stateful emulator of Conekta's webhooks API v2.3.0:
// bearer auth, the vendor Accept header, cursor pagination, the 10-webhooks
// limit, the localhost URL rule and Conekta's error model.
package conektaemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

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
}

// WebhookLog is one delivery attempt of an event.
type WebhookLog struct {
	ID                     string         `json:"id"`
	Object                 string         `json:"object"`
	URL                    string         `json:"url"`
	FailedAttempts         int            `json:"failed_attempts"`
	LastAttemptedAt        int64          `json:"last_attempted_at"`
	LastHTTPResponseStatus int            `json:"last_http_response_status"`
	ResponseData           map[string]any `json:"response_data"`
}

// State is what --persist saves.
type State struct {
	Webhooks []*Webhook `json:"webhooks"`
	Events   []*Event   `json:"events"`
}

// Options configure the emulator.
type Options struct {
	AllowLocalURLs bool
	// Deliver sends webhook_ping deliveries of `test` to the webhook URL.
	Deliver bool
	// OnChange is called after every change (persistence).
	OnChange func(State)
	// DeliveryClient sends pings; nil uses a client with a 5 s timeout.
	DeliveryClient *http.Client
}

// Server is the emulator. It is an http.Handler.
type Server struct {
	opts Options
	mu   sync.Mutex
	st   State
	wg   sync.WaitGroup
}

// New returns an empty emulator.
func New(o Options) *Server {
	if o.DeliveryClient == nil {
		o.DeliveryClient = &http.Client{Timeout: 5 * time.Second}
	}
	return &Server{opts: o, st: State{Webhooks: []*Webhook{}, Events: []*Event{}}}
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
	s.st = st
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

// Wait waits for pending ping deliveries.
func (s *Server) Wait() { s.wg.Wait() }

func newID() string { return randid.Hex(12) }

var acceptRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^application/vnd\.conekta-v(\d+\.\d+\.\d+)\+json$`)
})

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	case path == "/webhooks" && r.Method == http.MethodGet:
		s.list(w, r, version)
	case path == "/webhooks" && r.Method == http.MethodPost:
		s.create(w, r, version)
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodGet:
		s.withWebhook(w, version, parts[1], func(h *Webhook) any { return h })
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodPut:
		s.update(w, r, version, parts[1])
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodDelete:
		s.delete(w, version, parts[1])
	case len(parts) == 3 && parts[0] == "webhooks" && parts[2] == "test" && r.Method == http.MethodPost:
		s.test(w, version, parts[1])
	case path == "/events" && r.Method == http.MethodGet:
		s.listEvents(w, r, version)
	default:
		writeError(w, version, http.StatusNotFound, "resource_not_found_error", "conekta.errors.resource_not_found.route",
			"El recurso no ha sido encontrado.", fmt.Sprintf("There is no route %s %s.", r.Method, r.URL.Path), nil)
	}
}

func writeJSON(w http.ResponseWriter, version string, status int, v any) {
	w.Header().Set("Content-Type", "application/vnd.conekta-v"+version+"+json")
	w.Header().Set("Conekta-Media-Type", "conekta-v"+version+"; format=application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
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

func notFound(w http.ResponseWriter, version, id string) {
	writeError(w, version, http.StatusNotFound, "resource_not_found_error", "conekta.errors.resource_not_found.entity",
		"El recurso no ha sido encontrado.", fmt.Sprintf("The object Webhook %q could not be found.", id), nil)
}

func invalid(w http.ResponseWriter, version, param, code, msg, debug string) {
	writeError(w, version, http.StatusUnprocessableEntity, "parameter_validation_error",
		"conekta.errors.parameter_validation."+code, msg, debug, &param)
}

func (s *Server) find(id string) (int, *Webhook) {
	for i, h := range s.st.Webhooks {
		if h.ID == id {
			return i, h
		}
	}
	return -1, nil
}

func (s *Server) withWebhook(w http.ResponseWriter, version, id string, f func(*Webhook) any) {
	s.mu.Lock()
	_, h := s.find(id)
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
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 250 {
			invalid(w, version, "limit", "limit.invalid", "El parámetro limit no es válido.", "limit must be an integer from 1 to 250.")
			return
		}
		limit = n
	}
	s.mu.Lock()
	all := []*Webhook{}
	for _, h := range s.st.Webhooks {
		if u := q.Get("url"); u != "" && h.URL != u {
			continue
		}
		if term := q.Get("search"); term != "" && !strings.Contains(h.URL, term) && !strings.Contains(h.ID, term) && !strings.Contains(strings.Join(h.SubscribedEvents, " "), term) {
			continue
		}
		all = append(all, h)
	}
	start, end := 0, len(all)
	if next := q.Get("next"); next != "" {
		start = len(all)
		for i, h := range all {
			if h.ID == next {
				start = i + 1
			}
		}
		end = min(start+limit, len(all))
	} else if prev := q.Get("previous"); prev != "" {
		end = 0
		for i, h := range all {
			if h.ID == prev {
				end = i
			}
		}
		start = max(0, end-limit)
	} else {
		end = min(limit, len(all))
	}
	page := all[start:end]
	data, _ := json.Marshal(page)
	s.mu.Unlock()

	base := "https://api.conekta.io/webhooks?limit=" + strconv.Itoa(limit)
	var nextURL, prevURL *string
	if end < len(all) && len(page) > 0 {
		u := base + "&next=" + url.QueryEscape(page[len(page)-1].ID)
		nextURL = &u
	}
	if start > 0 && len(page) > 0 {
		u := base + "&previous=" + url.QueryEscape(page[0].ID)
		prevURL = &u
	}
	writeJSON(w, version, http.StatusOK, map[string]any{
		"object": "list", "has_more": end < len(all), "next_page_url": nextURL, "previous_page_url": prevURL,
		"data": json.RawMessage(data),
	})
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
	if len(s.st.Webhooks) >= MaxWebhooks {
		s.mu.Unlock()
		invalid(w, version, "url", "webhook.limit_exceeded", "Se alcanzó el número máximo de webhooks.",
			fmt.Sprintf("Each environment supports %d webhooks.", MaxWebhooks))
		return
	}
	h := &Webhook{ID: newID(), Object: "webhook", URL: *b.URL, Status: "listening", Active: true, SubscribedEvents: []string{}}
	if b.SubscribedEvents != nil {
		h.SubscribedEvents = *b.SubscribedEvents
	}
	s.st.Webhooks = append(s.st.Webhooks, h)
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
	_, h := s.find(id)
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

func (s *Server) delete(w http.ResponseWriter, version, id string) {
	s.mu.Lock()
	i, h := s.find(id)
	if h == nil {
		s.mu.Unlock()
		notFound(w, version, id)
		return
	}
	s.st.Webhooks = append(s.st.Webhooks[:i], s.st.Webhooks[i+1:]...)
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

// test records a webhook_ping event and, with Deliver, posts it to the URL.
func (s *Server) test(w http.ResponseWriter, version, id string) {
	s.mu.Lock()
	_, h := s.find(id)
	if h == nil {
		s.mu.Unlock()
		notFound(w, version, id)
		return
	}
	ev := &Event{ID: newID(), Object: "event", Type: "webhook_ping", CreatedAt: time.Now().Unix(),
		Data: map[string]any{}, WebhookStatus: "pending", WebhookLogs: []WebhookLog{}}
	s.st.Events = append(s.st.Events, ev)
	target := h.URL
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	if s.opts.Deliver {
		s.wg.Add(1)
		go s.deliver(ev.ID, target)
	}
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

func (s *Server) deliver(eventID, target string) {
	defer s.wg.Done()
	s.mu.Lock()
	var ev *Event
	for _, e := range s.st.Events {
		if e.ID == eventID {
			ev = e
		}
	}
	body, _ := json.Marshal(ev)
	s.mu.Unlock()
	status := 0
	resp, err := s.opts.DeliveryClient.Post(target, "application/json", bytes.NewReader(body))
	if err == nil {
		status = resp.StatusCode
		resp.Body.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	log := WebhookLog{ID: "webhl_" + newID(), Object: "webhook_log", URL: target, LastAttemptedAt: time.Now().Unix(),
		LastHTTPResponseStatus: status, ResponseData: map[string]any{}}
	ev.WebhookStatus = "successful"
	if status < 200 || status > 299 {
		log.FailedAttempts = 1
		ev.WebhookStatus = "failed"
	}
	ev.WebhookLogs = append(ev.WebhookLogs, log)
	s.changedLocked()
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, version string) {
	s.mu.Lock()
	data, _ := json.Marshal(s.st.Events)
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, map[string]any{
		"object": "list", "has_more": false, "next_page_url": nil, "previous_page_url": nil, "data": json.RawMessage(data),
	})
}

func (s *Server) changedLocked() {
	if s.opts.OnChange != nil {
		s.opts.OnChange(s.snapshotLocked())
	}
}
