package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

func targets(n int) []Target {
	out := make([]Target, n)
	for i := range out {
		out[i] = Target{Name: fmt.Sprintf("t%02d", i)}
	}
	return out
}

// TestRunBound: never more than Concurrency targets at once, and that many
// when there is work; results keep the targets' order.
func TestRunBound(t *testing.T) {
	var now, peak atomic.Int32
	release := make(chan struct{})
	go func() {
		for peak.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		close(release)
	}()
	res := Run(context.Background(), targets(10), Options{Concurrency: 3}, nil, func(ctx context.Context, tg Target) (string, error) {
		n := now.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		now.Add(-1)
		return tg.Name, nil
	})
	if peak.Load() != 3 {
		t.Fatalf("peak concurrency %d, want 3", peak.Load())
	}
	for i, r := range res {
		if !r.OK() || r.Data != fmt.Sprintf("t%02d", i) || r.Target != r.Data {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	doc := NewDocument(res, func(s string) string { return s })
	if doc.Summary.OK != 10 || doc.Err() != nil {
		t.Fatalf("%+v", doc.Summary)
	}
}

// TestRunFailFast: after the first failure no target starts; those are
// reported as not run, and every target counts in the summary.
func TestRunFailFast(t *testing.T) {
	var started atomic.Int32
	res := Run(context.Background(), targets(5), Options{Concurrency: 1, FailFast: true}, nil, func(ctx context.Context, tg Target) (int, error) {
		started.Add(1)
		if tg.Name == "t01" {
			return 0, errors.New("boom")
		}
		return 1, nil
	})
	if started.Load() != 2 {
		t.Fatalf("%d started, want 2", started.Load())
	}
	doc := NewDocument(res, func(s string) string { return s })
	if doc.Summary.OK != 1 || doc.Summary.Failed != 4 || doc.Results[1].Error != "boom" || doc.Results[4].Error != errFailFast.Error() {
		t.Fatalf("%+v", doc)
	}
	if err := doc.Err(); err == nil || err.Error() != "4 of 5 targets failed" {
		t.Fatalf("err %v", err)
	}
	b, _ := doc.Results[0].MarshalJSON()
	if string(b) != `{"target":"t00","ok":true,"data":1}` {
		t.Errorf("ok entry %s", b)
	}
	b, _ = doc.Results[1].MarshalJSON()
	if string(b) != `{"target":"t01","ok":false,"error":"boom"}` {
		t.Errorf("failed entry %s", b)
	}
}

// TestRunInterrupted: a cancelled run starts nothing more.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	res := Run(ctx, targets(4), Options{Concurrency: 1}, nil, func(ctx context.Context, tg Target) (int, error) {
		started.Add(1)
		cancel()
		return 0, ctx.Err()
	})
	if started.Load() != 1 || res[3].Err != errInterrupted {
		t.Fatalf("%d started, %+v", started.Load(), res)
	}
}
