package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/output"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/rawhttp"
	"github.com/hookctl/hookctl/internal/termsafe"
	"github.com/spf13/cobra"
)

// VerifyOptions are the parsed flags of `hookctl verify`.
type VerifyOptions struct {
	Factory *cmdutil.Factory
	Request string
	Body    string
	Headers []string
}

// VerifyResult is what verify prints.
type VerifyResult struct {
	Provider string `json:"provider"`
	Valid    bool   `json:"valid"`
	Reason   string `json:"reason"`
	Event    string `json:"event"`
	ID       string `json:"id"`
}

// NewCmdVerify is `hookctl verify`.
func NewCmdVerify(f *cmdutil.Factory, runF func(*cobra.Command, *VerifyOptions) error) *cobra.Command {
	o := &VerifyOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "verify (--request FILE | --body FILE --header 'K: V'...)",
		Short: "Check the signature of a received delivery",
		Long: `Check the signature of a delivery a receiver got: --request FILE holds it as raw
HTTP/1.1 (request line, headers, blank line, body: what 'hookctl listen --save' writes),
or --body FILE holds its body and each --header 'Name: value' one of its headers. The body
is checked byte for byte, never re-encoded; - reads stdin.

The provider is the one whose signature headers the delivery carries (as listen
recognises it), unless --provider names it; the profile's provider is used only when
the headers name none. The flags and secrets taken are that provider's.

Exit 0: the signature is valid; 1: it is not, and stderr says which part differs;
2: bad input.` + providerHelp(f, "verify"),
		Example: providerExamples(f, "verify", "  hookctl verify --request saved/20260102T150405.000000000Z-000001.http -o json"),
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd, o)
			}
			return verifyRun(cmd, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Request, "request", "", "FILE holding the raw HTTP request (as listen --save writes it), - for stdin")
	fl.StringVar(&o.Body, "body", "", "FILE holding the request's body, - for stdin")
	fl.StringArrayVarP(&o.Headers, "header", "H", nil, "a request header, 'Name: value' (repeatable)")
	addProviderFlags(f, cmd, "verify")
	return cmd
}

func verifyRun(cmd *cobra.Command, o *VerifyOptions) error {
	f := o.Factory
	switch {
	case o.Request != "" && o.Body != "":
		return clierr.Usagef("--request and --body both given: give the raw request, or its body and --header")
	case o.Request == "" && o.Body == "":
		return clierr.Usagef("give --request FILE (raw HTTP, as listen --save writes it) or --body FILE with --header 'Name: value'")
	case o.Request != "" && len(o.Headers) > 0:
		return clierr.Usagef("--header goes with --body: --request FILE holds the headers already")
	}
	p, err := f.Printer(false)
	if err != nil {
		return err
	}
	s, err := f.Config()
	if err != nil {
		return err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return err
	}
	defer cancel()
	fixed := explicitProvider(f, s)
	var info provider.Info
	if fixed != "" {
		// --provider (or HOOKCTL_PROVIDER) decides: its flags are checked before reading.
		if info, err = f.ProviderInfo(); err != nil {
			return err
		}
		if err := checkVerifyFlags(cmd, info, ""); err != nil {
			return err
		}
	}
	if o.Request == "-" || o.Body == "-" {
		for _, si := range f.Registry() {
			if err := refuseStdinSecret(cmd, si, "verify"); err != nil {
				return err
			}
		}
	}
	d, err := readDelivery(ctx, f, o)
	if err != nil {
		return err
	}
	if fixed == "" {
		var how string
		if info, how, err = verifyProvider(f, s, d); err != nil {
			return err
		}
		if err := checkVerifyFlags(cmd, info, how); err != nil {
			return err
		}
	}
	in, keys := providerInputs(cmd, info)
	if err := readSecrets(ctx, f, cmd, info, "verify", &in); err != nil {
		return err
	}
	var note string
	vin := provider.VerifyInput{Input: in, Now: time.Now, Debugf: f.Debugf, Note: func(msg string) { note = msg }}
	if info.Name == s.Provider {
		// The account's keys can be fetched only with the profile of that provider.
		vin.Provider = func() (provider.Provider, error) { return f.Provider(provider.Read, keys) }
	}
	check, err := info.Verifier.Prepare(ctx, vin)
	if err != nil {
		var ve *provider.ValidationError
		if errors.As(err, &ve) && info.Name != s.Provider {
			return clierr.Usagef("%s", spellFor(f, cmd, info, ve.Msg))
		}
		return err
	}
	r := VerifyResult{Provider: info.Name, Valid: true}
	r.Event, r.ID = info.Verifier.Describe(d)
	if err := check(d); err != nil {
		var se *provider.SignatureError
		if !errors.As(err, &se) {
			return err
		}
		r.Valid, r.Reason = false, spellFor(f, cmd, info, se.Reason)
	} else if note != "" {
		r.Reason = spellFor(f, cmd, info, note)
		fmt.Fprintf(f.IOStreams.ErrOut, "note: %s\n", termsafe.Line(f.Redactor.String(r.Reason)))
	}
	if err := p.Print(f.IOStreams.Out, r, verifyTable(r)); err != nil {
		return err
	}
	if !r.Valid {
		return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("invalid signature: %s", r.Reason)}
	}
	return nil
}

func verifyTable(r VerifyResult) *output.Table {
	word := "valid"
	if !r.Valid {
		word = "invalid"
	}
	t := &output.Table{Header: []string{"provider", "signature", "event", "id"}, Colors: map[int]func(string) string{1: func(c string) string {
		if c == "valid" {
			return output.Green
		}
		return output.Red
	}}}
	t.Rows = [][]string{{r.Provider, word, r.Event, r.ID}}
	if r.ID != "" {
		t.Names = []string{r.ID}
	}
	return t
}

// explicitProvider is the provider the user named with --provider or
// HOOKCTL_PROVIDER ("" when the profile, or nothing, chose it).
func explicitProvider(f *cmdutil.Factory, s *config.Settings) string {
	if fl := f.Flags().Lookup("provider"); (fl != nil && fl.Changed) || os.Getenv("HOOKCTL_PROVIDER") != "" {
		return s.Provider
	}
	return ""
}

// verifyProvider is the provider of a received delivery when none was named:
// the one whose signature headers it carries, else the profile's; how says
// which (for a hint when a flag does not fit it).
func verifyProvider(f *cmdutil.Factory, s *config.Settings, d *provider.Received) (info provider.Info, how string, err error) {
	found := provider.DetectAll(f.Registry(), d.Header)
	if len(found) == 1 {
		return found[0], fmt.Sprintf("the request carries %s's signature headers; --provider overrides", found[0].Name), nil
	}
	if s.Provider != "" {
		info, err := f.ProviderInfo()
		return info, fmt.Sprintf("%s is the profile's provider: no provider's signature headers were recognised in the request", s.Provider), err
	}
	names := f.ProviderNames()
	if len(found) > 1 {
		names = names[:0]
		for _, i := range found {
			names = append(names, i.Name)
		}
		return provider.Info{}, "", clierr.Usagef("the request's headers fit %s: pass --provider %s", strings.Join(names, " and "), strings.Join(names, "|"))
	}
	return provider.Info{}, "", clierr.Usagef("no provider's signature headers in the request, and no provider selected: pass --provider %s", strings.Join(names, "|"))
}

// checkVerifyFlags refuses a provider flag the delivery's provider lacks,
// saying how that provider was chosen.
func checkVerifyFlags(cmd *cobra.Command, info provider.Info, how string) error {
	if info.Verifier == nil {
		return notSupported("verify", provider.Info{Name: info.Name})
	}
	err := checkProviderFlags(cmd, info)
	if err != nil && how != "" {
		return clierr.Usagef("%v (%s)", err, how)
	}
	return err
}

// refuseStdinSecret refuses a secret read from stdin when stdin carries the request.
func refuseStdinSecret(cmd *cobra.Command, info provider.Info, verb string) error {
	for _, sec := range info.Secrets {
		if on, _ := cmd.Flags().GetBool(sec.Name + secretStdinSuffix); on && sec.Takes(verb) {
			return clierr.Usagef("--%s%s and a request on stdin (-): give one of them as a file", sec.Name, secretStdinSuffix)
		}
	}
	return nil
}

// readDelivery reads --request, or --body and --header, exactly.
func readDelivery(ctx context.Context, f *cmdutil.Factory, o *VerifyOptions) (*provider.Received, error) {
	if o.Request != "" {
		data, err := readInputFile(ctx, f, "--request", o.Request)
		if err != nil {
			return nil, err
		}
		req, body, err := rawhttp.ReadRequest(bytes.NewReader(data))
		if err != nil {
			return nil, clierr.Usagef("--request %s: %v", o.Request, err)
		}
		return &provider.Received{Method: req.Method, RequestURI: req.RequestURI, Host: req.Host, Header: req.Header, Body: body}, nil
	}
	h := http.Header{}
	for _, line := range o.Headers {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || !validHeaderName(name) {
			return nil, clierr.Usagef("--header %q: give 'Name: value'", truncate(line, 60))
		}
		value = strings.TrimSpace(value)
		if strings.IndexFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) >= 0 {
			return nil, clierr.Usagef("--header %s: the value holds control characters", name)
		}
		h.Add(name, value)
	}
	body, err := readInputFile(ctx, f, "--body", o.Body)
	if err != nil {
		return nil, err
	}
	return &provider.Received{Method: http.MethodPost, RequestURI: "/", Header: h, Body: body}, nil
}

// readInputFile reads a file, or stdin for "-", of at most rawhttp.MaxBody
// (and a little for the headers).
func readInputFile(ctx context.Context, f *cmdutil.Factory, flag, path string) ([]byte, error) {
	limit := int64(rawhttp.MaxBody + 1<<20)
	var data []byte
	var err error
	if path == "-" {
		data, err = readAllCtx(ctx, f.IOStreams.In, limit)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	} else {
		var fh *os.File
		fh, err = os.Open(config.ExpandHome(path))
		if err == nil {
			defer fh.Close()
			if st, serr := fh.Stat(); serr == nil && st.IsDir() {
				return nil, clierr.Usagef("%s %s is a directory: give a file", flag, path)
			}
			data, err = readAllCtx(ctx, fh, limit)
		}
	}
	if err != nil {
		return nil, clierr.Usagef("%s %s: %v", flag, path, config.PathCause(err))
	}
	if int64(len(data)) > limit {
		return nil, clierr.Usagef("%s %s is over %d bytes", flag, path, rawhttp.MaxBody)
	}
	return data, nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
