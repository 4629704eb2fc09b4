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
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/redact"
	"github.com/hookctl/hookctl/internal/termsafe"
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

	flags    *pflag.FlagSet
	loadOnce sync.Once
	settings *config.Settings
	loadErr  error
}

// New returns a Factory over the given streams and registry.
func New(ios *iostreams.IOStreams, registry func() []provider.Info) *Factory {
	return &Factory{IOStreams: ios, Redactor: redact.New(), Registry: registry}
}

// BindFlags gives the Factory the root's persistent flags, read on first use.
func (f *Factory) BindFlags(fs *pflag.FlagSet) { f.flags = fs }

// Config resolves the settings once, printing their warnings on stderr.
func (f *Factory) Config() (*config.Settings, error) {
	f.loadOnce.Do(func() {
		f.settings, f.loadErr = config.Load(f.flags)
		if f.loadErr == nil {
			for _, w := range f.settings.Warnings {
				f.Warnf("%s", w)
			}
			if f.settings.NoColor {
				f.IOStreams.SetNoColor(true)
			}
		}
	})
	return f.settings, f.loadErr
}

// Warnf prints a warning on stderr.
func (f *Factory) Warnf(format string, args ...any) {
	fmt.Fprintln(f.IOStreams.ErrOut, "warning: "+termsafe.Line(f.Redactor.String(fmt.Sprintf(format, args...))))
}

// Debugf prints a debug line on stderr when --debug is on.
func (f *Factory) Debugf(format string, args ...any) {
	if s, err := f.Config(); err == nil && s.Debug {
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
		hint := "pass --provider conekta|bankly, or --profile NAME"
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

// Provider builds the selected provider for a command needing access.
func (f *Factory) Provider(access provider.Access, overrides map[string]string) (provider.Provider, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	s, _ := f.Config()
	env := &provider.Env{
		Settings:   s,
		BaseURL:    s.BaseURL,
		Overrides:  overrides,
		Access:     access,
		HTTPClient: f.HTTPClient,
		Redactor:   f.Redactor,
		Warnf:      f.Warnf,
		Debugf:     f.Debugf,
		CacheDir:   config.CacheDir(),
		NoCache:    os.Getenv("HOOKCTL_NO_TOKEN_CACHE") == "1",
		Now:        time.Now,
	}
	return info.New(env)
}

// HTTPClient builds a client with hookctl's transport stack.
func (f *Factory) HTTPClient(tlsConf *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
	o := httpx.Options{UserAgent: buildinfo.UserAgent(), Redactor: f.Redactor, TLS: tlsConf, Roots: roots, Retry: f.Retry}
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
	jq := ""
	if fl := f.flags.Lookup("jq"); fl != nil {
		jq = fl.Value.String()
	}
	if raw && s.Output == "table" && jq == "" {
		return nil, clierr.Usagef("--raw prints the provider's payload as JSON or YAML: add -o json or -o yaml")
	}
	return output.New(output.Options{Format: s.Output, JQ: jq, Color: f.IOStreams.ColorEnabled(), TTY: f.IOStreams.IsStdoutTTY()})
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
