// Package delivery is the emulators' delivery engine: it POSTs a signed body
// to a receiver, records each attempt and retries failures on a compressed
// schedule, as the providers do over hours.
package delivery

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultSchedule is the wait before each retry.
var DefaultSchedule = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}

// ExcerptBytes is how much of a receiver's answer an attempt keeps.
const ExcerptBytes = 200

// Attempt is one POST to a receiver.
type Attempt struct {
	At         time.Time
	StatusCode int
	// Error is the transport failure, when there was no answer.
	Error string
	// Response is an excerpt of the answer (Excerpt).
	Response string
	Elapsed  time.Duration
	// Body is the receiver's answer (up to 64 KiB), for response_data.
	Body []byte
}

// OK reports a 2xx answer.
func (a Attempt) OK() bool { return a.StatusCode >= 200 && a.StatusCode <= 299 }

// Job is one delivery: where, what, how to sign it and where to record it.
type Job struct {
	URL  string
	Body []byte
	// Header returns the headers of one attempt (a signature may carry a fresh
	// timestamp and nonce each time).
	Header func() http.Header
	// Record stores an attempt; final is true when no retry follows.
	Record func(a Attempt, final bool)
}

// Engine sends jobs. The zero value is not usable: call New.
type Engine struct {
	client   *http.Client
	schedule []time.Duration
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// New returns an engine; a nil client gets one with a 5 s timeout that
// follows no redirects, a nil schedule DefaultSchedule.
func New(client *http.Client, schedule []time.Duration) *Engine {
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if schedule == nil {
		schedule = DefaultSchedule
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Engine{client: client, schedule: schedule, ctx: ctx, cancel: cancel}
}

// Retries is how many retries follow a failed first attempt.
func (e *Engine) Retries() int { return len(e.schedule) }

// Send makes one attempt and records it; final tells Record whether retries follow.
func (e *Engine) Send(j Job, final bool) Attempt {
	a := e.post(j)
	j.Record(a, final || a.OK())
	return a
}

// First makes the first attempt now and, when it fails, retries in the background.
func (e *Engine) First(j Job) Attempt {
	a := e.Send(j, e.Retries() == 0)
	if !a.OK() {
		e.Retry(j)
	}
	return a
}

// Go runs First in the background.
func (e *Engine) Go(j Job) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.First(j)
	}()
}

// GoOnce makes one attempt in the background, with no retry.
func (e *Engine) GoOnce(j Job) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.Send(j, true)
	}()
}

// FirstAll makes the first attempt of every job concurrently and returns
// their results in order; failures retry in the background.
func (e *Engine) FirstAll(jobs []Job) []Attempt {
	out := make([]Attempt, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = e.First(j)
		}()
	}
	wg.Wait()
	return out
}

// Retry runs the schedule's retries in the background after a failed attempt.
func (e *Engine) Retry(j Job) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		for i, wait := range e.schedule {
			select {
			case <-time.After(wait):
			case <-e.ctx.Done():
				return
			}
			if e.Send(j, i == len(e.schedule)-1).OK() {
				return
			}
		}
	}()
}

// Wait waits for every pending delivery.
func (e *Engine) Wait() { e.wg.Wait() }

// Close abandons pending retries and waits for attempts in flight.
func (e *Engine) Close() {
	e.cancel()
	e.wg.Wait()
}

func (e *Engine) post(j Job) Attempt {
	a := Attempt{At: time.Now().UTC()}
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, j.URL, bytes.NewReader(j.Body))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	if j.Header != nil {
		for k, vs := range j.Header() {
			req.Header[k] = vs
		}
	}
	resp, err := e.client.Do(req)
	a.Elapsed = time.Since(a.At)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	a.StatusCode, a.Body, a.Response = resp.StatusCode, body, Excerpt(body)
	return a
}

// Excerpt is the first ExcerptBytes of b as valid UTF-8 without control characters.
func Excerpt(b []byte) string {
	if len(b) > ExcerptBytes {
		b = b[:ExcerptBytes]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}
