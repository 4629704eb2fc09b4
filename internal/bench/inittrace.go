package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// inits is what GODEBUG=inittrace=1 reports of one program: per package the
// clock time of its initialisation, and when the last one ended (about when
// main starts), in milliseconds; medians over several runs.
type inits struct {
	pkgs   map[string]float64
	total  float64 // sum of the packages' clock times
	toMain float64
	runs   int
}

// parseInitTrace reads the runtime's "init PKG @T ms, C ms clock, ..." lines.
func parseInitTrace(stderr []byte) (pkgs map[string]float64, toMain float64, err error) {
	pkgs = map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "init ") {
			continue
		}
		var pkg string
		var at, clock float64
		if _, err := fmt.Sscanf(line, "init %s @%f ms, %f ms clock", &pkg, &at, &clock); err != nil {
			return nil, 0, fmt.Errorf("inittrace line %q: %v", line, err)
		}
		pkgs[pkg] += clock
		toMain = max(toMain, at+clock)
	}
	if len(pkgs) == 0 {
		return nil, 0, fmt.Errorf("no inittrace lines in %q", stderr)
	}
	return pkgs, toMain, nil
}

// traceInits runs each program n times, interleaved, with GODEBUG=inittrace=1.
func traceInits(n int, env []string, progs ...[]string) ([]inits, error) {
	env = append(append([]string(nil), env...), "GODEBUG=inittrace=1")
	type acc struct {
		pkgs          map[string][]float64
		totals, mains []float64
	}
	accs := make([]acc, len(progs))
	for i := range accs {
		accs[i].pkgs = map[string][]float64{}
	}
	for i := 0; i < n; i++ {
		for j, argv := range progs {
			c := exec.Command(argv[0], argv[1:]...)
			c.Env = env
			var stderr bytes.Buffer
			c.Stderr = &stderr
			if err := c.Run(); err != nil {
				return nil, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, stderr.String())
			}
			pkgs, toMain, err := parseInitTrace(stderr.Bytes())
			if err != nil {
				return nil, err
			}
			total := 0.0
			for p, c := range pkgs {
				accs[j].pkgs[p] = append(accs[j].pkgs[p], c)
				total += c
			}
			accs[j].totals = append(accs[j].totals, total)
			accs[j].mains = append(accs[j].mains, toMain)
		}
	}
	out := make([]inits, len(progs))
	for j, a := range accs {
		out[j] = inits{pkgs: map[string]float64{}, total: median(a.totals), toMain: median(a.mains), runs: n}
		for p, cs := range a.pkgs {
			for len(cs) < n { // a package that did not report in a run took no time there
				cs = append(cs, 0)
			}
			out[j].pkgs[p] = median(cs)
		}
	}
	return out, nil
}

// publisher groups packages by who ships them: a host-and-owner path
// (github.com/olekukonko), a golang.org/x module (also as vendored by the
// standard library), or the standard library's top directory (crypto, net).
func publisher(pkg string) string {
	parts := strings.Split(pkg, "/")
	switch {
	case parts[0] == "vendor" && len(parts) > 1: // the standard library's vendored copies
		return "vendor/" + publisher(strings.Join(parts[1:], "/"))
	case !strings.Contains(parts[0], "."):
		return parts[0]
	case parts[0] == "golang.org" && len(parts) >= 3:
		return strings.Join(parts[:3], "/")
	case len(parts) >= 2:
		return strings.Join(parts[:2], "/")
	}
	return pkg
}

// extraInit is one publisher's share of the init time b has and a has not.
type extraInit struct {
	publisher string
	extra     float64 // ms more than in a
	largest   string  // its package with the most init time in b
	largestMS float64
}

// initDifference lists, largest first, the publishers whose packages take
// more init time in b than in a.
func initDifference(a, b inits) []extraInit {
	byPub := map[string]*extraInit{}
	get := func(p string) *extraInit {
		if byPub[p] == nil {
			byPub[p] = &extraInit{publisher: p}
		}
		return byPub[p]
	}
	for pkg, c := range b.pkgs {
		e := get(publisher(pkg))
		e.extra += c
		if c > e.largestMS {
			e.largest, e.largestMS = pkg, c
		}
	}
	for pkg, c := range a.pkgs {
		get(publisher(pkg)).extra -= c
	}
	var out []extraInit
	for _, e := range byPub {
		if e.extra > 0 {
			out = append(out, *e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].extra != out[j].extra {
			return out[i].extra > out[j].extra
		}
		return out[i].publisher < out[j].publisher
	})
	return out
}
