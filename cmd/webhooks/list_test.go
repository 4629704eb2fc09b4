package webhooks

import (
	"testing"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/spf13/cobra"
)

// TestListOptions parses flags through the command's runF seam: nothing is
// loaded and no request is made.
func TestListOptions(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.New(ios, all.Providers)
	var got *ListOptions
	var gotCmd *cobra.Command
	cmd := NewCmdList(f, func(c *cobra.Command, o *ListOptions) error { got, gotCmd = o, c; return nil })
	cmd.SetArgs([]string{"--limit", "5", "--status", "enabled", "--search", "order", "--next", "abc"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.List.Limit != 5 || got.List.Status != "enabled" || got.List.All {
		t.Fatalf("parsed %+v", got.List)
	}
	conekta := all.Providers()[0]
	in, keys := providerInputs(gotCmd, conekta)
	if in.String("search") != "order" || in.String("next") != "abc" || len(in) != 2 || keys != nil {
		t.Fatalf("inputs %v keys %v", in, keys)
	}
	if err := checkProviderFlags(gotCmd, all.Providers()[1]); err == nil {
		t.Fatalf("--search accepted for %s", all.Providers()[1].Name)
	}

	cmd = NewCmdList(f, func(*cobra.Command, *ListOptions) error { t.Fatal("runF called for bad input"); return nil })
	cmd.SetArgs([]string{"--limit", "0"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err == nil || err.Error() != "--limit 0: give a positive number" {
		t.Fatalf("--limit 0: %v", err)
	}
}
