package bankly

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/bankly/api"
	"github.com/hookctl/hookctl/internal/suggest"
	"github.com/hookctl/hookctl/internal/validate"
)

func configPath(id string) string { return "/webhooks/configurations/" + url.PathEscape(id) }

// Get implements provider.Provider.
func (c *Client) Get(ctx context.Context, id string) (*provider.Webhook, error) {
	raw, err := c.do(ctx, http.MethodGet, configPath(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(raw)
}

func checkURI(field, raw string) error {
	if _, err := validate.URL("{"+field+"}", raw); err != nil {
		return provider.Invalidf(field, "%v", err)
	}
	return nil
}

func (c *Client) warnHTTP(raw string) {
	if strings.HasPrefix(raw, "http://") {
		c.warnf("%s is plain http: Bankly will deliver events unencrypted; use https", raw)
	}
}

// resolveContext infers the context of an event from the catalog.
func resolveContext(event, ctxName string, noValidate bool) (string, error) {
	if event == "" {
		return "", provider.Invalidf("event", "{event} is required: the Bankly event name, e.g. PIX_CASH_IN_WAS_CLEARED (see `hookctl webhooks events --provider bankly`)")
	}
	if noValidate {
		if ctxName == "" {
			return "", provider.Invalidf("context", "{context} is required with {no-validate}: hookctl cannot infer it")
		}
		return ctxName, nil
	}
	known := ContextsOf(event)
	if ctxName == "" {
		switch len(known) {
		case 0:
			return "", provider.Invalidf("event", "{event} %q is not in Bankly's known catalog%s: check the spelling (case-sensitive), or give {context} and {no-validate}", event, suggest.Hint(event, eventNames()))
		case 1:
			if !inferable(event, known[0]) {
				return "", provider.Invalidf("context", "{event} %q: its context (%s) is known only from SDK comments, not Bankly's documentation: give {context} %s to confirm it", event, known[0], known[0])
			}
			return known[0], nil
		default:
			return "", provider.Invalidf("event", "{event} %q belongs to contexts %s: choose one with {context}", event, strings.Join(known, ", "))
		}
	}
	for _, k := range known {
		if k == ctxName {
			return ctxName, nil
		}
	}
	if !KnownContext(ctxName) {
		return "", provider.Invalidf("context", "{context} %q is not a Bankly context: see `hookctl webhooks events --provider bankly`, or pass {no-validate}", ctxName)
	}
	return "", provider.Invalidf("event", "{event} %q is not an event of context %s: see `hookctl webhooks events --provider bankly`, or pass {no-validate}", event, ctxName)
}

// Create implements provider.Provider.
func (c *Client) Create(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, error) {
	body, err := createBody(r)
	if err != nil {
		return nil, err
	}
	c.warnHTTP(body.URI)
	var written atomic.Bool
	sent := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { written.Store(true) }})
	raw, err := c.do(sent, http.MethodPost, "/webhooks/configurations", nil, body)
	unknown := func(err error) error {
		return &provider.OutcomeUnknownError{Provider: Name, Op: "POST /webhooks/configurations", Err: err}
	}
	var ae *provider.APIError
	switch {
	case errors.As(err, &ae) && ae.Status >= 500:
		return nil, unknown(err) // it may have been processed before the failure
	case err != nil && !errors.As(err, &ae) && written.Load():
		return nil, unknown(err) // the request left; its answer did not come
	case err != nil:
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, unknown(errors.New("Bankly answered the create with no body"))
	}
	w, err := decodeOne(raw)
	if err != nil {
		return nil, unknown(err)
	}
	if w.Status == "" {
		// New configurations start enabled; Bankly's create answer may omit status.
		w.Enabled = true
	}
	return w, nil
}

// createBody checks a create request and returns the body it sends.
func createBody(r provider.CreateRequest) (api.CreateRequest, error) {
	f, in := r.Fields, r.Input
	if f.URL == nil || *f.URL == "" {
		return api.CreateRequest{}, provider.Invalidf("url", "{url} is required: the URL Bankly delivers events to")
	}
	uri := *f.URL
	if err := checkURI("url", uri); err != nil {
		return api.CreateRequest{}, err
	}
	events := []string{}
	if f.Events != nil {
		events = *f.Events
	}
	if in.Has("event") {
		events = []string{in.String("event")}
	}
	if len(events) != 1 {
		return api.CreateRequest{}, provider.Invalidf("event", "a Bankly configuration has exactly one event: give {event} NAME (create one configuration per event)")
	}
	event := events[0]
	ctxName, err := resolveContext(event, pick(in, "context", f.Context), r.NoValidate)
	if err != nil {
		return api.CreateRequest{}, err
	}
	public, private := pick(in, inPublicKey, f.PublicKey), in.String(inPrivateKey)
	if err := checkPublicKey(public); err != nil {
		return api.CreateRequest{}, err
	}
	if err := checkPrivateKey(private); err != nil {
		return api.CreateRequest{}, err
	}
	name := pick(in, "name", f.Name)
	if name == "" {
		name = event
	}
	return api.CreateRequest{Name: name, Context: ctxName, EventName: event, URI: uri, PrivateKey: private, PublicKey: public}, nil
}

// CheckCreate implements provider.WriteChecker: Create's checks.
func (c *Client) CheckCreate(r provider.CreateRequest) error {
	_, err := createBody(r)
	return err
}

// CheckUpdate implements provider.WriteChecker: Update's checks of its
// input. Those that compare with the configuration read first (its event,
// name and context cannot change) are Update's alone.
func (c *Client) CheckUpdate(r provider.UpdateRequest) error {
	_, err := checkUpdate(r)
	return err
}

// updateInput is an update's input, checked.
type updateInput struct {
	uri, public, enabled *string
	on                   *bool
	private              string
	desiredOnly          bool
}

// checkUpdate checks an update's input before the configuration is read.
func checkUpdate(r provider.UpdateRequest) (updateInput, error) {
	d := r.Desired
	if d == nil {
		d = &provider.Fields{}
	}
	explicit := r.Set.URL != nil || r.Input.Has(inPublicKey)
	u := updateInput{uri: r.Set.URL, public: r.Input.StringPtr(inPublicKey), on: r.Set.Enabled}
	if u.uri == nil {
		u.uri = d.URL
	}
	if u.public == nil {
		u.public = d.PublicKey
	}
	if u.on == nil {
		u.on = d.Enabled
	}
	u.private = r.Input.String(inPrivateKey)
	u.desiredOnly = r.Desired != nil && !explicit
	if u.uri != nil {
		if err := checkURI("url", *u.uri); err != nil {
			return u, err
		}
	}
	if u.public != nil {
		if err := checkPublicKey(*u.public); err != nil {
			return u, err
		}
	}
	if (u.uri != nil || u.public != nil) && (!u.desiredOnly || u.private != "") {
		if err := checkPrivateKey(u.private); err != nil {
			return u, err
		}
	}
	return u, nil
}

// FindCreated implements provider.Finder: the configuration with the
// request's context, event and uri, looked up over every page.
func (c *Client) FindCreated(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, bool, error) {
	f, in := r.Fields, r.Input
	event := pick(in, "event", nil)
	if event == "" && f.Events != nil && len(*f.Events) == 1 {
		event = (*f.Events)[0]
	}
	uri := pick(in, "url", f.URL)
	ctxName := pick(in, "context", f.Context)
	if ctxName == "" {
		if known := ContextsOf(event); len(known) == 1 {
			ctxName = known[0]
		}
	}
	res, err := c.List(ctx, provider.ListOptions{All: true})
	if err != nil {
		return nil, false, err
	}
	for i := range res.Items {
		w := &res.Items[i]
		if rawURI(w) == uri && w.Context == ctxName && len(w.Events) == 1 && w.Events[0] == event {
			return w, true, nil
		}
	}
	return nil, false, nil
}

// pick is the declared input when given, else the normalized field.
func pick(in provider.Values, name string, field *string) string {
	if in.Has(name) {
		return in.String(name)
	}
	if field != nil {
		return *field
	}
	return ""
}

// Update implements provider.Provider: read the configuration, apply the
// changes, send the full body; enable/disable have their own endpoints.
// Fields of a desired object (--file) equal to the current values are no
// change, so a file repeating them needs no private key.
func (c *Client) Update(ctx context.Context, id string, r provider.UpdateRequest) (*provider.Webhook, error) {
	d := r.Desired
	if d == nil {
		d = &provider.Fields{}
	}
	in, err := checkUpdate(r)
	if err != nil {
		return nil, err
	}
	uri, public, enabled, private, desiredOnly := in.uri, in.public, in.on, in.private, in.desiredOnly
	cur, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Events != nil && !(len(*d.Events) == 1 && len(cur.Events) == 1 && (*d.Events)[0] == cur.Events[0]) {
		return nil, provider.Invalidf("events", "a Bankly configuration's event cannot be changed (it is %s): delete it and create a new one", strings.Join(cur.Events, ""))
	}
	if d.Name != nil && *d.Name != cur.Name {
		return nil, provider.Invalidf("name", "a Bankly configuration's name cannot be changed (it is %q): delete it and create a new one", cur.Name)
	}
	if d.Context != nil && *d.Context != cur.Context {
		return nil, provider.Invalidf("context", "a Bankly configuration's context cannot be changed (it is %q): delete it and create a new one", cur.Context)
	}
	// Bankly's PATCH replaces uri, publicKey and privateKey together.
	body := api.UpdateRequest{PrivateKey: private, PublicKey: cur.PublicKey, URI: rawURI(cur)}
	if uri != nil {
		body.URI = *uri
	}
	if public != nil {
		body.PublicKey = *public
	}
	patch := uri != nil || public != nil
	if desiredOnly && body.URI == rawURI(cur) && body.PublicKey == cur.PublicKey && private == "" {
		patch = false
	}
	out := cur
	if patch {
		if err := checkPrivateKey(private); err != nil {
			return nil, err
		}
		if err := checkPublicKey(body.PublicKey); err != nil {
			return nil, err
		}
		c.warnHTTP(body.URI)
		raw, err := c.do(ctx, http.MethodPatch, configPath(id), nil, body)
		if err != nil {
			return nil, err
		}
		out = merge(cur, raw)
	}
	// An explicit --enable/--disable is always sent: the state read may be
	// stale, or unknown (a configuration without status is not "disabled").
	if enabled != nil && (r.Set.Enabled != nil || cur.Status == "" || *enabled != cur.Enabled) {
		action, status := "disable", "Disabled"
		if *enabled {
			action, status = "enable", "Enabled"
		}
		raw, err := c.do(ctx, http.MethodPatch, configPath(id)+"/"+action, nil, nil)
		if err != nil {
			return nil, err
		}
		out = merge(out, raw)
		out.Status, out.Enabled = status, *enabled
	}
	return out, nil
}

// Delete implements provider.Provider.
func (c *Client) Delete(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, configPath(id), nil, nil)
	return err
}

var (
	_ provider.Provider = (*Client)(nil)
	_ provider.Tester   = (*Client)(nil)

	_ provider.WriteChecker = (*Client)(nil)
)
