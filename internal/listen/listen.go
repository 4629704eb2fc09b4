// Package listen is hookctl's local receiver of webhook deliveries: it
// takes each request as it came (body byte for byte), names its provider,
// checks its signature, saves it as raw HTTP for `hookctl verify`, forwards
// it to the user's endpoint and answers the sender.
package listen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/rawhttp"
)

// Signature verdicts of a Record.
const (
	Valid     = "valid"
	Invalid   = "invalid"
	Unchecked = "unchecked"
)

// maxAnswer is how much of the forward target's answer is relayed.
const maxAnswer = 1 << 20

// Record is what the receiver reports of one delivery (one JSON line).
type Record struct {
	Time      string `json:"time"`
	Provider  string `json:"provider"`
	Event     string `json:"event"`
	ID        string `json:"id"`
	Signature string `json:"signature"`
	// ForwardStatus is the forward target's answer; nil without --forward-to
	// or when the forward failed.
	ForwardStatus *int `json:"forward_status"`
	// Reason says why the signature is invalid or unchecked.
	Reason string `json:"reason,omitempty"`
	// ForwardError is why the forward failed.
	ForwardError string `json:"forward_error,omitempty"`
	// Status is what the sender was answered.
	Status int `json:"status"`
	// File is where the request was saved.
	File string `json:"file,omitempty"`
	// SaveError is why saving failed.
	SaveError string `json:"save_error,omitempty"`
}

// Options configure a Receiver.
type Options struct {
	// Addr is the address to listen on, e.g. "127.0.0.1:0".
	Addr string
	// Providers are the registered providers, for detection.
	Providers []provider.Info
	// Provider, when set, is taken as every delivery's provider instead of
	// detecting it from the headers.
	Provider string
	// Verify, when not nil, holds the signature check of each provider by
	// name; a provider missing from it has its deliveries unchecked with the
	// reason in Skipped.
	Verify  map[string]provider.VerifyFunc
	Skipped map[string]string
	// ForwardTo, when set, receives each delivery: same method, headers and bytes.
	ForwardTo string
	// Client forwards; nil uses a client with a 30 s timeout that follows no redirects.
	Client *http.Client
	// Respond, when not 0, answers every delivery with this status.
	Respond int
	// SaveDir, when set, receives each request as raw HTTP (mode 0600).
	SaveDir string
	// Report is told of every delivery, one call at a time.
	Report func(Record)
	Now    func() time.Time
}

// Receiver is a running receiver.
type Receiver struct {
	o      Options
	ln     net.Listener
	srv    *http.Server
	done   chan error
	seq    atomic.Int64
	report sync.Mutex
	// base is cancelled by Close: forwards in flight stop.
	base   context.Context
	cancel context.CancelFunc
}

// Start listens and serves in the background.
func Start(o Options) (*Receiver, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.SaveDir != "" {
		if err := os.MkdirAll(o.SaveDir, 0o700); err != nil {
			return nil, fmt.Errorf("save directory %s: %w", o.SaveDir, err)
		}
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, err
	}
	r := &Receiver{o: o, ln: ln, done: make(chan error, 1)}
	r.base, r.cancel = context.WithCancel(context.Background())
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return r.base }}
	go func() {
		err := r.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
	}()
	return r, nil
}

// URL is the receiver's address, http://host:port.
func (r *Receiver) URL() string { return "http://" + r.ln.Addr().String() }

// Port is the port listened on.
func (r *Receiver) Port() int { return r.ln.Addr().(*net.TCPAddr).Port }

// Done is closed with the serving error, if serving stops by itself.
func (r *Receiver) Done() <-chan error { return r.done }

// Shutdown stops accepting deliveries and lets those in flight finish
// within grace; then it cuts them (their forwards are cancelled).
func (r *Receiver) Shutdown(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if err != nil {
		r.cancel()
		r.srv.Close()
	}
	r.cancel()
	return err
}

// ServeHTTP receives one delivery.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	now := r.o.Now()
	body, err := io.ReadAll(io.LimitReader(req.Body, rawhttp.MaxBody+1))
	if err != nil {
		http.Error(w, "reading the body failed", http.StatusBadRequest)
		return
	}
	if len(body) > rawhttp.MaxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	d := &provider.Received{Method: req.Method, RequestURI: req.RequestURI, Host: req.Host, Header: req.Header.Clone(), Body: body}
	rec := Record{Time: now.UTC().Format(time.RFC3339Nano)}
	if r.o.SaveDir != "" {
		rec.File, err = r.save(now, req, body)
		if err != nil {
			rec.SaveError = err.Error()
		}
	}
	r.inspect(d, &rec)

	status, header, answer := http.StatusOK, http.Header{}, []byte(nil)
	if r.o.ForwardTo != "" {
		fs, fh, fb, ferr := r.forward(req.Context(), d)
		if ferr != nil {
			rec.ForwardError = ferr.Error()
			status = http.StatusBadGateway
			answer = []byte("hookctl listen: forwarding failed: " + ferr.Error() + "\n")
		} else {
			rec.ForwardStatus = &fs
			status, header, answer = fs, fh, fb
		}
	}
	if r.o.Respond != 0 {
		status, header, answer = r.o.Respond, http.Header{}, nil
	}
	rec.Status = status
	for _, k := range []string{"Content-Type"} {
		if v := header.Get(k); v != "" {
			w.Header().Set(k, v)
		}
	}
	w.WriteHeader(status)
	w.Write(answer)
	if r.o.Report != nil {
		r.report.Lock()
		r.o.Report(rec)
		r.report.Unlock()
	}
}

// inspect names the delivery's provider, event and id, and checks its signature.
func (r *Receiver) inspect(d *provider.Received, rec *Record) {
	rec.Signature = Unchecked
	var info provider.Info
	found := false
	if r.o.Provider != "" {
		for _, p := range r.o.Providers {
			if p.Name == r.o.Provider {
				info, found = p, true
			}
		}
	} else {
		info, found = provider.Detect(r.o.Providers, d.Header)
	}
	if !found {
		if r.o.Verify != nil {
			rec.Reason = "no provider's signature headers found"
		}
		return
	}
	rec.Provider = info.Name
	if info.Verifier != nil {
		rec.Event, rec.ID = info.Verifier.Describe(d)
	}
	if r.o.Verify == nil {
		return
	}
	check := r.o.Verify[info.Name]
	if check == nil {
		rec.Reason = r.o.Skipped[info.Name]
		if rec.Reason == "" {
			rec.Reason = "no way to verify " + info.Name + " deliveries"
		}
		return
	}
	if err := check(d); err != nil {
		rec.Signature, rec.Reason = Invalid, err.Error()
		return
	}
	rec.Signature = Valid
}

// hopHeaders are not forwarded: they describe one connection.
var hopHeaders = map[string]bool{"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Content-Length": true}

// forward sends the delivery's method, headers and exact bytes to ForwardTo.
func (r *Receiver) forward(ctx context.Context, d *provider.Received) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, d.Method, r.o.ForwardTo, bytes.NewReader(d.Body))
	if err != nil {
		return 0, nil, nil, err
	}
	for k, vs := range d.Header {
		if !hopHeaders[http.CanonicalHeaderKey(k)] {
			req.Header[k] = append([]string(nil), vs...)
		}
	}
	if _, ok := d.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = nil // send none rather than Go's
	}
	resp, err := r.o.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	return resp.StatusCode, resp.Header, b, nil
}

// save writes the request as raw HTTP to a new file whose name sorts by
// the time it came: 20260102T150405.123456789Z-000001.http.
func (r *Receiver) save(now time.Time, req *http.Request, body []byte) (string, error) {
	name := fmt.Sprintf("%s-%06d.http", now.UTC().Format("20060102T150405.000000000Z"), r.seq.Add(1))
	path := filepath.Join(r.o.SaveDir, name)
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if err := rawhttp.WriteRequest(fh, req, body); err != nil {
		fh.Close()
		os.Remove(path)
		return "", err
	}
	if err := fh.Close(); err != nil {
		return "", err
	}
	return path, nil
}

// Line is the human line of a record: time, provider, event, id, the
// signature verdict, the forward's status and the saved file.
func Line(rec Record) string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	t := rec.Time
	if parsed, err := time.Parse(time.RFC3339Nano, rec.Time); err == nil {
		t = parsed.Format("2006-01-02T15:04:05Z07:00")
	}
	fwd := "-"
	if rec.ForwardStatus != nil {
		fwd = fmt.Sprint(*rec.ForwardStatus)
	} else if rec.ForwardError != "" {
		fwd = "error"
	}
	parts := []string{t, dash(rec.Provider), dash(rec.Event), dash(rec.ID), "signature=" + rec.Signature,
		"forward=" + fwd, fmt.Sprintf("answered=%d", rec.Status)}
	if rec.File != "" {
		parts = append(parts, "saved="+rec.File)
	}
	return strings.Join(parts, " ")
}
