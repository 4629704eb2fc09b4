package emulator_test

import "github.com/spf13/pflag"

func nilFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	for _, n := range []string{"config", "profile", "provider", "base-url", "timeout"} {
		fs.String(n, "", "")
	}
	fs.StringP("output", "o", "table", "")
	fs.Bool("debug", false, "")
	fs.Bool("no-color", false, "")
	return fs
}
