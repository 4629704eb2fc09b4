package startheap

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func gogc() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// After a collection with little live, the goal stays at the target: GOGC
// is raised again.
func TestSetKeepsTheGoalAfterCollections(t *testing.T) {
	t.Setenv("GOGC", "")
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	defer Set(64 << 20)()
	if got := gogc(); got != 1600 {
		t.Fatalf("before the first collection GOGC is %d, want 1600 (a 64 MiB first heap)", got)
	}
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the cleanup runs on its own goroutine
	}
	if got := gogc(); got <= 100 {
		t.Fatalf("after collections with a small live heap GOGC is %d: the goal fell back under 64 MiB", got)
	}
}

// Once what is live passes half the target, the usual GOGC is back.
func TestSetGivesBackWhenTheHeapIsLarge(t *testing.T) {
	t.Setenv("GOGC", "")
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	defer Set(8 << 20)()
	live := make([]byte, 16<<20)
	for deadline := time.Now().Add(5 * time.Second); gogc() != 100; {
		if time.Now().After(deadline) {
			t.Fatalf("with 16 MiB live and an 8 MiB target GOGC is still %d", gogc())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	runtime.KeepAlive(live)
}

func TestSetLeavesTheUsersGOGC(t *testing.T) {
	t.Setenv("GOGC", "50")
	prev := debug.SetGCPercent(50)
	defer debug.SetGCPercent(prev)
	defer Set(32 << 20)()
	if got := gogc(); got != 50 {
		t.Fatalf("GOGC=50 in the environment, Set made it %d", got)
	}
}
