package cmd_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
)

type targetsDoc struct {
	Results []struct {
		Target string            `json:"target"`
		OK     bool              `json:"ok"`
		Data   []json.RawMessage `json:"data"`
		Error  *string           `json:"error"`
	} `json:"results"`
	Summary struct{ OK, Failed int } `json:"summary"`
}

func decodeTargets(t *testing.T, out string) targetsDoc {
	t.Helper()
	var doc targetsDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not a targets document: %v\n%s", err, out)
	}
	return doc
}

func failConekta(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(http.StatusBadRequest)
	rw.Write([]byte(`{"object":"error","type":"parameter_validation_error","details":[{"message":"refused"}]}`))
}

// TestListManyTargets: `webhooks list` over every profile reports each
// target, in name order, as data or as an error; one failing never hides
// the other, and the run then exits 1.
func TestListManyTargets(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	out, errOut, code := w.exec("webhooks", "list", "--all-profiles", "-o", "json")
	doc := decodeTargets(t, out)
	if code != 0 || len(doc.Results) != 2 || doc.Summary.OK != 2 || doc.Summary.Failed != 0 {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	for i, name := range []string{"b", "c"} {
		r := doc.Results[i]
		if r.Target != name || !r.OK || len(r.Data) != 3 || r.Error != nil {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	table, _, code := w.exec("webhooks", "list", "--profiles", "c,b")
	if code != 0 || !strings.HasPrefix(table, "TARGET") || strings.Count(table, "\nb ") != 3 || strings.Count(table, "\nc ") != 3 {
		t.Fatalf("table, exit %d:\n%s", code, table)
	}

	w = newWorld(t, failConekta, nil)
	w.chdir()
	out, errOut, code = w.exec("webhooks", "list", "--all-profiles", "-o", "json")
	doc = decodeTargets(t, out)
	if code != 1 || doc.Summary.OK != 1 || doc.Summary.Failed != 1 || !doc.Results[0].OK || doc.Results[1].OK ||
		doc.Results[1].Error == nil || !strings.Contains(*doc.Results[1].Error, "refused") {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	if !strings.Contains(errOut, "1 of 2 targets failed") {
		t.Errorf("stderr: %s", errOut)
	}
	if leaks := w.secretsIn(out, errOut); len(leaks) > 0 {
		t.Errorf("leaked %v", leaks)
	}
}

// TestFailFast: with one target at a time, the first failure stops the run;
// the target never started is reported as not run and gets no request.
func TestFailFast(t *testing.T) {
	w := newWorld(t, nil, failConekta)
	w.chdir()
	requests := func() int { return w.count.api + w.count.tokens }
	out, errOut, code := w.exec("webhooks", "list", "--all-profiles", "--concurrency", "1", "--fail-fast", "-o", "json")
	doc := decodeTargets(t, out)
	if code != 1 || doc.Summary.Failed != 2 || doc.Results[1].Error == nil || !strings.Contains(*doc.Results[1].Error, "--fail-fast") {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	if requests() != 1 {
		t.Errorf("--fail-fast: %d requests, want the failing token request only", requests())
	}
	before := requests()
	_, _, code = w.exec("webhooks", "list", "--all-profiles", "--concurrency", "1", "-o", "json")
	if code != 1 || requests()-before != 2 {
		t.Fatalf("without --fail-fast both run: exit %d, %d requests", code, requests()-before)
	}
}

// TestTargetUsage: selections that cannot work are usage errors before any
// request.
func TestTargetUsage(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	for _, args := range [][]string{
		{"webhooks", "list", "--profiles", "b,cc"},
		{"webhooks", "list", "--all-profiles", "--profiles", "b"},
		{"--profile", "b", "webhooks", "list", "--all-profiles"},
		{"webhooks", "list", "--profile-glob", "z*"},
		{"webhooks", "list", "--profile-glob", "[b"},
		{"webhooks", "list", "--all-profiles", "--search", "x"},
		{"webhooks", "list", "--all-profiles", "--concurrency", "0"},
		{"webhooks", "list", "--all-profiles", "--raw", "-o", "json"},
		{"--profile", "b", "webhooks", "list", "--child-companies", "x"},
		{"webhooks", "list", "--profiles", "c", "--child-companies", "x", "--child-company", "y"},
		{"doctor", "--profiles", "nope"},
		{"webhooks", "list", "--profiles", ""},
		{"--profile", "c", "webhooks", "list", "--profiles", ""},
		{"doctor", "--profiles="},
		{"webhooks", "list", "--profile-glob", ""},
		{"--profile", "c", "webhooks", "list", "--child-companies", ""},
		{"--profile", "c", "webhooks", "list", "--concurrency", "2"},
		{"--profile", "c", "deliveries", "list", "--fail-fast"},
		{"--profile", "c", "doctor", "--fail-fast"},
		{"--profile", "c", "export", "--concurrency", "8"},
	} {
		before := w.count.api + w.count.tokens
		_, errOut, code := w.exec(args...)
		if code != 2 || w.count.api+w.count.tokens != before || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, %d requests: %s", args, code, w.count.api+w.count.tokens-before, errOut)
		}
	}
	for flag, args := range map[string][]string{
		"--profiles":     {"webhooks", "list", "--profiles", ""},
		"--profile-glob": {"webhooks", "list", "--profile-glob", ""},
		"--concurrency":  {"--profile", "c", "webhooks", "list", "--concurrency", "2"},
		"--fail-fast":    {"--profile", "c", "doctor", "--fail-fast"},
	} {
		if _, errOut, _ := w.exec(args...); !strings.HasPrefix(errOut, "error: "+flag+" ") {
			t.Errorf("%v: %s", args, errOut)
		}
	}
	_, errOut, _ := w.exec("webhooks", "list", "--profiles", "cc")
	if !strings.Contains(errOut, `did you mean "c"`) && !strings.Contains(errOut, "did you mean c") {
		t.Errorf("no suggestion: %s", errOut)
	}
}

// TestChildCompanies: each child company of a profile is its own target,
// sending its X-Child-Company-Id.
func TestChildCompanies(t *testing.T) {
	var seen []string
	w := newWorld(t, func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		seen = append(seen, r.Header.Get("X-Child-Company-Id"))
		next.ServeHTTP(rw, r)
	}, nil)
	w.chdir()
	out, errOut, code := w.exec("webhooks", "list", "--profiles", "c", "--child-companies", "co_1,co_2", "--concurrency", "1", "-o", "json")
	doc := decodeTargets(t, out)
	if code != 0 || len(doc.Results) != 2 || doc.Results[0].Target != "c/co_1" || doc.Results[1].Target != "c/co_2" {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	if strings.Join(seen, ",") != "co_1,co_2" {
		t.Errorf("child company headers: %q", seen)
	}
}

// TestDeliveriesManyTargets: `deliveries list` over every profile holds each
// target's deliveries of the window, and a provider flag one target's
// provider lacks is a usage error before any request.
func TestDeliveriesManyTargets(t *testing.T) {
	var once sync.Once
	w := newWorld(t, func(n int, rw http.ResponseWriter, r *http.Request, next http.Handler) {
		once.Do(func() {
			next.(*conektaemu.Server).SeedEvents(conektaemu.EventSeed{Count: 4, Logs: 1, Attempts: 2, Start: time.Now().Add(-time.Hour), Step: time.Second, URL: "https://example.com/c"})
		})
		next.ServeHTTP(rw, r)
	}, nil)
	w.chdir()
	w.bemu.SeedMessages(banklyemu.MessageSeed{Count: 3, Attempts: 4, Start: time.Now().Add(-2 * time.Hour), Step: time.Second, URI: "https://example.com/b"})
	out, errOut, code := w.exec("deliveries", "list", "--all-profiles", "--since", "24h", "-o", "json")
	doc := decodeTargets(t, out)
	if code != 0 || len(doc.Results) != 2 || doc.Results[0].Target != "b" || len(doc.Results[0].Data) != 3 || len(doc.Results[1].Data) != 4 {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	table, _, code := w.exec("deliveries", "list", "--all-profiles", "-o", "table")
	if code != 0 || !strings.HasPrefix(table, "TARGET") || strings.Count(table, "\nb ") != 3 || strings.Count(table, "\nc ") != 4 {
		t.Fatalf("table, exit %d:\n%s", code, table)
	}
	before := w.count.api + w.count.tokens
	_, errOut, code = w.exec("deliveries", "list", "--all-profiles", "--webhook", "x")
	if code != 2 || w.count.api+w.count.tokens != before || !strings.Contains(errOut, "--webhook") {
		t.Fatalf("--webhook with a Bankly target: exit %d, %d requests: %s", code, w.count.api+w.count.tokens-before, errOut)
	}
}

// TestTargetsOwnSettings: a run over named profiles needs neither the
// default profile nor its settings (here broken), prints a config file's
// warning once however many targets read the file, and reports a target
// --fail-fast cut short as stopped, not as a raw cancellation.
func TestTargetsOwnSettings(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	cfg := filepath.Join(w.dir, "config.yaml")
	body, _ := os.ReadFile(cfg)
	text := "default_profile: broken\n" + string(body) + "  broken:\n    provider: conekta\n    timeout: nope\n  c2:\n    provider: conekta\n    base_url: " + w.conekta + "\n    api_key_file: conekta.key\n"
	os.WriteFile(cfg, []byte(text), 0o600)
	out, errOut, code := w.exec("webhooks", "list", "--profiles", "c,c2", "-o", "json")
	doc := decodeTargets(t, out)
	if code != 0 || doc.Summary.OK != 2 {
		t.Fatalf("exit %d: %+v\n%s", code, doc, errOut)
	}
	if runtime.GOOS != "windows" {
		os.Chmod(cfg, 0o666)
		_, errOut, _ = w.exec("webhooks", "list", "--profiles", "c,c2", "--child-companies", "x,y", "-o", "json")
		if n := strings.Count(errOut, "is writable by group or others"); n != 1 {
			t.Errorf("the file's warning printed %d times:\n%s", n, errOut)
		}
		os.Chmod(cfg, 0o600)
	}
}
