// Package api holds Bankly's wire types for webhook configurations, decoded
// tolerantly: every field optional.
package api

import "encoding/json"

// Configuration is one webhook configuration as Bankly returns it.
type Configuration struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Context   string `json:"context,omitempty"`
	EventName string `json:"eventName,omitempty"`
	URI       string `json:"uri,omitempty"`
	PublicKey string `json:"publicKey,omitempty"`
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
	Status    string `json:"status,omitempty"`
}

// Envelope is `{data, links, meta}`; data is an object or an array.
type Envelope struct {
	Data  json.RawMessage `json:"data"`
	Links []Link          `json:"links,omitempty"`
	Meta  *Meta           `json:"meta,omitempty"`
}

// ListEnvelope is the answer of the list endpoint, split into its items in
// one pass.
type ListEnvelope struct {
	Data []json.RawMessage `json:"data"`
	Meta *Meta             `json:"meta,omitempty"`
}

// Link is a HATEOAS link.
type Link struct {
	URL    string `json:"url"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

// Meta is the paging metadata of a list.
type Meta struct {
	Page     int  `json:"page"`
	PageSize int  `json:"pageSize"`
	Total    *int `json:"total"`
}

// CreateRequest is the body of POST /webhooks/configurations.
type CreateRequest struct {
	Name       string `json:"name"`
	Context    string `json:"context"`
	EventName  string `json:"eventName"`
	URI        string `json:"uri"`
	PrivateKey string `json:"privateKey"`
	PublicKey  string `json:"publicKey"`
}

// UpdateRequest is the full body of PATCH /webhooks/configurations/{id}.
type UpdateRequest struct {
	PrivateKey string `json:"privateKey"`
	PublicKey  string `json:"publicKey"`
	URI        string `json:"uri"`
}

// Error is the union of the error shapes Bankly answers with.
type Error struct {
	Errors    []ErrorItem `json:"errors,omitempty"`
	Title     string      `json:"title,omitempty"`
	Status    int         `json:"status,omitempty"`
	TraceID   string      `json:"traceId,omitempty"`
	Reference string      `json:"reference,omitempty"`
	Code      string      `json:"code,omitempty"`
	Message   string      `json:"message,omitempty"`
	ErrorKey  string      `json:"errorKey,omitempty"`
}

// ErrorItem is one entry of `errors[]`.
type ErrorItem struct {
	Code         string   `json:"code,omitempty"`
	PropertyName string   `json:"propertyName,omitempty"`
	Messages     []string `json:"messages,omitempty"`
	Message      string   `json:"message,omitempty"`
}

// Token is the OAuth2 token answer.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}
