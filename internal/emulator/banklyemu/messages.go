package banklyemu

import (
	"encoding/json"
	"fmt"
	"github.com/hookctl/hookctl/internal/emulator/emustate"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/delivery"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/randid"
)

// Message is one processed message: an event delivered to one configuration.
// Payload (the exact body) and ConfigurationID are kept, never served.
type Message struct {
	ID              string           `json:"id"`
	IdempotencyKey  string           `json:"idempotencyKey"`
	State           string           `json:"state"`
	Destination     string           `json:"destination"`
	SentDate        string           `json:"sentDate"`
	EventName       string           `json:"eventName"`
	Context         string           `json:"context"`
	RetryCount      int              `json:"retryCount"`
	ElapsedCapture  string           `json:"elapsedEventCapture"`
	ElapsedHTTPCall string           `json:"elapsedHttpCall"`
	Attempts        []MessageAttempt `json:"emulatorAttempts"`
	ConfigurationID string           `json:"configurationId"`
	CreatedAt       time.Time        `json:"createdAt"`
	Payload         []byte           `json:"payload"`

	// served is the message as the search answers it, encoded once until
	// the message changes (nil: encode again): a long search of a big
	// emulator then costs what a provider's would, not a re-encoding.
	served []byte
}

// MessageAttempt is one POST of a message, as the emulator recorded it (not
// a documented Bankly field).
type MessageAttempt struct {
	AttemptedAt     string `json:"attemptedAt"`
	StatusCode      int    `json:"statusCode"`
	Error           string `json:"error,omitempty"`
	ResponseExcerpt string `json:"responseExcerpt"`
}

// messageView is a message as the search answers it.
type messageView struct {
	ID              string           `json:"id"`
	IdempotencyKey  string           `json:"idempotencyKey"`
	State           string           `json:"state"`
	Destination     string           `json:"destination"`
	SentDate        string           `json:"sentDate"`
	EventName       string           `json:"eventName"`
	Context         string           `json:"context"`
	RetryCount      int              `json:"retryCount"`
	ElapsedCapture  string           `json:"elapsedEventCapture"`
	ElapsedHTTPCall string           `json:"elapsedHttpCall"`
	Attempts        []MessageAttempt `json:"emulatorAttempts"`
}

func (m *Message) view() messageView {
	return messageView{ID: m.ID, IdempotencyKey: m.IdempotencyKey, State: m.State, Destination: m.Destination,
		SentDate: m.SentDate, EventName: m.EventName, Context: m.Context, RetryCount: m.RetryCount,
		ElapsedCapture: m.ElapsedCapture, ElapsedHTTPCall: m.ElapsedHTTPCall, Attempts: slices.Clone(m.Attempts)}
}

// servedJSON is m's view encoded, from the cache while m is unchanged.
func (m *Message) servedJSON() []byte {
	if m.served == nil {
		m.served = encode(m.view())
	}
	return m.served
}

var encode = emustate.Encode

// timeSpan formats d as .NET's TimeSpan, as Bankly's elapsed fields are.
func timeSpan(d time.Duration) string {
	ticks := d.Nanoseconds() / 100
	sec := ticks / 1e7
	return fmt.Sprintf("%02d:%02d:%02d.%07d", sec/3600, sec/60%60, sec%60, ticks%1e7)
}

// eventBody is a delivery in Bankly's event envelope.
func eventBody(key, ctxName, event string, now time.Time) []byte {
	data, _ := json.Marshal(map[string]any{
		"entityId":       randid.UUID(),
		"companyKey":     "HOOKCTL_EMULATOR",
		"idempotencyKey": key,
		"context":        ctxName,
		"name":           event,
		"timestamp":      now.UTC().Format("2006-01-02T15:04:05.000Z"),
		"correlationId":  randid.UUID(),
		"metadata":       map[string]any{"source": "hookctl emulator trigger"},
		"data":           map[string]any{"amount": 1.23, "description": "hookctl emulator event"},
	})
	return data
}

func (s *Server) findMessage(key string) *Message {
	for _, m := range s.st.Messages {
		if m.IdempotencyKey == key {
			return m
		}
	}
	return nil
}

// jobLocked signs m as Bankly does, with c's keys, afresh on every attempt.
func (s *Server) jobLocked(m *Message, c *Configuration) (delivery.Job, error) {
	mode := s.opts.HMACKey
	if mode == "" {
		mode = "raw"
	}
	key, err := bankly.HMACKey(c.PrivateKey, mode)
	if err != nil {
		return delivery.Job{}, err
	}
	uri, pub, body, idem := c.URI, c.PublicKey, m.Payload, m.IdempotencyKey
	m.Destination, m.served = uri, nil
	return delivery.Job{URL: uri, Body: body,
		Header: func() http.Header {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			nonce := strings.ReplaceAll(randid.UUID(), "-", "")
			return http.Header{
				"Content-Type":     {"application/json"},
				"authorization":    {"hmac " + bankly.Sign(key, bankly.StringToSign(pub, uri, ts, nonce, body))},
				"publicKey":        {pub},
				"nonce":            {nonce},
				"requestTimestamp": {ts},
				"idempotency-Key":  {idem},
			}
		},
		Record: func(a delivery.Attempt, final bool) { s.record(idem, a, final) },
	}, nil
}

func (s *Server) record(key string, a delivery.Attempt, final bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findMessage(key)
	if m == nil {
		return
	}
	m.served = nil
	if len(m.Attempts) == 0 {
		m.ElapsedCapture = timeSpan(a.At.Sub(m.CreatedAt))
	}
	m.Attempts = append(m.Attempts, MessageAttempt{AttemptedAt: a.At.UTC().Format("2006-01-02T15:04:05.00"),
		StatusCode: a.StatusCode, Error: a.Error, ResponseExcerpt: a.Response})
	m.RetryCount = len(m.Attempts) - 1
	m.SentDate = a.At.UTC().Format("2006-01-02T15:04:05.00")
	m.ElapsedHTTPCall = timeSpan(a.Elapsed)
	switch {
	case a.OK():
		m.State = "Success"
	case final:
		m.State = "Failed"
	default:
		m.State = "Hold"
	}
	s.changedLocked()
}

// Trigger records count events named event for every enabled configuration
// of that eventName and delivers them; with wait it returns after each
// first attempt.
func (s *Server) Trigger(event string, count int, wait bool) ([]delivery.Triggered, error) {
	s.mu.Lock()
	var jobs []delivery.Job
	out := []delivery.Triggered{}
	for range count {
		for _, c := range s.st.Configurations {
			if c.EventName != event || c.Status != "Enabled" {
				continue
			}
			now := time.Now().UTC()
			key := randid.UUID()
			m := &Message{ID: randid.UUID(), IdempotencyKey: key, State: "Hold", EventName: event, Context: c.Context,
				ConfigurationID: c.ID, CreatedAt: now, SentDate: now.Format("2006-01-02T15:04:05.00"),
				ElapsedCapture: timeSpan(0), ElapsedHTTPCall: timeSpan(0), Attempts: []MessageAttempt{},
				Payload: eventBody(key, c.Context, event, now)}
			j, err := s.jobLocked(m, c)
			if err != nil {
				s.mu.Unlock()
				return nil, fmt.Errorf("configuration %s: %v", c.ID, err)
			}
			s.st.Messages = append(s.st.Messages, m)
			jobs = append(jobs, j)
			out = append(out, delivery.Triggered{Provider: "bankly", ID: key, Event: event, Context: c.Context, WebhookID: delivery.Ref(c.ID), URL: c.URI,
				Status: "pending", CreatedAt: delivery.Stamp(now)})
		}
	}
	s.changedLocked()
	s.mu.Unlock()
	s.eng.Start(jobs, out, wait)
	return out, nil
}

func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	delivery.ServeControl(w, r, "bankly", s.Trigger)
}

// MaxAge is how far back Bankly's message search reaches.
const MaxAge = 6 // months

// parseDate reads YYYY-MM-DD (or MM/DD/YYYY, which one page shows).
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "01/02/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateRange checks startDate and endDate; on a bad one it writes the answer.
func dateRange(w http.ResponseWriter, start, end string) (time.Time, time.Time, bool) {
	from, ok := parseDate(start)
	if !ok {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "startDate", "startDate is required, as YYYY-MM-DD.")
		return from, from, false
	}
	to, ok := parseDate(end)
	if !ok {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "endDate", "endDate is required, as YYYY-MM-DD.")
		return from, to, false
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if from.Before(today.AddDate(0, -MaxAge, 0)) {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "startDate", "startDate must be no more than 6 months before today.")
		return from, to, false
	}
	if to.Before(from) {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "endDate", "endDate must not be before startDate.")
		return from, to, false
	}
	return from, to.AddDate(0, 0, 1), true
}

var states = []string{"Success", "Failed", "Hold"}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, ok := dateRange(w, q.Get("startDate"), q.Get("endDate"))
	if !ok {
		return
	}
	state := q.Get("state")
	if state != "" && !slices.Contains(states, state) {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "state", "state must be Success, Failed or Hold.")
		return
	}
	page, size, ok := paging(w, q)
	if !ok {
		return
	}
	event, ctxName := q.Get("eventName"), q.Get("context")
	s.mu.Lock()
	hits := s.searchLocked(from, to, state, event, ctxName)
	first := min((page-1)*size, len(hits))
	items := make([][]byte, 0, min(size, len(hits)-first))
	for _, m := range hits[first : first+cap(items)] {
		items = append(items, m.servedJSON())
	}
	total := len(hits)
	s.mu.Unlock()
	writeList(w, items, encode([]map[string]string{{"url": fmt.Sprintf("/webhooks/processed-messages?page=%d&pageSize=%d", page+1, size),
		"rel": "search_processed_messages", "method": "GET"}}), encode(map[string]int{"page": page, "pageSize": size, "total": total}))
}

// searchLocked is the messages a search matches, in order: from the last
// search's when nothing changed since, as the pages of one listing ask.
func (s *Server) searchLocked(from, to time.Time, state, event, ctxName string) []*Message {
	key := strings.Join([]string{from.String(), to.String(), state, event, ctxName}, "\x00")
	if s.search.hits != nil && s.search.gen == s.gen && s.search.key == key {
		return s.search.hits
	}
	hits := []*Message{}
	for _, m := range s.st.Messages {
		if m.CreatedAt.Before(from) || !m.CreatedAt.Before(to) ||
			(state != "" && m.State != state) ||
			(event != "" && m.EventName != event) ||
			(ctxName != "" && m.Context != ctxName) {
			continue
		}
		hits = append(hits, m)
	}
	s.search.gen, s.search.key, s.search.hits = s.gen, key, hits
	return hits
}

// reprocessLocked starts a new series of attempts of m; nil when its
// configuration is gone.
func (s *Server) reprocessLocked(m *Message) (*delivery.Job, error) {
	_, c := s.find(m.ConfigurationID)
	if c == nil {
		return nil, nil
	}
	j, err := s.jobLocked(m, c)
	if err != nil {
		return nil, err
	}
	m.State, m.served = "Hold", nil
	s.gen++
	return &j, nil
}

// reprocess re-sends one message now and answers it after the attempt.
func (s *Server) reprocess(w http.ResponseWriter, key string) {
	s.mu.Lock()
	m := s.findMessage(key)
	if m == nil {
		s.mu.Unlock()
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "idempotencyKey", "Message not found.")
		return
	}
	j, err := s.reprocessLocked(m)
	s.mu.Unlock()
	switch {
	case err != nil:
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "privateKey", "The configuration's privateKey cannot sign: "+err.Error())
		return
	case j == nil:
		writeErrors(w, http.StatusNotFound, "NOT_FOUND", "idempotencyKey", "The configuration of this message no longer exists.")
		return
	}
	s.eng.First(*j)
	s.mu.Lock()
	out := m.view()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

type batchRequest struct {
	StartDate  string   `json:"startDate"`
	EndDate    string   `json:"endDate"`
	Context    string   `json:"context"`
	EventNames []string `json:"eventNames"`
	EventState string   `json:"eventState"`
}

// batchReprocess re-sends, in the background, every message of the range
// that matches; answers 202 with their idempotency keys.
func (s *Server) batchReprocess(w http.ResponseWriter, r *http.Request) {
	var b batchRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&b); err != nil {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "body", "The body must be a JSON object.")
		return
	}
	from, to, ok := dateRange(w, b.StartDate, b.EndDate)
	if !ok {
		return
	}
	if to.Sub(from) > 31*24*time.Hour && b.Context == "" {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "context", "A range over 30 days needs a context.")
		return
	}
	if b.EventState != "" && b.EventState != "Failed" && b.EventState != "Success" {
		writeErrors(w, http.StatusBadRequest, "INVALID_PARAMETER", "eventState", "eventState must be Failed or Success.")
		return
	}
	s.mu.Lock()
	keys := []string{}
	var jobs []delivery.Job
	for _, m := range s.st.Messages {
		if m.CreatedAt.Before(from) || !m.CreatedAt.Before(to) ||
			(b.Context != "" && m.Context != b.Context) ||
			(len(b.EventNames) > 0 && !slices.Contains(b.EventNames, m.EventName)) ||
			(b.EventState != "" && m.State != b.EventState) {
			continue
		}
		if j, err := s.reprocessLocked(m); err == nil && j != nil {
			jobs = append(jobs, *j)
			keys = append(keys, m.IdempotencyKey)
		}
	}
	s.changedLocked()
	s.mu.Unlock()
	for _, j := range jobs {
		s.eng.Go(j)
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"data": map[string]any{"total": len(keys), "idempotencyKeys": keys}})
}
