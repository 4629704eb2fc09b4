// Package progress draws one line of progress on a terminal's stderr,
// redrawn in place and cleared at the end; it draws nothing elsewhere.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Line is a progress line; the zero of *Line (nil) draws nothing.
type Line struct {
	w     io.Writer
	what  string
	start time.Time
	now   func() time.Time
	every time.Duration

	mu     sync.Mutex
	last   time.Time
	width  int
	done   int
	total  int
	closed bool
}

// New returns a line that draws on w, or nil (draws nothing) when enabled
// is false: off a terminal, with --debug, or HOOKCTL_NO_PROGRESS=1.
func New(w io.Writer, enabled bool, what string) *Line {
	if !enabled {
		return nil
	}
	// Nothing is drawn before the first interval: a quick command shows no line.
	start := time.Now()
	return &Line{w: w, what: what, start: start, last: start, now: time.Now, every: 100 * time.Millisecond}
}

// Update reports done of total (0: unknown); redraws are throttled.
func (l *Line) Update(done, total int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.done, l.total = done, total
	now := l.now()
	if now.Sub(l.last) < l.every {
		return
	}
	l.last = now
	l.draw(now)
}

func (l *Line) draw(now time.Time) {
	text := fmt.Sprintf("%s %d", l.what, l.done)
	if l.total > 0 {
		text += fmt.Sprintf("/%d", l.total)
	}
	text += fmt.Sprintf(" · %.1fs", now.Sub(l.start).Seconds())
	width := utf8.RuneCountInString(text)
	pad := ""
	if n := l.width - width; n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(l.w, "\r"+text+pad)
	l.width = width
}

// Done clears the line.
func (l *Line) Done() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	if l.width > 0 {
		fmt.Fprint(l.w, "\r"+strings.Repeat(" ", l.width)+"\r")
	}
}
