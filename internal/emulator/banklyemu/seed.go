package banklyemu

import (
	"encoding/base64"
	"time"

	"github.com/hookctl/hookctl/internal/randid"
)

// MessageSeed describes processed messages to seed (tests and benchmarks):
// Count messages of one configuration (made when missing), the first at
// Start and each next one Step later, each with Attempts attempts answered
// Status (0: 500) and the State that follows (Failed, or Success).
type MessageSeed struct {
	Count, Attempts int
	Start           time.Time
	Step            time.Duration
	Context, Event  string
	Status          int
	// URI is where the configuration made for them delivers (default example.com).
	URI string
}

// SeedMessages records the messages of o; it returns their idempotency
// keys, oldest first.
func (s *Server) SeedMessages(o MessageSeed) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.Context == "" {
		o.Context, o.Event = "Pix", "PIX_CASH_IN_WAS_CLEARED"
	}
	if o.Status == 0 {
		o.Status = 500
	}
	var c *Configuration
	for _, x := range s.st.Configurations {
		if x.EventName == o.Event && o.URI == "" {
			c = x
		}
	}
	if o.URI == "" {
		o.URI = "https://example.com/hooks/bankly/seed"
	}
	if c == nil {
		c = &Configuration{publicConfiguration: publicConfiguration{ID: randid.UUID(), Name: o.Event, Context: o.Context, EventName: o.Event,
			URI: o.URI, PublicKey: "seed-public", CreatedAt: now(), Status: "Enabled"},
			PrivateKey: base64.StdEncoding.EncodeToString([]byte("seed-private"))}
		s.st.Configurations = append(s.st.Configurations, c)
	}
	s.gen++
	keys := make([]string, 0, o.Count)
	state := "Failed"
	if o.Status >= 200 && o.Status <= 299 {
		state = "Success"
	}
	for i := range o.Count {
		at := o.Start.Add(time.Duration(i) * o.Step).UTC()
		key := randid.UUID()
		m := &Message{ID: randid.UUID(), IdempotencyKey: key, State: state, Destination: c.URI, EventName: o.Event, Context: o.Context,
			ConfigurationID: c.ID, CreatedAt: at, ElapsedCapture: timeSpan(0), ElapsedHTTPCall: timeSpan(time.Millisecond),
			Attempts: []MessageAttempt{}, Payload: eventBody(key, o.Context, o.Event, at)}
		for k := range o.Attempts {
			t := at.Add(time.Duration(k) * time.Second)
			m.Attempts = append(m.Attempts, MessageAttempt{AttemptedAt: t.Format("2006-01-02T15:04:05.00"), StatusCode: o.Status, ResponseExcerpt: "seeded"})
			m.SentDate = t.Format("2006-01-02T15:04:05.00")
		}
		m.RetryCount = max(len(m.Attempts)-1, 0)
		if m.SentDate == "" {
			m.SentDate = at.Format("2006-01-02T15:04:05.00")
		}
		s.st.Messages = append(s.st.Messages, m)
		keys = append(keys, key)
	}
	return keys
}
