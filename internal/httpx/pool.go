package httpx

import (
	"net/http"
	"net/http/httptrace"
	"sync"
)

// Pool shares network transports among the clients of one run: clients
// asking with the same key (the same credentials for the same server) use
// one transport, so that many targets reuse its connections and their TLS
// handshakes instead of each making their own.
type Pool struct {
	mu sync.Mutex
	m  map[string]http.RoundTripper
}

func (p *Pool) get(key string, build func() http.RoundTripper) http.RoundTripper {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.m[key]; ok {
		return t
	}
	if p.m == nil {
		p.m = map[string]http.RoundTripper{}
	}
	t := &firstConn{next: build()}
	p.m[key] = t
	return t
}

// firstConn holds the requests that arrive while the transport's first
// connection is being made until it is made: net/http dials once for every
// request that finds no connection, so many targets starting at once would
// each pay a TLS handshake, where over HTTP/2 one connection serves them all.
type firstConn struct {
	next    http.RoundTripper
	mu      sync.Mutex
	started bool
	ready   chan struct{} // closed when the first request has its connection, or has failed
}

func (t *firstConn) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	if t.started {
		ready := t.ready
		t.mu.Unlock()
		select {
		case <-ready:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		return t.next.RoundTrip(req)
	}
	t.started, t.ready = true, make(chan struct{})
	t.mu.Unlock()
	var once sync.Once
	release := func() { once.Do(func() { close(t.ready) }) }
	defer release()
	ctx := httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { release() }})
	return t.next.RoundTrip(req.WithContext(ctx))
}
