package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/testutil/rawserver"
)

func client(debug io.Writer) *http.Client {
	return New(Options{UserAgent: "hookctl/test", Debug: debug, Redactor: redact.New(), Retry: RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}})
}

func serverSeq(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	return serverRetryAfter(t, "", statuses...)
}

// serverRetryAfter answers statuses in turn (the last one repeats), each
// error with retryAfter as its Retry-After when not empty, and fails the
// test when a request arrives without the body of the first one.
func serverRetryAfter(t *testing.T, retryAfter string, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	var first atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		first.CompareAndSwap(nil, string(body))
		if string(body) != first.Load().(string) {
			t.Errorf("attempt %d sent body %q, the first sent %q", n.Load()+1, body, first.Load())
		}
		i := int(n.Add(1)) - 1
		if i >= len(statuses) {
			i = len(statuses) - 1
		}
		if retryAfter != "" && statuses[i] >= 400 {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(statuses[i])
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetriesIdempotent(t *testing.T) {
	for _, c := range []struct {
		name     string
		method   string
		statuses []int
		want     int
		requests int32
	}{
		{"503 then ok", "GET", []int{503, 200}, 200, 2},
		{"502 504 then ok", "PUT", []int{502, 504, 200}, 200, 3},
		{"429 without Retry-After is not retried", "DELETE", []int{429, 200}, 429, 1},
		{"gives up after 3 retries", "GET", []int{503}, 503, 4},
		{"500 is not retried", "GET", []int{500, 200}, 500, 1},
		{"POST 503 is not retried", "POST", []int{503, 200}, 503, 1},
		{"POST 429 without Retry-After is not retried", "POST", []int{429, 201}, 429, 1},
		{"PATCH 502 is not retried", "PATCH", []int{502, 200}, 502, 1},
		{"404 is not retried", "GET", []int{404, 200}, 404, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, n := serverSeq(t, c.statuses...)
			req, _ := http.NewRequest(c.method, srv.URL, strings.NewReader("{}"))
			resp, err := client(nil).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want || n.Load() != c.requests {
				t.Fatalf("status %d after %d requests, want %d after %d", resp.StatusCode, n.Load(), c.want, c.requests)
			}
		})
	}
}

func TestRetryAfterBeyondBudgetNotWaited(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "300")
		w.WriteHeader(429)
	}))
	t.Cleanup(srv.Close)
	resp, err := client(nil).Get(srv.URL)
	if err != nil || resp.StatusCode != 429 || n.Load() != 1 {
		t.Fatalf("%v %d", err, n.Load())
	}
}

func TestIdempotentMarkRetriesPatch(t *testing.T) {
	srv, n := serverSeq(t, 503, 200)
	req, _ := http.NewRequestWithContext(Idempotent(context.Background()), "PATCH", srv.URL, bytes.NewReader([]byte(`{"a":1}`)))
	resp, err := client(nil).Do(req)
	if err != nil || resp.StatusCode != 200 || n.Load() != 2 {
		t.Fatalf("%v %d", err, n.Load())
	}
}

func TestResetAfterSendNeverRepeatsCreate(t *testing.T) {
	url, n := rawserver.ResetAfterRead(t)
	req, _ := http.NewRequest("POST", url, strings.NewReader(`{"url":"x"}`))
	if _, err := client(nil).Do(req); err == nil {
		t.Fatal("expected an error")
	}
	if n.Load() != 1 {
		t.Fatalf("POST sent %d times after a reset, want 1", n.Load())
	}
	req, _ = http.NewRequest("GET", url, nil)
	client(nil).Do(req)
	if n.Load() != 1+4 {
		t.Fatalf("GET sent %d times, want 4", n.Load()-1)
	}
}

func TestConnectionRefusedRetriesCreate(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	var buf bytes.Buffer
	req, _ := http.NewRequest("POST", "http://"+addr, strings.NewReader("{}"))
	_, err := client(&buf).Do(req)
	if err == nil || strings.Count(buf.String(), "* retrying POST") != 3 {
		t.Fatalf("%v\n%s", err, buf.String())
	}
}

func TestDeadlineStopsStalledServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	_, err := client(nil).Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v", err)
	}
}

func TestDumpRedactsAndKeepsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"tok_abcdef123456","id":"x"}`)
	}))
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"privateKey":"c2VjcmV0a2V5"}`))
	req.Header.Set("Authorization", "Bearer key_live_123456")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client(&buf).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "tok_abcdef123456") {
		t.Fatal("the dump consumed the body")
	}
	for _, s := range []string{"tok_abcdef123456", "c2VjcmV0a2V5", "key_live_123456"} {
		if strings.Contains(buf.String(), s) {
			t.Fatalf("%s in dump:\n%s", s, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "User-Agent: hookctl/test") {
		t.Fatal(buf.String())
	}
}
