package httpx

import (
	"io"
	"net/http"
)

// ReadBody reads at most limit bytes of resp's body. When the sender
// announces the length, the body is read into one buffer of that size: a
// page of several megabytes then costs no copies while it grows.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	r := io.LimitReader(resp.Body, limit)
	n := resp.ContentLength
	if n <= 0 || n > limit {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, n+1) // one byte more: room to see the end without growing
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
