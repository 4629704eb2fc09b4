package delivery

import (
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// ControlPath is the emulators' own endpoint, outside the providers' APIs.
const ControlPath = "/_emulator/trigger"

// MaxCount bounds the events of one trigger.
const MaxCount = 100

// TriggerRequest is the body of POST ControlPath.
type TriggerRequest struct {
	Event string `json:"event"`
	Count int    `json:"count"`
	// Wait answers after the first attempt of each delivery.
	Wait bool `json:"wait"`
}

// Triggered is one delivery a trigger started, in the shape of the
// normalized delivery (provider.Delivery, as `deliveries list` prints it),
// plus the first attempt's transport error and answer.
type Triggered struct {
	Provider  string  `json:"provider"`
	ID        string  `json:"id"` // Conekta event id | Bankly idempotencyKey
	Event     string  `json:"event"`
	Context   string  `json:"context"`
	WebhookID *string `json:"webhook_id"`
	URL       string  `json:"url"`
	// Status is succeeded, pending (not yet attempted, or retries follow)
	// or failed (no retry left).
	Status         string  `json:"status"`
	Attempts       int     `json:"attempts"`
	LastStatusCode *int    `json:"last_status_code"`
	LastAttemptAt  *string `json:"last_attempt_at"`
	CreatedAt      *string `json:"created_at"`
	// Error is the transport failure of the last attempt, when it got no
	// answer; Response is an excerpt of the answer (not printed).
	Error    string `json:"error,omitempty"`
	Response string `json:"-"`
}

// Stamp is a time as the normalized delivery writes it.
func Stamp(t time.Time) *string {
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// Ref is a pointer to s.
func Ref(s string) *string { return &s }

// TriggerAnswer is the answer of POST ControlPath.
type TriggerAnswer struct {
	Provider   string      `json:"provider"`
	Deliveries []Triggered `json:"deliveries"`
}

// Fill sets the attempt fields of t from a; retries tells whether a failed
// attempt is retried (the delivery is then still pending).
func (t *Triggered) Fill(a Attempt, retries bool) {
	t.Attempts++
	switch {
	case a.OK():
		t.Status = "succeeded"
	case retries:
		t.Status = "pending"
	default:
		t.Status = "failed"
	}
	t.LastStatusCode = nil
	if a.StatusCode != 0 {
		code := a.StatusCode
		t.LastStatusCode = &code
	}
	t.LastAttemptAt, t.Error, t.Response = Stamp(a.At), a.Error, a.Response
}

// Loopback reports whether the request comes from this machine.
func Loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DecodeTrigger reads and checks a trigger; on a bad one it writes the answer
// (a plain JSON error, not a provider's model) and returns false.
func DecodeTrigger(w http.ResponseWriter, r *http.Request) (TriggerRequest, bool) {
	var t TriggerRequest
	fail := func(status int, msg string) (TriggerRequest, bool) {
		WriteJSON(w, status, map[string]string{"error": msg})
		return t, false
	}
	if !Loopback(r) {
		return fail(http.StatusForbidden, "the emulator's control endpoint answers loopback clients only")
	}
	if r.Method != http.MethodPost {
		return fail(http.StatusMethodNotAllowed, "use POST")
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&t); err != nil {
		return fail(http.StatusBadRequest, "the body must be a JSON object {\"event\", \"count\", \"wait\"}")
	}
	if t.Count == 0 {
		t.Count = 1
	}
	if t.Event == "" {
		return fail(http.StatusBadRequest, "event is required")
	}
	if t.Count < 1 || t.Count > MaxCount {
		return fail(http.StatusBadRequest, "count must be from 1 to 100")
	}
	return t, true
}

// WriteJSON writes v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Start sends the jobs; with wait, it returns after each one's first attempt
// and fills it into out.
func (e *Engine) Start(jobs []Job, out []Triggered, wait bool) {
	if !wait {
		for _, j := range jobs {
			e.Go(j)
		}
		return
	}
	for i, a := range e.FirstAll(jobs) {
		out[i].Fill(a, e.Retries() > 0)
	}
}

// ServeControl serves an emulator's trigger endpoint with its Trigger.
func ServeControl(w http.ResponseWriter, r *http.Request, provider string, trigger func(event string, count int, wait bool) ([]Triggered, error)) {
	t, ok := DecodeTrigger(w, r)
	if !ok {
		return
	}
	out, err := trigger(t.Event, t.Count, t.Wait)
	if err != nil {
		WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	WriteJSON(w, http.StatusOK, TriggerAnswer{Provider: provider, Deliveries: out})
}
