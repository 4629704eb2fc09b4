// Package rawhttp writes a received HTTP request as raw HTTP/1.1 (request
// line, headers, blank line, the exact body bytes) and reads one back.
package rawhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// MaxBody is the largest body ReadRequest accepts.
const MaxBody = 32 << 20

// framing headers describe the bytes on the wire; the body written here is
// already de-chunked, so Content-Length is rewritten to its exact length.
var framing = map[string]bool{"Content-Length": true, "Transfer-Encoding": true}

// Write writes one request. Headers are sorted by name, values kept in
// order; requestURI is written as given ("/path?query").
func Write(w io.Writer, method, requestURI, host string, header http.Header, body []byte) error {
	if method == "" {
		method = http.MethodPost
	}
	if requestURI == "" {
		requestURI = "/"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", method, requestURI)
	if host != "" {
		fmt.Fprintf(&b, "Host: %s\r\n", host)
	}
	keys := make([]string, 0, len(header))
	for k := range header {
		if !framing[http.CanonicalHeaderKey(k)] && !strings.EqualFold(k, "Host") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range header[k] {
			if strings.ContainsAny(k+v, "\r\n") {
				return fmt.Errorf("header %q holds a line break", k)
			}
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	_, err := w.Write(b.Bytes())
	return err
}

// WriteRequest writes r, whose body has already been read into body.
func WriteRequest(w io.Writer, r *http.Request, body []byte) error {
	return Write(w, r.Method, r.RequestURI, r.Host, r.Header, body)
}

// ReadRequest reads one request and its exact body. A request without
// Content-Length or chunked encoding (written by hand) takes the rest of the
// input as its body.
func ReadRequest(r io.Reader) (*http.Request, []byte, error) {
	br := bufio.NewReader(r)
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, nil, fmt.Errorf("not a raw HTTP/1.1 request (request line, headers, blank line, body): %v", err)
	}
	framed := req.Header.Get("Content-Length") != "" || len(req.TransferEncoding) > 0
	src := io.Reader(req.Body)
	if !framed {
		src = br
	}
	body, err := io.ReadAll(io.LimitReader(src, MaxBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("the body is shorter than its Content-Length %s", req.Header.Get("Content-Length"))
		}
		return nil, nil, fmt.Errorf("reading the body: %v", err)
	}
	if len(body) > MaxBody {
		return nil, nil, fmt.Errorf("the body is over %d bytes", MaxBody)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	req.TransferEncoding = nil
	return req, body, nil
}
