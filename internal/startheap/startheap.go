// Package startheap gives a run a minimum heap goal, as the Go compiler
// does for itself (cmd/compile's AdjustStartingHeap). The runtime first
// collects at a 4 MiB heap and then whenever the heap doubles what is live:
// a run that fans out to twenty profiles, or streams pages of a few hundred
// kilobytes whose live data stays small, collects dozens of times for
// nothing. With a minimum goal the heap may grow to it before a collection;
// once what is live passes half of it, the usual GOGC takes over, so a
// large listing keeps its memory bounded as before.
package startheap

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// minHeap is the heap at which the runtime first collects under GOGC=100.
const minHeap = 4 << 20

type sentinel struct{ _ [16]byte } // large enough to get its own allocation

// Set keeps the heap goal at target bytes or more, unless GOGC is set in
// the environment (the user's choice stands). Stop ends it, GOGC restored.
func Set(target uint64) (stop func()) {
	if os.Getenv("GOGC") != "" || target <= minHeap {
		return func() {}
	}
	h := &holder{target: target, base: debug.SetGCPercent(int(100 * target / minHeap))}
	h.arm()
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.stopped {
			h.stopped = true
			debug.SetGCPercent(h.base)
		}
	}
}

type holder struct {
	target  uint64
	base    int // the GOGC to return to
	mu      sync.Mutex
	stopped bool
}

// arm runs adjust after the next collection: a sentinel that nothing
// references is found unreachable by it.
func (h *holder) arm() { runtime.AddCleanup(new(sentinel), func(h *holder) { h.adjust() }, h) }

// adjust sets GOGC so that the next goal is the target again, until the
// usual GOGC gives as much. The goal grows linearly with GOGC (what is live,
// plus what is live and the roots times GOGC/100, or the runtime's own
// minimum): it is read at two settings, and the one reaching the target is
// taken from the line through them.
func (h *holder) adjust() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		return
	}
	base := uint64(max(h.base, 1))
	low, high := goalAt(int(base)), goalAt(int(2*base))
	if low >= h.target || high <= low {
		h.stopped = true
		debug.SetGCPercent(h.base)
		return
	}
	percent := base + (h.target-low)*base/(high-low)
	debug.SetGCPercent(int(percent))
	h.arm()
}

// goalAt sets GOGC and returns the heap goal it gives.
func goalAt(percent int) uint64 {
	debug.SetGCPercent(percent)
	sample := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}
