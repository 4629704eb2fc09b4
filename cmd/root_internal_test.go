package cmd

import (
	"slices"
	"testing"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// TestTopLevelTable: the table a run builds its one subtree from names every
// top-level command of the whole tree, aliases included, and builds it.
func TestTopLevelTable(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.New(ios, all.Providers)
	for _, c := range NewRootCmd(f).Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		for _, name := range append([]string{c.Name()}, c.Aliases...) {
			var built []string
			for _, e := range topLevel {
				if slices.Contains(e.names, name) {
					for _, b := range e.build(f) {
						built = append(built, b.Name())
					}
				}
			}
			if !slices.Contains(built, c.Name()) {
				t.Errorf("%s: the table builds %v, not %s", name, built, c.Name())
			}
		}
	}
}

// TestCommandNamed: the command a line calls is found past the root's flags
// and their values; anything else gets the whole tree.
func TestCommandNamed(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"version"}, "version"},
		{[]string{"--profile", "version", "-o", "json", "wh", "list"}, "wh"},
		{[]string{"--output=json", "--debug", "deliveries", "list"}, "deliveries"},
		{[]string{"help", "webhooks"}, ""},
		{[]string{"webhoks", "list"}, ""},
		{[]string{"--help"}, ""},
		{[]string{"__complete", "webhooks", ""}, ""},
		{[]string{"--", "version"}, ""},
		{[]string{"--event", "version", "deliveries", "list"}, ""},
		{[]string{"-ojson", "--no-headers", "--timeout=5s", "version"}, "version"},
		{nil, ""},
	} {
		if got := commandNamed(c.args); got != c.want {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}
