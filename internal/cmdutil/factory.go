// Package cmdutil holds what every command shares: the Factory of lazy
// dependencies, so that nothing reads config or touches the network until a
// command needs it, and a test can swap exactly one piece.
package cmdutil

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/buildinfo"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/progress"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Factory holds the lazy dependencies of one run.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Redactor  *redact.Redactor
	// Registry lists the provider adapters.
	Registry func() []provider.Info
	// Transport replaces the network (tests); nil uses the real one.
	Transport http.RoundTripper
	// Retry overrides the retry policy (tests shorten the backoff).
	Retry httpx.RetryPolicy

	flags *pflag.FlagSet
	// configFile is the run's one read of the config file, shared with
	// every ForTarget Factory.
	configFile *config.FileCache
	transports *httpx.Pool
	stderr     *stderrLines
	profile    string
	keys       map[string]string
	loadOnce   sync.Once
	settings   *config.Settings
	loadErr    error
}

// New returns a Factory over the given streams and registry.
func New(ios *iostreams.IOStreams, registry func() []provider.Info) *Factory {
	return &Factory{IOStreams: ios, Redactor: redact.New(), Registry: registry, configFile: &config.FileCache{}, transports: &httpx.Pool{}, stderr: &stderrLines{}}
}

// stderrLines serializes what the factories of one run (ForTarget's run
// concurrently) write on stderr, and prints a warning once however many
// targets load the same config file.
type stderrLines struct {
	mu     sync.Mutex
	warned map[string]bool
}

func (f *Factory) lines() *stderrLines {
	if f.stderr == nil {
		f.stderr = &stderrLines{}
	}
	return f.stderr
}

// BindFlags gives the Factory the root's persistent flags, read on first use.
func (f *Factory) BindFlags(fs *pflag.FlagSet) { f.flags = fs }

// ForTarget returns a Factory for another profile of the same run, sharing
// the streams, redactor and transport; keys override profile keys (a child
// company, say) the way their command-line flags do.
func (f *Factory) ForTarget(profile string, keys map[string]string) *Factory {
	return &Factory{IOStreams: f.IOStreams, Redactor: f.Redactor, Registry: f.Registry, Transport: f.Transport,
		Retry: f.Retry, flags: f.flags, configFile: f.configFile, transports: f.transports, profile: profile, keys: keys, stderr: f.lines()}
}

// ConfigFile is the config file as --config, HOOKCTL_CONFIG or the default
// path names it, read and parsed once per run (nil when there is none);
// the File is shared: read it, never change it.
func (f *Factory) ConfigFile() (*config.File, string, error) {
	path, _ := config.ConfigPath(f.flags)
	file, _, err := f.configFile.Read(path)
	return file, path, err
}

// Config resolves the settings once, printing their warnings on stderr.
func (f *Factory) Config() (*config.Settings, error) {
	f.loadOnce.Do(func() {
		f.settings, f.loadErr = config.LoadProfileFrom(f.configFile, f.flags, f.Registry(), f.profile)
		if f.loadErr == nil {
			for _, w := range f.settings.Warnings {
				f.Warnf("%s", w)
			}
			if f.settings.NoColor {
				l := f.lines()
				l.mu.Lock()
				f.IOStreams.SetNoColor(true)
				l.mu.Unlock()
			}
		}
	})
	return f.settings, f.loadErr
}

// Warnf prints a warning on stderr.
func (f *Factory) Warnf(format string, args ...any) {
	line := "warning: " + termsafe.Line(f.Redactor.String(fmt.Sprintf(format, args...)))
	l := f.lines()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.warned[line] {
		return
	}
	if l.warned == nil {
		l.warned = map[string]bool{}
	}
	l.warned[line] = true
	fmt.Fprintln(f.IOStreams.ErrOut, line)
}

// Debugf prints a debug line on stderr when --debug is on.
func (f *Factory) Debugf(format string, args ...any) {
	if s, err := f.Config(); err == nil && s.Debug {
		l := f.lines()
		l.mu.Lock()
		defer l.mu.Unlock()
		fmt.Fprintln(f.IOStreams.ErrOut, "* "+termsafe.Line(f.Redactor.String(fmt.Sprintf(format, args...))))
	}
}

// ProviderInfo returns the selected provider's registration.
func (f *Factory) ProviderInfo() (provider.Info, error) {
	s, err := f.Config()
	if err != nil {
		return provider.Info{}, err
	}
	if s.Provider == "" {
		hint := "pass --provider " + strings.Join(f.ProviderNames(), "|") + ", or --profile NAME"
		if names := s.ProfileNames(); len(names) > 0 {
			hint += " (profiles: " + strings.Join(names, ", ") + ")"
		} else {
			hint += " (no config file at " + s.ConfigFile + "; `hookctl emulator --write-config` writes one)"
		}
		return provider.Info{}, clierr.Usagef("no provider selected: %s", hint)
	}
	for _, p := range f.Registry() {
		if p.Name == s.Provider {
			return p, nil
		}
	}
	return provider.Info{}, clierr.Usagef("unknown provider %q", s.Provider)
}

// ProviderNames lists the registered providers' names.
func (f *Factory) ProviderNames() []string {
	var out []string
	for _, p := range f.Registry() {
		out = append(out, p.Name)
	}
	return out
}

// Provider builds the selected provider for a command needing access.
func (f *Factory) Provider(access provider.Access, overrides map[string]string) (provider.Provider, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	return info.New(f.Env(access, overrides))
}

// Env is what the selected provider is built from.
func (f *Factory) Env(access provider.Access, overrides map[string]string) *provider.Env {
	s, _ := f.Config()
	if len(f.keys) > 0 {
		merged := make(map[string]string, len(f.keys)+len(overrides))
		for k, v := range f.keys {
			merged[k] = v
		}
		for k, v := range overrides {
			if v != "" {
				merged[k] = v
			}
		}
		overrides = merged
	}
	return &provider.Env{
		Settings:         s,
		BaseURL:          s.BaseURL,
		Overrides:        overrides,
		Access:           access,
		HTTPClient:       f.HTTPClient,
		SharedHTTPClient: f.SharedHTTPClient,
		Redactor:         f.Redactor,
		Warnf:            f.Warnf,
		Debugf:           f.Debugf,
		CacheDir:         config.CacheDir(),
		NoCache:          os.Getenv("HOOKCTL_NO_TOKEN_CACHE") == "1",
		Now:              time.Now,
	}
}

// HTTPClient builds a client with hookctl's transport stack.
func (f *Factory) HTTPClient(tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
	return f.SharedHTTPClient("", tlsConf, roots)
}

// SharedHTTPClient is HTTPClient over the network transport that the
// run's factories (ForTarget's too) share under the key share ("": none).
func (f *Factory) SharedHTTPClient(share string, tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
	o := httpx.Options{UserAgent: buildinfo.UserAgent(), Redactor: f.Redactor, TLS: tlsConf, Roots: roots, Retry: f.Retry,
		Pool: f.transports, Share: share}
	if s, err := f.Config(); err == nil && s.Debug {
		o.Debug = f.DebugWriter()
	}
	if f.Transport != nil {
		o.Transport = f.Transport
	}
	return httpx.New(o)
}

// DebugWriter is stderr behind the redactor.
func (f *Factory) DebugWriter() io.Writer {
	return &redactingWriter{w: f.IOStreams.ErrOut, r: f.Redactor}
}

type redactingWriter struct {
	w io.Writer
	r *redact.Redactor
}

func (w *redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, termsafe.Text(w.r.String(string(p)))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Printer returns the output printer of the run.
func (f *Factory) Printer(raw bool) (*output.Printer, error) {
	s, err := f.Config()
	if err != nil {
		return nil, err
	}
	flag := func(name string) string {
		if fl := f.flags.Lookup(name); fl != nil {
			return fl.Value.String()
		}
		return ""
	}
	jq, tmpl := flag("jq"), flag("template")
	if raw && s.Output != "json" && s.Output != "yaml" && jq == "" && tmpl == "" {
		return nil, clierr.Usagef("--raw prints the provider's payload as JSON or YAML: add -o json or -o yaml")
	}
	return output.New(output.Options{
		Format: s.Output, JQ: jq, Template: tmpl, Color: f.IOStreams.ColorEnabled(),
		Width: f.IOStreams.TerminalWidth(), NoHeaders: flag("no-headers") == "true", TTY: f.IOStreams.IsStdoutTTY(),
	})
}

// Progress returns a progress line on stderr: drawn only on a terminal,
// never with --debug or HOOKCTL_NO_PROGRESS=1.
func (f *Factory) Progress(what string) *progress.Line {
	s, err := f.Config()
	on := err == nil && !s.Debug && f.IOStreams.IsStderrTTY() && os.Getenv("HOOKCTL_NO_PROGRESS") != "1"
	return progress.New(f.IOStreams.ErrOut, on, what)
}

// Context returns the command's context with the --timeout deadline.
func (f *Factory) Context(parent context.Context) (context.Context, context.CancelFunc, error) {
	s, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(parent, s.Timeout)
	return ctx, cancel, nil
}

// Flags are the root's persistent flags.
func (f *Factory) Flags() *pflag.FlagSet { return f.flags }

// SpellInputs renders the {name} references of an adapter's message as the
// user spells each input on cmd: a flag, a secret's sources, or a profile key.
func (f *Factory) SpellInputs(cmd *cobra.Command, msg string) string {
	var secrets []provider.SecretInput
	if info, err := f.ProviderInfo(); err == nil {
		secrets = info.Secrets
	}
	return provider.RenderInputs(msg, func(name string) string {
		if cmd != nil {
			if fl := cmd.Flag(name); fl != nil {
				return "--" + name
			}
			var byKey string
			cmd.Flags().VisitAll(func(fl *pflag.Flag) {
				if k := fl.Annotations[KeyAnnotation]; len(k) > 0 && k[0] == name && fl.Changed {
					byKey = "--" + fl.Name
				}
			})
			if byKey != "" {
				return byKey
			}
		}
		for _, sec := range secrets {
			if sec.Name == name {
				return fmt.Sprintf("--%s-file, --%s-stdin or %s", name, name, sec.Env)
			}
		}
		if cmd != nil && flagInTree(cmd.Root(), name) {
			return "--" + name
		}
		return name
	})
}

// KeyAnnotation marks a flag that overrides a profile key.
const KeyAnnotation = "hookctl_key"

func flagInTree(c *cobra.Command, name string) bool {
	if c.Flags().Lookup(name) != nil || c.PersistentFlags().Lookup(name) != nil {
		return true
	}
	for _, sub := range c.Commands() {
		if flagInTree(sub, name) {
			return true
		}
	}
	return false
}

// UnknownCommand refuses arguments of a command that has only subcommands,
// suggesting the subcommand meant.
func UnknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return clierr.Usagef("unknown command %q for %q%s (see '%s --help')", args[0], cmd.CommandPath(), suggest.Hint(args[0], names), cmd.CommandPath())
}
