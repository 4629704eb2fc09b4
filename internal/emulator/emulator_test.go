package emulator_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/provider/conekta"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/redact"
)

const privateKey = "NTRlNzM0NGMtNTdjMC00MjQ4LThiZTEtM2ZhMDg4NzcwZTA5"

func start(t *testing.T, o emulator.Options) *emulator.Running {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	r, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return r
}

// profile loads a profile of the config the emulator writes, as a user would.
func profile(t *testing.T, r *emulator.Running, name string, access provider.Access) provider.Provider {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(r.Config()), 0o600)
	t.Setenv("HOOKCTL_CONFIG", cfg)
	t.Setenv("HOOKCTL_PROFILE", name)
	for _, k := range config.AllKeys(all.Providers()) {
		if k.Env != "" {
			t.Setenv(k.Env, "")
		}
	}
	s, err := config.Load(nilFlags(), all.Providers())
	if err != nil {
		t.Fatal(err)
	}
	env := &provider.Env{Settings: s, Access: access, Redactor: redact.New(), CacheDir: filepath.Join(dir, "cache"),
		HTTPClient: func(c *tls.Config, roots *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{TLS: c, Roots: roots, Retry: httpx.RetryPolicy{BaseDelay: time.Millisecond}})
		}}
	var p provider.Provider
	if s.Provider == "conekta" {
		p, err = conekta.New(env)
	} else {
		p, err = bankly.New(env)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformanceAgainstEmulator(t *testing.T) {
	t.Run("conekta", func(t *testing.T) {
		pt.Run(t, pt.Harness{
			Info: conekta.Info(),
			New: func(t *testing.T) provider.Provider {
				return profile(t, start(t, emulator.Options{AllowLocalURLs: true}), "conekta-emulator", provider.Read|provider.Write)
			},
			Create: func(i int, url string) provider.CreateRequest {
				return provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(url), Events: &[]string{"order.paid"}}}
			},
			Capacity: 10,
		})
	})
	t.Run("bankly", func(t *testing.T) {
		pt.Run(t, pt.Harness{
			Info: bankly.Info(),
			New: func(t *testing.T) provider.Provider {
				return profile(t, start(t, emulator.Options{}), "bankly-emulator", provider.Read|provider.Write)
			},
			Create: func(i int, url string) provider.CreateRequest {
				return provider.CreateRequest{Fields: provider.Fields{URL: pt.Str(url), Events: &[]string{"TED_CASH_IN_WAS_CLEARED"}, Context: pt.Str("Ted")}, Input: pt.In("public-key", "pub", "private-key", privateKey)}
			},
			Secrets:   pt.In("private-key", privateKey),
			Synthetic: true,
		})
	})
}

func TestPersistAndSeed(t *testing.T) {
	dir := t.TempDir()
	r, err := emulator.Start(emulator.Options{Dir: dir, Persist: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	p := profile(t, r, "bankly-emulator", provider.Read|provider.Write)
	ctx := context.Background()
	if _, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"CARD_WAS_ISSUED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)}); err != nil {
		t.Fatal(err)
	}
	r.Stop(ctx)
	st, _ := os.Stat(filepath.Join(dir, "state.json"))
	if st == nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v", st)
	}
	r2 := start(t, emulator.Options{Dir: dir, Persist: true})
	res, err := profile(t, r2, "bankly-emulator", provider.Read).List(ctx, provider.ListOptions{All: true})
	if err != nil || len(res.Items) != 4 {
		t.Fatalf("after restart: %v, %d configurations, want 4", err, len(res.Items))
	}
	for _, f := range []string{"client.key", "conekta.key", "ca.crt", "client.crt"} {
		if st, _ := os.Stat(filepath.Join(dir, f)); st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", f, st.Mode().Perm())
		}
	}
}

func TestFailRateIsRetried(t *testing.T) {
	r := start(t, emulator.Options{FailRate: 0.5, Seed: 2, RetryAfter: -1})
	p := profile(t, r, "conekta-emulator", provider.Read)
	ok := 0
	for i := 0; i < 20; i++ {
		if _, err := p.List(context.Background(), provider.ListOptions{}); err == nil {
			ok++
		} else if !strings.Contains(err.Error(), "503") {
			t.Fatalf("unexpected error: %v", err)
		}
	}
	// Without retries half would fail; with three retries about 1 in 16 does.
	if ok < 14 {
		t.Fatalf("only %d of 20 lists survived a 50%% fail rate", ok)
	}
}

func TestLatency(t *testing.T) {
	r := start(t, emulator.Options{Latency: 30 * time.Millisecond})
	p := profile(t, r, "conekta-emulator", provider.Read)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := p.List(ctx, provider.ListOptions{}); err == nil {
		t.Fatal("a 10 ms deadline survived 30 ms of latency")
	}
}
