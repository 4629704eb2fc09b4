package conekta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta/api"
)

// normalizeKey maps a webhook_key_response to the contract's WebhookKey.
func normalizeKey(raw json.RawMessage) (provider.WebhookKey, error) {
	var k api.WebhookKey
	if err := json.Unmarshal(raw, &k); err != nil {
		return provider.WebhookKey{}, fmt.Errorf("conekta: cannot decode a webhook key (%v): %s", err, provider.Snippet(raw))
	}
	if k.ID == "" {
		return provider.WebhookKey{}, fmt.Errorf("conekta: the answer holds a webhook key without an id: %s", provider.Snippet(raw))
	}
	out := provider.WebhookKey{Provider: Name, ID: k.ID, Active: k.Active == nil || *k.Active,
		CreatedAt: unixTime(k.CreatedAt), DeactivatedAt: unixTime(k.DeactivatedAt), Raw: raw}
	if k.PublicKey != nil {
		out.PublicKey = *k.PublicKey
	}
	return out, nil
}

// unixTime formats Conekta's Unix seconds as RFC 3339 (UTC); nil or 0 is nil.
func unixTime(s *int64) *string {
	if s == nil || *s == 0 {
		return nil
	}
	t := time.Unix(*s, 0).UTC().Format(time.RFC3339)
	return &t
}

// ListKeys implements provider.KeyManager: GET /webhook_keys, cursor pages
// of up to 250 (the default page is Conekta's 20).
func (c *Client) ListKeys(ctx context.Context, o provider.KeyListOptions) ([]provider.WebhookKey, error) {
	target := o.Limit
	if target == 0 && !o.All {
		target = DefaultLimit
	}
	pageSize := MaxPageSize
	if !o.All && target < MaxPageSize {
		pageSize = target
	}
	out := []provider.WebhookKey{}
	seen := map[string]bool{}
	cursor := ""
	for pages := 1; ; pages++ {
		q := url.Values{"limit": {fmt.Sprint(pageSize)}}
		if cursor != "" {
			q.Set("next", cursor)
		}
		var page api.WebhookList
		if _, err := c.do(ctx, http.MethodGet, "/webhook_keys", q, nil, &page); err != nil {
			return nil, err
		}
		fresh, last := 0, ""
		for _, raw := range page.Data {
			k, err := normalizeKey(raw)
			if err != nil {
				return nil, err
			}
			last = k.ID
			if seen[k.ID] {
				continue
			}
			seen[k.ID], fresh = true, fresh+1
			out = append(out, k)
			if target > 0 && len(out) >= target {
				return out, nil
			}
		}
		if !page.HasMore {
			return out, nil
		}
		if fresh == 0 {
			return nil, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page %d of webhook keys brought no new keys although Conekta says more follow", pages)}
		}
		next := nextCursor(page, "next", last)
		if next == cursor {
			return nil, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("Conekta's next cursor %q repeats after %d pages of webhook keys", next, pages)}
		}
		cursor = next
	}
}

// GetKey implements provider.KeyManager: GET /webhook_keys/{id}.
func (c *Client) GetKey(ctx context.Context, id string) (*provider.WebhookKey, error) {
	raw, err := c.do(ctx, http.MethodGet, "/webhook_keys/"+url.PathEscape(id), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	k, err := normalizeKey(raw)
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// CreateKey implements provider.KeyManager: POST /webhook_keys. Conekta
// shows the public key in this answer (list and get may leave it out).
func (c *Client) CreateKey(ctx context.Context, active bool) (*provider.WebhookKey, error) {
	raw, err := c.do(ctx, http.MethodPost, "/webhook_keys", nil, api.WebhookKeyRequest{Active: active}, nil)
	if err != nil {
		return nil, err
	}
	k, err := normalizeKey(raw)
	if err != nil {
		return nil, &provider.OutcomeUnknownError{Provider: Name, Op: "POST /webhook_keys", Err: err}
	}
	return &k, nil
}

// DeleteKey implements provider.KeyManager: DELETE /webhook_keys/{id}.
func (c *Client) DeleteKey(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/webhook_keys/"+url.PathEscape(id), nil, nil, nil)
	return err
}

var _ provider.KeyManager = (*Client)(nil)
