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

// maxDumpBody is how much of a body the debug dump shows.
const maxDumpBody = 16 << 10

// dumpSlack is how much more than maxDumpBody is read and redacted.
const dumpSlack = 4 << 10

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
			reqBody, _ = io.ReadAll(io.LimitReader(b, maxDumpBody+dumpSlack))
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
	if len(reqBody) > 0 {
		b.WriteString(">\n")
		shown := string(t.r.Body(req.Header.Get("Content-Type"), reqBody))
		if len(reqBody) > maxDumpBody {
			shown = t.r.Truncate(shown, maxDumpBody) + "\n[body truncated]"
		}
		writeBody(&b, "> ", []byte(shown))
	}
	if err != nil {
		fmt.Fprintf(&b, "! %s (%s)\n\n", t.r.String(err.Error()), elapsed.Round(time.Millisecond))
		t.write(b.String())
		return nil, err
	}
	fmt.Fprintf(&b, "< %s %s (%s)\n", resp.Proto, resp.Status, elapsed.Round(time.Millisecond))
	writeHeaders(&b, "< ", t.r.Headers(resp.Header))
	// Read a little past the limit, so that a secret straddling it is
	// still whole when the body is redacted, before it is cut.
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxDumpBody+dumpSlack))
	if rerr == nil || len(body) > 0 {
		rest := resp.Body
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
		if len(body) > 0 {
			shown := string(t.r.Body(resp.Header.Get("Content-Type"), body))
			b.WriteString("<\n")
			if len(body) > maxDumpBody {
				writeBody(&b, "< ", []byte(t.r.Truncate(shown, maxDumpBody)))
				b.WriteString("< [body truncated]\n")
			} else {
				writeBody(&b, "< ", []byte(shown))
			}
		}
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

func writeBody(b *strings.Builder, prefix string, body []byte) {
	for _, line := range strings.Split(strings.TrimRight(string(body), "\n"), "\n") {
		b.WriteString(prefix + line + "\n")
	}
}
