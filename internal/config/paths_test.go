package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// setHome points os.UserHomeDir at dir on every OS.
func setHome(t *testing.T, dir string) {
	t.Setenv("HOME", dir)
	t.Setenv("USERPROFILE", dir)
	t.Setenv("home", dir) // Plan 9
}

func TestDefaultPathAndCacheDir(t *testing.T) {
	home := t.TempDir()
	setHome(t, home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	if got, want := DefaultPath(), filepath.Join(home, ".config", "hookctl", "config.yaml"); got != want {
		t.Errorf("DefaultPath without XDG_CONFIG_HOME = %s, want %s", got, want)
	}
	if got, want := CacheDir(), filepath.Join(home, ".cache", "hookctl"); got != want {
		t.Errorf("CacheDir without XDG_CACHE_HOME = %s, want %s", got, want)
	}
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(xdg, "conf"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(xdg, "cache"))
	if got, want := DefaultPath(), filepath.Join(xdg, "conf", "hookctl", "config.yaml"); got != want {
		t.Errorf("DefaultPath = %s, want %s", got, want)
	}
	if got, want := CacheDir(), filepath.Join(xdg, "cache", "hookctl"); got != want {
		t.Errorf("CacheDir = %s, want %s", got, want)
	}
}

func TestConfigPathPrecedence(t *testing.T) {
	clearEnv(t)
	home := t.TempDir()
	setHome(t, home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "xdg"))
	if p, explicit := ConfigPath(flags()); p != filepath.Join(home, "xdg", "hookctl", "config.yaml") || explicit {
		t.Errorf("default: %s %v", p, explicit)
	}
	t.Setenv("HOOKCTL_CONFIG", "~/env.yaml")
	if p, explicit := ConfigPath(flags()); p != filepath.Join(home, "env.yaml") || !explicit {
		t.Errorf("HOOKCTL_CONFIG: %s %v", p, explicit)
	}
	if p, explicit := ConfigPath(flags("--config", "~/flag.yaml")); p != filepath.Join(home, "flag.yaml") || !explicit {
		t.Errorf("--config must beat HOOKCTL_CONFIG: %s %v", p, explicit)
	}
}

func TestExpandHome(t *testing.T) {
	home := t.TempDir()
	setHome(t, home)
	for in, want := range map[string]string{
		"~":         home,
		"~/a/b":     filepath.Join(home, "a", "b"),
		"~other/a":  "~other/a",
		"a/~/b":     "a/~/b",
		"/abs/path": "/abs/path",
	} {
		if got := ExpandHome(in); got != want {
			t.Errorf("ExpandHome(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPathResolution: a profile's relative path is taken from the config
// file's directory, the environment's from the working directory.
func TestPathResolution(t *testing.T) {
	clearEnv(t)
	home := t.TempDir()
	setHome(t, home)
	dir := t.TempDir()
	abs := filepath.Join(t.TempDir(), "abs.pem")
	cfg := write(t, dir, "config.yaml", "profiles:\n  b:\n    provider: bankly\n    cert_file: certs/c.crt\n    key_file: ~/k.pem\n    ca_file: "+abs+"\n", 0o600)
	s, err := Load(flags("--config", cfg, "--profile", "b"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"cert_file":           filepath.Join(dir, "certs", "c.crt"),
		"key_file":            filepath.Join(home, "k.pem"),
		"ca_file":             abs,
		"key_passphrase_file": "",
	} {
		if got := s.Path(key); got != want {
			t.Errorf("Path(%s) = %q, want %q", key, got, want)
		}
	}

	wd := t.TempDir()
	t.Chdir(wd)
	wd, _ = os.Getwd()
	t.Setenv("BANKLY_CERT_FILE", filepath.Join("env", "c.crt"))
	s, err = Load(flags("--config", cfg, "--profile", "b"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Path("cert_file"), filepath.Join(wd, "env", "c.crt"); got != want {
		t.Errorf("Path(cert_file) from the environment = %q, want %q", got, want)
	}
}

func TestSecretUnsetIsEmpty(t *testing.T) {
	clearEnv(t)
	cfg := write(t, t.TempDir(), "config.yaml", "profiles:\n  c:\n    provider: conekta\n", 0o600)
	s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("api_key", "api_key_file"); v != "" || err != nil {
		t.Errorf("neither set: %q %v", v, err)
	}
	if v, err := s.Secret("api_key", ""); v != "" || err != nil {
		t.Errorf("no file key: %q %v", v, err)
	}
	if p, data, err := s.ReadFile("api_key_file"); p != "" || data != nil || err != nil {
		t.Errorf("ReadFile of an unset key: %q %q %v", p, data, err)
	}
}

func TestSecretValueBeatsFile(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	write(t, dir, "k", "from_file\n", 0o600)
	cfg := write(t, dir, "config.yaml", "profiles:\n  c:\n    provider: conekta\n    api_key: inline\n    api_key_file: k\n", 0o600)
	s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("api_key", "api_key_file"); v != "inline" || err != nil {
		t.Errorf("value must win over file: %q %v", v, err)
	}
	if p, data, err := s.ReadFile("api_key_file"); p != filepath.Join(dir, "k") || string(data) != "from_file\n" || err != nil {
		t.Errorf("ReadFile: %q %q %v", p, data, err)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none")
	cases := map[string]struct {
		path   string
		secret bool
		want   string
	}{
		"missing":   {missing, false, "key_file " + missing + ": " + PathCause(statErr(missing)).Error() + ": fix the path"},
		"directory": {dir, true, "key_file " + dir + " is a directory: name the file that holds the secret"},
	}
	if checkModes {
		world := write(t, dir, "world", "k", 0o604)
		group := write(t, dir, "group", "k", 0o620)
		cases["world-readable"] = struct {
			path   string
			secret bool
			want   string
		}{world, true, "key_file " + world + " is readable by everyone: run chmod 600 " + world}
		cases["group-writable"] = struct {
			path   string
			secret bool
			want   string
		}{group, true, "key_file " + group + " is writable by group or others: run chmod 600 " + group}
	}
	for name, c := range cases {
		_, err := readFile("key_file", c.path, c.secret)
		if clierr.ExitCode(err) != 2 || err.Error() != c.want {
			t.Errorf("%s: %v (exit %d), want %q", name, err, clierr.ExitCode(err), c.want)
		}
	}
	if checkModes {
		// Not a secret: the modes do not matter.
		if data, err := readFile("ca_file", write(t, dir, "ca", "pem", 0o666), false); err != nil || string(data) != "pem" {
			t.Errorf("non-secret file: %q %v", data, err)
		}
	}
}

func statErr(p string) error {
	_, err := os.Stat(p)
	return err
}
