package cmd

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hookctl/hookctl/cmd/webhooks"
	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/emulator/delivery"
	"github.com/hookctl/hookctl/internal/output"
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
can start the emulator in the background and wait for it. SIGINT or SIGTERM stops it.

Both emulators deliver events (see 'hookctl emulator trigger'): Conekta signs each delivery
with a DIGEST header (RSA over the SHA-256 of the body, with the key GET /webhook_keys
serves), Bankly with its HMAC headers and the configuration's keys. A failed delivery is
retried after each wait of --retry-schedule (Bankly: three retries, then Failed); attempts
are served by GET /events (Conekta) and GET /webhooks/processed-messages (Bankly).`,
		Example: `  hookctl emulator --write-config ./hookctl.yaml
  hookctl emulator --write-config ./hookctl.yaml --seed 5 --persist &
  hookctl --config ./hookctl.yaml --profile bankly-emulator webhooks list
  hookctl --config ./hookctl.yaml emulator trigger order.paid --wait`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.FailRate < 0 || o.FailRate > 1 {
				return clierr.Usagef("--fail-rate %v: give a probability from 0 to 1", o.FailRate)
			}
			if o.Seed < 0 {
				return clierr.Usagef("--seed %d: give a number of configurations, 0 or more", o.Seed)
			}
			for _, d := range o.RetrySchedule {
				if d <= 0 {
					return clierr.Usagef("--retry-schedule %v: give positive waits, e.g. 1s,2s,4s", d)
				}
			}
			if o.BanklyHMACKey != "raw" && o.BanklyHMACKey != "base64" {
				return clierr.Usagef("--bankly-hmac-key %q: use raw (the private key's text) or base64 (decoded)", o.BanklyHMACKey)
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
	fl.DurationSliceVar(&o.RetrySchedule, "retry-schedule", delivery.DefaultSchedule, "waits before the retries of a failed delivery (Bankly: three retries)")
	fl.BoolVar(&o.BanklyOmitStatus, "bankly-omit-status", false, "leave status out of Bankly's GET-by-id answers")
	fl.StringVar(&o.BanklyHMACKey, "bankly-hmac-key", "raw", "HMAC key of Bankly deliveries: raw (the private key's text) or base64 (decoded)")
	_ = cmd.RegisterFlagCompletionFunc("bankly-hmac-key", fixedCompletion("raw", "base64"))
	cmd.AddCommand(newCmdEmulatorTrigger(f))
	return cmd
}

// triggerTarget is the emulator a trigger goes to.
type triggerTarget struct {
	provider, baseURL         string
	certFile, keyFile, caFile string
}

func newCmdEmulatorTrigger(f *cmdutil.Factory) *cobra.Command {
	var count int
	var wait bool
	cmd := &cobra.Command{
		Use:               "trigger EVENT",
		Short:             "Make the running emulator deliver an event",
		ValidArgsFunction: webhooks.CompleteEvent(f),
		Long: `Make the running emulator deliver EVENT to every subscribed, enabled webhook.

It works only against an emulator: the selected profile's base_url (or, with --provider
and no profile, the config's emulator profile of that provider) must be a loopback URL
that answers the emulator's control endpoint POST /_emulator/trigger. Conekta delivers to
the webhooks whose subscribed_events hold EVENT, Bankly to the Enabled configurations of
that eventName. Failed deliveries are retried on the emulator's --retry-schedule and every
attempt is recorded for the events and processed-messages APIs.

Each delivery is printed as 'hookctl deliveries list' prints it (provider, id, event,
context, webhook_id, url, status, attempts, last_status_code, last_attempt_at, created_at;
-o json adds error, the transport failure of an attempt that got no answer). Without
--wait they are pending; with --wait the command returns after the first attempt of each
one: succeeded, pending when it failed and retries follow, failed when none are left.
With no subscribed, enabled webhook nothing is printed on stdout (stderr says so; exit 0).`,
		Example: `  hookctl --profile conekta-emulator emulator trigger order.paid --wait
  hookctl --profile bankly-emulator emulator trigger PIX_CASH_IN_WAS_CLEARED --count 3 -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return clierr.Usagef("trigger takes one EVENT, got %d arguments (see 'hookctl webhooks events')", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if count < 1 || count > delivery.MaxCount {
				return clierr.Usagef("--count %d: give a number of events from 1 to %d", count, delivery.MaxCount)
			}
			return triggerRun(cmd, f, args[0], count, wait)
		},
	}
	cmd.Flags().IntVar(&count, "count", 1, "events to trigger, 1 to 100")
	cmd.Flags().BoolVar(&wait, "wait", false, "return after the first attempt of each delivery and print them")
	return cmd
}

func triggerRun(cmd *cobra.Command, f *cmdutil.Factory, event string, count int, wait bool) error {
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	info, err := f.ProviderInfo()
	if err != nil {
		return err
	}
	if info.Events != nil {
		known := false
		for _, e := range info.Events() {
			known = known || e.Name == event
		}
		if !known {
			return clierr.Usagef("unknown %s event %q: see 'hookctl webhooks events'", info.Name, event)
		}
	}
	t, err := triggerTargetOf(f)
	if err != nil {
		return err
	}
	client, err := triggerClient(f, t)
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	body, _ := json.Marshal(delivery.TriggerRequest{Event: event, Count: count, Wait: wait})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(t.baseURL, "/")+delivery.ControlPath, bytes.NewReader(body))
	if err != nil {
		return clierr.Usagef("base_url %q: %v", t.baseURL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("cannot reach the emulator at %s (is 'hookctl emulator' running?): %v", t.baseURL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode == http.StatusNotFound {
		return clierr.Usagef("%s is not a hookctl emulator (it has no %s): trigger works only against an emulator profile", t.baseURL, delivery.ControlPath)
	}
	var answer delivery.TriggerAnswer
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &answer) != nil {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		if e.Error == "" {
			e.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		return fmt.Errorf("the emulator at %s refused the trigger: %s", t.baseURL, e.Error)
	}
	if len(answer.Deliveries) == 0 {
		fmt.Fprintf(f.IOStreams.ErrOut, "no subscribed, enabled %s webhook for %s: nothing was delivered\n", t.provider, event)
		return nil
	}
	return p.Print(f.IOStreams.Out, answer.Deliveries, triggerTable(answer.Deliveries))
}

func triggerTable(ds []delivery.Triggered) *output.Table {
	t := &output.Table{Header: []string{"provider", "id", "event", "webhook_id", "url", "status", "attempts", "status_code", "error"}, Shrink: []int{8, 4, 2}}
	for _, d := range ds {
		code, hook := "", ""
		if d.LastStatusCode != nil {
			code = fmt.Sprint(*d.LastStatusCode)
		}
		if d.WebhookID != nil {
			hook = *d.WebhookID
		}
		t.Rows = append(t.Rows, []string{d.Provider, d.ID, d.Event, hook, d.URL, d.Status, fmt.Sprint(d.Attempts), code, d.Error})
		t.Names = append(t.Names, d.ID)
	}
	return t
}

// triggerTargetOf finds the emulator: the selected profile's base_url or,
// when --provider chose no profile, the config's loopback profile of that provider.
func triggerTargetOf(f *cmdutil.Factory) (triggerTarget, error) {
	s, err := f.Config()
	if err != nil {
		return triggerTarget{}, err
	}
	t := triggerTarget{provider: s.Provider, baseURL: s.BaseURL,
		certFile: s.Path("cert_file"), keyFile: s.Path("key_file"), caFile: s.Path("ca_file")}
	if t.baseURL == "" && s.ProfileName == "" {
		if file, _, err := config.ReadFile(s.ConfigFile); err == nil && file != nil {
			for _, name := range s.ProfileNames() {
				prof := file.Profiles[name]
				if fmt.Sprint(prof["provider"]) != s.Provider || !loopbackURL(fmt.Sprint(prof["base_url"])) {
					continue
				}
				path := func(key string) string {
					v, ok := prof[key]
					if !ok {
						return ""
					}
					p := config.ExpandHome(fmt.Sprint(v))
					if !filepath.IsAbs(p) {
						p = filepath.Join(filepath.Dir(s.ConfigFile), p)
					}
					return p
				}
				t.baseURL, t.certFile, t.keyFile, t.caFile = fmt.Sprint(prof["base_url"]), path("cert_file"), path("key_file"), path("ca_file")
				break
			}
		}
	}
	if t.baseURL == "" {
		return t, clierr.Usagef("no emulator base_url: select an emulator profile (--profile %s-emulator; 'hookctl emulator --write-config' writes them)", s.Provider)
	}
	if !loopbackURL(t.baseURL) {
		return t, clierr.Usagef("base_url %s is not an emulator (not a loopback URL): trigger works only against 'hookctl emulator'", t.baseURL)
	}
	return t, nil
}

func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// triggerClient is a client for the emulator: Bankly's side wants the
// profile's client certificate (mutual TLS), as every Bankly call does.
func triggerClient(f *cmdutil.Factory, t triggerTarget) (*http.Client, error) {
	if !strings.HasPrefix(t.baseURL, "https://") {
		return f.HTTPClient(nil, nil), nil
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.certFile != "" && t.keyFile != "" {
		pair, err := tls.LoadX509KeyPair(t.certFile, t.keyFile)
		if err != nil {
			return nil, clierr.Usagef("cert_file/key_file: %v (the emulator's profile has an unencrypted key)", unwrapPath(err))
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	if t.caFile != "" {
		pem, err := os.ReadFile(t.caFile)
		if err != nil {
			return nil, clierr.Usagef("ca_file: %v", unwrapPath(err))
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return nil, clierr.Usagef("ca_file %s holds no PEM certificate", t.caFile)
		}
	}
	return f.HTTPClient(conf, nil), nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}
