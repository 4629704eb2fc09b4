package cmd

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/spf13/cobra"
)

func newCmdConfig(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration and where it lives",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print the path of the config file",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, _ := config.ConfigPath(f.Flags())
			_, err := fmt.Fprintln(f.IOStreams.Out, path)
			return err
		},
	})
	c.AddCommand(&cobra.Command{
		Use:   "view",
		Short: "Print the effective configuration, secrets redacted",
		Long: `Print the effective configuration of the selected profile: every key with its
value after flags, environment and profile are applied, and where the value came from.
Secrets print as [REDACTED] followed by their last four characters.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.Config()
			if err != nil {
				return err
			}
			p, err := f.Printer(false)
			if err != nil {
				return err
			}
			return p.Print(f.IOStreams.Out, effective(s), effectiveTable(s))
		},
	})
	return c
}

type effectiveConfig struct {
	ConfigFile   string            `json:"config_file"`
	ConfigExists bool              `json:"config_exists"`
	Profile      string            `json:"profile"`
	Provider     string            `json:"provider"`
	Output       string            `json:"output"`
	Timeout      string            `json:"timeout"`
	Debug        bool              `json:"debug"`
	Settings     map[string]string `json:"settings"`
	Profiles     []string          `json:"profiles"`
}

func effective(s *config.Settings) effectiveConfig {
	e := effectiveConfig{
		ConfigFile: s.ConfigFile, ConfigExists: s.ConfigExists, Profile: s.ProfileName,
		Provider: s.Provider, Output: s.Output, Timeout: s.Timeout.String(), Debug: s.Debug,
		Settings: map[string]string{}, Profiles: s.ProfileNames(),
	}
	if e.Profiles == nil {
		e.Profiles = []string{}
	}
	for _, k := range s.Keys() {
		if !k.For(s.Provider) {
			continue
		}
		switch k.Name {
		case "provider", "output", "timeout", "debug":
			continue // shown at the top level, resolved
		}
		v := s.Value(k.Name)
		if v == "" {
			continue
		}
		switch {
		case k.Secret:
			v = redact.Value(v)
		case k.Path:
			v = s.Path(k.Name)
		case k.Name == "base_url" || k.Name == "token_url":
			v = redact.URL(v)
		}
		e.Settings[k.Name] = v
	}
	return e
}

func effectiveTable(s *config.Settings) *output.Table {
	e := effective(s)
	t := &output.Table{Header: []string{"key", "value"}}
	t.Rows = append(t.Rows, []string{"config_file", e.ConfigFile}, []string{"profile", e.Profile},
		[]string{"provider", e.Provider}, []string{"output", e.Output}, []string{"timeout", e.Timeout},
		[]string{"debug", fmt.Sprint(e.Debug)})
	for _, k := range s.Keys() {
		if v, ok := e.Settings[k.Name]; ok {
			t.Rows = append(t.Rows, []string{k.Name, v})
		}
	}
	return t
}
