package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/testutil/rawserver"
)

func TestNetworkDescribesTheCause(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String()
	ln.Close()
	reset, _ := rawserver.ResetAfterRead(t)
	stalled, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { stalled.Close() })
	c := &http.Client{Transport: NewTransport(nil)}
	conn, err := net.Dial("tcp", stalled.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, readTimeout := conn.Read(make([]byte, 1))
	get := func(url string) error {
		_, err := c.Get(url)
		return err
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"refused", get(refused), "cannot reach h: connection refused (is the server running? check the base URL)"},
		{"reset", get(reset), "cannot reach h: the server closed or reset the connection"},
		{"dns", &net.DNSError{Name: "nowhere.invalid", Err: "no such host"}, "cannot reach h: cannot resolve nowhere.invalid"},
		{"timeout", readTimeout, "cannot reach h: timed out"},
		{"other", fmt.Errorf("outer: %w", errors.New("inner cause")), "cannot reach h: inner cause"},
	} {
		got := Network(tc.err, "h")
		var ne *NetworkError
		if !errors.As(got, &ne) || got.Error() != tc.want || !errors.Is(got, tc.err) {
			t.Errorf("%s: %v, want %q", tc.name, got, tc.want)
		}
	}
	for _, err := range []error{nil, context.Canceled, fmt.Errorf("x: %w", context.DeadlineExceeded)} {
		if got := Network(err, "h"); got != err {
			t.Errorf("Network(%v) = %v, want it unchanged", err, got)
		}
	}
	if !retryableError(os.ErrDeadlineExceeded) || retryableError(context.Canceled) || retryableError(errors.New("plain")) {
		t.Error("retryableError")
	}
	if _, ok := remoteAlert(&net.OpError{Op: "remote error", Err: errors.New("not tls")}); ok {
		t.Error("an alert is a tls: error")
	}
	if !strings.HasPrefix((&NetworkError{Host: "a", Cause: "b"}).Error(), "cannot reach a: b") {
		t.Error("NetworkError")
	}
}
