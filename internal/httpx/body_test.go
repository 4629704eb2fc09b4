package httpx

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	big := strings.Repeat("0123456789", 10000)
	for _, c := range []struct {
		name   string
		body   string
		length string // "": announced by net/http; "-": none (chunked)
		limit  int64
		want   string
	}{
		{"announced", big, "", 1 << 20, big},
		{"unannounced", big, "-", 1 << 20, big},
		{"over the limit", big, "", 1000, big[:1000]},
		{"over the limit, unannounced", big, "-", 1000, big[:1000]},
		{"empty", "", "", 10, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.length != "-" {
					w.Header().Set("Content-Length", strconv.Itoa(len(c.body)))
				}
				io.WriteString(w, c.body[:len(c.body)/2])
				w.(http.Flusher).Flush()
				io.WriteString(w, c.body[len(c.body)/2:])
			}))
			defer srv.Close()
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := ReadBody(resp, c.limit)
			if err != nil || !bytes.Equal(got, []byte(c.want)) {
				t.Fatalf("ReadBody: %d bytes, %v; want %d bytes", len(got), err, len(c.want))
			}
		})
	}
}

// A body that ends before its announced length is an error, not a short page.
func TestReadBodyShort(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "only part")
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got, err := ReadBody(resp, 1<<20); err == nil {
		t.Fatalf("ReadBody of a cut body: %q, no error", got)
	}
}
