// Command mutation runs gremlins (mutation testing) on each package given,
// against that package's own tests, and writes the figures into the
// "Mutation testing" section of docs/reliability.md (`make mutation`).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Heading starts the section this command owns; the reliability suite
// (cmd/reliability_secrets_test.go) generates and checks what precedes it.
const Heading = "## Mutation testing"

func main() {
	gremlins := flag.String("gremlins", "gremlins", "the gremlins v0.6.0 binary")
	report := flag.String("report", "docs/reliability.md", "file whose mutation section to rewrite")
	workers := flag.Int("workers", 1, "gremlins workers (each runs the package's tests)")
	coefficient := flag.Int("timeout-coefficient", 3, "a mutant's tests time out after this many times the normal run")
	minEfficacy := flag.Float64("min-efficacy", 0, "exit 1 when a package's efficacy is below this percentage")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mutation [flags] ./internal/pkg ...")
		os.Exit(2)
	}
	var results []Result
	for _, pkg := range flag.Args() {
		r, err := run(*gremlins, pkg, *workers, *coefficient)
		if err != nil {
			fmt.Fprintf(os.Stderr, "mutation: %s: %v\n", pkg, err)
			os.Exit(1)
		}
		results = append(results, r)
		if r.Killed+r.Lived == 0 && r.TimedOut > 0 {
			fmt.Fprintf(os.Stderr, "mutation: %s: all %d judged mutants timed out, so no efficacy can be given: raise -timeout-coefficient\n", r.Package, r.TimedOut)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "mutation: %s: efficacy %.1f%% (%d killed, %d lived)\n", r.Package, r.Efficacy(), r.Killed, r.Lived)
	}
	old, err := os.ReadFile(*report)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutation:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*report, []byte(Splice(string(old), Render(results))), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mutation:", err)
		os.Exit(1)
	}
	for _, r := range results {
		if r.Efficacy() < *minEfficacy {
			fmt.Fprintf(os.Stderr, "mutation: %s: efficacy %.1f%% is below %.1f%%\n", r.Package, r.Efficacy(), *minEfficacy)
			os.Exit(1)
		}
	}
}

// Mutant is one mutation gremlins tried.
type Mutant struct {
	File, Type, Status, Source string
	Line, Column               int
}

// Result is one package's run.
type Result struct {
	Package                                        string
	Killed, Lived, TimedOut, NotCovered, NotViable int
	Survivors                                      []Mutant
}

// Efficacy is killed / (killed + lived), in percent, as gremlins reports it.
func (r Result) Efficacy() float64 {
	if r.Killed+r.Lived == 0 {
		return 100
	}
	return 100 * float64(r.Killed) / float64(r.Killed+r.Lived)
}

// Coverage is the share of mutants that some test reached.
func (r Result) Coverage() float64 {
	total := r.Killed + r.Lived + r.TimedOut + r.NotCovered
	if total == 0 {
		return 100
	}
	return 100 * float64(total-r.NotCovered) / float64(total)
}

type gremlinsReport struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

func run(gremlins, pkg string, workers, coefficient int) (Result, error) {
	out, err := os.CreateTemp("", "gremlins-*.json")
	if err != nil {
		return Result{}, err
	}
	out.Close()
	defer os.Remove(out.Name())
	// No --test-cpu: gremlins v0.6.0 passes it as one argument ("-cpu N"),
	// go test refuses it, and every mutant then counts as killed.
	cmd := exec.Command(gremlins, "unleash", "--workers", strconv.Itoa(workers),
		"--timeout-coefficient", strconv.Itoa(coefficient), "--output", out.Name(), pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// A cached test result makes gremlins' timeout (a multiple of the
	// coverage run's duration) tiny, and every mutant then times out.
	cmd.Env = append(os.Environ(), "GOFLAGS=-count=1")
	if err := cmd.Run(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", gremlins, err)
	}
	data, err := os.ReadFile(out.Name())
	if err != nil {
		return Result{}, err
	}
	return Parse(pkg, data)
}

// Parse reads gremlins' JSON output for pkg.
func Parse(pkg string, data []byte) (Result, error) {
	var rep gremlinsReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return Result{}, fmt.Errorf("gremlins output: %w", err)
	}
	pkg = filepath.ToSlash(filepath.Clean(pkg))
	r := Result{Package: pkg}
	for _, f := range rep.Files {
		file := filepath.ToSlash(filepath.Join(pkg, filepath.Base(f.Name)))
		for _, m := range f.Mutations {
			switch m.Status {
			case "KILLED":
				r.Killed++
			case "LIVED":
				r.Lived++
				r.Survivors = append(r.Survivors, Mutant{File: file, Type: m.Type, Status: m.Status, Line: m.Line, Column: m.Column, Source: sourceLine(file, m.Line)})
			case "TIMED OUT":
				r.TimedOut++
			case "NOT COVERED":
				r.NotCovered++
			case "NOT VIABLE":
				r.NotViable++
			}
		}
	}
	return r, nil
}

func sourceLine(file string, line int) string {
	data, err := os.ReadFile(filepath.FromSlash(file))
	if err != nil {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[line-1])
}

// Render is the mutation section of docs/reliability.md.
func Render(results []Result) string {
	var b strings.Builder
	b.WriteString(Heading + "\n\n")
	b.WriteString("Written by `make mutation` from its last run: gremlins v0.6.0 on each package against that\n" +
		"package's own tests (the provider specs found through `HOOKCTL_SPECS_DIR`, since gremlins runs a\n" +
		"copy of the module). Efficacy is killed / (killed + lived); a mutant whose tests hang (timed out)\n" +
		"counts as neither, one on a line no test of the package runs as not covered.\n\n")
	b.WriteString("| package | killed | lived | timed out | not covered | not viable | efficacy | mutant coverage |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	var survivors []Mutant
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %.1f%% | %.1f%% |\n", r.Package, r.Killed, r.Lived, r.TimedOut, r.NotCovered, r.NotViable, r.Efficacy(), r.Coverage())
		survivors = append(survivors, r.Survivors...)
	}
	if len(survivors) > 0 {
		b.WriteString("\nSurviving mutants, with the reason when the mutant is equivalent (no test can tell it apart):\n\n")
		for _, m := range survivors {
			reason := Equivalent[key(m)]
			if reason == "" {
				reason = "not killed yet"
			} else {
				reason = "equivalent: " + reason
			}
			fmt.Fprintf(&b, "- `%s:%d:%d` %s `%s`: %s\n", m.File, m.Line, m.Column, m.Type, strings.ReplaceAll(m.Source, "`", "'"), reason)
		}
	}
	return b.String()
}

// Splice replaces the mutation section of doc (everything from Heading on)
// with section, or appends it.
func Splice(doc, section string) string {
	if i := strings.Index(doc, "\n"+Heading); i >= 0 {
		doc = doc[:i]
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + section
}
