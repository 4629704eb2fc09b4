package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/listen"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/hookctl/hookctl/internal/validate"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ListenOptions are the parsed flags of `hookctl listen`.
type ListenOptions struct {
	Factory    *cmdutil.Factory
	Port       int
	ForwardTo  string
	Verify     bool
	Save       string
	Respond    int
	Register   bool
	PublicURL  string
	Events     []string
	NoValidate bool
}

// shutdownGrace is how long deliveries in flight may take to finish at Ctrl-C.
const shutdownGrace = 3 * time.Second

// NewCmdListen is `hookctl listen`.
func NewCmdListen(f *cmdutil.Factory, runF func(*cobra.Command, *ListenOptions) error) *cobra.Command {
	o := &ListenOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive deliveries locally: print, verify, save and forward them",
		Long: `Run a local receiver on 127.0.0.1 that prints one line per delivery on stdout (JSON
lines with -o json: time, provider, event, id, signature valid|invalid|unchecked,
forward_status). The listening address is printed on stderr; --port 0 picks a free port.

Each delivery's provider is recognised by its signature headers (or is --provider's).
--verify checks each signature with the provider's verify inputs (as 'hookctl verify'
takes them). --save DIR writes each request as raw HTTP to DIR (files of mode 0600,
named so that they sort by arrival) for 'hookctl verify --request'. --forward-to URL
sends each delivery on, same method, headers and bytes, and the sender gets the
forward's status; --respond STATUS answers every delivery with STATUS instead (to
rehearse failures); otherwise the answer is 200.

--register --public-url URL --events a,b creates a temporary webhook of the selected
profile pointing at URL (a tunnel to this receiver) and deletes it on exit, also at
Ctrl-C; a failed clean-up is reported with the webhook's id (exit 1). Its inputs are
checked before the receiver starts: the events against the provider's catalog (unless
--no-validate), as many as the provider's webhooks take, and the provider's own rules;
--context sets the context of a webhook that has one (inferred when unambiguous).
Ctrl-C stops the receiver once the deliveries in flight are answered; exit 0.` + providerHelp(f, "verify"),
		Example: `  hookctl listen --port 0 --save ./deliveries --verify
  hookctl listen --forward-to http://localhost:3000/webhooks -o json
  hookctl listen --register --public-url https://abc.tunnel.example/ --events order.paid --verify`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd, o)
			}
			return listenRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.Port, "port", 8080, "port on 127.0.0.1 (0: any free port)")
	fl.StringVar(&o.ForwardTo, "forward-to", "", "URL each delivery is forwarded to")
	fl.BoolVar(&o.Verify, "verify", false, "check each delivery's signature")
	fl.StringVar(&o.Save, "save", "", "DIR to save each request to, as raw HTTP")
	fl.IntVar(&o.Respond, "respond", 0, "answer every delivery with this HTTP status")
	_ = cmd.RegisterFlagCompletionFunc("respond", fixed("200", "201", "202", "204", "400", "401", "403", "404", "409", "410", "429", "500", "502", "503", "504"))
	_ = cmd.RegisterFlagCompletionFunc("save", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	fl.BoolVar(&o.Register, "register", false, "create a temporary webhook pointing at --public-url, deleted on exit")
	fl.StringVar(&o.PublicURL, "public-url", "", "the public URL that reaches this receiver (with --register)")
	fl.StringSliceVar(&o.Events, "events", nil, "events of the temporary webhook, comma-separated or repeated")
	fl.BoolVar(&o.NoValidate, "no-validate", false, "skip the local checks of --public-url and --events")
	_ = cmd.RegisterFlagCompletionFunc("events", completeEvents(f))
	addProviderFlags(f, cmd, "listen")
	return cmd
}

// listenTarget is one provider the receiver verifies.
type listenTarget struct {
	info  provider.Info
	in    provider.Values
	keys  map[string]string
	given bool // the user gave one of its flags
}

func listenRun(cmd *cobra.Command, o *ListenOptions) error {
	f := o.Factory
	if err := checkListenFlags(o); err != nil {
		return err
	}
	s, err := f.Config()
	if err != nil {
		return err
	}
	jsonLines := false
	switch {
	case f.Flags().Lookup("jq").Value.String() != "" || f.Flags().Lookup("template").Value.String() != "":
		return clierr.Usagef("listen prints one line per delivery: use -o json for JSON lines (--jq and --template take one document)")
	case s.Output == "json":
		jsonLines = true
	case s.Output != "table" && s.Output != "wide":
		return clierr.Usagef("-o %s: listen prints lines, or JSON lines with -o json", s.Output)
	}
	fixed := explicitProvider(f, s)
	selected := s.Provider
	var targets []*listenTarget
	for _, info := range f.Registry() {
		if fixed != "" && info.Name != fixed {
			continue
		}
		in, keys := providerInputs(cmd, info)
		t := &listenTarget{info: info, in: in, keys: keys, given: len(in) > 0 || len(keys) > 0}
		targets = append(targets, t)
	}
	if fixed != "" {
		if len(targets) == 0 {
			return clierr.Usagef("unknown provider %q", fixed)
		}
		if err := checkProviderFlags(cmd, targets[0].info); err != nil {
			return err
		}
	}
	var reg *listenTarget
	if !o.Register {
		var err error
		cmd.Flags().Visit(func(fl *pflag.Flag) {
			if err == nil && registerFlag(fl) {
				err = clierr.Usagef("--%s is used with --register: an input of the temporary webhook", fl.Name)
			}
		})
		if err != nil {
			return err
		}
	}
	if o.Register {
		for _, t := range targets {
			if t.info.Name == selected {
				reg = t
			}
		}
		if reg == nil {
			if _, err := f.ProviderInfo(); err != nil {
				return err
			}
			return clierr.Usagef("--register creates the webhook at the selected profile's provider (%s), but --provider is %s", selected, fixed)
		}
		if err := checkRegisterFlags(cmd, reg.info); err != nil {
			return err
		}
		if reg.info.KeyPair != nil {
			// The temporary webhook gets fresh keys, which also verify its deliveries.
			priv, pub := reg.info.KeyPair.Generate()
			f.Redactor.Add(priv)
			reg.in.Set(reg.info.KeyPair.Private, priv)
			reg.in.Set(reg.info.KeyPair.Public, pub)
		}
	}
	ctx := cmd.Context()
	apiCtx, cancel, err := f.Context(ctx)
	if err != nil {
		return err
	}
	defer cancel()

	var checks map[string]provider.VerifyFunc
	skipped := map[string]string{}
	if o.Verify {
		checks = map[string]provider.VerifyFunc{}
		for _, t := range targets {
			if t.info.Verifier == nil {
				skipped[t.info.Name] = "verify is not supported by " + t.info.Name
				continue
			}
			mustWork := fixed != "" || t.given || t.info.Name == selected
			if err := readSecrets(apiCtx, f, cmd, t.info, "listen", &t.in); err != nil {
				return err
			}
			var noted sync.Once
			info := t.info
			vin := provider.VerifyInput{Input: t.in, Now: time.Now, Debugf: f.Debugf, Note: func(msg string) {
				noted.Do(func() {
					fmt.Fprintf(f.IOStreams.ErrOut, "note: %s deliveries: %s\n", info.Name, termsafe.Line(f.Redactor.String(spellFor(f, cmd, info, msg))))
				})
			}}
			if t.info.Name == selected {
				keys := t.keys
				vin.Provider = func() (provider.Provider, error) { return f.Provider(provider.Read, keys) }
			}
			if t == reg {
				vin.RegisteredURL = o.PublicURL
			}
			check, err := t.info.Verifier.Prepare(apiCtx, vin)
			switch {
			case err == nil:
				checks[t.info.Name] = check
			case mustWork:
				return err
			default:
				skipped[t.info.Name] = "not verified: " + spellFor(f, cmd, t.info, validationText(err))
			}
		}
	}

	var prov provider.Provider
	var req provider.CreateRequest
	if reg != nil {
		// The registration is checked before the port is bound: bad input starts nothing.
		ev := splitList(o.Events)
		req = provider.CreateRequest{Fields: provider.Fields{URL: &o.PublicURL, Events: &ev}, Input: reg.in, NoValidate: o.NoValidate}
		if err := checkRegisterEvents(reg.info, ev, o.NoValidate); err != nil {
			return err
		}
		if prov, err = f.Provider(provider.Read|provider.Write, reg.keys); err != nil {
			return err
		}
		if cc, ok := prov.(provider.WriteChecker); ok {
			if err := cc.CheckCreate(req); err != nil {
				return registrationError(f, cmd, reg.info, err)
			}
		}
	}
	out := f.IOStreams.Out
	report := func(rec listen.Record) {
		if jsonLines {
			b, _ := json.Marshal(rec)
			fmt.Fprintln(out, string(b))
			return
		}
		rec.Event, rec.ID = termsafe.Line(rec.Event), termsafe.Line(rec.ID)
		fmt.Fprintln(out, listen.Line(rec))
		if rec.Signature == listen.Invalid {
			fmt.Fprintf(f.IOStreams.ErrOut, "  invalid signature: %s\n", termsafe.Line(spellFor(f, cmd, infoOf(f, rec.Provider), rec.Reason)))
		}
		if rec.ForwardError != "" {
			fmt.Fprintf(f.IOStreams.ErrOut, "  forward to %s failed: %s\n", o.ForwardTo, termsafe.Line(rec.ForwardError))
		}
		if rec.SaveError != "" {
			fmt.Fprintf(f.IOStreams.ErrOut, "  saving failed: %s\n", termsafe.Line(rec.SaveError))
		}
	}
	r, err := listen.Start(listen.Options{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)), Providers: f.Registry(), Provider: fixed,
		Verify: checks, Skipped: skipped, ForwardTo: o.ForwardTo, Respond: o.Respond, SaveDir: config.ExpandHome(o.Save),
		Report: report,
	})
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return clierr.Usagef("--port %d is in use: pick another, or --port 0 for any free port", o.Port)
		}
		return clierr.Usagef("listen: %v", err)
	}
	errOut := f.IOStreams.ErrOut
	fmt.Fprintf(errOut, "listening on %s (Ctrl-C to stop)\n", r.URL())
	if o.ForwardTo != "" {
		fmt.Fprintf(errOut, "forwarding to %s\n", o.ForwardTo)
	}
	if o.Save != "" {
		fmt.Fprintf(errOut, "saving requests to %s\n", o.Save)
	}
	for _, t := range targets {
		if why, ok := skipped[t.info.Name]; ok {
			fmt.Fprintf(errOut, "warning: %s deliveries will be unchecked: %s\n", t.info.Name, strings.TrimPrefix(why, "not verified: "))
		}
	}
	var hook *provider.Webhook
	if reg != nil {
		hook, err = prov.Create(apiCtx, req)
		if err != nil {
			r.Shutdown(shutdownGrace)
			return registrationError(f, cmd, reg.info, err)
		}
		fmt.Fprintf(errOut, "registered temporary %s webhook %s for %s (deleted on exit)\n", reg.info.Name, hook.ID, hook.URL)
	}
	cancel() // the deadline was for the set-up; the receiver runs until stopped

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-r.Done():
	}
	r.Shutdown(shutdownGrace)
	if hook != nil {
		dctx, dcancel := context.WithTimeout(context.Background(), s.Timeout)
		err := prov.Delete(dctx, hook.ID)
		dcancel()
		if err != nil {
			return &clierr.ExitError{Code: clierr.ExitFailure, Final: true,
				Err: fmt.Errorf("the temporary webhook %s was not deleted (%v): delete it with `%s webhooks delete %s --yes`", hook.ID, err, cmd.Root().Name(), shellQuote(hook.ID))}
		}
		fmt.Fprintf(errOut, "deleted temporary webhook %s\n", hook.ID)
	}
	if serveErr != nil {
		return &clierr.ExitError{Code: clierr.ExitFailure, Final: true, Err: fmt.Errorf("the receiver stopped: %w", serveErr)}
	}
	fmt.Fprintln(errOut, "stopped")
	return nil
}

func checkListenFlags(o *ListenOptions) error {
	switch {
	case o.Port < 0 || o.Port > 65535:
		return clierr.Usagef("--port %d: give a port from 1 to 65535, or 0 for any free port", o.Port)
	case o.Respond != 0 && (o.Respond < 200 || o.Respond > 599):
		return clierr.Usagef("--respond %d: give an HTTP status from 200 to 599", o.Respond)
	case o.Register && o.PublicURL == "":
		return clierr.Usagef("--register needs --public-url URL: the public address (a tunnel) that reaches this receiver")
	case !o.Register && o.PublicURL != "":
		return clierr.Usagef("--public-url is used with --register")
	case !o.Register && len(o.Events) > 0:
		return clierr.Usagef("--events is used with --register: the events of the temporary webhook")
	case o.Register && len(splitNonEmpty(o.Events)) == 0:
		return clierr.Usagef("--register needs --events a,b: the events the temporary webhook subscribes to (see 'hookctl webhooks events')")
	}
	if o.ForwardTo != "" {
		if _, err := validate.URL("--forward-to", o.ForwardTo); err != nil {
			return clierr.Usagef("%v", err)
		}
	}
	if o.Register {
		if _, err := validate.URL("--public-url", o.PublicURL); err != nil {
			return clierr.Usagef("%v", err)
		}
	}
	return nil
}

// registerFlag reports whether a provider flag of listen is an input of the
// temporary webhook (a create input too), not of verifying.
func registerFlag(fl *pflag.Flag) bool {
	return fl.Annotations[providersAnnotation] != nil && fl.Annotations[registerAnnotation] != nil
}

// checkRegisterFlags refuses a registration input of another provider than
// the registering one, and registration inputs without --register.
func checkRegisterFlags(cmd *cobra.Command, info provider.Info) error {
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if err == nil && registerFlag(fl) && !takenBy(fl, info.Name) {
			err = clierr.Usagef("--%s is a %s input of the temporary webhook; --register creates it at %s, which takes no --%s", fl.Name, strings.Join(fl.Annotations[providersAnnotation], ", "), info.Name, fl.Name)
		}
	})
	return err
}

// checkRegisterEvents checks the temporary webhook's events against the
// provider's catalog (unless noValidate), before anything is started.
func checkRegisterEvents(info provider.Info, events []string, noValidate bool) error {
	for _, e := range events {
		if e == "" {
			return clierr.Usagef("--events contains an empty event name: remove the extra comma")
		}
	}
	if noValidate || info.Events == nil {
		return nil
	}
	var names []string
	known := map[string]bool{}
	for _, e := range info.Events() {
		if !known[e.Name] {
			names = append(names, e.Name)
		}
		known[e.Name] = true
	}
	for _, e := range events {
		if !known[e] {
			return clierr.Usagef("--events %s is not in %s's event catalog%s (see 'hookctl webhooks events --provider %s', or pass --no-validate)", e, info.Name, suggest.Hint(e, names), info.Name)
		}
	}
	return nil
}

// registrationError spells an adapter's refusal of the temporary webhook as
// listen's flags: the webhook's events are --events, its URL --public-url.
func registrationError(f *cmdutil.Factory, cmd *cobra.Command, info provider.Info, err error) error {
	var ve *provider.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	msg := strings.NewReplacer("{event}", "{events}", "{url}", "{public-url}").Replace(ve.Msg)
	return clierr.Usagef("%s", spellFor(f, cmd, info, msg))
}

// splitNonEmpty is splitList without the empty names.
func splitNonEmpty(values []string) []string {
	var out []string
	for _, v := range splitList(values) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// validationText is an error's message with its {name} references intact.
func validationText(err error) string {
	var ve *provider.ValidationError
	if errors.As(err, &ve) {
		return ve.Msg
	}
	return err.Error()
}

// spellFor renders the {name} references of info's message as the user
// spells them on cmd, info's secrets included (not only the selected
// provider's).
func spellFor(f *cmdutil.Factory, cmd *cobra.Command, info provider.Info, msg string) string {
	for _, sec := range info.Secrets {
		msg = strings.ReplaceAll(msg, "{"+sec.Name+"}", fmt.Sprintf("--%s%s, --%s%s or %s", sec.Name, secretFileSuffix, sec.Name, secretStdinSuffix, sec.Env))
	}
	return f.SpellInputs(cmd, msg)
}

func infoOf(f *cmdutil.Factory, name string) provider.Info {
	for _, info := range f.Registry() {
		if info.Name == name {
			return info
		}
	}
	return provider.Info{Name: name}
}
