package provider

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Delivery is the normalized delivery of the command-line contract: one
// series of attempts of one event to one webhook.
type Delivery struct {
	Provider string `json:"provider"`
	// ID is the provider's id of what can be redelivered (an event id, a
	// message's idempotency key).
	ID        string  `json:"id"`
	Event     string  `json:"event"`
	Context   string  `json:"context"`
	WebhookID *string `json:"webhook_id"`
	URL       string  `json:"url"`
	// Status is DeliverySucceeded, DeliveryFailed or DeliveryPending.
	Status         string  `json:"status"`
	Attempts       int     `json:"attempts"`
	LastStatusCode *int    `json:"last_status_code"`
	LastAttemptAt  *string `json:"last_attempt_at"`
	CreatedAt      *string `json:"created_at"`

	// Raw is the provider's item as received (--raw).
	Raw json.RawMessage `json:"-"`
	// At orders deliveries: the creation time, else the last attempt's.
	At time.Time `json:"-"`
}

// Delivery statuses.
const (
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
	DeliveryPending   = "pending"
)

// DeliveryStatuses are the values of --status.
var DeliveryStatuses = []string{DeliverySucceeded, DeliveryFailed, DeliveryPending}

// DeliveryQuery selects deliveries.
type DeliveryQuery struct {
	Status string // "" or one of DeliveryStatuses
	// From and To bound the window; To zero means now.
	From, To time.Time
	Event    string
	// Limit is the most deliveries wanted (0: no bound, with All).
	Limit int
	All   bool
	// MaxItems bounds what one invocation reads (0: DefaultMaxItems).
	MaxItems int
	// Input holds the provider's declared inputs (--webhook, --context).
	Input Values
	// Debugf reports what is done client-side (--debug).
	Debugf func(format string, args ...any)
	// Progress, when set, is told the pages fetched of the total (0: unknown).
	Progress func(done, total int)
	// Raw asks for Delivery.Raw, the provider's item as received (--raw, or
	// a caller that reads more of it); without it a provider may decode a
	// page in one pass and leave Raw empty.
	Raw bool
}

// Report calls Progress when set.
func (q DeliveryQuery) Report(done, total int) {
	if q.Progress != nil {
		q.Progress(done, total)
	}
}

// Debug calls Debugf when set.
func (q DeliveryQuery) Debug(format string, args ...any) {
	if q.Debugf != nil {
		q.Debugf(format, args...)
	}
}

// Matches applies the provider-neutral filters a provider may lack
// server-side: status, event and the time window.
func (q DeliveryQuery) Matches(d Delivery) bool {
	if q.Status != "" && d.Status != q.Status {
		return false
	}
	if q.Event != "" && d.Event != q.Event {
		return false
	}
	if !d.At.IsZero() && (d.At.Before(q.From) || (!q.To.IsZero() && d.At.After(q.To))) {
		return false
	}
	return true
}

// ErrStop, returned by a page callback, ends a listing early without error.
var ErrStop = errors.New("stop listing")

// DeliveryLister is the optional capability of listing deliveries. It calls
// page with each page of deliveries, in a stable order (newest first, as
// the provider lists them), as the pages arrive, so that a long listing
// never sits in memory; more reports whether deliveries beyond Limit exist.
type DeliveryLister interface {
	ListDeliveries(ctx context.Context, q DeliveryQuery, page func([]Delivery) error) (more bool, err error)
}

// Attempt is one POST of a delivery, when the provider tells them apart.
type Attempt struct {
	At         *string `json:"at"`
	StatusCode *int    `json:"status_code"`
	Error      string  `json:"error,omitempty"`
	// Response is an excerpt of the receiver's answer: secrets redacted,
	// control characters neutralised.
	Response string `json:"response,omitempty"`
}

// DeliveryLog is one delivery of an event with every attempt known.
type DeliveryLog struct {
	Delivery
	History []Attempt `json:"history"`
	// LastResponse is the excerpt of the last answer (redacted, neutralised).
	LastResponse string `json:"last_response"`
}

// DeliveryDetail is what `deliveries get` shows: the event and its
// deliveries, one per webhook.
type DeliveryDetail struct {
	Provider   string        `json:"provider"`
	ID         string        `json:"id"`
	Event      string        `json:"event"`
	Context    string        `json:"context"`
	CreatedAt  *string       `json:"created_at"`
	Deliveries []DeliveryLog `json:"deliveries"`
	// Payload is the event as delivered, when the provider serves it.
	Payload json.RawMessage `json:"payload"`

	Raw json.RawMessage `json:"-"`
}

// DeliveryGetter is the optional capability of showing one delivery.
type DeliveryGetter interface {
	GetDelivery(ctx context.Context, id string, q DeliveryQuery) (*DeliveryDetail, error)
}

// RedeliverOptions are the input of one redelivery.
type RedeliverOptions struct {
	// Input holds the provider's declared inputs (--to).
	Input Values
	// Webhooks, when set, are the webhooks (Delivery.WebhookID) to resend
	// to, where the provider can choose: those of the failed deliveries.
	Webhooks []string
}

// Redeliverer is the optional capability of sending a delivery again.
type Redeliverer interface {
	Redeliver(ctx context.Context, id string, o RedeliverOptions) error
}

// RedeliverResult is one line of redeliver's output.
type RedeliverResult struct {
	ID          string  `json:"id"`
	Redelivered bool    `json:"redelivered"`
	Error       *string `json:"error"`
}

// BatchRedeliverer is the optional capability of resending the failed
// deliveries of a window in one request. want are the deliveries the user
// confirmed (every failed one of q's window); handled is false when the
// provider cannot resend exactly those at once (the caller then goes one by
// one), and results tell, per id of want, what happened.
type BatchRedeliverer interface {
	RedeliverFailed(ctx context.Context, q DeliveryQuery, want []Delivery) (results []RedeliverResult, handled bool, err error)
}

// Capabilities of deliveries, for Info.Capabilities.
const (
	CapDeliveries Capability = "deliveries"
	CapRedeliver  Capability = "redeliver"
)

// Verbs of the deliveries group, as provider flags name them.
const (
	VerbDeliveriesList      = "deliveries list"
	VerbDeliveriesGet       = "deliveries get"
	VerbDeliveriesRedeliver = "deliveries redeliver"
)
