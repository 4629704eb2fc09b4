package conekta_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta"
)

// TestWebhookKeys runs list, create, get and delete against the emulator
// behind the spec (requests and answers validated), checking each request.
func TestWebhookKeys(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	km := newClient(t, srv.URL, nil).(provider.KeyManager)
	ctx := context.Background()

	keys, err := km.ListKeys(ctx, provider.KeyListOptions{})
	if err != nil || len(keys) != 1 || !keys[0].Active || keys[0].Provider != "conekta" || keys[0].CreatedAt == nil || keys[0].DeactivatedAt != nil {
		t.Fatalf("list: %v %+v (the emulated account starts with one active key)", err, keys)
	}
	first := keys[0]
	created, err := km.CreateKey(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if created.Active || !strings.HasPrefix(created.PublicKey, "-----BEGIN PUBLIC KEY-----\n") || created.ID == "" || len(created.Raw) == 0 {
		t.Fatalf("create: %+v", created)
	}
	if _, err := conekta.ParsePublicKey([]byte(created.PublicKey)); err != nil {
		t.Fatalf("the created key's public_key is no PEM key: %v", err)
	}
	got, err := km.GetKey(ctx, created.ID)
	if err != nil || got.ID != created.ID || got.Active || got.DeactivatedAt == nil || got.PublicKey != created.PublicKey {
		t.Fatalf("get: %v %+v", err, got)
	}
	if err := km.DeleteKey(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = km.GetKey(ctx, created.ID)
	var ae *provider.APIError
	if !errors.As(err, &ae) || clierr.ExitCode(err) != clierr.ExitNotFound {
		t.Fatalf("get after delete: %v, want 404 (exit 4)", err)
	}
	if err := km.DeleteKey(ctx, "645a59da22e7da0001cad283"); clierr.ExitCode(err) != clierr.ExitNotFound {
		t.Fatalf("delete of an unknown key: %v, want exit 4", err)
	}
	keys, err = km.ListKeys(ctx, provider.KeyListOptions{All: true})
	if err != nil || len(keys) != 1 || keys[0].ID != first.ID {
		t.Fatalf("list after delete: %v %+v", err, keys)
	}

	want := []struct{ method, path, query, body string }{
		{"GET", "/webhook_keys", "limit=20", ""},
		{"POST", "/webhook_keys", "", `{"active":false}`},
		{"GET", "/webhook_keys/" + created.ID, "", ""},
		{"DELETE", "/webhook_keys/" + created.ID, "", ""},
		{"GET", "/webhook_keys/" + created.ID, "", ""},
		{"DELETE", "/webhook_keys/645a59da22e7da0001cad283", "", ""},
		{"GET", "/webhook_keys", "limit=250", ""},
	}
	reqs := seen()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d: %+v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path || r.Query != w.query || r.Body != w.body {
			t.Fatalf("request %d: %s %s?%s %q, want %s %s?%s %q", i, r.Method, r.Path, r.Query, r.Body, w.method, w.path, w.query, w.body)
		}
		if r.Header.Get("Authorization") != "Bearer "+testKey || r.Header.Get("Accept") != "application/vnd.conekta-v2.3.0+json" {
			t.Fatalf("request %d headers %v", i, r.Header)
		}
	}
}

// TestWebhookKeysPaging: --all follows the cursor pages; --limit stops early.
func TestWebhookKeysPaging(t *testing.T) {
	srv, _, seen := fakePaged(t, conektaemu.Options{}, 2)
	km := newClient(t, srv.URL, nil).(provider.KeyManager)
	ctx := context.Background()
	if _, err := km.ListKeys(ctx, provider.KeyListOptions{}); err != nil { // the account's first key
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := km.CreateKey(ctx, true); err != nil {
			t.Fatal(err)
		}
	}
	before := len(seen())
	keys, err := km.ListKeys(ctx, provider.KeyListOptions{All: true})
	if err != nil || len(keys) != 5 {
		t.Fatalf("--all: %v, %d keys, want 5", err, len(keys))
	}
	ids := map[string]bool{}
	for _, k := range keys {
		ids[k.ID] = true
	}
	if len(ids) != 5 {
		t.Fatalf("duplicate keys: %+v", keys)
	}
	if pages := len(seen()) - before; pages != 3 {
		t.Fatalf("--all took %d requests, want 3 pages of 2", pages)
	}
	keys, err = km.ListKeys(ctx, provider.KeyListOptions{Limit: 3})
	if err != nil || len(keys) != 3 {
		t.Fatalf("--limit 3: %v, %d keys", err, len(keys))
	}
}
