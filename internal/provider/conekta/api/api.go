// Package api holds Conekta's wire types for the webhooks API v2.3.0, decoded
// tolerantly: every field optional, legacy v2.1.0 fields accepted.
package api

import "encoding/json"

// Webhook is `webhook_response`.
type Webhook struct {
	ID               string   `json:"id,omitempty"`
	Object           string   `json:"object,omitempty"`
	URL              string   `json:"url,omitempty"`
	Status           string   `json:"status,omitempty"`
	Active           *bool    `json:"active,omitempty"`
	Livemode         *bool    `json:"livemode,omitempty"`
	Description      string   `json:"description,omitempty"`
	SubscribedEvents []string `json:"subscribed_events,omitempty"`

	// Legacy fields of v2.1.0 (removed in v2.2.0), still seen in Conekta's mock.
	Synchronous        *bool `json:"synchronous,omitempty"`
	ProductionEnabled  *bool `json:"production_enabled,omitempty"`
	DevelopmentEnabled *bool `json:"development_enabled,omitempty"`
	Deleted            *bool `json:"deleted,omitempty"`
}

// WebhookList is `get_webhooks_response`.
type WebhookList struct {
	Object          string            `json:"object,omitempty"`
	HasMore         bool              `json:"has_more"`
	NextPageURL     *string           `json:"next_page_url,omitempty"`
	PreviousPageURL *string           `json:"previous_page_url,omitempty"`
	Data            []json.RawMessage `json:"data"`
}

// CreateRequest is `webhook_request`.
type CreateRequest struct {
	URL              string   `json:"url"`
	SubscribedEvents []string `json:"subscribed_events,omitempty"`
}

// UpdateRequest is `update_webhook`.
type UpdateRequest struct {
	URL              *string  `json:"url,omitempty"`
	SubscribedEvents []string `json:"subscribed_events,omitempty"`
	Active           *bool    `json:"active,omitempty"`
}

// Error is Conekta's `error` model.
type Error struct {
	Object  string        `json:"object,omitempty"`
	Type    string        `json:"type,omitempty"`
	LogID   *string       `json:"log_id,omitempty"`
	Details []ErrorDetail `json:"details,omitempty"`
}

// ErrorDetail is `details_error`.
type ErrorDetail struct {
	Code         string  `json:"code,omitempty"`
	Param        *string `json:"param,omitempty"`
	Message      string  `json:"message,omitempty"`
	DebugMessage string  `json:"debug_message,omitempty"`
}

// WebhookKey is `webhook_key_response` (and `webhook_key_create_response`,
// which has no deactivated_at).
type WebhookKey struct {
	ID            string  `json:"id,omitempty"`
	Object        string  `json:"object,omitempty"`
	Active        *bool   `json:"active,omitempty"`
	Livemode      *bool   `json:"livemode,omitempty"`
	CreatedAt     *int64  `json:"created_at,omitempty"`
	DeactivatedAt *int64  `json:"deactivated_at,omitempty"`
	PublicKey     *string `json:"public_key,omitempty"`
	Deleted       *bool   `json:"deleted,omitempty"`
}

// WebhookKeyRequest is `webhook_key_request`.
type WebhookKeyRequest struct {
	Active bool `json:"active"`
}
