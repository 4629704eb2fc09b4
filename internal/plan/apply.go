package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/provider"
)

// Executor applies a target's plan through the provider interface: each
// provider's own semantics (a PUT of the changed fields, a full-body PATCH,
// enable/disable endpoints) are its adapter's.
type Executor struct {
	Provider provider.Provider
	Info     provider.Info
	Resolve  Resolver
	// Generate, when set (--generate-keys-dir), makes the key pair of a
	// create the file gives no key for, and keeps the private key (a file)
	// before the create is sent.
	Generate func(c *Change) (private, public string, err error)
	// Done is told each write made.
	Done func(step string)
	// Lookup is told when an unknown outcome was looked up.
	Warnf func(format string, args ...any)

	secrets map[string]string
}

// Prepare resolves every reference the plan's changes need, before any
// write: one missing is a usage error naming the target, the webhook and
// the field.
func (e *Executor) Prepare(tp *TargetPlan) error {
	e.secrets = map[string]string{}
	for _, c := range tp.Changes {
		for _, need := range c.Needs {
			if field, missing := strings.CutSuffix(need, "?"); missing {
				wo := writeOnly(e.Info.Code, field)
				if e.Generate != nil && e.Info.KeyPair != nil && wo != nil && wo.Input == e.Info.KeyPair.Private && (c.Action == Create || c.Action == Replace) {
					continue
				}
				hint := "add `" + field + ": ${env:NAME}` to the webhook in the file"
				if e.Info.KeyPair != nil && wo != nil && wo.Input == e.Info.KeyPair.Private && (c.Action == Create || c.Action == Replace) {
					hint += ", or pass --generate-keys-dir DIR"
				}
				return clierr.Usagef("target %s: %s %s needs %s: %s", tp.Target, c.Action, c.Webhook, field, hint)
			}
			ref, err := ParseRef(need)
			if err != nil {
				return clierr.Usagef("target %s: %s %s: %v", tp.Target, c.Action, c.Webhook, err)
			}
			if e.Resolve == nil {
				return clierr.Usagef("target %s: %s %s needs %s", tp.Target, c.Action, c.Webhook, ref)
			}
			v, ok, err := e.Resolve(ref)
			if err != nil {
				return clierr.Usagef("target %s: %s %s: %s: %v", tp.Target, c.Action, c.Webhook, ref, err)
			}
			if !ok {
				what := "set the environment variable " + ref.Name
				if ref.Kind == "file" {
					what = "create the file " + ref.Name
				}
				return clierr.Usagef("target %s: %s %s needs %s, which is not set: %s", tp.Target, c.Action, c.Webhook, ref, what)
			}
			e.secrets[ref.String()] = v
		}
	}
	return e.check(tp)
}

// check passes every write of the plan through the provider's own checks
// (provider.WriteChecker) before any is made: a URL the provider refuses
// (user-info, say), a key it cannot take, stop the apply before its first
// write instead of half-way. A create whose key --generate-keys-dir makes
// is checked with a throwaway key pair (nothing is written for it).
func (e *Executor) check(tp *TargetPlan) error {
	checker, ok := e.Provider.(provider.WriteChecker)
	if !ok {
		return nil
	}
	for _, s := range Steps(tp) {
		var err error
		switch s.kind {
		case "create":
			req, _ := e.createRequest(s.c, func(*Change) (string, string, error) {
				private, public := e.Info.KeyPair.Generate()
				return private, public, nil
			})
			err = checker.CheckCreate(req)
		case "update":
			err = checker.CheckUpdate(e.updateRequest(s.c))
		}
		if err != nil {
			msg := err.Error()
			var ve *provider.ValidationError
			if errors.As(err, &ve) {
				msg = provider.RenderInputs(ve.Msg, e.spell)
			}
			return clierr.Usagef("target %s: %s %s: %s (in the file); nothing was changed", tp.Target, s.c.Action, s.c.Webhook, msg)
		}
	}
	return nil
}

// spell names an adapter's input as the file does: a write-only field by
// its field name, others with underscores.
func (e *Executor) spell(name string) string {
	for _, wo := range e.Info.Code.WriteOnly {
		if wo.Input == name {
			return wo.Field
		}
	}
	if name == "generate-keys" {
		return "--generate-keys-dir"
	}
	return strings.ReplaceAll(name, "-", "_")
}

type step struct {
	kind string // "delete", "update", "create"
	c    *Change
}

// Steps orders the writes: deletes, the deletes of replaces, updates, the
// creates of replaces, creates.
func Steps(tp *TargetPlan) []step {
	var out []step
	add := func(kind string, a Action) {
		for i := range tp.Changes {
			if tp.Changes[i].Action == a {
				out = append(out, step{kind, &tp.Changes[i]})
			}
		}
	}
	add("delete", Delete)
	add("delete", Replace)
	add("update", Update)
	add("create", Replace)
	add("create", Create)
	return out
}

// Run makes the writes in order and stops at the first failure; it returns
// how many were made. Prepare must have succeeded.
func (e *Executor) Run(ctx context.Context, tp *TargetPlan) (int, error) {
	done := 0
	for _, s := range Steps(tp) {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		var err error
		switch s.kind {
		case "delete":
			err = e.Provider.Delete(ctx, s.c.ID)
			var ae *provider.APIError
			if errors.As(err, &ae) && ae.Kind() == provider.KindNotFound {
				err = nil // gone already: what the plan wanted
			}
		case "update":
			err = e.update(ctx, s.c)
		case "create":
			err = e.create(ctx, s.c)
		}
		if err != nil {
			return done, fmt.Errorf("%s %s: %w", s.kind, s.c.Webhook, err)
		}
		done++
		if e.Done != nil {
			what := s.kind
			if s.c.Action == Replace {
				what = "replace (" + s.kind + ")"
			}
			e.Done(what + " " + s.c.Webhook)
		}
	}
	return done, nil
}

// resolved is a file webhook with its URL's user-info resolved and its
// write-only fields moved to the inputs.
func (e *Executor) resolved(w Webhook, only func(field string) bool) (provider.Fields, provider.Values) {
	code := e.Info.Code
	send := Webhook{}
	var in provider.Values
	for f, v := range w {
		if only != nil && !only(f) {
			continue
		}
		if wo := writeOnly(code, f); wo != nil {
			if s, ok := e.secrets[v.(string)]; ok {
				in.Set(wo.Input, s)
			}
			continue
		}
		if u, ok := v.(string); ok && f == "url" {
			if r, ok := urlRef(u); ok {
				bare, _ := splitURL(u)
				v = joinURL(bare, e.secrets[r.String()])
			}
		}
		send[f] = v
	}
	return Fields(send), in
}

// createRequest is what a create sends; generate makes the key pair of a
// create the file gives no key for (--generate-keys-dir).
func (e *Executor) createRequest(c *Change, generate func(c *Change) (private, public string, err error)) (provider.CreateRequest, error) {
	fields, in := e.resolved(c.Desired, nil)
	kp := e.Info.KeyPair
	if kp != nil && e.Generate != nil && !in.Has(kp.Private) {
		for _, wo := range e.Info.Code.WriteOnly {
			if wo.Input == kp.Private && wo.Create {
				private, public, err := generate(c)
				if err != nil {
					return provider.CreateRequest{}, err
				}
				in.Set(kp.Private, private)
				if fields.PublicKey == nil {
					in.Set(kp.Public, public)
				}
			}
		}
	}
	return provider.CreateRequest{Fields: fields, Input: in}, nil
}

func (e *Executor) create(ctx context.Context, c *Change) error {
	req, err := e.createRequest(c, e.Generate)
	if err != nil {
		return err
	}
	w, err := e.Provider.Create(ctx, req)
	var unknown *provider.OutcomeUnknownError
	if err == nil {
		return e.settle(ctx, c, w)
	}
	if !errors.As(err, &unknown) {
		return err
	}
	// The create may have been made: look it up before anything repeats it.
	finder, _ := e.Provider.(provider.Finder)
	if finder == nil || ctx.Err() != nil {
		return &clierr.ExitError{Code: clierr.ExitUnknown, Err: fmt.Errorf("%v: run the same apply again, it finds the webhook if it was created", err)}
	}
	w, found, ferr := finder.FindCreated(ctx, req)
	switch {
	case ferr == nil && found:
		if e.Warnf != nil {
			e.Warnf("%v; hookctl looked it up: the webhook exists, so it was created", err)
		}
		return e.settle(ctx, c, w)
	case ferr == nil:
		return &clierr.ExitError{Code: clierr.ExitFailure, Err: fmt.Errorf("%v; hookctl looked it up: no such webhook exists, so it was not created; run the apply again", err)}
	}
	return &clierr.ExitError{Code: clierr.ExitUnknown, Err: fmt.Errorf("%v; looking it up failed too (%v): run the same apply again, it finds the webhook if it was created", err, ferr)}
}

// settle updates a created webhook whose fields a create does not set (a
// provider creating webhooks enabled, say) to the file's.
func (e *Executor) settle(ctx context.Context, c *Change, w *provider.Webhook) error {
	if w == nil {
		return nil
	}
	fix := compare(e.Info.Code, c.Desired, FromRemote(e.Info.Code, *w), Options{Resolve: e.resolve})
	if fix.Action != Update {
		return nil
	}
	fix.ID = w.ID
	return e.update(ctx, &fix)
}

func (e *Executor) resolve(r Ref) (string, bool, error) {
	v, ok := e.secrets[r.String()]
	return v, ok, nil
}

func (e *Executor) update(ctx context.Context, c *Change) error {
	_, err := e.Provider.Update(ctx, c.ID, e.updateRequest(c))
	return err
}

// updateRequest is what an update sends: the changed fields, and the
// write-only ones they need.
func (e *Executor) updateRequest(c *Change) provider.UpdateRequest {
	code := e.Info.Code
	send := map[string]bool{}
	rotate := false
	for _, fc := range c.Fields {
		if fc.Info {
			continue
		}
		send[fc.Field] = true
		if fc.WriteOnly {
			rotate = true
		}
	}
	for _, wo := range code.WriteOnly {
		needed := send[wo.Field]
		for _, f := range wo.With {
			if send[f] {
				needed = true
			}
		}
		if needed {
			send[wo.Field] = true
		}
		if rotate && send[wo.Field] && len(wo.With) > 0 {
			// The provider takes the secret only with these fields.
			if _, ok := c.Desired[wo.With[0]]; ok {
				send[wo.With[0]] = true
			}
		}
	}
	fields, in := e.resolved(c.Desired, func(f string) bool { return send[f] })
	return provider.UpdateRequest{Desired: &fields, Input: in}
}
