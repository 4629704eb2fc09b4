package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, true, "pages")
	now := l.start
	l.last = now
	l.now = func() time.Time { return now }
	l.Update(1, 30) // the first redraw waits for the throttle
	now = now.Add(150 * time.Millisecond)
	l.Update(3, 30)
	now = now.Add(10 * time.Millisecond)
	l.Update(4, 30) // throttled
	now = now.Add(200 * time.Millisecond)
	l.Update(12, 0)
	l.Done()
	l.Update(13, 30) // after Done: nothing
	got := buf.String()
	want := "\rpages 3/30 · 0.1s" + "\rpages 12 · 0.4s  " + "\r" + strings.Repeat(" ", utf8.RuneCountInString("pages 12 · 0.4s")) + "\r"
	if got != want {
		t.Fatalf("drew %q, want %q", got, want)
	}
}

func TestDisabledDrawsNothing(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, false, "pages")
	l.Update(1, 2)
	l.Done()
	if buf.Len() != 0 || l != nil {
		t.Fatalf("drew %q", buf.String())
	}
}

func TestConcurrentUpdates(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, true, "pages")
	l.every = 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); l.Update(i, 8) }(i)
	}
	wg.Wait()
	l.Done()
	if !strings.HasSuffix(buf.String(), "\r") {
		t.Fatalf("not cleared: %q", buf.String())
	}
}
