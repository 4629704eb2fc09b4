package cmd_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
