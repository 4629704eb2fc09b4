package conekta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta/api"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/termsafe"
)

// Names of the deliveries inputs Conekta declares.
const (
	inWebhook = "webhook"
	inTo      = "to"
)

// excerptBytes bounds a receiver's answer shown by `deliveries get`.
const excerptBytes = 200

// ListDeliveries implements provider.DeliveryLister: GET /events, newest
// first, by cursor pages of 250; each event's webhook_logs become its
// deliveries. Conekta filters none of them server-side: status, event,
// webhook and the window are applied here, and the walk stops at the first
// event older than the window.
func (c *Client) ListDeliveries(ctx context.Context, q provider.DeliveryQuery, emit func([]provider.Delivery) error) (bool, error) {
	maxItems := q.MaxItems
	if maxItems <= 0 {
		maxItems = provider.DefaultMaxItems
	}
	q.Debug("conekta: GET /events has no status, type, webhook or date filters: filtering client-side, stopping at the first event before %s", q.From.UTC().Format(time.RFC3339))
	var hook *webhookRef
	if id := q.Input.String(inWebhook); id != "" {
		w, err := c.Get(ctx, id)
		if err != nil {
			return false, err
		}
		hook = &webhookRef{id: w.ID, url: rawURL(w)}
	}
	hooks := &webhookIndex{c: c}
	sent := map[string]bool{}
	n, read := 0, 0
	// With --all, the next page is asked for as soon as its cursor is known,
	// while this one is decoded and printed: the pages come one cursor at a
	// time, and the work on each would otherwise add to every round trip.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := c.fetchEvents(pctx, "", q.Raw)
	for pages := 1; ; pages++ {
		fetch := pending
		prefetched := false
		// The cursor is read from the page before the page is decoded whole,
		// so that the next round trip overlaps the decoding too.
		if head := <-fetch.head; q.All && head != nil && head.HasMore && len(head.Data) > 0 {
			tail := head.Data[len(head.Data)-1]
			if !(tail.CreatedAt > 0 && time.Unix(tail.CreatedAt, 0).Before(q.From)) {
				if next := nextEventCursor(head.NextPageURL, tail.ID); next != "" && !sent[next] {
					sent[next] = true
					pending, prefetched = c.fetchEvents(pctx, next, q.Raw), true
				}
			}
		}
		page := <-fetch.page
		if page.err != nil {
			return false, page.err
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
		q.Report(pages, 0)
		var out []provider.Delivery
		older, last := false, ""
		for i, ev := range page.events {
			last = ev.ID
			created := time.Unix(ev.CreatedAt, 0)
			if ev.CreatedAt > 0 && created.Before(q.From) {
				older = true
				break
			}
			if read++; read > maxItems {
				return false, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("the window holds more than {max-items} %d events: narrow it (--since, --from/--to) or raise {max-items}", maxItems)}
			}
			var raw json.RawMessage
			if page.raws != nil {
				raw = page.raws[i]
			}
			for _, l := range ev.WebhookLogs {
				if hook != nil && l.WebhookID != hook.id && (l.WebhookID != "" || l.URL != hook.url) {
					continue
				}
				d := delivery(ev, l, raw)
				if d.WebhookID == nil {
					if id, err := hooks.id(ctx, l.URL); err == nil && id != "" {
						d.WebhookID = &id
					}
				}
				if !q.Matches(d) {
					continue
				}
				if q.Limit > 0 && n >= q.Limit {
					if err := emitPage(emit, out); err != nil {
						return false, err
					}
					return true, nil
				}
				out = append(out, d)
				n++
			}
		}
		if err := emitPage(emit, out); err != nil {
			return false, err
		}
		if older || !page.hasMore {
			return false, nil
		}
		if prefetched {
			continue
		}
		next := nextEventCursor(page.next, last)
		if next == "" || sent[next] {
			return false, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("Conekta's next cursor %q repeats after %d pages", next, pages)}
		}
		sent[next] = true
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		pending = c.fetchEvents(pctx, next, q.Raw)
	}
}

// eventPage is one page of GET /events, decoded.
type eventPage struct {
	hasMore bool
	next    *string
	events  []api.ListedEvent
	raws    []json.RawMessage // each event as received, when asked for
	err     error
}

// eventFetch is one GET /events in flight: head is its cursor (nil when the
// request or the decoding failed), page the page decoded whole.
type eventFetch struct {
	head chan *api.EventCursor
	page chan *eventPage
}

// fetchEvents asks for the page of events after cursor ("" the first). The
// page is decoded in one pass, or, with raw, item by item to keep each as
// received.
func (c *Client) fetchEvents(ctx context.Context, cursor string, raw bool) *eventFetch {
	f := &eventFetch{head: make(chan *api.EventCursor, 1), page: make(chan *eventPage, 1)}
	go func() {
		qs := url.Values{"limit": {fmt.Sprint(MaxPageSize)}}
		if cursor != "" {
			qs.Set("next", cursor)
		}
		body, err := c.do(ctx, http.MethodGet, "/events", qs, nil, nil)
		if err != nil {
			f.head <- nil
			f.page <- &eventPage{err: err}
			return
		}
		var head api.EventCursor
		if jsonx.Unmarshal(body, &head) == nil {
			f.head <- &head
		} else {
			f.head <- nil
		}
		f.page <- decodeEvents(body, raw)
	}()
	return f
}

func decodeEvents(body []byte, raw bool) *eventPage {
	notList := func(err error) *eventPage {
		return &eventPage{err: fmt.Errorf("conekta: the answer to GET /events is not a list of events (%v): %s", err, provider.Snippet(body))}
	}
	p := &eventPage{}
	if !raw {
		var l api.EventPage
		if err := jsonx.Unmarshal(body, &l); err != nil {
			return notList(err)
		}
		for i, ev := range l.Data {
			if ev.ID == "" {
				return &eventPage{err: fmt.Errorf("conekta: event %d of the page has no id: %s", i+1, provider.Snippet(body))}
			}
		}
		p.hasMore, p.next, p.events = l.HasMore, l.NextPageURL, l.Data
		return p
	}
	var l api.EventList
	if err := jsonx.Unmarshal(body, &l); err != nil {
		return notList(err)
	}
	p.hasMore, p.next, p.raws = l.HasMore, l.NextPageURL, l.Data
	p.events = make([]api.ListedEvent, len(l.Data))
	for i, it := range l.Data {
		var ev api.Event
		if err := jsonx.Unmarshal(it, &ev); err != nil || ev.ID == "" {
			return &eventPage{err: fmt.Errorf("conekta: cannot decode an event (%v): %s", err, provider.Snippet(it))}
		}
		p.events[i] = ev.Listed()
	}
	return p
}

func emitPage(emit func([]provider.Delivery) error, out []provider.Delivery) error {
	if len(out) == 0 {
		return nil
	}
	err := emit(out)
	if errors.Is(err, provider.ErrStop) {
		return nil
	}
	return err
}

func nextEventCursor(nextURL *string, last string) string {
	if nextURL != nil {
		if u, err := url.Parse(*nextURL); err == nil {
			if v := u.Query().Get("next"); v != "" {
				return v
			}
		}
	}
	return last
}

type webhookRef struct{ id, url string }

// rawURL is a webhook's URL as Conekta holds it (the normalized one may be redacted).
func rawURL(w *provider.Webhook) string {
	var a api.Webhook
	if json.Unmarshal(w.Raw, &a) == nil && a.URL != "" {
		return a.URL
	}
	return w.URL
}

// webhookIndex finds a webhook's id by its URL: Conekta's webhook logs name
// only the URL. The account's webhooks (at most 10) are read once, when a
// log first needs it.
type webhookIndex struct {
	c      *Client
	loaded bool
	err    error
	byURL  map[string]string
}

func (x *webhookIndex) id(ctx context.Context, u string) (string, error) {
	if !x.loaded {
		x.loaded = true
		res, err := x.c.List(ctx, provider.ListOptions{All: true})
		if err != nil {
			x.err = err
		} else {
			x.byURL = map[string]string{}
			for _, w := range res.Items {
				x.byURL[rawURL(&w)] = w.ID
			}
		}
	}
	return x.byURL[u], x.err
}

func unixString(t int64) *string {
	if t <= 0 {
		return nil
	}
	s := time.Unix(t, 0).UTC().Format(time.RFC3339)
	return &s
}

// delivery normalizes one webhook log of ev. Conekta tells how many
// attempts failed and the last status: a log never attempted is pending, a
// 2xx last status succeeded, anything else failed.
func delivery(ev api.ListedEvent, l api.ListedLog, raw json.RawMessage) provider.Delivery {
	d := provider.Delivery{Provider: Name, ID: ev.ID, Event: ev.Type, URL: redact.URL(l.URL),
		CreatedAt: unixString(ev.CreatedAt), LastAttemptAt: unixString(l.LastAttemptedAt), Raw: raw}
	if l.WebhookID != "" {
		id := l.WebhookID
		d.WebhookID = &id
	}
	ok := l.LastHTTPResponseStatus >= 200 && l.LastHTTPResponseStatus <= 299
	switch {
	case l.LastAttemptedAt == 0 && l.FailedAttempts == 0 && l.LastHTTPResponseStatus == 0:
		d.Status = provider.DeliveryPending
	case ok:
		d.Status = provider.DeliverySucceeded
	default:
		d.Status = provider.DeliveryFailed
	}
	d.Attempts = l.FailedAttempts
	if ok {
		d.Attempts++
	}
	if len(l.Attempts) > d.Attempts {
		d.Attempts = len(l.Attempts)
	}
	if l.LastHTTPResponseStatus != 0 {
		code := l.LastHTTPResponseStatus
		d.LastStatusCode = &code
	}
	d.At = time.Unix(ev.CreatedAt, 0)
	if ev.CreatedAt == 0 {
		d.At = time.Unix(l.LastAttemptedAt, 0)
	}
	return d
}

// GetDelivery implements provider.DeliveryGetter: GET /events/{id}.
func (c *Client) GetDelivery(ctx context.Context, id string, q provider.DeliveryQuery) (*provider.DeliveryDetail, error) {
	raw, err := c.do(ctx, http.MethodGet, "/events/"+url.PathEscape(id), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	var ev api.Event
	if err := json.Unmarshal(raw, &ev); err != nil || ev.ID == "" {
		return nil, fmt.Errorf("conekta: cannot decode the event (%v): %s", err, provider.Snippet(raw))
	}
	out := &provider.DeliveryDetail{Provider: Name, ID: ev.ID, Event: ev.Type, CreatedAt: unixString(ev.CreatedAt),
		Deliveries: []provider.DeliveryLog{}, Raw: raw}
	payload := map[string]any{"id": ev.ID, "object": "event", "type": ev.Type, "created_at": ev.CreatedAt}
	if ev.Livemode != nil {
		payload["livemode"] = *ev.Livemode
	}
	if len(ev.Data) > 0 {
		payload["data"] = json.RawMessage(c.redactor.Bytes(ev.Data))
	}
	out.Payload, _ = json.Marshal(payload)
	hooks := &webhookIndex{c: c}
	listed := ev.Listed()
	for i, l := range ev.WebhookLogs {
		d := delivery(listed, listed.WebhookLogs[i], nil)
		if d.WebhookID == nil {
			if wid, err := hooks.id(ctx, l.URL); err == nil && wid != "" {
				d.WebhookID = &wid
			}
		}
		dl := provider.DeliveryLog{Delivery: d, History: []provider.Attempt{}}
		for _, a := range l.Attempts {
			at := provider.Attempt{At: unixString(a.AttemptedAt), Error: c.excerpt(a.Error), Response: c.excerpt(a.ResponseExcerpt)}
			if a.HTTPStatus != 0 {
				code := a.HTTPStatus
				at.StatusCode = &code
			}
			dl.History = append(dl.History, at)
		}
		if len(l.ResponseData) > 0 && string(l.ResponseData) != "{}" && string(l.ResponseData) != "null" {
			dl.LastResponse = c.excerpt(string(l.ResponseData))
		} else if n := len(dl.History); n > 0 {
			dl.LastResponse = dl.History[n-1].Response
		}
		out.Deliveries = append(out.Deliveries, dl)
	}
	return out, nil
}

// excerpt is a receiver's answer as hookctl shows it: secrets redacted,
// control characters neutralised, at most excerptBytes.
func (c *Client) excerpt(s string) string {
	return termsafe.Line(redact.Cut(c.redactor.String(s), excerptBytes))
}

// Redeliver implements provider.Redeliverer: POST /events/{id}/resend with
// webhooks_ids, which the spec requires: the webhooks of --to, else those
// the event's logs name.
func (c *Client) Redeliver(ctx context.Context, id string, o provider.RedeliverOptions) error {
	ids := o.Input.Strings(inTo)
	if len(ids) == 0 {
		ids = o.Webhooks
	}
	for _, w := range ids {
		if strings.TrimSpace(w) == "" {
			return provider.Invalidf(inTo, "{to} holds an empty webhook id: remove the extra comma")
		}
	}
	if len(ids) == 0 {
		d, err := c.GetDelivery(ctx, id, provider.DeliveryQuery{})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, l := range d.Deliveries {
			if l.WebhookID == nil {
				return fmt.Errorf("conekta: event %s was delivered to %s, which is no webhook of the account now: pass --to WEBHOOK_ID", id, l.URL)
			}
			if !seen[*l.WebhookID] {
				seen[*l.WebhookID] = true
				ids = append(ids, *l.WebhookID)
			}
		}
		if len(ids) == 0 {
			return fmt.Errorf("conekta: event %s has no webhook logs, so no webhook to resend it to: pass --to WEBHOOK_ID", id)
		}
	}
	_, err := c.do(ctx, http.MethodPost, "/events/"+url.PathEscape(id)+"/resend", nil, api.ResendRequest{WebhooksIDs: ids}, nil)
	return err
}

var (
	_ provider.DeliveryLister = (*Client)(nil)
	_ provider.DeliveryGetter = (*Client)(nil)
	_ provider.Redeliverer    = (*Client)(nil)
)
