package bankly

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/hookctl/hookctl/internal/jsonx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
)

type page struct {
	items []provider.Webhook
	raw   []byte
	total int // -1 when Bankly gave none
}

func (c *Client) fetchPage(ctx context.Context, status string, n, size int) (*page, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	q := url.Values{"page": {strconv.Itoa(n)}, "pageSize": {strconv.Itoa(size)}}
	if status != "" {
		q.Set("status", status)
	}
	raw, err := c.do(ctx, http.MethodGet, "/webhooks/configurations", q, nil)
	if err != nil {
		return nil, err
	}
	return decodeConfigurations(raw)
}

func decodeConfigurations(raw []byte) (*page, error) {
	var env api.ListEnvelope
	if err := jsonx.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("bankly: the list answer is not a list of configurations (%v): %s", err, provider.Snippet(raw))
	}
	p := &page{raw: raw, total: -1, items: make([]provider.Webhook, 0, len(env.Data))}
	for _, it := range env.Data {
		w, err := normalize(it)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, w)
	}
	if env.Meta != nil && env.Meta.Total != nil {
		p.total = *env.Meta.Total
	}
	return p, nil
}

// List implements provider.Provider. With --all, once the first page gives
// meta.total, the remaining pages are fetched concurrently.
func (c *Client) List(ctx context.Context, o provider.ListOptions) (*provider.ListResult, error) {
	status := ""
	switch o.Status {
	case "enabled":
		status = "Enabled"
	case "disabled":
		status = "Disabled"
	}
	in := o.Input
	if in.Has("page") && in.Int("page") < 1 {
		return nil, provider.Invalidf("page", "{page} %s: pages start at 1", in.String("page"))
	}
	if in.Has("page-size") && (in.Int("page-size") < 1 || in.Int("page-size") > MaxPageSize) {
		return nil, provider.Invalidf("page-size", "{page-size} %s: Bankly takes 1 to %d", in.String("page-size"), MaxPageSize)
	}
	if o.All && in.Has("page") {
		return nil, provider.Invalidf("all", "{all} follows every page: drop {page}")
	}
	res := &provider.ListResult{Items: []provider.Webhook{}}
	if !o.All && (in.Has("page") || in.Has("page-size")) {
		n, size := max(in.Int("page"), 1), in.Int("page-size")
		if size == 0 {
			size = DefaultLimit
		}
		p, err := c.fetchPage(ctx, status, n, size)
		if err != nil {
			return nil, err
		}
		res.Items, res.Raw = p.items, []json.RawMessage{p.raw}
		if o.Limit > 0 && len(res.Items) > o.Limit {
			res.Items = res.Items[:o.Limit]
		}
		if p.total > n*size {
			res.Next = pageContinuation(n+1, size)
		}
		return res, nil
	}
	target := o.Limit
	if target == 0 && !o.All {
		target = DefaultLimit
	}
	size := MaxPageSize
	if in.Has("page-size") {
		size = in.Int("page-size")
	} else if !o.All && target < MaxPageSize {
		size = target
	}
	maxItems := o.MaxItems
	if maxItems <= 0 {
		maxItems = provider.DefaultMaxItems
	}
	first, err := c.fetchPage(ctx, status, 1, size)
	if err != nil {
		return nil, err
	}
	if err := checkPage(first, 1, size); err != nil {
		return nil, err
	}
	o.Report(1, 0)
	pages := []*page{first}
	want := first.total // how many items the listing must end with
	if target > 0 {
		want = min(want, target)
	}
	switch {
	case target > 0 && len(first.items) >= target:
	case first.total >= 0:
		if first.total > maxItems && (target == 0 || target > maxItems) {
			return nil, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("Bankly reports %d configurations, more than {max-items} %d: narrow the list (--status) or raise {max-items}", first.total, maxItems)}
		}
		// A server may cap the page size below what was asked: follow its size.
		if got := len(first.items); got < size && got > 0 && first.total > got {
			size = got
		}
		n := (want + size - 1) / size
		o.Report(1, n)
		rest, err := c.fetchConcurrently(ctx, status, size, 2, n, o.Report)
		if err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	default:
		for n := 2; len(pages[len(pages)-1].items) == size && (target == 0 || count(pages) < target); n++ {
			if count(pages) >= maxItems {
				return nil, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("more than {max-items} %d configurations: narrow the list (--status) or raise {max-items}", maxItems)}
			}
			p, err := c.fetchPage(ctx, status, n, size)
			if err != nil {
				return nil, err
			}
			if err := checkPage(p, n, size); err != nil {
				return nil, err
			}
			pages = append(pages, p)
			o.Report(n, 0)
		}
	}
	seenIDs := map[string]bool{}
	for _, p := range pages {
		for _, w := range p.items {
			if !seenIDs[w.ID] { // an item that moved between pages is listed once
				seenIDs[w.ID] = true
				res.Items = append(res.Items, w)
			}
		}
		res.Raw = append(res.Raw, p.raw)
	}
	if target > 0 && len(res.Items) > target {
		res.Items = res.Items[:target]
	}
	if want >= 0 && len(res.Items) < want {
		return nil, &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("Bankly reported %d configurations but its pages held %d: the list changed while it was read, or Bankly pages differently; try again", want, len(res.Items))}
	}
	if !o.All && first.total > len(res.Items) {
		// The items shown are pages 1..k of the largest page size that divides them.
		seen := len(res.Items)
		size := min(seen, MaxPageSize)
		for seen%size != 0 {
			size--
		}
		res.Next = pageContinuation(seen/size+1, size)
	}
	return res, nil
}

// maxTotal bounds a total Bankly may report: anything larger is not an
// answer hookctl can trust (nor allocate for).
const maxTotal = 1 << 40

// checkPage refuses an answer whose paging fields make no sense.
func checkPage(p *page, n, size int) error {
	switch {
	case p.total < -1 || p.total > maxTotal:
		return &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page %d reports a total of %d configurations, which is not a count", n, p.total)}
	case len(p.items) > size:
		return &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page %d holds %d items, more than the %d asked", n, len(p.items), size)}
	case p.total >= 0 && n == 1 && len(p.items) > p.total:
		return &provider.PartialListError{Provider: Name, Reason: fmt.Sprintf("page 1 holds %d items but the total is %d", len(p.items), p.total)}
	}
	return nil
}

func pageContinuation(page, size int) *provider.Continuation {
	return &provider.Continuation{
		Input: provider.Values{"page": {strconv.Itoa(page)}, "page-size": {strconv.Itoa(size)}},
		Order: []string{"page", "page-size"},
	}
}

func count(pages []*page) int {
	n := 0
	for _, p := range pages {
		n += len(p.items)
	}
	return n
}

// fetchConcurrently fetches pages from..to with a bounded number of workers,
// in order; the first error cancels the rest.
func (c *Client) fetchConcurrently(ctx context.Context, status string, size, from, to int, report func(done, total int)) ([]*page, error) {
	if to < from {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]*page, to-from+1)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var done atomic.Int32
	done.Store(int32(from - 1))
	for w := 0; w < min(listConcurrency, len(out)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				p, err := c.fetchPage(ctx, status, n, size)
				if err == nil {
					err = checkPage(p, n, size)
				}
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				out[n-from] = p
				report(int(done.Add(1)), to)
			}
		}()
	}
feed:
	for n := from; n <= to; n++ {
		select {
		case jobs <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
