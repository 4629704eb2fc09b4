package cmdutil

import (
	"os"
	"slices"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/spf13/cobra"
)

// OutputsAnnotation is the command annotation listing the -o formats the
// command prints, comma-separated. The --output completion offers them and
// CheckOutput refuses any other before the command runs.
const OutputsAnnotation = "hookctl/outputs"

// OutputsWhyAnnotation optionally words, for a refused format, what the
// command prints instead ("listen prints lines, or JSON lines with -o json").
const OutputsWhyAnnotation = "hookctl/outputs-why"

// Output format sets of commands.
var (
	// IDOutputs: the command prints objects with ids; -o name prints the ids.
	IDOutputs = []string{"table", "wide", "json", "yaml", "name"}
	// DocOutputs: the command prints a document without ids.
	DocOutputs = []string{"table", "wide", "json", "yaml"}
)

// SetOutputs declares the -o formats cmd prints.
func SetOutputs(cmd *cobra.Command, formats ...string) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[OutputsAnnotation] = strings.Join(formats, ",")
}

// Outputs are the -o formats cmd prints; nil when it does not declare them.
func Outputs(cmd *cobra.Command) []string {
	v, ok := cmd.Annotations[OutputsAnnotation]
	if !ok {
		return nil
	}
	return strings.Split(v, ",")
}

// CheckOutput refuses, before the command sends anything, an output format
// the command does not print (a usage error). Settings that do not load are
// left to the command, which reports them.
func (f *Factory) CheckOutput(cmd *cobra.Command) error {
	formats := Outputs(cmd)
	if formats == nil {
		return nil
	}
	s, err := f.Config()
	if err != nil || slices.Contains(formats, s.Output) {
		return nil
	}
	src := "-o " + s.Output
	if fl := f.flags.Lookup("output"); fl == nil || !fl.Changed {
		if os.Getenv("HOOKCTL_OUTPUT") != "" {
			src = "HOOKCTL_OUTPUT=" + s.Output
		} else if s.ProfileName != "" {
			src = "output " + s.Output + " (profile " + s.ProfileName + ")"
		}
	}
	if s.Output == "name" {
		return clierr.Usagef("%s prints the ids of a list, and '%s' prints none: use -o json", src, cmd.CommandPath())
	}
	if why := cmd.Annotations[OutputsWhyAnnotation]; why != "" {
		return clierr.Usagef("%s: %s", src, why)
	}
	return clierr.Usagef("%s: '%s' prints %s or %s", src, cmd.CommandPath(), strings.Join(formats[:len(formats)-1], ", "), formats[len(formats)-1])
}
