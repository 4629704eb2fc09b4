package api

import "encoding/json"

// Message is one processed message of GET /webhooks/processed-messages,
// decoded tolerantly. Attempts is not a documented Bankly field (the
// emulator adds it); the adapter uses it when present.
type Message struct {
	MessageHead
	Attempts []MessageAttempt `json:"emulatorAttempts,omitempty"`
}

// MessageHead is a processed message but its attempts.
type MessageHead struct {
	ID              string `json:"id,omitempty"`
	IdempotencyKey  string `json:"idempotencyKey"`
	State           string `json:"state"`
	Destination     string `json:"destination"`
	SentDate        string `json:"sentDate"`
	EventName       string `json:"eventName"`
	Context         string `json:"context"`
	RetryCount      int    `json:"retryCount"`
	ElapsedCapture  string `json:"elapsedEventCapture,omitempty"`
	ElapsedHTTPCall string `json:"elapsedHttpCall,omitempty"`
}

// ListedMessage is what a listing of deliveries reads of a message: of its
// attempts, only the status codes.
type ListedMessage struct {
	MessageHead
	Attempts []AttemptStatus `json:"emulatorAttempts,omitempty"`
}

// AttemptStatus is the status code of one attempt.
type AttemptStatus struct {
	StatusCode int `json:"statusCode"`
}

// Listed is what a listing reads of m.
func (m Message) Listed() ListedMessage {
	out := ListedMessage{MessageHead: m.MessageHead}
	if m.Attempts != nil {
		out.Attempts = make([]AttemptStatus, len(m.Attempts))
		for i, a := range m.Attempts {
			out.Attempts[i].StatusCode = a.StatusCode
		}
	}
	return out
}

// MessageAttempt is one attempt as the emulator records it.
type MessageAttempt struct {
	AttemptedAt     string `json:"attemptedAt"`
	StatusCode      int    `json:"statusCode"`
	Error           string `json:"error,omitempty"`
	ResponseExcerpt string `json:"responseExcerpt"`
}

// BatchReprocessRequest is the body of POST /webhooks/processed-messages/batch
// (SDK evidence only).
type BatchReprocessRequest struct {
	StartDate  string   `json:"startDate"`
	EndDate    string   `json:"endDate"`
	Context    string   `json:"context,omitempty"`
	EventNames []string `json:"eventNames,omitempty"`
	EventState string   `json:"eventState,omitempty"`
}

// BatchReprocessAnswer is what the emulator answers to a batch; Bankly's
// own answer is unknown, so every field is optional.
type BatchReprocessAnswer struct {
	Data *struct {
		Total           *int     `json:"total"`
		IdempotencyKeys []string `json:"idempotencyKeys"`
	} `json:"data"`
}

// MessageList is the answer of the search, its items split in one pass.
type MessageList struct {
	Data []json.RawMessage `json:"data"`
	Meta *Meta             `json:"meta,omitempty"`
}

// MessagePage is the answer of the search decoded whole, in one pass.
type MessagePage struct {
	Data []ListedMessage `json:"data"`
	Meta *Meta           `json:"meta,omitempty"`
}
