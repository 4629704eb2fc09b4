package cmd_test

import (
	"strings"
	"testing"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func TestHelpTopicsVersionAndSuggestions(t *testing.T) {
	t.Setenv("HOOKCTL_CONFIG", "")
	for _, c := range []struct {
		args     []string
		code     int
		out, err string
		noOut    bool
	}{
		{args: []string{"help", "exit-codes"}, out: "6      outcome unknown"},
		{args: []string{"help", "environment"}, out: "BANKLY_WEBHOOK_PRIVATE_KEY"},
		{args: []string{"help", "webhooks", "list"}, out: "List the webhooks of the account"},
		{args: []string{"help", "exit-code"}, code: 2, err: `unknown help topic "exit-code"; did you mean exit-codes?`, noOut: true},
		{args: []string{"webhoks", "list"}, code: 2, err: `unknown command "webhoks" for "hookctl"; did you mean webhooks?`, noOut: true},
		{args: []string{"webhooks", "lsit"}, code: 2, err: "did you mean list?", noOut: true},
		{args: []string{"--provider", "conketa", "webhooks", "list"}, code: 2, err: "did you mean conekta?", noOut: true},
	} {
		out, errOut, code := run(t, false, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errOut, c.err) || (c.noOut && out != "") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
	v1, _, c1 := run(t, false, "--version")
	v2, _, c2 := run(t, false, "version")
	if c1 != 0 || c2 != 0 || v1 != v2 || !strings.HasPrefix(v1, "hookctl ") {
		t.Fatalf("--version %q (exit %d) vs version %q (exit %d)", v1, c1, v2, c2)
	}
}

// TestEventSuggestions: a mistyped catalog event gets the name meant.
func TestEventSuggestions(t *testing.T) {
	w := newWorld(t, nil, nil)
	w.chdir()
	_, errOut, code := w.exec("--profile", "c", "webhooks", "create", "--url", "https://example.com/x", "--events", "order.piad")
	if code != 0 || !strings.Contains(errOut, `event "order.piad" is not in Conekta's known catalog (hookctl webhooks events); did you mean order.paid?`) {
		t.Fatalf("conekta: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = w.exec("--profile", "b", "webhooks", "create", "--url", "https://example.com/x", "--event", "PIX_CASH_IN_WAS_CLARED", "--public-key", "p")
	if code != 2 || !strings.Contains(errOut, "did you mean PIX_CASH_IN_WAS_CLEARED?") {
		t.Fatalf("bankly: exit %d, stderr %q", code, errOut)
	}
}

// TestFlagUsageValueNames: a backquoted word in a flag's usage becomes its
// value name in --help (pflag): never on a boolean flag, never with a space.
func TestFlagUsageValueNames(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := cmd.NewRootCmd(cmdutil.New(ios, all.Providers))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(fl)
			if (fl.Value.Type() == "bool" && name != "") || strings.Contains(name, " ") {
				t.Errorf("%s --%s: value name %q (a backquoted word in its usage)", c.CommandPath(), fl.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out, _, code := run(t, false, "--help")
	if code != 0 || !strings.Contains(out, "      --version ") || strings.Contains(out, "--version hookctl") {
		t.Errorf("--help: exit %d:\n%s", code, out)
	}
}
