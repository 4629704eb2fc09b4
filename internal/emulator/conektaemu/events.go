package conektaemu

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/delivery"
)

// payload is what a delivery carries: the event without its logs.
type payload struct {
	ID        string         `json:"id"`
	Object    string         `json:"object"`
	Type      string         `json:"type"`
	Livemode  bool           `json:"livemode"`
	CreatedAt int64          `json:"created_at"`
	Data      map[string]any `json:"data"`
}

// body is the exact bytes every attempt of ev's deliveries sends.
func (ev *Event) body() []byte {
	data, _ := json.Marshal(payload{ID: ev.ID, Object: "event", Type: ev.Type, Livemode: ev.Livemode, CreatedAt: ev.CreatedAt, Data: ev.Data})
	return data
}

func (s *Server) findEvent(id string) *Event {
	for _, e := range s.st.Events {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func sampleData(typ string, now time.Time) map[string]any {
	if typ == "webhook_ping" {
		return map[string]any{}
	}
	object, _, _ := strings.Cut(typ, ".")
	return map[string]any{
		"object": map[string]any{
			"id": newID(), "object": object, "livemode": false, "created_at": now.Unix(),
			"amount": 1000, "currency": "MXN", "metadata": map[string]any{"source": "hookctl emulator trigger"},
		},
		"previous_attributes": map[string]any{},
	}
}

// newEventLocked records an event of typ with one pending log per webhook.
func (s *Server) newEventLocked(typ string, hooks []*Webhook) *Event {
	now := time.Now()
	ev := &Event{ID: newID(), Object: "event", Type: typ, CreatedAt: now.Unix(), Data: sampleData(typ, now),
		WebhookStatus: "not_applicable", WebhookLogs: []WebhookLog{}}
	for _, h := range hooks {
		ev.WebhookLogs = append(ev.WebhookLogs, newLog(h))
	}
	if len(hooks) > 0 {
		ev.WebhookStatus = "pending"
	}
	s.st.Events = append(s.st.Events, ev)
	return ev
}

func newLog(h *Webhook) WebhookLog {
	return WebhookLog{ID: "webhl_" + newID(), Object: "webhook_log", WebhookID: h.ID, URL: h.URL,
		ResponseData: map[string]any{}, Attempts: []Attempt{}}
}

// job is the delivery of ev to the webhook of log logID.
func (s *Server) jobLocked(ev *Event, logID, url string) (delivery.Job, error) {
	priv, err := s.signingKeyLocked()
	if err != nil {
		return delivery.Job{}, err
	}
	body := ev.body()
	digest, err := Digest(priv, body)
	if err != nil {
		return delivery.Job{}, err
	}
	eventID := ev.ID
	return delivery.Job{URL: url, Body: body,
		Header: func() http.Header {
			return http.Header{"Content-Type": {"application/json"}, "Digest": {digest}}
		},
		Record: func(a delivery.Attempt, final bool) { s.record(eventID, logID, a, final) },
	}, nil
}

func (s *Server) record(eventID, logID string, a delivery.Attempt, final bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.findEvent(eventID)
	if ev == nil {
		return
	}
	ev.served = nil
	for i := range ev.WebhookLogs {
		l := &ev.WebhookLogs[i]
		if l.ID != logID {
			continue
		}
		l.LastAttemptedAt, l.LastHTTPResponseStatus = a.At.Unix(), a.StatusCode
		if !a.OK() {
			l.FailedAttempts++
		}
		l.ResponseData = responseData(a.Body)
		l.Attempts = append(l.Attempts, Attempt{AttemptedAt: a.At.Unix(), HTTPStatus: a.StatusCode, Error: a.Error, ResponseExcerpt: a.Response})
	}
	ev.WebhookStatus = eventStatus(ev, logID, a.OK() || final)
	s.changedLocked()
}

// eventStatus summarises the logs; done tells whether log logID is settled.
func eventStatus(ev *Event, logID string, done bool) string {
	if len(ev.WebhookLogs) == 0 {
		return "not_applicable"
	}
	status := "successful"
	for _, l := range ev.WebhookLogs {
		switch {
		case len(l.Attempts) == 0 || (l.ID == logID && !done):
			return "pending"
		case l.LastHTTPResponseStatus < 200 || l.LastHTTPResponseStatus > 299:
			status = "failed"
		}
	}
	return status
}

// responseData is the receiver's answer when it is a JSON object of at most
// 100 properties (the spec's bound), else empty.
func responseData(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil || len(m) > 100 {
		return map[string]any{}
	}
	return m
}

// listEvents pages newest first.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	limit, ok := parseLimit(q)
	if !ok {
		invalid(w, version, "limit", "limit.invalid", "El parámetro limit no es válido.", "limit must be an integer from 1 to 250.")
		return
	}
	s.mu.Lock()
	all := make([]*Event, 0, len(s.st.Events))
	for _, e := range slices.Backward(s.st.Events) {
		if term := q.Get("search"); term != "" && !strings.Contains(e.ID, term) && !strings.Contains(e.Type, term) {
			continue
		}
		all = append(all, e)
	}
	page := paginate(all, func(e *Event) string { return e.ID }, q, limit, "events")
	n := 2
	for _, e := range page.Items {
		n += len(e.servedJSON()) + 1
	}
	data := make([]byte, 0, n)
	data = append(data, '[')
	for i, e := range page.Items {
		if i > 0 {
			data = append(data, ',')
		}
		data = append(data, e.servedJSON()...)
	}
	data = append(data, ']')
	s.mu.Unlock()
	writeList(w, version, page, data)
}

func (s *Server) getEvent(w http.ResponseWriter, version, id string) {
	s.mu.Lock()
	ev := s.findEvent(id)
	data, _ := json.Marshal(ev)
	s.mu.Unlock()
	if ev == nil {
		notFoundKind(w, version, "Event", id)
		return
	}
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

// resend delivers the event again to each webhook named, now, and answers
// the webhook log of the first (the spec answers one log object).
func (s *Server) resend(w http.ResponseWriter, r *http.Request, version, id string) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var b struct {
		WebhooksIDs *[]string `json:"webhooks_ids"`
	}
	if err == nil {
		err = json.Unmarshal(data, &b)
	}
	if err != nil {
		writeError(w, version, http.StatusBadRequest, "malformed_request_error", "conekta.errors.malformed_request.json",
			"La solicitud no es un JSON válido.", "The request body is not a valid JSON object.", nil)
		return
	}
	if b.WebhooksIDs == nil || len(*b.WebhooksIDs) == 0 {
		invalid(w, version, "webhooks_ids", "webhooks_ids.missing", "El parámetro webhooks_ids es requerido.", `The "webhooks_ids" is missing: name the webhooks to resend to.`)
		return
	}
	_ = s.EnsureWebhookKey()
	s.mu.Lock()
	ev := s.findEvent(id)
	if ev == nil {
		s.mu.Unlock()
		notFoundKind(w, version, "Event", id)
		return
	}
	var jobs []delivery.Job
	var logIDs []string
	ev.served = nil
	for _, hid := range *b.WebhooksIDs {
		_, h := s.find(company(r), hid)
		if h == nil {
			s.mu.Unlock()
			notFound(w, version, hid)
			return
		}
		i := slices.IndexFunc(ev.WebhookLogs, func(l WebhookLog) bool { return l.WebhookID == hid })
		if i < 0 {
			ev.WebhookLogs = append(ev.WebhookLogs, newLog(h))
			i = len(ev.WebhookLogs) - 1
		}
		ev.WebhookLogs[i].URL = h.URL
		j, err := s.jobLocked(ev, ev.WebhookLogs[i].ID, h.URL)
		if err != nil {
			s.mu.Unlock()
			writeError(w, version, http.StatusInternalServerError, "api_error", "conekta.errors.api.system.general_failure",
				"Error interno.", "Signing the delivery failed.", nil)
			return
		}
		jobs, logIDs = append(jobs, j), append(logIDs, ev.WebhookLogs[i].ID)
	}
	ev.WebhookStatus = "pending"
	s.mu.Unlock()

	s.eng.FirstAll(jobs)

	s.mu.Lock()
	var out WebhookLog
	for _, l := range ev.WebhookLogs {
		if l.ID == logIDs[0] {
			out = l
		}
	}
	data, _ = json.Marshal(out)
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

// test records a webhook_ping event and, with Deliver, posts it once to the URL.
func (s *Server) test(w http.ResponseWriter, r *http.Request, version, id string) {
	if s.opts.Deliver {
		_ = s.EnsureWebhookKey()
	}
	s.mu.Lock()
	_, h := s.find(company(r), id)
	if h == nil {
		s.mu.Unlock()
		notFound(w, version, id)
		return
	}
	var hooks []*Webhook
	if s.opts.Deliver {
		hooks = []*Webhook{h}
	}
	ev := s.newEventLocked("webhook_ping", hooks)
	if !s.opts.Deliver {
		ev.WebhookStatus = "pending"
	}
	var job *delivery.Job
	if s.opts.Deliver {
		if j, err := s.jobLocked(ev, ev.WebhookLogs[0].ID, h.URL); err == nil {
			job = &j
		}
	}
	data, _ := json.Marshal(h)
	s.changedLocked()
	s.mu.Unlock()
	if job != nil {
		s.eng.GoOnce(*job)
	}
	writeJSON(w, version, http.StatusOK, json.RawMessage(data))
}

// Trigger records count events of typ and delivers each to every active
// webhook subscribed to it; with wait it returns after each first attempt.
func (s *Server) Trigger(typ string, count int, wait bool) ([]delivery.Triggered, error) {
	if err := s.EnsureWebhookKey(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var hooks []*Webhook
	for _, h := range s.allHooksLocked() {
		if h.Active && slices.Contains(h.SubscribedEvents, typ) {
			hooks = append(hooks, h)
		}
	}
	var jobs []delivery.Job
	out := []delivery.Triggered{}
	for range count {
		ev := s.newEventLocked(typ, hooks)
		for i, h := range hooks {
			j, err := s.jobLocked(ev, ev.WebhookLogs[i].ID, h.URL)
			if err != nil {
				s.mu.Unlock()
				return nil, err
			}
			jobs = append(jobs, j)
			out = append(out, delivery.Triggered{Provider: "conekta", ID: ev.ID, Event: typ, WebhookID: delivery.Ref(h.ID), URL: h.URL,
				Status: "pending", CreatedAt: delivery.Stamp(time.Unix(ev.CreatedAt, 0))})
		}
	}
	s.changedLocked()
	s.mu.Unlock()
	s.eng.Start(jobs, out, wait)
	return out, nil
}

func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	delivery.ServeControl(w, r, "conekta", s.Trigger)
}
