package provider

import (
	"context"
	"encoding/json"
)

// CapKeys is the KeyManager capability (`hookctl webhooks keys`). A provider
// without it explains why in Info.Help["keys"].
const CapKeys Capability = "keys"

// WebhookKey is the normalized delivery signing key of the command-line
// contract (`hookctl webhooks keys`).
type WebhookKey struct {
	Provider string `json:"provider"`
	ID       string `json:"id"`
	Active   bool   `json:"active"`
	// PublicKey is the PEM text; "" when the provider does not show it.
	PublicKey     string  `json:"public_key"`
	CreatedAt     *string `json:"created_at"`
	DeactivatedAt *string `json:"deactivated_at"`

	// Raw is the provider's payload as received (--raw).
	Raw json.RawMessage `json:"-"`
}

// KeyListOptions select what ListKeys returns.
type KeyListOptions struct {
	Limit int // at most this many keys; 0: the provider's default page
	All   bool
}

// KeyManager is the optional capability of managing the account's webhook
// signing keys.
type KeyManager interface {
	ListKeys(ctx context.Context, o KeyListOptions) ([]WebhookKey, error)
	GetKey(ctx context.Context, id string) (*WebhookKey, error)
	// CreateKey makes a key pair; the provider keeps the private half.
	CreateKey(ctx context.Context, active bool) (*WebhookKey, error)
	DeleteKey(ctx context.Context, id string) error
}
