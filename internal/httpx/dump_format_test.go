package httpx

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/redact"
)

var elapsedRe = regexp.MustCompile(`\((\d+(\.\d+)?(ms|µs|s)|0s)\)`)

// dumpOf sends req through a client that dumps into the returned buffer.
func dumpRequestOf(t *testing.T, r *redact.Redactor, req *http.Request) (*http.Response, string, error) {
	t.Helper()
	var buf bytes.Buffer
	c := New(Options{UserAgent: "hookctl/test", Debug: &buf, Redactor: r, Retry: RetryPolicy{MaxRetries: -1}})
	resp, err := c.Do(req)
	return resp, elapsedRe.ReplaceAllString(buf.String(), "(T)"), err
}

func TestDumpExactFormat(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Add("X-B", "3")
		w.Header().Add("X-A", "1")
		w.Header().Add("X-A", "2")
		w.WriteHeader(201)
		io.WriteString(w, "line1\nline2\n")
	}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("POST", srv.URL+"/p?q=1", strings.NewReader("a\nb"))
	req.Host = "api.example"
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	resp, dump, err := dumpRequestOf(t, redact.New(), req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	want := "> POST " + srv.URL + "/p?q=1\n> Host: api.example\n> Content-Type: text/plain\n> User-Agent: hookctl/test\n> X-Multi: one\n> X-Multi: two\n>\n> a\n> b\n" +
		"< HTTP/1.1 201 Created (T)\n< Content-Length: 12\n< Content-Type: text/plain\n< X-A: 1\n< X-A: 2\n< X-B: 3\n<\n< line1\n< line2\n\n"
	if dump != want {
		t.Fatalf("dump:\n%q\nwant:\n%q", dump, want)
	}
	if string(body) != "line1\nline2\n" {
		t.Fatalf("body %q", body)
	}
}

func TestDumpWithoutBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.WriteHeader(204)
	}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	_, dump, err := dumpRequestOf(t, redact.New(), req)
	if want := "> GET " + srv.URL + "\n> User-Agent: hookctl/test\n< HTTP/1.1 204 No Content (T)\n\n"; err != nil || dump != want {
		t.Fatalf("%v\n%q\nwant\n%q", err, dump, want)
	}
}

type plainReader struct{ io.Reader }

// A body the client cannot re-read (no GetBody) is sent but not dumped;
// one whose GetBody fails likewise.
func TestDumpBodyThatCannotBeReread(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
	}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("POST", srv.URL, plainReader{strings.NewReader("streamed")})
	_, dump, err := dumpRequestOf(t, redact.New(), req)
	if err != nil || strings.Contains(dump, "streamed") || strings.Contains(dump, ">\n") {
		t.Fatalf("%v\n%s", err, dump)
	}
	req, _ = http.NewRequest("POST", srv.URL, strings.NewReader("kept"))
	req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
	_, dump, err = dumpRequestOf(t, redact.New(), req)
	if err != nil || strings.Contains(dump, ">\n") {
		t.Fatalf("%v\n%s", err, dump)
	}
	if len(got) != 2 || got[0] != "streamed" || got[1] != "kept" {
		t.Fatalf("server got %q", got)
	}
}

func TestDumpRedactsBeforeCutting(t *testing.T) {
	const secret = "SECRETPREFIX-0123456789abcdef"
	body := strings.Repeat("x", maxDumpBody-6) + secret + strings.Repeat("y", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	r := redact.New()
	r.Add(secret)
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain")
	resp, dump, err := dumpRequestOf(t, r, req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(dump, "SECRET") {
		t.Fatalf("a cut secret's prefix reached the dump: %q", dump[len(dump)-200:])
	}
}

func TestDumpTransportError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	req, _ := http.NewRequest("GET", "http://"+addr+"/x", nil)
	resp, dump, err := dumpRequestOf(t, redact.New(), req)
	if err == nil || resp != nil {
		t.Fatal("expected an error")
	}
	if !strings.HasPrefix(dump, "> GET http://"+addr+"/x\n> User-Agent: hookctl/test\n! dial tcp "+addr+": connect: connection refused (T)\n\n") {
		t.Fatalf("%q", dump)
	}
}
