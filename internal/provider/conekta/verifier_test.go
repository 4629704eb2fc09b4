package conekta_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta"
)

func writePEM(t *testing.T, pub *rsa.PublicKey) string {
	t.Helper()
	der, _ := x509.MarshalPKIXPublicKey(pub)
	path := filepath.Join(t.TempDir(), "pub.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func delivery(h http.Header, body []byte) *provider.Received {
	return &provider.Received{Method: "POST", RequestURI: "/hooks", Host: "127.0.0.1:9", Header: h, Body: body}
}

// TestVerifierPublicKeyFile: valid, tampered body, wrong key, no header.
func TestVerifierPublicKeyFile(t *testing.T) {
	v := conekta.Info().Verifier
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	body := []byte(`{"id":"evt_1","object":"event","type":"order.paid","data":{}}`)
	h := digestHeader(t, key, body)
	if !v.Detect(h) {
		t.Fatal("a DIGEST delivery is not detected")
	}
	if ev, id := v.Describe(delivery(h, body)); ev != "order.paid" || id != "evt_1" {
		t.Fatalf("describe: %q %q", ev, id)
	}
	check, err := v.Prepare(context.Background(), provider.VerifyInput{Input: provider.Values{"public-key": {writePEM(t, &key.PublicKey)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(delivery(h, body)); err != nil {
		t.Fatalf("valid delivery: %v", err)
	}
	tampered := []byte(strings.Replace(string(body), "order.paid", "order.pais", 1))
	wrong, _ := v.Prepare(context.Background(), provider.VerifyInput{Input: provider.Values{"public-key": {writePEM(t, &other.PublicKey)}}})
	for name, c := range map[string]struct {
		check provider.VerifyFunc
		h     http.Header
		body  []byte
		want  string
	}{
		"tampered body": {check, h, tampered, "signature mismatch"},
		"wrong key":     {wrong, h, body, "signature mismatch"},
		"no header":     {check, http.Header{}, body, "missing DIGEST header"},
	} {
		err := c.check(delivery(c.h, c.body))
		var se *provider.SignatureError
		if !errors.As(err, &se) || !strings.Contains(se.Reason, c.want) || clierr.ExitCode(err) != clierr.ExitFailure {
			t.Fatalf("%s: %v (exit %d), want %q, exit 1", name, err, clierr.ExitCode(err), c.want)
		}
	}
}

// TestVerifierInputs: bad inputs are validation errors (exit 2), found
// before anything is received.
func TestVerifierInputs(t *testing.T) {
	v := conekta.Info().Verifier
	notPEM := filepath.Join(t.TempDir(), "x")
	os.WriteFile(notPEM, []byte("hello"), 0o600)
	for name, c := range map[string]struct {
		in   provider.Values
		want string
	}{
		"both":      {provider.Values{"public-key": {"a"}, "key-id": {"b"}}, "{public-key} and {key-id} both given"},
		"no file":   {provider.Values{"public-key": {filepath.Join(t.TempDir(), "missing")}}, "no such file"},
		"not PEM":   {provider.Values{"public-key": {notPEM}}, "no PEM block"},
		"no source": {nil, "give {public-key} FILE (PEM) or {key-id} ID"},
	} {
		_, err := v.Prepare(context.Background(), provider.VerifyInput{Input: c.in})
		var ve *provider.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Msg, c.want) || clierr.ExitCode(err) != clierr.ExitUsage {
			t.Fatalf("%s: %v, want a validation error with %q", name, err, c.want)
		}
	}
}

// TestVerifierAccountKeys: --key-id fetches that key; without inputs every
// active key of the account verifies; a deleted key is not found (exit 4).
func TestVerifierAccountKeys(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	p := newClient(t, srv.URL, nil)
	km := p.(provider.KeyManager)
	ctx := context.Background()
	keys, err := km.ListKeys(ctx, provider.KeyListOptions{})
	if err != nil || len(keys) != 1 {
		t.Fatal(err, keys)
	}
	// The emulator signs with its newest active key: sign a body the same way
	// through a local pair is impossible, so check the account's key against
	// a pair of our own whose public half we register nowhere: invalid.
	mine, _ := rsa.GenerateKey(rand.Reader, 2048)
	body := []byte(`{"id":"evt_2","type":"charge.paid"}`)
	h := digestHeader(t, mine, body)
	build := func() (provider.Provider, error) { return p, nil }
	v := conekta.Info().Verifier
	byID, err := v.Prepare(ctx, provider.VerifyInput{Input: provider.Values{"key-id": {keys[0].ID}}, Provider: build})
	if err != nil {
		t.Fatal(err)
	}
	var se *provider.SignatureError
	if err := byID(delivery(h, body)); !errors.As(err, &se) || !strings.Contains(se.Reason, "signature mismatch") {
		t.Fatalf("another key's signature: %v", err)
	}
	active, err := v.Prepare(ctx, provider.VerifyInput{Provider: build})
	if err != nil {
		t.Fatal(err)
	}
	if err := active(delivery(h, body)); !errors.As(err, &se) {
		t.Fatalf("another key's signature with the account's keys: %v", err)
	}
	if _, err := v.Prepare(ctx, provider.VerifyInput{Input: provider.Values{"key-id": {"645a59da22e7da0001cad283"}}, Provider: build}); clierr.ExitCode(err) != clierr.ExitNotFound {
		t.Fatalf("unknown --key-id: %v, want exit 4", err)
	}
	var paths []string
	for _, r := range seen() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	want := "GET /webhook_keys,GET /webhook_keys/" + keys[0].ID + ",GET /webhook_keys,GET /webhook_keys/645a59da22e7da0001cad283"
	if strings.Join(paths, ",") != want {
		t.Fatalf("requests %s, want %s", strings.Join(paths, ","), want)
	}
}

// TestVerifierEmulatorDelivery: a delivery the emulator signed verifies with
// the account's active keys and with --key-id, and not with one byte changed.
func TestVerifierEmulatorDelivery(t *testing.T) {
	got := make(chan *provider.Received, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- &provider.Received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: b}
	}))
	t.Cleanup(recv.Close)
	srv, emu, _ := fake(t, conektaemu.Options{AllowLocalURLs: true})
	p := newClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: &recv.URL, Events: &[]string{"order.paid"}}, NoValidate: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.Trigger("order.paid", 1, true); err != nil {
		t.Fatal(err)
	}
	d := <-got
	build := func() (provider.Provider, error) { return p, nil }
	v := conekta.Info().Verifier
	keys, _ := p.(provider.KeyManager).ListKeys(ctx, provider.KeyListOptions{})
	for name, in := range map[string]provider.VerifyInput{
		"active keys": {Provider: build},
		"key id":      {Provider: build, Input: provider.Values{"key-id": {keys[len(keys)-1].ID}}},
	} {
		check, err := v.Prepare(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := check(d); err != nil {
			t.Fatalf("%s: the emulator's delivery does not verify: %v", name, err)
		}
		changed := *d
		changed.Body = append([]byte(nil), d.Body...)
		changed.Body[len(changed.Body)-2] ^= 1
		var se *provider.SignatureError
		if err := check(&changed); !errors.As(err, &se) {
			t.Fatalf("%s: one changed byte: %v", name, err)
		}
	}
}

// TestVerifierReloadsRotatedKey: a delivery signed with a key created after
// the account's keys were loaded (rotated while listen runs) verifies once
// the keys are reloaded; a reload happens only when a signed delivery fails,
// and at most once per KeyReloadInterval.
func TestVerifierReloadsRotatedKey(t *testing.T) {
	got := make(chan *provider.Received, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- &provider.Received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: b}
	}))
	t.Cleanup(recv.Close)
	srv, emu, seen := fake(t, conektaemu.Options{AllowLocalURLs: true})
	p := newClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: &recv.URL, Events: &[]string{"order.paid"}}, NoValidate: true}); err != nil {
		t.Fatal(err)
	}
	if err := emu.EnsureWebhookKey(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	keyLoads := func() int {
		n := 0
		for _, r := range seen() {
			if r.Method == http.MethodGet && r.Path == "/webhook_keys" {
				n++
			}
		}
		return n
	}
	v := conekta.Info().Verifier
	check, err := v.Prepare(ctx, provider.VerifyInput{Provider: func() (provider.Provider, error) { return p, nil }, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if n := keyLoads(); n != 1 {
		t.Fatalf("%d key listings at Prepare, want 1", n)
	}
	// Rotate: a new key, the one the emulator now signs with.
	km := p.(provider.KeyManager)
	if _, err := km.CreateKey(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.Trigger("order.paid", 1, true); err != nil {
		t.Fatal(err)
	}
	d := <-got
	var se *provider.SignatureError
	// Within the interval of the first load: no reload, invalid.
	if err := check(d); !errors.As(err, &se) || keyLoads() != 1 {
		t.Fatalf("within %s of the load: %v, %d key listings; want invalid and 1", conekta.KeyReloadInterval, err, keyLoads())
	}
	now = now.Add(conekta.KeyReloadInterval)
	if err := check(d); err != nil || keyLoads() != 2 {
		t.Fatalf("after %s: %v, %d key listings; want valid after one reload", conekta.KeyReloadInterval, err, keyLoads())
	}
	// A bad delivery right after does not reload again; neither does an unsigned one.
	changed := *d
	changed.Body = append([]byte(nil), d.Body...)
	changed.Body[len(changed.Body)-2] ^= 1
	if err := check(&changed); !errors.As(err, &se) || keyLoads() != 2 {
		t.Fatalf("a changed byte after the reload: %v, %d key listings; want invalid and 2", err, keyLoads())
	}
	now = now.Add(conekta.KeyReloadInterval)
	unsigned := *d
	unsigned.Header = http.Header{}
	if err := check(&unsigned); !errors.As(err, &se) || keyLoads() != 2 {
		t.Fatalf("no DIGEST: %v, %d key listings; want invalid and no reload", err, keyLoads())
	}
	if err := check(&changed); !errors.As(err, &se) || keyLoads() != 3 {
		t.Fatalf("a changed byte an interval later: %v, %d key listings; want invalid after one reload", err, keyLoads())
	}
	if err := check(d); err != nil || keyLoads() != 3 {
		t.Fatalf("the rotated key's delivery: %v, %d key listings", err, keyLoads())
	}
}
