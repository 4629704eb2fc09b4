package rawhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/rawhttp"
)

// TestRoundTripOverTheWire receives a real request (chunked, with CRLF and
// non-UTF-8 bytes in the body), saves it and reads it back byte for byte.
func TestRoundTripOverTheWire(t *testing.T) {
	body := []byte("{\"a\":\"\xff\xfe\"}\r\n\x00tail")
	var saved bytes.Buffer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := rawhttp.WriteRequest(&saved, r, b); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/hooks/pix?x=1", io.MultiReader(bytes.NewReader(body))) // unknown length: chunked
	req.Header.Set("Digest", "c2ln")
	req.Header["publicKey"] = []string{"pk"}
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	if !strings.HasPrefix(saved.String(), "POST /hooks/pix?x=1 HTTP/1.1\r\nHost: 127.0.0.1:") || strings.Contains(saved.String(), "Transfer-Encoding") {
		t.Fatalf("raw request:\n%s", saved.String())
	}
	got, gotBody, err := rawhttp.ReadRequest(bytes.NewReader(saved.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotBody, body) {
		t.Fatalf("body %q, want %q", gotBody, body)
	}
	if got.Header.Get("Digest") != "c2ln" || got.Header.Get("publicKey") != "pk" || strings.Join(got.Header.Values("X-Multi"), ",") != "one,two" {
		t.Fatalf("headers %v", got.Header)
	}
	if got.Method != "POST" || got.URL.Path != "/hooks/pix" || got.URL.RawQuery != "x=1" {
		t.Fatalf("request line %s %s", got.Method, got.URL)
	}
}

func TestReadHandWritten(t *testing.T) {
	_, body, err := rawhttp.ReadRequest(strings.NewReader("POST /h HTTP/1.1\nHost: x\nDigest: abc\n\n{\"id\":1}\n"))
	if err != nil || string(body) != "{\"id\":1}\n" {
		t.Fatalf("body %q, err %v", body, err)
	}
}

func TestReadErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"not http":  {"{\"id\":1}", "not a raw HTTP/1.1 request"},
		"truncated": {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", "shorter than its Content-Length 10"},
	} {
		if _, _, err := rawhttp.ReadRequest(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: want %q, got %v", name, c.want, err)
		}
	}
}

func TestWriteRefusesLineBreaks(t *testing.T) {
	err := rawhttp.Write(io.Discard, "POST", "/", "x", http.Header{"X": {"a\r\nInjected: 1"}}, nil)
	if err == nil {
		t.Fatal("a header with a line break was written")
	}
}
