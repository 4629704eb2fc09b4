package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"time"
)

// A probe makes one invocation and reports what it cost.
type probe func() (sample, error)

type sample struct {
	wall time.Duration
	cpu  time.Duration // user+system time of the child process; 0 in-process
	host time.Duration // CPU time this process (it hosts the emulators) spent meanwhile; 0 where not measured
}

// command is a probe that runs a program to completion.
func command(env []string, name string, args ...string) probe {
	return func() (sample, error) {
		c := exec.Command(name, args...)
		c.Env = env
		var stderr bytes.Buffer
		var out tail
		// Read as a pipe into another program would read it, and dropped:
		// keeping megabytes of output would cost this process, on the same
		// cores, more than hookctl's writing them.
		c.Stdout, c.Stderr = &out, &stderr
		h0 := hostCPU()
		start := time.Now()
		err := c.Run()
		d := time.Since(start)
		if err != nil {
			return sample{}, fmt.Errorf("%s %s: %v: %s%s", name, strings.Join(args, " "), err, stderr.String(), out.last)
		}
		ps := c.ProcessState
		return sample{wall: d, cpu: ps.UserTime() + ps.SystemTime(), host: hostCPU() - h0}, nil
	}
}

// tail keeps the last bytes written to it, for an error message.
type tail struct{ last []byte }

func (t *tail) Write(p []byte) (int, error) {
	const keep = 4096
	t.last = append(t.last, p[max(0, len(p)-keep):]...)
	if len(t.last) > keep {
		t.last = t.last[len(t.last)-keep:]
	}
	return len(p), nil
}

// series is what one probe measured: per round, the median of that round's runs.
type series struct {
	wall, cpu, host []time.Duration
}

// measure runs the probes interleaved, one run of each in turn, so that a
// change in the machine's load hits them all alike: two warm-ups of each,
// then rounds × n runs of each.
func measure(rounds, n int, probes ...probe) ([]series, error) {
	out := make([]series, len(probes))
	for w := 0; w < 2; w++ {
		for _, p := range probes {
			if _, err := p(); err != nil {
				return nil, err
			}
		}
	}
	for r := 0; r < rounds; r++ {
		walls := make([][]time.Duration, len(probes))
		cpus := make([][]time.Duration, len(probes))
		hosts := make([][]time.Duration, len(probes))
		for i := 0; i < n; i++ {
			for j, p := range probes {
				s, err := p()
				if err != nil {
					return nil, err
				}
				walls[j] = append(walls[j], s.wall)
				cpus[j] = append(cpus[j], s.cpu)
				hosts[j] = append(hosts[j], s.host)
			}
		}
		for j := range probes {
			out[j].wall = append(out[j].wall, median(walls[j]))
			out[j].cpu = append(out[j].cpu, median(cpus[j]))
			out[j].host = append(out[j].host, median(hosts[j]))
		}
	}
	return out, nil
}

func median[T ~int64 | ~float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ratios is a/b round by round.
func ratios(a, b []time.Duration) []float64 {
	rs := make([]float64, min(len(a), len(b)))
	for i := range rs {
		rs[i] = float64(a[i]) / float64(b[i])
	}
	return rs
}

// ratiosTo is each round of a against a fixed floor.
func ratiosTo(a []time.Duration, floor time.Duration) []float64 {
	rs := make([]float64, len(a))
	for i := range a {
		rs[i] = float64(a[i]) / float64(floor)
	}
	return rs
}

// A verdict compares every round with a goal.
type verdict string

const (
	met         verdict = "met"
	missed      verdict = "missed"
	withinNoise verdict = "within noise"
	notMeasured verdict = "not measured"
)

// judge is the verdict on a goal "at most limit": met when every round
// meets it, missed when every round misses it, within noise when the rounds
// fall on both sides.
func judge(rounds []float64, limit float64) verdict {
	if len(rounds) == 0 {
		return notMeasured
	}
	under := 0
	for _, r := range rounds {
		if r <= limit {
			under++
		}
	}
	switch under {
	case len(rounds):
		return met
	case 0:
		return missed
	default:
		return withinNoise
	}
}

func (v verdict) cell() string {
	if v == missed {
		return "**missed**"
	}
	return string(v)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// spanMS is the median of the rounds and, in brackets, their range.
func spanMS(ds []time.Duration) string {
	lo, hi := slices.Min(ds), slices.Max(ds)
	return fmt.Sprintf("%s (%.1f–%.1f)", ms(median(ds)), float64(lo.Microseconds())/1000, float64(hi.Microseconds())/1000)
}

// spanX is spanMS for ratios.
func spanX(rs []float64) string {
	lo, hi := slices.Min(rs), slices.Max(rs)
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", median(rs), lo, hi)
}
