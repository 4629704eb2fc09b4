package api

import (
	"sync"

	"github.com/hookctl/hookctl/internal/jsonx"
)

// The names each object of a page is read with, made on the first page (not
// at start-up: most runs read none).
var names = sync.OnceValue(func() (n struct{ page, meta, message, attempt jsonx.Names }) {
	n.page = jsonx.NewNames("data", "meta")
	n.meta = jsonx.NewNames("page", "pageSize", "total")
	n.message = jsonx.NewNames("id", "idempotencyKey", "state", "destination", "sentDate", "eventName", "context",
		"retryCount", "elapsedEventCapture", "elapsedHttpCall", "emulatorAttempts")
	n.attempt = jsonx.NewNames("statusCode")
	return n
})

// ScanMessagePage decodes a page of the search as jsonx.Unmarshal decodes
// it into a MessagePage, without reflection; false when the page is not in
// the plain shape a Scanner takes, and then Unmarshal must decode it (and
// say what is wrong). The page's strings share body's memory: body must not
// change afterwards. size is the page size asked, room made for it.
func ScanMessagePage(body []byte, size int) (MessagePage, bool) {
	s := jsonx.NewScanner(body)
	var p MessagePage
	var seenData bool
	// The attempts of a page share one array: one allocation, not one a
	// message.
	attempts := make([]AttemptStatus, 0, 16)
	ok := s.Object(func(name string) bool {
		switch name {
		case "data":
			if seenData {
				return false
			}
			seenData = true
			p.Data = make([]ListedMessage, 0, min(max(size, 0), 1000))
			return s.Array(func() bool {
				var m ListedMessage
				if !scanMessage(s, &m, &attempts) {
					return false
				}
				p.Data = append(p.Data, m)
				return true
			})
		case "meta":
			if p.Meta != nil {
				return false
			}
			p.Meta = &Meta{}
			return scanMeta(s, p.Meta)
		case "links":
			return s.Skip()
		}
		return names().page.Other(name) && s.Skip()
	})
	if !ok || !s.End() {
		return MessagePage{}, false
	}
	return p, true
}

// seen are the members of one object read so far, a bit each: a repeated
// one is left to Unmarshal.
type seen uint16

// first marks bit, false when it was marked already.
func (r *seen) first(bit uint16) bool {
	if uint16(*r)&bit != 0 {
		return false
	}
	*r |= seen(bit)
	return true
}

func scanMeta(s *jsonx.Scanner, m *Meta) bool {
	var read seen
	return s.Object(func(name string) bool {
		var ok bool
		switch name {
		case "page":
			m.Page, ok = s.Int()
			return ok && read.first(1<<0)
		case "pageSize":
			m.PageSize, ok = s.Int()
			return ok && read.first(1<<1)
		case "total":
			var n int
			n, ok = s.Int()
			m.Total = &n
			return ok && read.first(1<<2)
		}
		return names().meta.Other(name) && s.Skip()
	})
}

func scanMessage(s *jsonx.Scanner, m *ListedMessage, attempts *[]AttemptStatus) bool {
	var read seen
	str := func(dst *string, bit uint16) bool {
		var ok bool
		*dst, ok = s.String()
		return ok && read.first(bit)
	}
	return s.Object(func(name string) bool {
		switch name {
		case "id":
			return str(&m.ID, 1<<0)
		case "idempotencyKey":
			return str(&m.IdempotencyKey, 1<<1)
		case "state":
			return str(&m.State, 1<<2)
		case "destination":
			return str(&m.Destination, 1<<3)
		case "sentDate":
			return str(&m.SentDate, 1<<4)
		case "eventName":
			return str(&m.EventName, 1<<5)
		case "context":
			return str(&m.Context, 1<<6)
		case "elapsedEventCapture":
			return str(&m.ElapsedCapture, 1<<7)
		case "elapsedHttpCall":
			return str(&m.ElapsedHTTPCall, 1<<8)
		case "retryCount":
			var ok bool
			m.RetryCount, ok = s.Int()
			return ok && read.first(1<<9)
		case "emulatorAttempts":
			var ok bool
			m.Attempts, ok = scanAttempts(s, attempts)
			return ok && read.first(1<<10)
		}
		return names().message.Other(name) && s.Skip()
	})
}

// scanAttempts reads a message's attempts onto the page's array, and
// returns them.
func scanAttempts(s *jsonx.Scanner, attempts *[]AttemptStatus) ([]AttemptStatus, bool) {
	start := len(*attempts)
	ok := s.Array(func() bool {
		var a AttemptStatus
		var read seen
		if !s.Object(func(name string) bool {
			switch name {
			case "statusCode":
				var ok bool
				a.StatusCode, ok = s.Int()
				return ok && read.first(1)
			case "attemptedAt", "responseExcerpt", "error":
				return s.Skip() // what the emulator records beside the code
			}
			return names().attempt.Other(name) && s.Skip()
		}) {
			return false
		}
		*attempts = append(*attempts, a)
		return true
	})
	return (*attempts)[start:len(*attempts):len(*attempts)], ok
}
