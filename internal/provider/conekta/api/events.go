package api

import "encoding/json"

// Event is one event_response, decoded tolerantly.
type Event struct {
	ID            string          `json:"id"`
	Object        string          `json:"object,omitempty"`
	Type          string          `json:"type"`
	Livemode      *bool           `json:"livemode,omitempty"`
	CreatedAt     int64           `json:"created_at"`
	Data          json.RawMessage `json:"data,omitempty"`
	WebhookStatus string          `json:"webhook_status,omitempty"`
	WebhookLogs   []WebhookLog    `json:"webhook_logs"`
}

// WebhookLog is one delivery series of an event to one webhook. WebhookID
// and Attempts are not in Conekta's spec (the emulator adds them); the
// adapter uses them when present.
type WebhookLog struct {
	ID                     string          `json:"id"`
	Object                 string          `json:"object,omitempty"`
	WebhookID              string          `json:"webhook_id,omitempty"`
	URL                    string          `json:"url"`
	FailedAttempts         int             `json:"failed_attempts"`
	LastAttemptedAt        int64           `json:"last_attempted_at"`
	LastHTTPResponseStatus int             `json:"last_http_response_status"`
	ResponseData           json.RawMessage `json:"response_data,omitempty"`
	Attempts               []LogAttempt    `json:"emulator_attempts,omitempty"`
}

// LogAttempt is one attempt as the emulator records it.
type LogAttempt struct {
	AttemptedAt     int64  `json:"attempted_at"`
	HTTPStatus      int    `json:"http_status"`
	Error           string `json:"error,omitempty"`
	ResponseExcerpt string `json:"response_excerpt"`
}

// EventList is get_events_response, its events split in one pass.
type EventList struct {
	Object          string            `json:"object,omitempty"`
	HasMore         bool              `json:"has_more"`
	NextPageURL     *string           `json:"next_page_url,omitempty"`
	PreviousPageURL *string           `json:"previous_page_url,omitempty"`
	Data            []json.RawMessage `json:"data"`
}

// EventPage is get_events_response decoded whole, in one pass, with only
// what a listing of deliveries reads of each event.
type EventPage struct {
	HasMore     bool          `json:"has_more"`
	NextPageURL *string       `json:"next_page_url,omitempty"`
	Data        []ListedEvent `json:"data"`
}

// EventCursor is what paging reads of get_events_response: whether more
// follow, and where the next page starts.
type EventCursor struct {
	HasMore     bool    `json:"has_more"`
	NextPageURL *string `json:"next_page_url,omitempty"`
	Data        []struct {
		ID        string `json:"id"`
		CreatedAt int64  `json:"created_at"`
	} `json:"data"`
}

// ListedEvent is what a listing of deliveries reads of an event.
type ListedEvent struct {
	ID          string      `json:"id"`
	Type        string      `json:"type"`
	CreatedAt   int64       `json:"created_at"`
	WebhookLogs []ListedLog `json:"webhook_logs"`
}

// ListedLog is what a listing reads of a webhook log: its attempts are
// only counted.
type ListedLog struct {
	WebhookID              string     `json:"webhook_id,omitempty"`
	URL                    string     `json:"url"`
	FailedAttempts         int        `json:"failed_attempts"`
	LastAttemptedAt        int64      `json:"last_attempted_at"`
	LastHTTPResponseStatus int        `json:"last_http_response_status"`
	Attempts               []struct{} `json:"emulator_attempts,omitempty"`
}

// Listed is what a listing reads of ev.
func (ev Event) Listed() ListedEvent {
	out := ListedEvent{ID: ev.ID, Type: ev.Type, CreatedAt: ev.CreatedAt, WebhookLogs: make([]ListedLog, len(ev.WebhookLogs))}
	for i, l := range ev.WebhookLogs {
		out.WebhookLogs[i] = ListedLog{WebhookID: l.WebhookID, URL: l.URL, FailedAttempts: l.FailedAttempts, LastAttemptedAt: l.LastAttemptedAt,
			LastHTTPResponseStatus: l.LastHTTPResponseStatus, Attempts: make([]struct{}, len(l.Attempts))}
	}
	return out
}

// ResendRequest is resendEvent_request.
type ResendRequest struct {
	WebhooksIDs []string `json:"webhooks_ids"`
}
