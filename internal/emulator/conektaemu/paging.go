package conektaemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// pageOf is one cursor page of a list, as Conekta pages every list.
type pageOf[T any] struct {
	Items            []T
	HasMore          bool
	NextURL, PrevURL *string
}

// parseLimit reads limit (1..250, default 20); ok is false on a bad one.
func parseLimit(q url.Values) (int, bool) {
	v := q.Get("limit")
	if v == "" {
		return 20, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 250 {
		return 0, false
	}
	return n, true
}

// paginate cuts all at the next/previous cursor (an item id) of q.
func paginate[T any](all []T, id func(T) string, q url.Values, limit int, resource string) pageOf[T] {
	start, end := 0, len(all)
	if next := q.Get("next"); next != "" {
		start = len(all)
		for i, x := range all {
			if id(x) == next {
				start = i + 1
			}
		}
		end = min(start+limit, len(all))
	} else if prev := q.Get("previous"); prev != "" {
		end = 0
		for i, x := range all {
			if id(x) == prev {
				end = i
			}
		}
		start = max(0, end-limit)
	} else {
		end = min(limit, len(all))
	}
	p := pageOf[T]{Items: all[start:end], HasMore: end < len(all)}
	base := "https://api.conekta.io/" + resource + "?limit=" + strconv.Itoa(limit)
	if end < len(all) && len(p.Items) > 0 {
		u := base + "&next=" + url.QueryEscape(id(p.Items[len(p.Items)-1]))
		p.NextURL = &u
	}
	if start > 0 && len(p.Items) > 0 {
		u := base + "&previous=" + url.QueryEscape(id(p.Items[0]))
		p.PrevURL = &u
	}
	return p
}

// writeList writes p's list answer around its items already encoded
// (data): "data" first, then the other members in the sorted order
// writeJSON writes a map's.
func writeList[T any](w http.ResponseWriter, version string, p pageOf[T], data []byte) {
	rest, _ := json.Marshal(struct {
		HasMore bool    `json:"has_more"`
		Next    *string `json:"next_page_url"`
		Object  string  `json:"object"`
		Prev    *string `json:"previous_page_url"`
	}{p.HasMore, p.NextURL, "list", p.PrevURL})
	b := make([]byte, 0, len(data)+len(rest)+16)
	b = append(b, `{"data":`...)
	b = append(append(b, data...), ',')
	b = append(append(b, rest[1:]...), '\n')
	writeBytes(w, version, http.StatusOK, b)
}

func (p pageOf[T]) envelope(data any) map[string]any {
	return map[string]any{
		"object": "list", "has_more": p.HasMore, "next_page_url": p.NextURL, "previous_page_url": p.PrevURL, "data": data,
	}
}
