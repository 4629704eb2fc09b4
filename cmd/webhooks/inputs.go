package webhooks

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Annotations on provider flags: which providers take the flag, and which
// declared input or profile key it sets.
const (
	providersAnnotation = "hookctl_providers"
	inputAnnotation     = "hookctl_input"
	keyAnnotation       = cmdutil.KeyAnnotation
	secretAnnotation    = "hookctl_secret"
	pagingAnnotation    = "hookctl_paging"
	groupAnnotation     = "hookctl_group"
	// registerAnnotation marks a listen flag that is an input of the
	// temporary webhook (listen --register): one the provider's create takes.
	registerAnnotation = "hookctl_register"
)

// Suffixes of the flags a secret input gets.
const (
	secretFileSuffix  = "-file"
	secretStdinSuffix = "-stdin"
	generateKeysFlag  = "generate-keys"
	keyOutFlag        = "private-key-out"
)

// addProviderFlags registers, on cmd, the flags every registered provider
// declares for verb, marked with the providers that take them.
func addProviderFlags(f *cmdutil.Factory, cmd *cobra.Command, verb string) {
	fs := cmd.Flags()
	if verb == provider.GroupVerb {
		fs = cmd.PersistentFlags()
	}
	owners := map[string][]string{}
	var order []string
	own := func(fl *pflag.Flag, prov string) {
		if _, ok := owners[fl.Name]; !ok {
			order = append(order, fl.Name)
		}
		owners[fl.Name] = append(owners[fl.Name], prov)
	}
	for _, info := range f.Registry() {
		for _, d := range info.Flags {
			if (verb == provider.GroupVerb) != (len(d.Verbs) == 1 && d.Verbs[0] == provider.GroupVerb) || !d.Takes(verb) {
				continue
			}
			fl := fs.Lookup(d.Name)
			if fl == nil {
				fl = defineFlag(fs, d)
				annotate(fl, inputAnnotation, d.Name)
				if d.Key != "" {
					annotate(fl, keyAnnotation, d.Key)
				}
				if d.Paging {
					annotate(fl, pagingAnnotation, "true")
				}
				if verb == provider.GroupVerb {
					annotate(fl, groupAnnotation, "true")
				}
				if verb == "listen" && d.Takes("create") {
					annotate(fl, registerAnnotation, "true")
				}
				registerCompletion(f, cmd, d)
			}
			own(fl, info.Name)
		}
		for _, sec := range info.Secrets {
			if verb == provider.GroupVerb || !sec.Takes(verb) {
				continue
			}
			file := fs.Lookup(sec.Name + secretFileSuffix)
			if file == nil {
				fs.String(sec.Name+secretFileSuffix, "", fmt.Sprintf("file holding %s (or env %s)", sec.Usage, sec.Env))
				fs.Bool(sec.Name+secretStdinSuffix, false, fmt.Sprintf("read %s from stdin", sec.Usage))
				file = fs.Lookup(sec.Name + secretFileSuffix)
				annotate(file, secretAnnotation, sec.Name)
				annotate(fs.Lookup(sec.Name+secretStdinSuffix), secretAnnotation, sec.Name)
			}
			own(file, info.Name)
			own(fs.Lookup(sec.Name+secretStdinSuffix), info.Name)
		}
		if info.KeyPair != nil && verb == "create" {
			if fs.Lookup(generateKeysFlag) == nil {
				fs.Bool(generateKeysFlag, false, "make a fresh random key pair (needs --"+keyOutFlag+")")
				fs.String(keyOutFlag, "", "file to write the generated private key to (mode 0600)")
			}
			own(fs.Lookup(generateKeysFlag), info.Name)
			own(fs.Lookup(keyOutFlag), info.Name)
		}
	}
	for _, name := range order {
		fl := fs.Lookup(name)
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[providersAnnotation] = owners[name]
		fl.Usage += " [" + strings.Join(owners[name], ",") + "]"
	}
}

// providerHelp is, for help, how each provider does verb and the flags it
// takes for it.
func providerHelp(f *cmdutil.Factory, verb string) string {
	var b strings.Builder
	for _, info := range f.Registry() {
		if h := info.Help[verb]; h != "" {
			fmt.Fprintf(&b, "\n\n%s: %s", info.Title, h)
		}
	}
	return b.String() + providerFlagsHelp(f, verb)
}

// providerExamples are the providers' examples of verb, after the common ones.
func providerExamples(f *cmdutil.Factory, verb, common string) string {
	out := common
	for _, info := range f.Registry() {
		if e := info.Examples[verb]; e != "" {
			if out != "" {
				out += "\n"
			}
			out += "  " + e + "   # " + info.Name
		}
	}
	return out
}

// providerFlagsHelp lists, for help, the flags each provider takes for verb.
func providerFlagsHelp(f *cmdutil.Factory, verb string) string {
	var b strings.Builder
	for _, info := range f.Registry() {
		var names []string
		for _, d := range info.Flags {
			if d.Takes(verb) && !(len(d.Verbs) == 1 && d.Verbs[0] == provider.GroupVerb) {
				names = append(names, "--"+d.Name)
			}
		}
		for _, sec := range info.Secrets {
			if sec.Takes(verb) {
				names = append(names, "--"+sec.Name+secretFileSuffix, "--"+sec.Name+secretStdinSuffix, sec.Env)
			}
		}
		if info.KeyPair != nil && verb == "create" {
			names = append(names, "--"+generateKeysFlag+" --"+keyOutFlag+" FILE")
		}
		if len(names) > 0 {
			fmt.Fprintf(&b, "\n  %s: %s", info.Name, strings.Join(names, ", "))
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "\n\nProvider flags (each refused for the other providers):" + b.String()
}

func defineFlag(fs *pflag.FlagSet, d provider.Flag) *pflag.Flag {
	switch d.Kind {
	case provider.BoolFlag:
		fs.Bool(d.Name, false, d.Usage)
	case provider.IntFlag:
		fs.Int(d.Name, 0, d.Usage)
	case provider.ListFlag:
		fs.StringArray(d.Name, nil, d.Usage)
	default:
		fs.String(d.Name, "", d.Usage)
	}
	return fs.Lookup(d.Name)
}

func annotate(fl *pflag.Flag, key, value string) {
	if fl.Annotations == nil {
		fl.Annotations = map[string][]string{}
	}
	fl.Annotations[key] = []string{value}
}

func registerCompletion(f *cmdutil.Factory, cmd *cobra.Command, d provider.Flag) {
	switch {
	case d.Complete == "events":
		_ = cmd.RegisterFlagCompletionFunc(d.Name, completeEvents(f))
	case d.Complete == "contexts":
		_ = cmd.RegisterFlagCompletionFunc(d.Name, completeContexts(f))
	case d.Complete == "webhooks":
		_ = cmd.RegisterFlagCompletionFunc(d.Name, completeIDs(f))
	case d.Complete == "keys":
		_ = cmd.RegisterFlagCompletionFunc(d.Name, completeKeyFlag(f))
	case len(d.Values) > 0:
		_ = cmd.RegisterFlagCompletionFunc(d.Name, fixed(d.Values...))
	}
}

func takenBy(fl *pflag.Flag, prov string) bool {
	for _, p := range fl.Annotations[providersAnnotation] {
		if p == prov {
			return true
		}
	}
	return false
}

// checkProviderFlags refuses a provider flag the selected provider lacks.
func checkProviderFlags(cmd *cobra.Command, info provider.Info) error {
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if err != nil || fl.Annotations[providersAnnotation] == nil || takenBy(fl, info.Name) {
			return
		}
		if fl.Annotations[groupAnnotation] != nil {
			err = clierr.Usagef("--%s is a %s flag; the selected provider is %s", fl.Name, strings.Join(fl.Annotations[providersAnnotation], ", "), info.Name)
			return
		}
		var takes []string
		cmd.Flags().VisitAll(func(o *pflag.Flag) {
			if takenBy(o, info.Name) && o.Annotations[groupAnnotation] == nil {
				takes = append(takes, "--"+o.Name)
			}
		})
		sort.Strings(takes)
		what := "no provider flags"
		if len(takes) > 0 {
			what = strings.Join(takes, ", ")
		}
		err = clierr.Usagef("--%s is not a %s flag: for %s, %s takes %s", fl.Name, info.Name, info.Name, cmd.CommandPath(), what)
	})
	return err
}

// providerInputs collects the values of the selected provider's flags, and
// the profile keys its flags override.
func providerInputs(cmd *cobra.Command, info provider.Info) (provider.Values, map[string]string) {
	var in provider.Values
	var keys map[string]string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if !takenBy(fl, info.Name) || fl.Annotations[inputAnnotation] == nil {
			return
		}
		if k := fl.Annotations[keyAnnotation]; k != nil {
			if keys == nil {
				keys = map[string]string{}
			}
			keys[k[0]] = fl.Value.String()
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			in.Set(fl.Name, splitList(sv.GetSlice())...)
			return
		}
		in.Set(fl.Name, fl.Value.String())
	})
	return in, keys
}

// newProvider checks the provider flags of cmd and builds the selected
// provider with the access the command needs; it returns the inputs the
// user gave for it.
func newProvider(f *cmdutil.Factory, cmd *cobra.Command, access provider.Access) (provider.Provider, provider.Values, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, nil, err
	}
	if err := checkProviderFlags(cmd, info); err != nil {
		return nil, nil, err
	}
	in, keys := providerInputs(cmd, info)
	p, err := f.Provider(access, keys)
	return p, in, err
}

// splitList splits repeatable, comma-separated values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(e))
		}
	}
	return out
}

// readSecrets reads the selected provider's secret inputs for verb from
// NAME-file, NAME-stdin or the environment, registering each with the
// redactor, into in.
func readSecrets(ctx context.Context, f *cmdutil.Factory, cmd *cobra.Command, info provider.Info, verb string, in *provider.Values) error {
	for _, sec := range info.Secrets {
		if !sec.Takes(verb) || in.Has(sec.Name) {
			continue
		}
		v, err := readSecret(ctx, f, cmd, sec)
		if err != nil {
			return err
		}
		if v != "" {
			f.Redactor.Add(v)
			in.Set(sec.Name, v)
		}
	}
	return nil
}

func readSecret(ctx context.Context, f *cmdutil.Factory, cmd *cobra.Command, sec provider.SecretInput) (string, error) {
	fileFlag, stdinFlag := sec.Name+secretFileSuffix, sec.Name+secretStdinSuffix
	file, _ := cmd.Flags().GetString(fileFlag)
	stdin, _ := cmd.Flags().GetBool(stdinFlag)
	switch {
	case file != "" && stdin:
		return "", clierr.Usagef("--%s and --%s both given: use one", fileFlag, stdinFlag)
	case file != "":
		return config.ReadSecretFile("--"+fileFlag, config.ExpandHome(file))
	case stdin:
		return readSecretStdin(ctx, f, "--"+stdinFlag, sec.Usage)
	}
	return strings.TrimSpace(os.Getenv(sec.Env)), nil
}

// readSecretStdin reads one line; on a terminal it prompts and does not echo.
func readSecretStdin(ctx context.Context, f *cmdutil.Factory, flag, what string) (string, error) {
	var line string
	if fd, ok := f.IOStreams.StdinFd(); ok && f.IOStreams.IsStdinTTY() {
		fmt.Fprintf(f.IOStreams.ErrOut, "Paste %s and press Enter: ", what)
		saved, _ := term.GetState(fd)
		b, err := await(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
		fmt.Fprintln(f.IOStreams.ErrOut)
		if ctx.Err() != nil {
			if saved != nil {
				// The read is left behind with echo off: turn it back on.
				_ = term.Restore(fd, saved)
			}
			return "", ctx.Err()
		}
		if err != nil {
			return "", clierr.Usagef("%s: %v", flag, err)
		}
		line = string(b)
	} else {
		s, err := readLineCtx(ctx, f.IOStreams.In, 64<<10)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if err != nil {
			return "", clierr.Usagef("%s: %v", flag, err)
		}
		line = s
	}
	key := strings.TrimSpace(line)
	if key == "" {
		return "", clierr.Usagef("%s: stdin was empty: pipe %s in", flag, what)
	}
	return key, nil
}

// writeSetup is what create and update begin with: the selected provider,
// its flags checked, the inputs given, and the run's deadline.
type writeSetup struct {
	info   provider.Info
	in     provider.Values
	keys   map[string]string
	ctx    context.Context
	cancel context.CancelFunc
}

func setupWrite(f *cmdutil.Factory, cmd *cobra.Command) (*writeSetup, error) {
	info, err := f.ProviderInfo()
	if err != nil {
		return nil, err
	}
	ctx, cancel, err := f.Context(cmd.Context())
	if err != nil {
		return nil, err
	}
	if err := checkProviderFlags(cmd, info); err != nil {
		cancel()
		return nil, err
	}
	in, keys := providerInputs(cmd, info)
	return &writeSetup{info: info, in: in, keys: keys, ctx: ctx, cancel: cancel}, nil
}
