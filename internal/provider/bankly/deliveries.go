package bankly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/termsafe"
)

const (
	// MaxMessageAgeMonths is how far back Bankly searches processed messages.
	MaxMessageAgeMonths = 6
	// BatchMaxDaysWithoutContext is the longest batch range without a context.
	BatchMaxDaysWithoutContext = 30
	// messageWindow bounds the pages of processed messages in flight (and
	// held) at once: Bankly's burst of the rate budget.
	messageWindow = 90
	messagesPath  = "/webhooks/processed-messages"
	inContext     = "context"
	dateLayout    = "2006-01-02"
	excerptBytes  = 200
)

// sentDate layouts Bankly writes (no zone: read as UTC).
var sentLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", time.RFC3339Nano}

var states = map[string]string{
	provider.DeliverySucceeded: "Success",
	provider.DeliveryFailed:    "Failed",
	provider.DeliveryPending:   "Hold",
}

// oldestDay is the first day Bankly's search accepts.
func (c *Client) oldestDay() time.Time {
	today := c.now().UTC().Truncate(24 * time.Hour)
	return today.AddDate(0, -MaxMessageAgeMonths, 0)
}

// checkWindow refuses, before any request, a window Bankly would refuse.
func (c *Client) checkWindow(q provider.DeliveryQuery) error {
	if q.From.UTC().Truncate(24 * time.Hour).Before(c.oldestDay()) {
		return provider.Invalidf("from", "the window starts %s, more than %d months ago: Bankly searches processed messages from %s on; give a later {from} (or a shorter {since})",
			q.From.UTC().Format(dateLayout), MaxMessageAgeMonths, c.oldestDay().Format(dateLayout))
	}
	if !q.To.IsZero() && q.To.Before(q.From) {
		return provider.Invalidf("to", "{to} is before {from}: give a window that ends after it starts")
	}
	return nil
}

type messagePage struct {
	items []provider.Delivery
	total int // -1 when Bankly gave none
	n     int
	err   error
}

func (c *Client) messageQuery(q provider.DeliveryQuery, page, size int) url.Values {
	to := q.To
	if to.IsZero() {
		to = c.now()
	}
	v := url.Values{"startDate": {q.From.UTC().Format(dateLayout)}, "endDate": {to.UTC().Format(dateLayout)},
		"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(size)}}
	if s := states[q.Status]; s != "" {
		v.Set("state", s)
	}
	if q.Event != "" {
		v.Set("eventName", q.Event)
	}
	if ctx := q.Input.String(inContext); ctx != "" {
		v.Set("context", ctx)
	}
	return v
}

func (c *Client) fetchMessages(ctx context.Context, q provider.DeliveryQuery, n, size int) *messagePage {
	p := &messagePage{n: n, total: -1}
	if err := c.limiter.Wait(ctx); err != nil {
		p.err = err
		return p
	}
	raw, err := c.do(ctx, http.MethodGet, messagesPath, c.messageQuery(q, n, size), nil)
	if err != nil {
		p.err = err
		return p
	}
	meta, err := decodeMessages(raw, size, n, q.Raw, p)
	if err != nil {
		p.err = err
		return p
	}
	if meta != nil && meta.Total != nil {
		p.total = *meta.Total
		if p.total < 0 || p.total > maxTotal {
			p.err = &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page %d reports a total of %d messages, which is not a count", n, p.total)}
		}
	}
	return p
}

// decodeMessages decodes a page of the search into p's items: in one pass,
// or, with raw, item by item to keep each as received.
func decodeMessages(body []byte, size, n int, raw bool, p *messagePage) (*api.Meta, error) {
	notList := func(err error) error {
		return fmt.Errorf("bankly: the answer to GET %s is not a list of messages (%v): %s", messagesPath, err, provider.Snippet(body))
	}
	tooMany := func(got int) error {
		return &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page %d holds %d messages, more than the %d asked", n, got, size)}
	}
	if !raw {
		l, ok := api.ScanMessagePage(body, size)
		if !ok {
			if err := jsonx.Unmarshal(body, &l); err != nil {
				return nil, notList(err)
			}
		}
		if len(l.Data) > size {
			return nil, tooMany(len(l.Data))
		}
		p.items = make([]provider.Delivery, 0, len(l.Data))
		for i, m := range l.Data {
			if m.IdempotencyKey == "" {
				return nil, fmt.Errorf("bankly: processed message %d of page %d has no idempotencyKey: %s", i+1, n, provider.Snippet(body))
			}
			p.items = append(p.items, messageDelivery(m, nil))
		}
		detach(p.items)
		return l.Meta, nil
	}
	var l api.MessageList
	if err := jsonx.Unmarshal(body, &l); err != nil {
		return nil, notList(err)
	}
	if len(l.Data) > size {
		return nil, tooMany(len(l.Data))
	}
	for _, it := range l.Data {
		var m api.Message
		if err := jsonx.Unmarshal(it, &m); err != nil || m.IdempotencyKey == "" {
			return nil, fmt.Errorf("bankly: cannot decode a processed message (%v): %s", err, provider.Snippet(it))
		}
		p.items = append(p.items, messageDelivery(m.Listed(), it))
	}
	return l.Meta, nil
}

// detach copies the strings of items that may be views of the page they
// were read from (jsonx.Scanner's) into one string of their own: a delivery
// kept for the rest of a listing (the ids seen, a redeliver's list) then
// keeps a few bytes alive, not its whole page.
func detach(items []provider.Delivery) {
	n := 0
	for i := range items {
		d := &items[i]
		n += len(d.ID) + len(d.Event) + len(d.Context) + len(d.URL)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range items {
		d := &items[i]
		b.WriteString(d.ID)
		b.WriteString(d.Event)
		b.WriteString(d.Context)
		b.WriteString(d.URL)
	}
	all, at := b.String(), 0
	cut := func(s *string) {
		*s, at = all[at:at+len(*s)], at+len(*s)
	}
	for i := range items {
		d := &items[i]
		cut(&d.ID)
		cut(&d.Event)
		cut(&d.Context)
		cut(&d.URL)
	}
}

func parseSent(s string) (time.Time, bool) {
	for _, l := range sentLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func messageDelivery(m api.ListedMessage, raw json.RawMessage) provider.Delivery {
	d := provider.Delivery{Provider: Name, ID: m.IdempotencyKey, Event: m.EventName, Context: m.Context,
		URL: redact.URL(m.Destination), Raw: raw}
	switch m.State {
	case "Success":
		d.Status = provider.DeliverySucceeded
	case "Failed":
		d.Status = provider.DeliveryFailed
	default:
		d.Status = provider.DeliveryPending
	}
	if t, ok := parseSent(m.SentDate); ok {
		s := t.Format(time.RFC3339)
		d.LastAttemptAt, d.At = &s, t
	}
	switch {
	case m.Attempts != nil:
		d.Attempts = len(m.Attempts)
		if n := len(m.Attempts); n > 0 && m.Attempts[n-1].StatusCode != 0 {
			code := m.Attempts[n-1].StatusCode
			d.LastStatusCode = &code
		}
	case m.State != "Hold" || m.RetryCount > 0:
		d.Attempts = m.RetryCount + 1
	}
	return d
}

// ListDeliveries implements provider.DeliveryLister: GET
// /webhooks/processed-messages with the window's dates, state, eventName and
// context, 100 a page. Once the first page gives meta.total, the remaining
// pages are fetched at once within the rate budget (at most messageWindow
// in flight, and held), and emitted in page order as they arrive.
func (c *Client) ListDeliveries(ctx context.Context, q provider.DeliveryQuery, emit func([]provider.Delivery) error) (bool, error) {
	if err := c.checkWindow(q); err != nil {
		return false, err
	}
	maxItems := q.MaxItems
	if maxItems <= 0 {
		maxItems = provider.DefaultMaxItems
	}
	q.Debug("bankly: the search takes whole days (startDate %s, endDate %s): filtering the window's times client-side on sentDate",
		q.From.UTC().Format(dateLayout), c.messageQuery(q, 1, 1).Get("endDate"))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	size := MaxPageSize
	first := c.fetchMessages(ctx, q, 1, size)
	if first.err != nil {
		return false, first.err
	}
	if first.total > maxItems && (q.Limit == 0 || q.Limit > maxItems) {
		return false, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("Bankly reports %d messages in the window, more than {max-items} %d: narrow it (--since, --from/--to, --status, --event) or raise {max-items}", first.total, maxItems)}
	}
	e := &emitter{q: q, emit: emit, seen: make(map[string]bool, min(max(first.total, 0), maxItems))}
	pages := 0
	if first.total >= 0 {
		pages = (first.total + size - 1) / size
	}
	q.Report(1, pages)
	if stop, err := e.page(first); stop || err != nil {
		return e.more, err
	}
	switch {
	case first.total >= 0:
		err := c.fetchWindowed(ctx, q, size, 2, pages, func(p *messagePage) (bool, error) {
			q.Report(p.n, pages)
			return e.page(p)
		})
		return e.more, err
	default:
		for n, last := 2, first; len(last.items) == size; n++ {
			if e.read >= maxItems {
				return false, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("more than {max-items} %d messages: narrow the window or raise {max-items}", maxItems)}
			}
			last = c.fetchMessages(ctx, q, n, size)
			if last.err != nil {
				return false, last.err
			}
			q.Report(n, 0)
			if stop, err := e.page(last); stop || err != nil {
				return e.more, err
			}
		}
		return false, nil
	}
}

// emitter applies the client-side filters and the limit to pages in order.
type emitter struct {
	q    provider.DeliveryQuery
	emit func([]provider.Delivery) error
	seen map[string]bool
	n    int // emitted
	read int // items read
	used int // items of the last page looked at
	more bool
}

// page emits p's deliveries; stop is true when no more are wanted.
func (e *emitter) page(p *messagePage) (stop bool, err error) {
	// Kept items move to the front of the page's own array: out never
	// overtakes the loop, and the page is not read again but for its length.
	out := p.items[:0]
	e.used = 0
	for _, d := range p.items {
		e.read++
		e.used++
		if e.seen[d.ID] { // a message that moved between pages is listed once
			continue
		}
		e.seen[d.ID] = true
		if !e.q.Matches(d) {
			continue
		}
		if e.q.Limit > 0 && e.n >= e.q.Limit {
			e.more = true
			stop = true
			break
		}
		out = append(out, d)
		e.n++
	}
	if len(out) > 0 {
		if err := e.emit(out); err != nil {
			if errors.Is(err, provider.ErrStop) {
				return true, nil
			}
			return true, err
		}
	}
	if !stop && e.q.Limit > 0 && e.n >= e.q.Limit {
		// Whether more exist is known only if they are looked for: the rest
		// of the page, or the pages after it.
		stop = true
		e.more = e.more || e.used < len(p.items) || p.total > e.read
	}
	return stop, nil
}

// fetchWindowed fetches pages from..to with at most messageWindow in flight
// and hands them to use in order; use returning stop ends it.
func (c *Client) fetchWindowed(ctx context.Context, q provider.DeliveryQuery, size, from, to int, use func(*messagePage) (bool, error)) error {
	if to < from {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan *messagePage, to-from+1)
	for i := range results {
		results[i] = make(chan *messagePage, 1)
	}
	slots := make(chan struct{}, messageWindow)
	go func() {
		for n := from; n <= to; n++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(n int) { results[n-from] <- c.fetchMessages(ctx, q, n, size) }(n)
		}
	}()
	for n := from; n <= to; n++ {
		var p *messagePage
		select {
		case p = <-results[n-from]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if p.err != nil {
			return p.err
		}
		stop, err := use(p)
		<-slots
		if stop || err != nil {
			return err
		}
	}
	return nil
}

// GetDelivery implements provider.DeliveryGetter. Bankly has no lookup by
// idempotencyKey: hookctl searches the processed messages of the window
// (default: as far back as Bankly searches) and stops at the first match.
func (c *Client) GetDelivery(ctx context.Context, key string, q provider.DeliveryQuery) (*provider.DeliveryDetail, error) {
	if q.From.IsZero() {
		q.From = c.oldestDay()
	}
	q.Status, q.Event, q.Limit, q.All, q.Raw = "", "", 0, true, true
	q.Debug("bankly: no lookup by idempotencyKey is documented: searching the processed messages from %s for %s", q.From.UTC().Format(dateLayout), key)
	var found *provider.Delivery
	_, err := c.ListDeliveries(ctx, q, func(page []provider.Delivery) error {
		for i := range page {
			if page[i].ID == key {
				found = &page[i]
				return provider.ErrStop
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, &provider.APIError{Provider: Name, Status: http.StatusNotFound,
			Message: fmt.Sprintf("no processed message with idempotencyKey %s since %s", key, q.From.UTC().Format(dateLayout))}
	}
	var m api.Message
	_ = json.Unmarshal(found.Raw, &m)
	out := &provider.DeliveryDetail{Provider: Name, ID: key, Event: found.Event, Context: found.Context,
		Raw: found.Raw, Payload: nil}
	dl := provider.DeliveryLog{Delivery: *found, History: []provider.Attempt{}}
	for _, a := range m.Attempts {
		at := provider.Attempt{Error: c.excerpt(a.Error), Response: c.excerpt(a.ResponseExcerpt)}
		if t, ok := parseSent(a.AttemptedAt); ok {
			s := t.Format(time.RFC3339)
			at.At = &s
		}
		if a.StatusCode != 0 {
			code := a.StatusCode
			at.StatusCode = &code
		}
		dl.History = append(dl.History, at)
	}
	if n := len(dl.History); n > 0 {
		dl.LastResponse = dl.History[n-1].Response
	}
	out.Deliveries = []provider.DeliveryLog{dl}
	return out, nil
}

func (c *Client) excerpt(s string) string {
	return termsafe.Line(redact.Cut(c.redactor.String(s), excerptBytes))
}

// Redeliver implements provider.Redeliverer: POST
// /webhooks/processed-messages/{idempotencyKey}, no body.
func (c *Client) Redeliver(ctx context.Context, key string, o provider.RedeliverOptions) error {
	path := messagesPath + "/" + url.PathEscape(key)
	_, err := c.do(ctx, http.MethodPost, path, nil, nil)
	return unknownAfterSend(path, err)
}

// unknownAfterSend makes a resend whose answer was lost an unknown outcome.
func unknownAfterSend(path string, err error) error {
	var ne *httpx.NetworkError
	if err != nil && errors.As(err, &ne) {
		return &provider.OutcomeUnknownError{Provider: Name, Op: "POST " + path, Err: err}
	}
	return err
}

// RedeliverFailed implements provider.BatchRedeliverer with POST
// /webhooks/processed-messages/batch (SDK evidence only). It applies when
// the window is whole days (the batch takes dates) and, over 30 days, has a
// context; a 404 or 405 means the tenant lacks it: one by one then.
func (c *Client) RedeliverFailed(ctx context.Context, q provider.DeliveryQuery, want []provider.Delivery) ([]provider.RedeliverResult, bool, error) {
	midnight := func(t time.Time) bool { return t.UTC().Equal(t.UTC().Truncate(24 * time.Hour)) }
	to := q.To
	if !to.IsZero() {
		to = to.Add(time.Nanosecond) // an end of day is given as its last instant
	}
	if !midnight(q.From) || (!to.IsZero() && !midnight(to)) {
		q.Debug("bankly: the batch reprocess takes whole days and the window is not: resending one by one")
		return nil, false, nil
	}
	end := c.now().UTC()
	if !to.IsZero() {
		end = to.Add(-24 * time.Hour)
	}
	body := api.BatchReprocessRequest{StartDate: q.From.UTC().Format(dateLayout), EndDate: end.Format(dateLayout),
		Context: q.Input.String(inContext), EventState: "Failed"}
	if q.Event != "" {
		body.EventNames = []string{q.Event}
	}
	if end.Sub(q.From) >= BatchMaxDaysWithoutContext*24*time.Hour && body.Context == "" {
		q.Debug("bankly: a batch over %d days needs a context (--context): resending one by one", BatchMaxDaysWithoutContext)
		return nil, false, nil
	}
	const path = messagesPath + "/batch"
	raw, err := c.do(ctx, http.MethodPost, path, nil, body)
	var ae *provider.APIError
	if errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed) {
		q.Debug("bankly: POST %s answered %d: resending one by one", path, ae.Status)
		return nil, false, nil
	}
	if err != nil {
		return nil, true, unknownAfterSend(path, err)
	}
	var a api.BatchReprocessAnswer
	_ = json.Unmarshal(raw, &a)
	var keys map[string]bool
	if a.Data != nil && a.Data.IdempotencyKeys != nil {
		keys = map[string]bool{}
		for _, k := range a.Data.IdempotencyKeys {
			keys[k] = true
		}
	}
	out := make([]provider.RedeliverResult, 0, len(want))
	for _, d := range want {
		r := provider.RedeliverResult{ID: d.ID, Redelivered: true}
		if keys != nil && !keys[d.ID] {
			msg := "Bankly's batch answer does not name it: resend it alone (hookctl deliveries redeliver " + d.ID + ")"
			r.Redelivered, r.Error = false, &msg
		}
		out = append(out, r)
	}
	if keys != nil && len(keys) > len(want) {
		q.Debug("bankly: the batch resent %d messages, %d more than listed (failed since the listing)", len(keys), len(keys)-len(want))
	}
	return out, true, nil
}

var (
	_ provider.DeliveryLister   = (*Client)(nil)
	_ provider.DeliveryGetter   = (*Client)(nil)
	_ provider.Redeliverer      = (*Client)(nil)
	_ provider.BatchRedeliverer = (*Client)(nil)
)
