package cmd_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// TestInterruptMidList cancels the run's context (what SIGINT does) while
// list --all is waiting on the server: exit 130, nothing on stdout.
func TestInterruptMidList(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), []byte("key_interrupt_123456"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  c:\n    provider: conekta\n    base_url: "+srv.URL+"\n    api_key_file: k\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)

	ios, _, out, errOut := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	// Were the interrupt ignored, the command would end at its 30 s deadline with exit 1.
	code := cmd.Execute(ctx, cmdutil.New(ios, all.Providers), []string{"--profile", "c", "webhooks", "list", "--all", "-o", "json"})
	if code != 130 || out.Len() != 0 || errOut.String() != "interrupted\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestInterruptWhileReadingStdin: a command waiting on stdin (--file -, the
// delete prompt, --private-key-stdin) ends at Ctrl-C with 130 and at
// --timeout with 1, sending nothing.
func TestInterruptWhileReadingStdin(t *testing.T) {
	var requests int // writes: the delete prompt reads what it will delete
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			requests++
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), []byte("key_interrupt_123456"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  c:\n    provider: conekta\n    base_url: "+srv.URL+"\n    api_key_file: k\n  b:\n    provider: bankly\n    client_id: x\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	cases := []struct {
		name     string
		tty      bool
		args     []string
		cancel   bool
		wantCode int
	}{
		{"create --file - at Ctrl-C", false, []string{"--profile", "c", "webhooks", "create", "--file", "-"}, true, 130},
		{"create --file - at --timeout", false, []string{"--profile", "c", "--timeout", "200ms", "webhooks", "create", "--file", "-"}, false, 1},
		{"delete prompt at Ctrl-C", true, []string{"--profile", "c", "webhooks", "delete", "abc"}, true, 130},
		{"delete prompt at --timeout", true, []string{"--profile", "c", "--timeout", "200ms", "webhooks", "delete", "abc"}, false, 1},
		{"--private-key-stdin at Ctrl-C", false, []string{"--profile", "b", "webhooks", "update", "abc", "--url", "https://e.com/x", "--private-key-stdin"}, true, 130},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pr, pw := io.Pipe() // a stdin that never ends
			t.Cleanup(func() { pw.Close() })
			ios, _, out, errOut := iostreams.Test()
			ios.In = pr
			ios.SetStdinTTY(c.tty)
			ios.SetStderrTTY(c.tty)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancel {
				time.AfterFunc(100*time.Millisecond, cancel)
			}
			done := make(chan int, 1)
			go func() { done <- cmd.Execute(ctx, cmdutil.New(ios, all.Providers), c.args) }()
			var code int
			select {
			case code = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the command did not end")
			}
			if code != c.wantCode || out.Len() != 0 || requests != 0 {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q, %d requests", code, c.wantCode, out, errOut, requests)
			}
		})
	}
}

// TestDeleteCutByTimeoutReportsEveryID: the ids after the deadline are
// reported as not attempted, in the one JSON document.
func TestDeleteCutByTimeoutReportsEveryID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
		}
		w.Header().Set("Content-Type", "application/vnd.conekta-v2.3.0+json")
		io.WriteString(w, `{"id":"x","object":"webhook","url":"https://e.com","status":"listening","active":true,"subscribed_events":[]}`)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), []byte("key_interrupt_123456"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  c:\n    provider: conekta\n    base_url: "+srv.URL+"\n    api_key_file: k\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	ios, _, out, errOut := iostreams.Test()
	code := cmd.Execute(context.Background(), cmdutil.New(ios, all.Providers), []string{"--profile", "c", "--timeout", "450ms", "webhooks", "delete", "a1", "b2", "c3", "--yes", "-o", "json"})
	var results []struct {
		ID      string
		Deleted bool
		Error   *string
	}
	if err := json.Unmarshal(out.Bytes(), &results); err != nil || code != 1 || len(results) != 3 {
		t.Fatalf("exit %d, %d results (%v): %s %s", code, len(results), err, out, errOut)
	}
	if !results[0].Deleted || results[1].Deleted || results[2].Deleted || results[2].Error == nil || !strings.HasPrefix(*results[2].Error, "not attempted") {
		t.Fatalf("results %s", out)
	}
}
