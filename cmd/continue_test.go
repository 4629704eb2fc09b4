package cmd_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
)

// TestContinuationHintsCopyPaste runs the command a truncated list prints on
// stderr, word for word, and checks it returns the items that come next.
func TestContinuationHintsCopyPaste(t *testing.T) {
	dir := t.TempDir()
	r, err := emulator.Start(emulator.Options{Dir: dir, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	cfg := filepath.Join(dir, "hookctl.yaml")
	os.WriteFile(cfg, []byte(r.Config()), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_NO_TOKEN_CACHE", "1")
	t.Setenv("NO_COLOR", "1") // JSON on a terminal is coloured otherwise
	hint := regexp.MustCompile("continue with `hookctl ([^`]+)`")
	ids := func(out string) []string {
		var items []struct{ ID string }
		if err := json.Unmarshal([]byte(out), &items); err != nil {
			t.Fatalf("not a JSON list: %v: %s", err, out)
		}
		var out2 []string
		for _, it := range items {
			out2 = append(out2, it.ID)
		}
		return out2
	}
	for _, c := range []struct {
		profile string
		args    []string
		want    string
	}{
		{"conekta-emulator", []string{"--limit", "3"}, "--next "},
		{"bankly-emulator", []string{"--limit", "3"}, "--page 2 --page-size 3"},
		{"bankly-emulator", []string{"--page", "1", "--page-size", "2"}, "--page 2 --page-size 2"},
	} {
		all, errOut, code := run(t, false, "--profile", c.profile, "webhooks", "list", "--all", "-o", "json")
		if code != 0 {
			t.Fatalf("%s list --all: exit %d %s", c.profile, code, errOut)
		}
		want := ids(all)
		args := append([]string{"--profile", c.profile, "webhooks", "list", "-o", "json"}, c.args...)
		out, errOut, code := run(t, true, args...)
		m := hint.FindStringSubmatch(errOut)
		if code != 0 || m == nil || !strings.Contains(m[1], c.want) || !strings.Contains(m[1], "--profile "+c.profile) {
			t.Fatalf("%v: exit %d, hint %q, want one with %q", args, code, errOut, c.want)
		}
		first := ids(out)
		out, errOut, code = run(t, false, strings.Fields(m[1])...)
		if code != 0 {
			t.Fatalf("the hint %q: exit %d %s", m[1], code, errOut)
		}
		next := ids(out)
		if got := strings.Join(append(first, next...), " "); !strings.HasPrefix(strings.Join(want, " "), got) || len(next) == 0 {
			t.Fatalf("%v then %q gave %v + %v; all pages are %v", args, m[1], first, next, want)
		}
	}
}
