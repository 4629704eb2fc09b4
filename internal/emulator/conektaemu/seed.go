package conektaemu

import (
	"fmt"
	"time"
)

// EventSeed describes recorded events to seed (tests and benchmarks): Count
// events, the first created at Start and each next one Step later, each
// delivered to Logs webhooks (made when the emulator has fewer) with
// Attempts attempts answered Status (0: 500).
type EventSeed struct {
	Count, Logs, Attempts int
	Start                 time.Time
	Step                  time.Duration
	Type                  string
	Status                int
	// URL is where the webhooks made for them listen (default example.com).
	URL string
}

// SeedEvents records the events of o, as if they had been triggered and
// delivered; it returns their ids, oldest first.
func (s *Server) SeedEvents(o EventSeed) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.Type == "" {
		o.Type = "order.paid"
	}
	if o.Status == 0 {
		o.Status = 500
	}
	hooks := s.st.Webhooks
	if o.URL != "" { // webhooks of their own, at that URL
		hooks = nil
	}
	for i := len(hooks); i < o.Logs; i++ {
		h := &Webhook{ID: newID(), Object: "webhook", URL: seedURL(o.URL, i), Status: "listening", Active: true, SubscribedEvents: []string{o.Type}}
		s.st.Webhooks = append(s.st.Webhooks, h)
		hooks = append(hooks, h)
	}
	ids := make([]string, 0, o.Count)
	for i := range o.Count {
		at := o.Start.Add(time.Duration(i) * o.Step)
		ev := &Event{ID: newID(), Object: "event", Type: o.Type, CreatedAt: at.Unix(), Data: sampleData(o.Type, at),
			WebhookStatus: "failed", WebhookLogs: []WebhookLog{}}
		if o.Status >= 200 && o.Status <= 299 {
			ev.WebhookStatus = "successful"
		}
		for j := 0; j < o.Logs; j++ {
			l := newLog(hooks[j])
			for k := range o.Attempts {
				t := at.Add(time.Duration(k) * time.Second).Unix()
				l.Attempts = append(l.Attempts, Attempt{AttemptedAt: t, HTTPStatus: o.Status, ResponseExcerpt: "seeded"})
				l.LastAttemptedAt, l.LastHTTPResponseStatus = t, o.Status
				if o.Status < 200 || o.Status > 299 {
					l.FailedAttempts++
				}
			}
			ev.WebhookLogs = append(ev.WebhookLogs, l)
		}
		s.st.Events = append(s.st.Events, ev)
		ids = append(ids, ev.ID)
	}
	return ids
}

func seedURL(base string, i int) string {
	if base == "" {
		base = "https://example.com/hooks/seed"
	}
	return fmt.Sprintf("%s/%d", base, i+1)
}
