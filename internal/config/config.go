// Package config resolves the settings of one run: flag > environment >
// config profile > built-in default, with one viper instance per run.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// Outputs are the output formats.
var Outputs = []string{"table", "wide", "json", "yaml", "name"}

// checkModes: Unix permission bits mean nothing on Windows.
var checkModes = runtime.GOOS != "windows"

// DefaultTimeout is the whole-command deadline when nothing else is set.
const DefaultTimeout = 30 * time.Second

// File is the parsed config file.
type File struct {
	DefaultProfile string                    `yaml:"default_profile"`
	Profiles       map[string]map[string]any `yaml:"profiles"`
}

// Settings are the resolved settings of one run.
type Settings struct {
	ConfigFile   string
	ConfigExists bool
	ProfileName  string
	Provider     string
	Output       string
	BaseURL      string
	Timeout      time.Duration
	Debug        bool
	NoColor      bool
	Warnings     []string

	v         *viper.Viper
	keys      []Key
	providers []string
	dir       string
	file      *File
	fileMode  fs.FileMode

	profileOverride string
}

// DefaultPath is $XDG_CONFIG_HOME/hookctl/config.yaml, or ~/.config/... .
func DefaultPath() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "hookctl", "config.yaml")
}

// CacheDir is $XDG_CACHE_HOME/hookctl, or ~/.cache/hookctl.
func CacheDir() string {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "hookctl")
}

// ConfigPath resolves the config file path from the flag and environment alone.
func ConfigPath(flags *pflag.FlagSet) (path string, explicit bool) {
	if f := flags.Lookup("config"); f != nil && f.Changed {
		return ExpandHome(f.Value.String()), true
	}
	if p := os.Getenv("HOOKCTL_CONFIG"); p != "" {
		return ExpandHome(p), true
	}
	return DefaultPath(), false
}

// ReadFile parses a config file. A missing file is (nil, nil).
func ReadFile(path string) (*File, fs.FileMode, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, clierr.Usagef("cannot read config file %s: %v", path, PathCause(err))
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, clierr.Usagef("cannot read config file %s: %v", path, PathCause(err))
	}
	f, err := Parse(data)
	if err != nil {
		return nil, 0, clierr.Usagef("config file %s: %v: fix the YAML syntax", path, err)
	}
	return f, st.Mode().Perm(), nil
}

// Parse decodes config YAML, refusing shapes hookctl cannot use.
func Parse(data []byte) (*File, error) {
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	f := &File{Profiles: map[string]map[string]any{}}
	for k, v := range raw {
		switch k {
		case "default_profile":
			s, ok := v.(string)
			if !ok && v != nil {
				return nil, fmt.Errorf("default_profile must be a profile name (a string)")
			}
			f.DefaultProfile = s
		case "profiles":
			if v == nil {
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("profiles must be a mapping of profile names to settings")
			}
			for name, p := range m {
				pm, ok := p.(map[string]any)
				if !ok && p != nil {
					return nil, fmt.Errorf("profile %q must be a mapping of keys to values", name)
				}
				if pm == nil {
					pm = map[string]any{}
				}
				for key, val := range pm {
					switch val.(type) {
					case map[string]any, []any:
						return nil, fmt.Errorf("profile %q: %s must be a single value", name, key)
					}
				}
				f.Profiles[name] = pm
			}
		default:
			return nil, fmt.Errorf("unknown top-level key %q (expected default_profile and profiles)", k)
		}
	}
	return f, keepText(data, f)
}

// keepText replaces each profile value by the text the user wrote: YAML
// reads api_key: 0x1F4ABCDEF and client_id: 0755 as numbers.
func keepText(data []byte, f *File) error {
	var doc struct {
		Profiles map[string]map[string]yaml.Node `yaml:"profiles"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for name, keys := range doc.Profiles {
		for key, n := range keys {
			if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
				f.Profiles[name][key] = n.Value
			}
		}
	}
	return nil
}

// Load resolves the settings. flags are the root's persistent flags;
// infos are the registered providers, whose keys a profile may hold.
func Load(flags *pflag.FlagSet, infos []provider.Info) (*Settings, error) {
	return LoadProfileFrom(nil, flags, infos, "")
}

// FileCache reads and parses the config file once for a whole run: a run
// over many profiles resolves each profile's settings from the same parse.
// The File it returns is shared: read it, never change it. A nil FileCache
// reads the file every time.
type FileCache struct {
	mu   sync.Mutex
	path string
	done bool
	file *File
	mode fs.FileMode
	err  error
}

// Read is ReadFile, once per path.
func (c *FileCache) Read(path string) (*File, fs.FileMode, error) {
	if c == nil {
		return ReadFile(path)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done || c.path != path {
		c.file, c.mode, c.err = ReadFile(path)
		c.path, c.done = path, true
	}
	return c.file, c.mode, c.err
}

// LoadProfileFrom is Load with the profile named instead of taken from
// --profile or HOOKCTL_PROFILE ("" keeps those), reading the config file
// through cache: one run over many profiles loads each from one parse.
func LoadProfileFrom(cache *FileCache, flags *pflag.FlagSet, infos []provider.Info, profile string) (*Settings, error) {
	s := &Settings{v: viper.New(), keys: AllKeys(infos), profileOverride: profile}
	for _, info := range infos {
		s.providers = append(s.providers, info.Name)
	}
	path, explicit := ConfigPath(flags)
	s.ConfigFile, s.dir = path, filepath.Dir(path)
	f, mode, err := cache.Read(path)
	if err != nil {
		return nil, err
	}
	if f == nil && explicit {
		return nil, clierr.Usagef("config file %s does not exist: fix --config/HOOKCTL_CONFIG, or create it (see config.example.yaml)", path)
	}
	s.file, s.fileMode, s.ConfigExists = f, mode, f != nil

	v := s.v
	for _, name := range []string{"provider", "output", "base_url", "timeout", "debug"} {
		if fl := flags.Lookup(strings.ReplaceAll(name, "_", "-")); fl != nil {
			_ = v.BindPFlag(name, fl)
		}
	}
	for _, k := range s.keys {
		if k.Env != "" {
			_ = v.BindEnv(k.Name, k.Env)
		}
	}
	v.SetDefault("output", "table")
	v.SetDefault("timeout", DefaultTimeout.String())

	if err := s.selectProfile(flags); err != nil {
		return nil, err
	}
	if err := s.resolveGlobals(flags); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Settings) selectProfile(flags *pflag.FlagSet) error {
	name, explicit := "", false
	if s.profileOverride != "" {
		name, explicit = s.profileOverride, true
	} else if fl := flags.Lookup("profile"); fl != nil && fl.Changed {
		name, explicit = fl.Value.String(), true
	} else if e := os.Getenv("HOOKCTL_PROFILE"); e != "" {
		name, explicit = e, true
	}
	if explicit && name == "" {
		return clierr.Usagef("--profile is empty: name a profile of %s", s.ConfigFile)
	}
	if !explicit && s.file != nil {
		name = s.file.DefaultProfile
	}
	if name == "" {
		return nil
	}
	var prof map[string]any
	if s.file != nil {
		prof = s.file.Profiles[name]
	}
	if prof == nil {
		if !explicit {
			return clierr.Usagef("default_profile %q is not defined in %s: add it under profiles, or change default_profile", name, s.ConfigFile)
		}
		return clierr.Usagef("unknown profile %q%s: %s", name, suggest.Hint(name, s.ProfileNames()), s.profileHint())
	}
	// A provider given on its own overrides a default profile of another provider.
	if !explicit && s.explicitProvider(flags) != "" {
		if p, _ := prof["provider"].(string); p != "" && p != s.explicitProvider(flags) {
			return nil
		}
	}
	s.ProfileName = name
	for key := range prof {
		if _, ok := s.LookupKey(key); !ok {
			s.Warnings = append(s.Warnings, fmt.Sprintf("profile %q: unknown key %q is ignored (see config.example.yaml)", name, key))
		}
	}
	if checkModes && s.fileMode&0o022 != 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("config file %s is writable by group or others, who could point hookctl elsewhere: chmod 600 %s", s.ConfigFile, s.ConfigFile))
	}
	if checkModes && s.fileMode&0o077 != 0 {
		for _, k := range s.keys {
			if _, ok := prof[k.Name]; ok && k.Secret {
				s.Warnings = append(s.Warnings, fmt.Sprintf("config file %s holds %s and is readable by group or others: chmod 600 %s, or use %s_file", s.ConfigFile, k.Name, s.ConfigFile, k.Name))
			}
		}
	}
	normalized := make(map[string]any, len(prof))
	for k, val := range prof {
		if val != nil {
			normalized[k] = fmt.Sprint(val)
		}
	}
	return s.v.MergeConfigMap(normalized)
}

func (s *Settings) explicitProvider(flags *pflag.FlagSet) string {
	if fl := flags.Lookup("provider"); fl != nil && fl.Changed {
		return fl.Value.String()
	}
	return os.Getenv("HOOKCTL_PROVIDER")
}

func (s *Settings) profileHint() string {
	if s.file == nil || len(s.file.Profiles) == 0 {
		return fmt.Sprintf("no profiles are defined (config file %s); create one, or pass --provider", s.ConfigFile)
	}
	return fmt.Sprintf("pick one of %s (config file %s)", strings.Join(s.ProfileNames(), ", "), s.ConfigFile)
}

// ProfileNames lists the profiles of the config file, sorted.
func (s *Settings) ProfileNames() []string {
	if s.file == nil {
		return nil
	}
	names := make([]string, 0, len(s.file.Profiles))
	for n := range s.file.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Settings) source(key, flag string, flags *pflag.FlagSet) string {
	if fl := flags.Lookup(flag); fl != nil && fl.Changed {
		return "--" + flag
	}
	return s.Source(key)
}

// Source names where a key's value is read from, as the user set it: its
// environment variable when set, else the key of the selected profile.
func (s *Settings) Source(key string) string {
	if k, ok := s.LookupKey(key); ok && k.Env != "" && os.Getenv(k.Env) != "" {
		return k.Env
	}
	if s.ProfileName != "" {
		return fmt.Sprintf("%s in profile %q", key, s.ProfileName)
	}
	return key
}

func (s *Settings) resolveGlobals(flags *pflag.FlagSet) error {
	v := s.v
	s.Provider = strings.TrimSpace(v.GetString("provider"))
	if s.Provider != "" && !slices.Contains(s.providers, s.Provider) {
		return clierr.Usagef("%s: unknown provider %q%s: use one of %s", s.source("provider", "provider", flags), s.Provider, suggest.Hint(s.Provider, s.providers), strings.Join(s.providers, ", "))
	}
	if s.ProfileName != "" {
		if p, _ := s.file.Profiles[s.ProfileName]["provider"].(string); p != "" && s.Provider != p {
			return clierr.Usagef("--provider %s conflicts with profile %q, whose provider is %s: drop one of them", s.Provider, s.ProfileName, p)
		}
	}
	s.Output = strings.TrimSpace(v.GetString("output"))
	if !slices.Contains(Outputs, s.Output) {
		return clierr.Usagef("%s: unknown output format %q%s: use %s", s.source("output", "output", flags), s.Output, suggest.Hint(s.Output, Outputs), strings.Join(Outputs, ", "))
	}
	ts := strings.TrimSpace(v.GetString("timeout"))
	d, err := time.ParseDuration(ts)
	if err != nil || d <= 0 {
		return clierr.Usagef("%s: invalid timeout %q: use a positive duration such as 30s or 2m", s.source("timeout", "timeout", flags), ts)
	}
	s.Timeout = d
	dbg := strings.TrimSpace(strings.ToLower(v.GetString("debug")))
	switch dbg {
	case "", "0", "false", "no", "off":
	case "1", "true", "yes", "on":
		s.Debug = true
	default:
		return clierr.Usagef("%s: invalid boolean %q: use true or false", s.source("debug", "debug", flags), dbg)
	}
	s.BaseURL = strings.TrimSpace(v.GetString("base_url"))
	if fl := flags.Lookup("no-color"); (fl != nil && fl.Changed) || os.Getenv("NO_COLOR") != "" || os.Getenv("CLICOLOR") == "0" {
		s.NoColor = true
	}
	return nil
}

// Keys are every key a profile may hold: the global ones, then each provider's.
func (s *Settings) Keys() []Key { return s.keys }

// LookupKey returns the key named name.
func (s *Settings) LookupKey(name string) (Key, bool) {
	for _, k := range s.keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Value returns a key's value as set: environment > profile, or "".
func (s *Settings) Value(key string) string {
	return strings.TrimSpace(s.v.GetString(key))
}

// String returns a provider key: environment > profile > the key's default.
func (s *Settings) String(key string) string {
	if v := s.Value(key); v != "" {
		return v
	}
	if k, ok := s.LookupKey(key); ok {
		return k.Default
	}
	return ""
}

// Path returns a path key with ~ expanded and relative paths taken from the
// config file's directory.
func (s *Settings) Path(key string) string {
	p := s.String(key)
	if p == "" {
		return ""
	}
	p = ExpandHome(p)
	if !filepath.IsAbs(p) {
		// A path from the environment is relative to the working directory.
		if k, ok := s.LookupKey(key); ok && k.Env != "" && os.Getenv(k.Env) != "" {
			abs, _ := filepath.Abs(p)
			return abs
		}
		p = filepath.Join(s.dir, p)
	}
	return p
}

// Secret returns the value of valueKey, or the contents of the file named by
// fileKey; the value wins when both are set.
func (s *Settings) Secret(valueKey, fileKey string) (string, error) {
	if v := s.String(valueKey); v != "" {
		return v, nil
	}
	if fileKey == "" {
		return "", nil
	}
	p := s.Path(fileKey)
	if p == "" {
		return "", nil
	}
	return ReadSecretFile(fileKey, p)
}

// ReadSecretFile reads a secret from a file: refused when everyone may read
// it, trimmed of surrounding whitespace.
func ReadSecretFile(what, path string) (string, error) {
	data, err := readFile(what, path, true)
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(data))
	if v == "" {
		return "", clierr.Usagef("%s %s is empty: put the secret in it", what, path)
	}
	return v, nil
}

// ReadFile reads the file a path key names; ("", nil, nil) when the key is
// unset. A file holding a secret is refused when everyone may read it.
func (s *Settings) ReadFile(key string) (string, []byte, error) {
	p := s.Path(key)
	if p == "" {
		return "", nil, nil
	}
	k, _ := s.LookupKey(key)
	data, err := readFile(key, p, k.SecretFile)
	return p, data, err
}

// readFile reads a settings file, naming what it is in every error.
func readFile(what, path string, secret bool) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, clierr.Usagef("%s %s: %v: fix the path", what, path, PathCause(err))
	}
	if st.IsDir() {
		return nil, clierr.Usagef("%s %s is a directory: name the file that holds the secret", what, path)
	}
	if secret && checkModes {
		if st.Mode().Perm()&0o004 != 0 {
			return nil, clierr.Usagef("%s %s is readable by everyone: run chmod 600 %s", what, path, path)
		}
		if st.Mode().Perm()&0o022 != 0 {
			return nil, clierr.Usagef("%s %s is writable by group or others: run chmod 600 %s", what, path, path)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, clierr.Usagef("cannot read %s %s: %v: check its permissions", what, path, PathCause(err))
	}
	return data, nil
}

// ExpandHome expands a leading ~.
func ExpandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// PathCause is the cause of a file error, without the path it repeats.
func PathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
