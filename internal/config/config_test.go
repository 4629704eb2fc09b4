package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/spf13/pflag"
)

func flags(args ...string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	for _, n := range []string{"config", "profile", "provider", "base-url", "timeout"} {
		fs.String(n, "", "")
	}
	fs.StringP("output", "o", "table", "")
	fs.Bool("debug", false, "")
	fs.Bool("no-color", false, "")
	if err := fs.Parse(args); err != nil {
		panic(err)
	}
	return fs
}

const sample = `default_profile: c
profiles:
  c:
    provider: conekta
    api_key_file: keys/conekta.key
    timeout: 10s
    output: yaml
  b:
    provider: bankly
    cert_file: ~/bankly.crt
    client_id: from-profile
`

func write(t *testing.T, dir, name, data string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, mode)
	return p
}

func clearEnv(t *testing.T) {
	for _, k := range AllKeys(all.Providers()) {
		if k.Env != "" {
			t.Setenv(k.Env, "")
		}
	}
	for _, e := range []string{"HOOKCTL_CONFIG", "HOOKCTL_PROFILE", "NO_COLOR", "XDG_CONFIG_HOME"} {
		t.Setenv(e, "")
	}
}

func TestPrecedence(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	cfg := write(t, dir, "config.yaml", sample, 0o600)
	write(t, dir, "keys/conekta.key", "key_from_file\n", 0o600)

	s, err := Load(flags("--config", cfg), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	if s.ProfileName != "c" || s.Provider != "conekta" || s.Output != "yaml" || s.Timeout != 10*time.Second {
		t.Fatalf("profile layer: %+v", s)
	}
	if key, err := s.Secret("api_key", "api_key_file"); err != nil || key != "key_from_file" {
		t.Fatalf("secret file relative to the config: %q %v", key, err)
	}
	t.Setenv("HOOKCTL_OUTPUT", "json")
	t.Setenv("CONEKTA_API_KEY", "key_from_env")
	s, _ = Load(flags("--config", cfg), all.Providers())
	if s.Output != "json" {
		t.Fatalf("env must beat profile: %s", s.Output)
	}
	if key, _ := s.Secret("api_key", "api_key_file"); key != "key_from_env" {
		t.Fatalf("env key must beat the profile's file: %s", key)
	}
	s, _ = Load(flags("--config", cfg, "-o", "table"), all.Providers())
	if s.Output != "table" {
		t.Fatalf("flag must beat env: %s", s.Output)
	}
	t.Setenv("HOOKCTL_OUTPUT", "")
	t.Setenv("HOOKCTL_CONFIG", cfg)
	s, _ = Load(flags("--profile", "b"), all.Providers())
	home, _ := os.UserHomeDir()
	if s.Provider != "bankly" || s.Path("cert_file") != filepath.Join(home, "bankly.crt") || s.String("client_id") != "from-profile" || s.Output != "table" || s.Timeout != DefaultTimeout {
		t.Fatalf("profile b: %+v %s", s, s.Path("cert_file"))
	}
	t.Setenv("BANKLY_CLIENT_ID", "from-env")
	s, _ = Load(flags("--profile", "b"), all.Providers())
	if s.String("client_id") != "from-env" {
		t.Fatal("env must beat profile for provider keys")
	}
}

func TestProviderFlagSkipsOtherDefaultProfile(t *testing.T) {
	clearEnv(t)
	cfg := write(t, t.TempDir(), "config.yaml", sample, 0o600)
	s, err := Load(flags("--config", cfg, "--provider", "bankly"), all.Providers())
	if err != nil || s.ProfileName != "" || s.Provider != "bankly" {
		t.Fatalf("%v %+v", err, s)
	}
	if _, err := Load(flags("--config", cfg, "--provider", "bankly", "--profile", "c"), all.Providers()); clierr.ExitCode(err) != 2 {
		t.Fatalf("conflict: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	cases := map[string]struct {
		file string
		args []string
		want string
	}{
		"yaml syntax":      {"profiles:\n  a: [\n", nil, "fix the YAML syntax"},
		"unknown profile":  {sample, []string{"--profile", "zz"}, `unknown profile "zz"`},
		"bad timeout":      {sample, []string{"--timeout", "soon"}, "invalid timeout"},
		"negative timeout": {sample, []string{"--timeout", "-1s"}, "invalid timeout"},
		"bad output":       {sample, []string{"-o", "xml"}, "unknown output format"},
		"bad provider":     {"profiles:\n  x:\n    provider: stripe\n", []string{"--profile", "x"}, `unknown provider "stripe"`},
		"nested value":     {"profiles:\n  x:\n    api_key: {a: 1}\n", nil, "must be a single value"},
		"bad default":      {"default_profile: nope\nprofiles: {}\n", nil, "default_profile"},
		"top-level key":    {"profile:\n  x: {}\n", nil, "unknown top-level key"},
		"bad debug":        {"profiles:\n  x:\n    debug: maybe\n", []string{"--profile", "x"}, "invalid boolean"},
	}
	for name, c := range cases {
		cfg := write(t, dir, strings.ReplaceAll(name, " ", "_")+".yaml", c.file, 0o600)
		_, err := Load(flags(append([]string{"--config", cfg}, c.args...)...), all.Providers())
		if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (want exit 2 and %q)", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error", name)
		}
	}
	if _, err := Load(flags("--config", filepath.Join(dir, "missing.yaml")), all.Providers()); clierr.ExitCode(err) != 2 {
		t.Errorf("missing explicit config: %v", err)
	}
}

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadSecretFile("api_key_file", write(t, dir, "world", "k", 0o644)); clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable: %v", err)
	}
	if _, err := ReadSecretFile("api_key_file", write(t, dir, "empty", " \n", 0o600)); clierr.ExitCode(err) != 2 {
		t.Errorf("empty: %v", err)
	}
	if _, err := ReadSecretFile("api_key_file", filepath.Join(dir, "none")); clierr.ExitCode(err) != 2 {
		t.Errorf("missing: %v", err)
	}
	if os.Geteuid() != 0 {
		if _, err := ReadSecretFile("api_key_file", write(t, dir, "unreadable", "k", 0o200)); clierr.ExitCode(err) != 2 {
			t.Errorf("unreadable: %v", err)
		}
	}
	if v, err := ReadSecretFile("api_key_file", write(t, dir, "ok", "  key_123 \n", 0o600)); err != nil || v != "key_123" {
		t.Errorf("trim: %q %v", v, err)
	}
}

func TestInlineSecretInReadableConfigWarns(t *testing.T) {
	clearEnv(t)
	cfg := write(t, t.TempDir(), "config.yaml", "default_profile: c\nprofiles:\n  c:\n    provider: conekta\n    api_key: key_inline_123456\n    api_kye: typo\n", 0o644)
	s, err := Load(flags("--config", cfg), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(s.Warnings, "\n")
	if !strings.Contains(all, "readable by group or others") || !strings.Contains(all, `unknown key "api_kye"`) || strings.Contains(all, "key_inline_123456") {
		t.Fatalf("warnings: %s", all)
	}
}

// TestValuesKeepTheirText: YAML would read these as numbers and booleans.
func TestValuesKeepTheirText(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	cfg := write(t, dir, "config.yaml", "profiles:\n  c:\n    provider: conekta\n    api_key: 0x1F4ABCDEF\n    child_company_id: 0755\n    language: no\n    api_version: 2.30\n", 0o600)
	s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"api_key": "0x1F4ABCDEF", "child_company_id": "0755", "language": "no", "api_version": "2.30"} {
		if got := s.String(key); got != want {
			t.Errorf("%s = %q, want %q as written", key, got, want)
		}
	}
}

// TestGroupWritableConfigWarns: others could point hookctl at their server.
func TestGroupWritableConfigWarns(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	cfg := write(t, dir, "config.yaml", "profiles:\n  c:\n    provider: conekta\n", 0o620)
	s, err := Load(flags("--config", cfg, "--profile", "c"), all.Providers())
	if err != nil || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "writable by group or others") {
		t.Fatalf("warnings %q, err %v", s.Warnings, err)
	}
}
