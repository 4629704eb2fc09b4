package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/redact"
)

const (
	// maxDumpBody is how much of a body the debug dump shows.
	maxDumpBody = 16 << 10
	// dumpReadAhead is how much of a body is redacted before the dump cuts
	// it, so that a secret straddling the cut is still recognised whole.
	dumpReadAhead = 2 * maxDumpBody
)

var dumpMu sync.Mutex

type dumpTransport struct {
	next http.RoundTripper
	w    io.Writer
	r    *redact.Redactor
}

func (t *dumpTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if b, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(b, dumpReadAhead+1))
			b.Close()
		}
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start)

	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, t.r.String(req.URL.Redacted()))
	if req.Host != "" && req.Host != req.URL.Host {
		fmt.Fprintf(&b, "> Host: %s\n", req.Host)
	}
	writeHeaders(&b, "> ", t.r.Headers(req.Header))
	t.writeBody(&b, ">", req.Header.Get("Content-Type"), reqBody)
	if err != nil {
		fmt.Fprintf(&b, "! %s (%s)\n\n", t.r.String(err.Error()), elapsed.Round(time.Millisecond))
		t.write(b.String())
		return nil, err
	}
	fmt.Fprintf(&b, "< %s %s (%s)\n", resp.Proto, resp.Status, elapsed.Round(time.Millisecond))
	writeHeaders(&b, "< ", t.r.Headers(resp.Header))
	// The caller still reads the whole body: what was read for the dump, then the rest.
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, dumpReadAhead+1))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	t.writeBody(&b, "<", resp.Header.Get("Content-Type"), body)
	if rerr != nil {
		fmt.Fprintf(&b, "! reading the body: %s\n", t.r.String(rerr.Error()))
	}
	b.WriteString("\n")
	t.write(b.String())
	return resp, nil
}

// write keeps the dumps of concurrent requests from interleaving.
func (t *dumpTransport) write(s string) {
	dumpMu.Lock()
	defer dumpMu.Unlock()
	io.WriteString(t.w, s)
}

type readCloser struct {
	io.Reader
	io.Closer
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// writeBody redacts body, then cuts it to maxDumpBody.
func (t *dumpTransport) writeBody(b *strings.Builder, prefix, contentType string, body []byte) {
	if len(body) == 0 {
		return
	}
	shown := t.r.Body(contentType, body)
	cut := len(shown) > maxDumpBody || len(body) > dumpReadAhead
	shown = shown[:min(len(shown), maxDumpBody)]
	b.WriteString(prefix + "\n")
	for _, line := range strings.Split(strings.TrimRight(string(shown), "\n"), "\n") {
		b.WriteString(prefix + " " + line + "\n")
	}
	if cut {
		b.WriteString(prefix + " [body truncated]\n")
	}
}
