package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/spf13/cobra"
)

func newCmdEmulator(f *cmdutil.Factory) *cobra.Command {
	var o emulator.Options
	var writeConfig string
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run local emulators of the Conekta and Bankly webhook APIs",
		Long: `Run local, stateful emulators of both providers on loopback, in the foreground.

The Conekta emulator speaks HTTP with the v2.3.0 shapes; the Bankly emulator speaks HTTPS
with mutual TLS (a CA, server and client certificate are generated into --dir), an OAuth2
token endpoint and the configurations API. The printed config (also written with
--write-config) has two profiles, conekta-emulator and bankly-emulator.

One line "ready conekta=URL bankly=URL" is printed on stdout when both listen, so a script
can start the emulator in the background and wait for it. SIGINT or SIGTERM stops it.`,
		Example: `  hookctl emulator --write-config ./hookctl.yaml
  hookctl emulator --write-config ./hookctl.yaml --seed 5 --persist &
  hookctl --config ./hookctl.yaml --profile bankly-emulator webhooks list`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.FailRate < 0 || o.FailRate > 1 {
				return clierr.Usagef("--fail-rate %v: give a probability from 0 to 1", o.FailRate)
			}
			if o.Seed < 0 {
				return clierr.Usagef("--seed %d: give a number of configurations, 0 or more", o.Seed)
			}
			if o.Dir == "" {
				o.Dir = filepath.Join(config.CacheDir(), "emulator")
			}
			o.Dir = config.ExpandHome(o.Dir)
			r, err := emulator.Start(o)
			if err != nil {
				return fmt.Errorf("starting the emulator: %w", err)
			}
			cfg := r.Config()
			if writeConfig != "" {
				if err := os.WriteFile(config.ExpandHome(writeConfig), []byte(cfg), 0o600); err != nil {
					r.Stop(context.Background())
					return clierr.Usagef("--write-config %s: %v", writeConfig, err)
				}
				_ = os.Chmod(config.ExpandHome(writeConfig), 0o600)
				fmt.Fprintf(f.IOStreams.ErrOut, "config written to %s\n", writeConfig)
			} else {
				fmt.Fprint(f.IOStreams.ErrOut, cfg)
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "state directory %s; stop with Ctrl-C\n", o.Dir)
			fmt.Fprintf(f.IOStreams.Out, "ready conekta=%s bankly=%s\n", r.ConektaURL, r.BanklyURL)
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = r.Stop(ctx)
			fmt.Fprintln(f.IOStreams.ErrOut, "emulator stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Dir, "dir", "", "state directory (default $XDG_CACHE_HOME/hookctl/emulator)")
	fl.StringVar(&writeConfig, "write-config", "", "write the hookctl config for the emulators to FILE (mode 0600)")
	fl.IntVar(&o.Seed, "seed", 0, "start with N webhooks per provider (Conekta at most 10)")
	fl.BoolVar(&o.Persist, "persist", false, "keep state in DIR/state.json across restarts")
	fl.BoolVar(&o.AllowLocalURLs, "allow-local-urls", false, "let the Conekta emulator accept localhost URLs")
	fl.DurationVar(&o.Latency, "latency", 0, "added latency per request, e.g. 20ms")
	fl.Float64Var(&o.FailRate, "fail-rate", 0, "probability of a 503 with Retry-After per request, 0 to 1")
	fl.IntVar(&o.ConektaPort, "conekta-port", 0, "Conekta emulator port (default: any free port)")
	fl.IntVar(&o.BanklyPort, "bankly-port", 0, "Bankly emulator port (default: any free port)")
	return cmd
}
