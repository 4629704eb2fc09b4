package webhooks

import (
	"bufio"
	"context"
	"io"
)

// maxFileSize bounds what --file reads, from a file or stdin.
const maxFileSize = 1 << 20

// readAllCtx reads at most limit+1 bytes of r, so that the caller can tell
// "too large"; it returns as soon as ctx ends (Ctrl-C, --timeout), leaving
// the blocked read behind.
func readAllCtx(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	return await(ctx, func() ([]byte, error) { return io.ReadAll(io.LimitReader(r, limit+1)) })
}

// readLineCtx reads one line of r, returning as soon as ctx ends.
func readLineCtx(ctx context.Context, r io.Reader, limit int64) (string, error) {
	b, err := await(ctx, func() ([]byte, error) {
		s, err := bufio.NewReader(io.LimitReader(r, limit)).ReadString('\n')
		if err == io.EOF {
			err = nil
		}
		return []byte(s), err
	})
	return string(b), err
}

// await runs read and waits for it or for ctx, whichever ends first.
func await(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read()
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
