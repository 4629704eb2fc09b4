package main

import (
	"testing"
	"time"
)

func TestJudge(t *testing.T) {
	cases := []struct {
		name   string
		rounds []float64
		limit  float64
		want   verdict
	}{
		{"every round under", []float64{1.2, 1.4, 1.3}, 1.5, met},
		{"a round exactly at the goal meets it", []float64{1.5, 1.5}, 1.5, met},
		{"every round over", []float64{1.6, 1.51, 1.7}, 1.5, missed},
		{"rounds straddle the goal", []float64{1.60, 1.47, 1.55}, 1.5, withinNoise},
		{"one round over among many under", []float64{0.9, 0.9, 0.9, 1.01}, 1.0, withinNoise},
		{"one round", []float64{0.7}, 1.0, met},
		{"no rounds", nil, 1.0, notMeasured},
	}
	for _, c := range cases {
		if got := judge(c.rounds, c.limit); got != c.want {
			t.Errorf("%s: judge(%v, %v) = %q, want %q", c.name, c.rounds, c.limit, got, c.want)
		}
	}
}

func TestRatiosAreRoundByRound(t *testing.T) {
	a := []time.Duration{30 * time.Millisecond, 16 * time.Millisecond}
	b := []time.Duration{20 * time.Millisecond, 10 * time.Millisecond}
	got := ratios(a, b)
	if len(got) != 2 || got[0] != 1.5 || got[1] != 1.6 {
		t.Fatalf("ratios = %v, want [1.5 1.6]", got)
	}
	if v := judge(got, 1.5); v != withinNoise {
		t.Fatalf("judge(%v, 1.5) = %q, want within noise", got, v)
	}
	if s := spanX(got); s != "1.55× (1.50–1.60)" {
		t.Fatalf("spanX = %q", s)
	}
}

func TestParseInitTrace(t *testing.T) {
	trace := []byte("init runtime @0.025 ms, 0.039 ms clock, 0 bytes, 0 allocs\n" +
		"some other line\n" +
		"init github.com/olekukonko/tablewriter/pkg/twwidth @6.9 ms, 0.58 ms clock, 663408 bytes, 93 allocs\n" +
		"init github.com/itchyny/gojq @9.2 ms, 0.41 ms clock, 219352 bytes, 2278 allocs\n")
	pkgs, toMain, err := parseInitTrace(trace)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 3 || pkgs["github.com/itchyny/gojq"] != 0.41 || pkgs["runtime"] != 0.039 {
		t.Fatalf("pkgs = %v", pkgs)
	}
	if toMain < 9.609 || toMain > 9.611 {
		t.Fatalf("toMain = %v, want 9.61", toMain)
	}
	if _, _, err := parseInitTrace([]byte("hookctl 1.0\n")); err == nil {
		t.Fatal("no init lines: want an error")
	}
}

func TestInitDifferenceByPublisher(t *testing.T) {
	minimal := inits{pkgs: map[string]float64{"github.com/spf13/cobra": 0.2, "net": 0.1}}
	hook := inits{pkgs: map[string]float64{
		"github.com/spf13/cobra": 0.2, "net": 0.1, "net/http": 0.3,
		"github.com/olekukonko/tablewriter/pkg/twwidth": 0.6, "github.com/olekukonko/ll": 0.2,
	}}
	d := initDifference(minimal, hook)
	if len(d) != 2 {
		t.Fatalf("got %+v, want olekukonko and net", d)
	}
	if d[0].publisher != "github.com/olekukonko" || d[0].largest != "github.com/olekukonko/tablewriter/pkg/twwidth" || d[0].extra < 0.79 || d[0].extra > 0.81 {
		t.Fatalf("first = %+v", d[0])
	}
	if d[1].publisher != "net" || d[1].extra < 0.29 || d[1].extra > 0.31 {
		t.Fatalf("second = %+v", d[1])
	}
}

func TestPublisher(t *testing.T) {
	for pkg, want := range map[string]string{
		"github.com/olekukonko/tablewriter/pkg/twwidth": "github.com/olekukonko",
		"golang.org/x/net/http2":                        "golang.org/x/net",
		"vendor/golang.org/x/sys/cpu":                   "vendor/golang.org/x/sys",
		"crypto/x509":                                   "crypto",
		"runtime":                                       "runtime",
		"go.yaml.in/yaml/v3":                            "go.yaml.in/yaml",
	} {
		if got := publisher(pkg); got != want {
			t.Errorf("publisher(%q) = %q, want %q", pkg, got, want)
		}
	}
}
