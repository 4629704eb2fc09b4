package emulator_test

import (
	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/spf13/pflag"
)

// nilFlags are hookctl's own global flags, none given.
func nilFlags() *pflag.FlagSet {
	ios, _, _, _ := iostreams.Test()
	return cmd.NewRootCmd(cmdutil.New(ios, all.Providers)).PersistentFlags()
}
