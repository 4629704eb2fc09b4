package main

import (
	"strings"
	"testing"
)

func TestParseRenderSplice(t *testing.T) {
	data := []byte(`{"files":[{"file_name":"retry.go","mutations":[
		{"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":1,"column":9},
		{"type":"ARITHMETIC_BASE","status":"KILLED","line":2,"column":3},
		{"type":"ARITHMETIC_BASE","status":"KILLED","line":2,"column":5},
		{"type":"ARITHMETIC_BASE","status":"KILLED","line":2,"column":7},
		{"type":"CONDITIONALS_NEGATION","status":"TIMED OUT","line":3,"column":1},
		{"type":"CONDITIONALS_NEGATION","status":"NOT COVERED","line":4,"column":1},
		{"type":"CONDITIONALS_NEGATION","status":"NOT VIABLE","line":5,"column":1}]}]}`)
	r, err := Parse("./internal/none", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Package != "internal/none" || r.Killed != 3 || r.Lived != 1 || r.TimedOut != 1 || r.NotCovered != 1 || r.NotViable != 1 || r.Efficacy() != 75 || r.Coverage() != 100*5.0/6 {
		t.Fatalf("%+v %v %v", r, r.Efficacy(), r.Coverage())
	}
	if len(r.Survivors) != 1 || r.Survivors[0].File != "internal/none/retry.go" || r.Survivors[0].Line != 1 {
		t.Fatalf("%+v", r.Survivors)
	}
	section := Render([]Result{r})
	for _, want := range []string{"| internal/none | 3 | 1 | 1 | 1 | 1 | 75.0% | 83.3% |", "- `internal/none/retry.go:1:9` CONDITIONALS_BOUNDARY ``: not killed yet"} {
		if !strings.Contains(section, want) {
			t.Fatalf("%q not in\n%s", want, section)
		}
	}
	doc := "# Reliability\n\nrows\n"
	once := Splice(doc, section)
	if once != doc+"\n"+section || Splice(once, "## Mutation testing\n\nnew\n") != doc+"\n## Mutation testing\n\nnew\n" {
		t.Fatalf("%q", once)
	}
	if (Result{}).Efficacy() != 100 || (Result{}).Coverage() != 100 {
		t.Fatal("empty result")
	}
}
