package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider/all"
)

func TestParseShapes(t *testing.T) {
	for in, want := range map[string]string{
		"default_profile: 5\n":           "default_profile must be a profile name (a string)",
		"default_profile: [a]\n":         "default_profile must be a profile name (a string)",
		"profiles: [a, b]\n":             "profiles must be a mapping of profile names to settings",
		"profiles:\n  x: 5\n":            `profile "x" must be a mapping of keys to values`,
		"profiles:\n  x:\n    k: [1]\n":  `profile "x": k must be a single value`,
		"profiles:\n  x:\n    k: {a: 1}": `profile "x": k must be a single value`,
		"other: 1\n":                     `unknown top-level key "other" (expected default_profile and profiles)`,
	} {
		if _, err := Parse([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("Parse(%q): %v, want %q", in, err, want)
		}
	}
	// Empty values are allowed: no default, no profiles, a profile with no keys.
	f, err := Parse([]byte("default_profile:\nprofiles:\n  x:\n  y:\n    provider: conekta\n    note:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.DefaultProfile != "" || len(f.Profiles) != 2 || f.Profiles["x"] == nil || len(f.Profiles["x"]) != 0 {
		t.Fatalf("empty values: %+v", f)
	}
	if v, ok := f.Profiles["y"]["note"]; !ok || v != nil {
		t.Errorf("a key without a value stays nil: %v %v", v, ok)
	}
	if f, err := Parse([]byte("profiles:\n")); err != nil || f.Profiles == nil || len(f.Profiles) != 0 {
		t.Errorf("profiles without a value: %+v %v", f, err)
	}
}

func TestConfigExistsAndProfileNames(t *testing.T) {
	clearEnv(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	s, err := Load(flags(), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if s.ConfigExists || s.ProfileNames() != nil || s.ProfileName != "" || s.ConfigFile != DefaultPath() {
		t.Errorf("no config file: exists %v, names %q, profile %q, file %s", s.ConfigExists, s.ProfileNames(), s.ProfileName, s.ConfigFile)
	}
	cfg := write(t, t.TempDir(), "config.yaml", sample, 0o600)
	s, err = Load(flags("--config", cfg), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if !s.ConfigExists || !slices.Equal(s.ProfileNames(), []string{"b", "c"}) || s.ConfigFile != cfg {
		t.Errorf("config file: exists %v, names %q, file %s", s.ConfigExists, s.ProfileNames(), s.ConfigFile)
	}
}

func TestUnknownProfileMessage(t *testing.T) {
	clearEnv(t)
	noFile := filepath.Join(t.TempDir(), "xdg")
	t.Setenv("XDG_CONFIG_HOME", noFile)
	dir := t.TempDir()
	withProfiles := write(t, dir, "config.yaml", sample, 0o600)
	empty := write(t, dir, "empty.yaml", "profiles: {}\n", 0o600)
	defaultPath := filepath.Join(noFile, "hookctl", "config.yaml")
	cases := map[string]struct {
		args []string
		want string
	}{
		"no config file": {[]string{"--profile", "zz"},
			`unknown profile "zz": no profiles are defined (config file ` + defaultPath + `); create one, or pass --provider`},
		"no profiles": {[]string{"--config", empty, "--profile", "zz"},
			`unknown profile "zz": no profiles are defined (config file ` + empty + `); create one, or pass --provider`},
		"other profiles": {[]string{"--config", withProfiles, "--profile", "zz"},
			`unknown profile "zz": pick one of b, c (config file ` + withProfiles + `)`},
		"close name": {[]string{"--config", withProfiles, "--profile", "bb"},
			`unknown profile "bb"; did you mean b?: pick one of b, c (config file ` + withProfiles + `)`},
		"empty name": {[]string{"--config", withProfiles, "--profile", ""},
			`--profile is empty: name a profile of ` + withProfiles},
	}
	for name, c := range cases {
		_, err := Load(flags(c.args...), all.Providers())
		if clierr.ExitCode(err) != 2 || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", name, err, c.want)
		}
	}
	t.Setenv("HOOKCTL_PROFILE", "zz")
	if _, err := Load(flags("--config", empty), all.Providers()); clierr.ExitCode(err) != 2 || err.Error() != `unknown profile "zz": no profiles are defined (config file `+empty+`); create one, or pass --provider` {
		t.Errorf("HOOKCTL_PROFILE: %v", err)
	}
}

// TestErrorsNameTheSource: the message names where the bad value came from.
func TestErrorsNameTheSource(t *testing.T) {
	clearEnv(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	cfg := write(t, dir, "config.yaml", "profiles:\n  x:\n    timeout: soon\n  y:\n    provider: conekta\n", 0o600)
	const fix = `invalid timeout "soon": use a positive duration such as 30s or 2m`
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"flag", nil, []string{"--timeout", "soon"}, "--timeout: " + fix},
		{"flag beats env", map[string]string{"HOOKCTL_TIMEOUT": "1s"}, []string{"--timeout", "soon"}, "--timeout: " + fix},
		{"env", map[string]string{"HOOKCTL_TIMEOUT": "soon"}, nil, "HOOKCTL_TIMEOUT: " + fix},
		{"env over a profile", map[string]string{"HOOKCTL_TIMEOUT": "soon"}, []string{"--config", cfg, "--profile", "y"}, "HOOKCTL_TIMEOUT: " + fix},
		{"profile", nil, []string{"--config", cfg, "--profile", "x"}, `timeout in profile "x": ` + fix},
		{"zero", nil, []string{"--timeout", "0s"}, `--timeout: invalid timeout "0s": use a positive duration such as 30s or 2m`},
		{"output env", map[string]string{"HOOKCTL_OUTPUT": "xml"}, nil, `HOOKCTL_OUTPUT: unknown output format "xml": use table, wide, json, yaml, name`},
		{"debug env", map[string]string{"HOOKCTL_DEBUG": "Maybe"}, nil, `HOOKCTL_DEBUG: invalid boolean "maybe": use true or false`},
		{"provider flag", nil, []string{"--provider", "conekt"}, `--provider: unknown provider "conekt"; did you mean conekta?: use one of conekta, bankly`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			_, err := Load(flags(c.args...), all.Providers())
			if clierr.ExitCode(err) != 2 || err.Error() != c.want {
				t.Errorf("%v\nwant %s", err, c.want)
			}
		})
	}
}

func TestGlobalValues(t *testing.T) {
	clearEnv(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	s, err := Load(flags(), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if s.Provider != "" || s.Output != "table" || s.Timeout != 30*time.Second || s.Debug || s.NoColor || s.BaseURL != "" || len(s.Warnings) != 0 {
		t.Errorf("defaults: %+v", s)
	}
	s, err = Load(flags("--no-color", "--debug", "--base-url", " http://127.0.0.1:1 ", "--timeout", " 1m ", "--provider", "bankly"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if !s.NoColor || !s.Debug || s.BaseURL != "http://127.0.0.1:1" || s.Timeout != time.Minute || s.Provider != "bankly" {
		t.Errorf("flags: %+v", s)
	}
	t.Setenv("NO_COLOR", "1")
	if s, err := Load(flags(), all.Providers()); err != nil || !s.NoColor {
		t.Errorf("NO_COLOR: %v %+v", err, s)
	}
	t.Setenv("NO_COLOR", "")
	for in, want := range map[string]bool{"": false, "0": false, "false": false, "No": false, "off": false, "1": true, "TRUE": true, "yes": true, " on ": true} {
		t.Setenv("HOOKCTL_DEBUG", in)
		s, err := Load(flags(), all.Providers())
		if err != nil || s.Debug != want {
			t.Errorf("HOOKCTL_DEBUG=%q: %v %v, want %v", in, err, s != nil && s.Debug, want)
		}
	}
}

func TestDefaultProfileFromFile(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	cfg := write(t, dir, "config.yaml", sample, 0o600)
	s, err := Load(flags("--config", cfg), all.Providers())
	if err != nil || s.ProfileName != "c" {
		t.Fatalf("default_profile: %v %+v", err, s)
	}
	t.Setenv("HOOKCTL_PROFILE", "b")
	if s, err := Load(flags("--config", cfg), all.Providers()); err != nil || s.ProfileName != "b" || s.Provider != "bankly" {
		t.Fatalf("HOOKCTL_PROFILE must beat default_profile: %v %+v", err, s)
	}
	if s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers()); err != nil || s.ProfileName != "c" {
		t.Fatalf("--profile must beat HOOKCTL_PROFILE: %v %+v", err, s)
	}
	t.Setenv("HOOKCTL_PROFILE", "")
	bad := write(t, dir, "bad.yaml", "default_profile: nope\nprofiles:\n  c: {}\n", 0o600)
	want := `default_profile "nope" is not defined in ` + bad + `: add it under profiles, or change default_profile`
	if _, err := Load(flags("--config", bad), all.Providers()); clierr.ExitCode(err) != 2 || err.Error() != want {
		t.Errorf("undefined default_profile: %v", err)
	}
	// An explicit provider that matches the default profile keeps it.
	if s, err := Load(flags("--config", cfg, "--provider", "conekta"), all.Providers()); err != nil || s.ProfileName != "c" || s.Timeout != 10*time.Second {
		t.Errorf("matching --provider: %v %+v", err, s)
	}
	t.Setenv("HOOKCTL_PROVIDER", "bankly")
	if s, err := Load(flags("--config", cfg), all.Providers()); err != nil || s.ProfileName != "" || s.Provider != "bankly" || s.Timeout != DefaultTimeout {
		t.Errorf("HOOKCTL_PROVIDER of another provider skips the default profile: %v %+v", err, s)
	}
}

func TestProviderConflictMessage(t *testing.T) {
	clearEnv(t)
	cfg := write(t, t.TempDir(), "config.yaml", sample, 0o600)
	want := `--provider bankly conflicts with profile "c", whose provider is conekta: drop one of them`
	if _, err := Load(flags("--config", cfg, "--provider", "bankly", "--profile", "c"), all.Providers()); clierr.ExitCode(err) != 2 || err.Error() != want {
		t.Errorf("%v\nwant %s", err, want)
	}
}

func TestWarningsExact(t *testing.T) {
	clearEnv(t)
	if !checkModes {
		t.Skip("file modes mean nothing here")
	}
	dir := t.TempDir()
	body := "profiles:\n  c:\n    provider: conekta\n    api_key: key_inline_123456\n    api_kye: typo\n"
	for mode, want := range map[os.FileMode][]string{
		0o600: {`profile "c": unknown key "api_kye" is ignored (see config.example.yaml)`},
		0o640: {`profile "c": unknown key "api_kye" is ignored (see config.example.yaml)`,
			"config file {} holds api_key and is readable by group or others: chmod 600 {}, or use api_key_file"},
		0o602: {`profile "c": unknown key "api_kye" is ignored (see config.example.yaml)`,
			"config file {} is writable by group or others, who could point hookctl elsewhere: chmod 600 {}",
			"config file {} holds api_key and is readable by group or others: chmod 600 {}, or use api_key_file"},
	} {
		cfg := write(t, dir, "c.yaml", body, mode)
		s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers())
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i] = strings.ReplaceAll(want[i], "{}", cfg)
		}
		if !slices.Equal(s.Warnings, want) {
			t.Errorf("mode %o: warnings\n%q\nwant\n%q", mode, s.Warnings, want)
		}
	}
}

// TestFileCache: a run over many profiles reads the config file once; each
// profile's settings are its own.
func TestFileCache(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte("profiles:\n  a:\n    provider: conekta\n    base_url: https://a.example\n  b:\n    provider: bankly\n    base_url: https://b.example\n"), 0o600)
	t.Setenv("HOOKCTL_CONFIG", path)
	cache := &FileCache{}
	a, err := LoadProfileFrom(cache, flags(), all.Providers(), "a")
	if err != nil {
		t.Fatal(err)
	}
	// The file changes under the run: the run keeps its one read.
	os.WriteFile(path, []byte("profiles:\n  c:\n    provider: conekta\n"), 0o600)
	b, err := LoadProfileFrom(cache, flags(), all.Providers(), "b")
	if err != nil {
		t.Fatal(err)
	}
	if a.Provider != "conekta" || a.BaseURL != "https://a.example" || b.Provider != "bankly" || b.BaseURL != "https://b.example" || a.ProfileName != "a" || b.ProfileName != "b" {
		t.Fatalf("a %s %s %s, b %s %s %s", a.ProfileName, a.Provider, a.BaseURL, b.ProfileName, b.Provider, b.BaseURL)
	}
	// Without a cache (a new run), the file is read again.
	if _, err := LoadProfileFrom(nil, flags(), all.Providers(), "b"); err == nil || !strings.Contains(err.Error(), `unknown profile "b"`) {
		t.Fatalf("a new read: %v", err)
	}
	if c, err := LoadProfileFrom(&FileCache{}, flags(), all.Providers(), "c"); err != nil || c.Provider != "conekta" {
		t.Fatalf("a new cache: %v", err)
	}
	// A missing file is remembered as missing too.
	missing := &FileCache{}
	if f, _, err := missing.Read(filepath.Join(dir, "none.yaml")); f != nil || err != nil {
		t.Fatalf("missing: %v %v", f, err)
	}
}
