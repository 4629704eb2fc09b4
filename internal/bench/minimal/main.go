// Command minimal is the reference of the start-up benchmark: a cobra root
// with one subcommand and a viper instance bound to a flag, doing nothing else.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

func main() {
	v := viper.New()
	root := &cobra.Command{Use: "minimal", Short: "a minimal cobra + viper program"}
	root.PersistentFlags().String("output", "table", "output format")
	_ = v.BindPFlag("output", root.PersistentFlags().Lookup("output"))
	v.SetEnvPrefix("MINIMAL")
	v.AutomaticEnv()
	root.AddCommand(&cobra.Command{Use: "version", Run: func(*cobra.Command, []string) {
		fmt.Println("minimal 1.0", v.GetString("output"))
	}})
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
