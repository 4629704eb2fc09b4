package cmd_test

import (
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// TestReliabilitySecrets runs every command of both providers with --debug
// in each output format, and their error paths, and checks that no secret
// reaches stdout, stderr or any file but its own.
func TestReliabilitySecrets(t *testing.T) {
	// Bankly's test delivers to the configuration's URL: a receiver on loopback.
	var deliveries atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { deliveries.Add(1) }))
	t.Cleanup(recv.Close)
	runs, checks := 0, 0
	for _, prov := range []string{"c", "b"} {
		for _, format := range []string{"table", "json", "yaml"} {
			w := newWorld(t, nil, nil)
			w.chdir()
			o := []string{"--profile", prov, "--debug", "-o", format}
			createArgs := []string{"webhooks", "create", "--url", "https://example.com/s", "--events", "order.paid"}
			if prov == "b" {
				createArgs = []string{"webhooks", "create", "--url", recv.URL + "/s", "--event", "PIX_CASH_IN_WAS_CLEARED", "--generate-keys", "--private-key-out", "gen.key"}
			}
			out, errOut, code := w.exec(append(append([]string{}, o...), append(createArgs, "-o", "json")...)...)
			if code != 0 {
				t.Fatalf("create: %d %s", code, errOut)
			}
			id := regexp.MustCompile(`"id": "([^"]+)"`).FindStringSubmatch(out)[1]
			gen, _ := os.ReadFile("gen.key")
			extra := strings.TrimSpace(string(gen))
			key, back := []string{}, "https://example.com/s3"
			if prov == "b" {
				key, back = []string{"--private-key-file", "gen.key"}, recv.URL+"/s3"
			}
			lines := []struct {
				args []string
				code int
			}{
				{[]string{"webhooks", "list"}, 0},
				{[]string{"webhooks", "list", "--all"}, 0},
				{[]string{"webhooks", "get", id}, 0},
				{[]string{"webhooks", "get", "nosuch"}, 4},
				{append([]string{"webhooks", "update", id, "--url", "https://example.com/s2"}, key...), 0},
				{[]string{"webhooks", "update", id, "--disable"}, 0},
				{append([]string{"webhooks", "update", id, "--url", back}, key...), 0},
				{append([]string{"webhooks", "test", id}, key...), 0},
				{[]string{"webhooks", "delete", id, "nosuch", "--yes"}, 1},
				{[]string{"config", "view"}, 0},
			}
			for _, line := range lines {
				args := line.args
				out, errOut, code := w.exec(append(append([]string{}, o...), args...)...)
				if code != line.code {
					t.Errorf("%s %v: exit %d, want %d: %s", prov, args, code, line.code, errOut)
				}
				runs++
				texts := []string{out, errOut}
				for _, s := range []string{extra} {
					if s != "" && (strings.Contains(out, s) || strings.Contains(errOut, s)) {
						t.Errorf("%v: the generated private key leaked", args)
					}
				}
				if leaks := w.secretsIn(texts...); len(leaks) > 0 {
					t.Errorf("%s %v: secrets leaked: %v", prov, args, leaks)
				}
				checks += 5
			}
			if prov == "b" && deliveries.Load() == 0 {
				t.Errorf("bankly's signed test delivery never reached the loopback receiver")
			}
			// Files: a secret may live only where the user put it.
			allowed := map[string]bool{"conekta.key": true, "pass": true, "wh.key": true, "gen.key": true, "client.key": true}
			filepath.WalkDir(w.dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(w.dir, path)
				data, _ := os.ReadFile(path)
				if strings.HasPrefix(rel, filepath.Join("cache", "hookctl", "tokens")) {
					if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
						t.Errorf("token cache file %s has mode %v", rel, st.Mode().Perm())
					}
					return nil
				}
				if !allowed[rel] {
					for _, s := range append([]string{relConektaKey, relPassphrase, relWebhookKey}, w.cachedTokens()...) {
						if strings.Contains(string(data), s) {
							t.Errorf("a secret was written to %s", rel)
						}
					}
				}
				return nil
			})
			if st, err := os.Stat("gen.key"); prov == "b" && (err != nil || st.Mode().Perm() != 0o600) {
				t.Errorf("generated key file: %v", st)
			}
		}
	}
	record(row{section: "secrets", name: "command runs with --debug (table, json, yaml; success and error paths)", requests: runs, exit: checks})
}

var reportPath = flag.String("reliability-report", "", "write docs/reliability.md from this run")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code != 0 || flag.Lookup("test.run").Value.String() != "" && *reportPath == "" {
		os.Exit(code)
	}
	doc := renderReport()
	if *reportPath != "" {
		// The mutation section is written by `make mutation`: keep it.
		old, _ := os.ReadFile(*reportPath)
		_, mutation := splitMutation(string(old))
		if err := os.WriteFile(*reportPath, []byte(doc+mutation), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(code)
	}
	want, err := os.ReadFile(filepath.Join("..", "docs", "reliability.md"))
	if generated, _ := splitMutation(string(want)); err != nil || generated != doc {
		fmt.Fprintln(os.Stderr, "docs/reliability.md does not match this run: run `make reliability`")
		os.Exit(1)
	}
	os.Exit(code)
}

// mutationHeading starts the section of docs/reliability.md that
// `make mutation` writes (internal/mutation); this suite leaves it alone.
const mutationHeading = "\n## Mutation testing"

func splitMutation(doc string) (generated, mutation string) {
	if i := strings.Index(doc, mutationHeading); i >= 0 {
		return strings.TrimRight(doc[:i], "\n") + "\n", "\n" + doc[i+1:]
	}
	return doc, ""
}

var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "UUID"},
	{regexp.MustCompile(`\b[0-9a-f]{24}\b`), "ID"},
	{regexp.MustCompile(`/tmp/[^ :]+`), "$DIR"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "DATE"},
	{regexp.MustCompile(`retry after (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d \S+`), "retry after TIME"},
}

func stable(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllLiteralString(s, v.with)
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

func renderReport() string {
	var b strings.Builder
	faults, inputs, secrets := sortedReport("fault"), sortedReport("input"), sortedReport("secrets")
	fmt.Fprintf(&b, `# Reliability and secret safety

Generated by a run of the suites in `+"`cmd/reliability*_test.go`"+`; every row is a test that fails
when the behaviour breaks, and `+"`make test`"+` fails when this file does not match a run.
Reproduce (and rewrite this file):

    make reliability    # go test ./cmd -run 'TestReliability' -count=1 -reliability-report ../docs/reliability.md

Each run is hookctl in-process against wire-level fakes: Conekta's emulator over HTTP, Bankly's
emulator behind TLS that verifies client certificates, a raw TCP server for connection faults.
Every run also checks that none of the planted secrets (Conekta API key, Bankly access token,
client-key PEM, key passphrase, webhook private key) reaches stdout or stderr, and that a failed
run prints nothing on stdout.

## Faults (%d)

"Requests" counts API requests that reached the server (token requests apart); "creates" counts
create requests that reached it: a create is never sent twice unless the server provably did not
process it (429) or it never left (connection refused).

| fault | exit | requests | creates | message |
| --- | --- | --- | --- | --- |
`, len(faults))
	for _, r := range faults {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", r.name, r.exit, r.requests, r.creates, stable(strings.TrimPrefix(r.message, "error: ")))
	}
	fmt.Fprintf(&b, "\n## Bad input (%d)\n\nEach is refused with exit 2 and one line naming the problem and the fix; no request is sent.\n\n| input | exit | requests | message |\n| --- | --- | --- | --- |\n", len(inputs))
	for _, r := range inputs {
		fmt.Fprintf(&b, "| %s | %d | %d | %s |\n", r.name, r.exit, r.requests, stable(strings.TrimPrefix(r.message, "error: ")))
	}
	fmt.Fprintf(&b, "\n## Secrets\n\n")
	for _, r := range secrets {
		fmt.Fprintf(&b, "- %d %s on both providers, %d secret checks: 0 leaks on stdout, stderr or in files other than\n  the ones the user named; token cache files 0600 in a 0700 directory; generated private keys 0600.\n", r.requests, r.name, r.exit)
	}
	fmt.Fprintf(&b, "- Also: `testdata/script/secrets.txtar` (the built binary, `--debug`, `config view`, error paths)\n  and `testdata/script/interrupt.txtar` (SIGINT during `list --all`: exit 130, nothing on stdout).\n")
	altered := sortedReport("altered")
	fmt.Fprintf(&b, "\n### Altered copies and terminal escapes (%d)\n\nThe secrets hold `+ / = & < > \" \\`; each altered form, and every 6-byte prefix of it, is absent\nfrom stdout and stderr; control characters print visibly (`^[`), never raw, except in exact JSON.\n\n| case | exit | requests |\n| --- | --- | --- |\n", len(altered))
	for _, r := range altered {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", stable(r.name), r.exit, r.requests)
	}
	return b.String()
}
