// Package rawserver makes TCP servers that fail below HTTP, for fault tests.
package rawserver

import (
	"bytes"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// CloseOnAccept accepts connections and resets them at once: no request is
// ever read. It returns the base URL and the number of requests read (0).
func CloseOnAccept(t testing.TB) (string, *atomic.Int32) {
	u, n, _ := serve(t, false)
	return u, n
}

// ResetAfterRead reads each request, then resets the connection: the request
// reached the server, the answer never comes. It counts the requests read.
func ResetAfterRead(t testing.TB) (string, *atomic.Int32) {
	u, n, _ := serve(t, true)
	return u, n
}

// ResetAfterReadPosts is ResetAfterRead that also counts the POSTs read.
func ResetAfterReadPosts(t testing.TB) (string, *atomic.Int32, *atomic.Int32) { return serve(t, true) }

func serve(t testing.TB, read bool) (string, *atomic.Int32, *atomic.Int32) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n, posts atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if read {
				buf := make([]byte, 1<<16)
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				if got, _ := c.Read(buf); got > 0 {
					n.Add(1)
					if bytes.HasPrefix(buf[:got], []byte("POST ")) {
						posts.Add(1)
					}
				}
			}
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String(), &n, &posts
}
