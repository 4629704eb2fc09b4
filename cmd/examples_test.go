package cmd_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// example is one `hookctl ...` command line shown to users, and where.
type example struct{ where, line string }

// helpExamples are the hookctl lines of every command's Example.
func helpExamples(c *cobra.Command) []example {
	var out []example
	for _, line := range logicalLines(c.Example) {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "hookctl ") {
			out = append(out, example{c.CommandPath() + " --help", l})
		}
	}
	for _, sub := range c.Commands() {
		out = append(out, helpExamples(sub)...)
	}
	return out
}

// readmeExamples are the hookctl lines of README.md: those of its code
// blocks and those quoted in its tables.
func readmeExamples(t *testing.T) []example {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	inBlock := false
	quoted := regexp.MustCompile("`((?:bin/)?hookctl [^`]+)`")
	for _, line := range logicalLines(string(data)) {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "```") {
			inBlock = !inBlock
			continue
		}
		where := "README.md"
		if inBlock {
			l = strings.TrimPrefix(strings.TrimPrefix(l, "$ "), "bin/")
			if strings.HasPrefix(l, "hookctl ") {
				out = append(out, example{where, l})
			}
			continue
		}
		if strings.HasPrefix(l, "|") {
			for _, m := range quoted.FindAllStringSubmatch(l, -1) {
				out = append(out, example{where, strings.TrimPrefix(strings.ReplaceAll(m[1], `\|`, "|"), "bin/")})
			}
		}
	}
	return out
}

// logicalLines joins lines continued with a trailing backslash.
func logicalLines(text string) []string {
	var out []string
	cur := ""
	for _, line := range strings.Split(text, "\n") {
		if strings.HasSuffix(line, `\`) {
			cur += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		out = append(out, cur+line)
		cur = ""
	}
	return out
}

// words splits a shell command line as sh would, up to the first pipe,
// redirection, background, list operator or comment; comment is what
// follows an unquoted #.
func words(line string) (ws []string, comment string) {
	var cur strings.Builder
	in, quote := false, rune(0)
	flush := func() {
		if in {
			ws = append(ws, cur.String())
		}
		cur.Reset()
		in = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !in:
			flush()
			return ws, strings.TrimSpace(string(rs[i+1:]))
		case strings.ContainsRune("|><&;", r):
			flush()
			if j := strings.IndexRune(string(rs[i:]), '#'); j >= 0 {
				comment = strings.TrimSpace(string(rs[i:])[j+1:])
			}
			return ws, comment
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	flush()
	return ws, ""
}

// TestExamplesParse: every `hookctl ...` example of the help texts and of
// README.md parses with the real command tree: the command exists, its flags
// exist and take the values given, its arguments are accepted, and a
// provider flag belongs to the provider the example targets (--provider,
// a profile named after it, or a trailing "# provider" comment).
func TestExamplesParse(t *testing.T) {
	newRoot := func() *cobra.Command {
		ios, _, _, _ := iostreams.Test()
		root := cmd.NewRootCmd(cmdutil.New(ios, all.Providers))
		root.InitDefaultHelpCmd()
		return root
	}
	var providers []string
	for _, p := range all.Providers() {
		providers = append(providers, p.Name)
	}
	examples := append(helpExamples(newRoot()), readmeExamples(t)...)
	if len(examples) < 60 {
		t.Fatalf("found only %d examples", len(examples))
	}
	for _, ex := range examples {
		ws, comment := words(ex.line)
		root := newRoot()
		c, rest, err := root.Find(ws[1:])
		if err != nil {
			t.Errorf("%s: %q: %v", ex.where, ex.line, err)
			continue
		}
		if err := c.ParseFlags(rest); err != nil {
			t.Errorf("%s: %q: %v", ex.where, ex.line, err)
			continue
		}
		// A command substitution's value is known only when it runs: its arguments are not checked.
		if err := c.ValidateArgs(c.Flags().Args()); err != nil && !strings.Contains(ex.line, "$(") {
			t.Errorf("%s: %q: %v", ex.where, ex.line, err)
			continue
		}
		if q, _ := c.Flags().GetString("jq"); q != "" {
			if _, err := gojq.Parse(q); err != nil {
				t.Errorf("%s: %q: --jq %q: %v", ex.where, ex.line, q, err)
			}
		}
		target := ""
		if v, _ := c.Flags().GetString("provider"); v != "" {
			target = v
		} else if v, _ := c.Flags().GetString("profile"); v != "" {
			for _, p := range providers {
				if strings.Contains(v, p) {
					target = p
				}
			}
		} else {
			for _, p := range providers {
				if comment == p {
					target = p
				}
			}
		}
		c.Flags().Visit(func(fl *pflag.Flag) {
			owners := fl.Annotations["hookctl_providers"]
			if target == "" || owners == nil {
				return
			}
			for _, o := range owners {
				if o == target {
					return
				}
			}
			t.Errorf("%s: %q: --%s is a %s flag, but the example targets %s", ex.where, ex.line, fl.Name, strings.Join(owners, ","), target)
		})
	}
}
