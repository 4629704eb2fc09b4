package cmd

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/buildinfo"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/spf13/cobra"
)

// newCmdVersion prints the version. It reads no config file: only the
// --output flag is looked at.
func newCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print hookctl's version, commit and Go version",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return printVersion(f, cmd) },
	}
}

func printVersion(f *cmdutil.Factory, cmd *cobra.Command) error {
	info := buildinfo.Get()
	switch format, _ := cmd.Flags().GetString("output"); format {
	case "json":
		return output.WriteJSON(f.IOStreams.Out, info)
	case "yaml":
		return output.WriteYAML(f.IOStreams.Out, info)
	default:
		_, err := fmt.Fprintf(f.IOStreams.Out, "hookctl %s (commit %s, %s, %s)\n", info.Version, info.Commit, info.GoVersion, info.Platform)
		return err
	}
}
