package bankly_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/clierr"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/provider"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
)

// TestUpdatePublicKeyShown: the public key of a PATCH answer is the one
// shown after the update.
func TestUpdatePublicKeyShown(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Input: pt.In("public-key", "pub-2", "private-key", privateKey)})
	if err != nil || got.PublicKey != "pub-2" || got.URL != "https://e.com/x" {
		t.Fatalf("%v %+v", err, got)
	}
}

// TestSyntheticDeliveryEdges: a configuration without an event name is
// still tested, and any 2xx of the receiver (299 too) is a success.
func TestSyntheticDeliveryEdges(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	var body string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.WriteHeader(299)
	}))
	t.Cleanup(recv.Close)
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/webhooks/configurations/noevent" {
			return false
		}
		io.WriteString(w, `{"data":{"id":"noevent","context":"Pix","uri":"`+recv.URL+`","publicKey":"pub","status":"Enabled"}}`)
		return true
	}
	p := f.must(t, provider.Read)
	r, err := p.(provider.Tester).Test(context.Background(), "noevent", provider.TestOptions{Input: pt.In("private-key", privateKey)})
	if err != nil || !r.OK || *r.StatusCode != 299 || !strings.Contains(body, `"name":""`) || !strings.Contains(r.Message, "the receiver answered 299") || strings.Contains(r.Message, "must answer 2xx") {
		t.Fatalf("%v %+v body %s", err, r, body)
	}
}

// TestUpdateFromFileAndFlags: a desired object repeating the current URL
// needs no private key and sends no PATCH; a --url flag beside it does need
// the key, refused before any request.
func TestUpdateFromFileAndFlags(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	same := "https://e.com/x"
	got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Desired: &provider.Fields{URL: &same}})
	if err != nil || got.URL != same {
		t.Fatalf("desired = current: %v", err)
	}
	for _, r := range f.requests() {
		if r.Method == http.MethodPatch {
			t.Fatalf("a PATCH was sent for no change: %s", r.URL.Path)
		}
	}
	before := len(f.requests())
	other := "https://e.com/other"
	_, err = p.Update(ctx, w.ID, provider.UpdateRequest{Set: provider.Fields{URL: &other}, Desired: &provider.Fields{URL: &same}})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "private key is required") {
		t.Fatalf("--url with a file, without the private key: %v", err)
	}
	if n := len(f.requests()) - before; n != 0 {
		t.Fatalf("%d requests sent for bad input", n)
	}
}

// TestCreateAnswerStatus: a create answer without status is a new, enabled
// configuration; one with status says what it is.
func TestCreateAnswerStatus(t *testing.T) {
	for status, enabled := range map[string]bool{"": true, "Disabled": false, "Enabled": true} {
		f := newFixture(t, banklyemu.Options{})
		f.override = func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodPost || r.URL.Path != "/webhooks/configurations" {
				return false
			}
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"data":{"id":"n1","context":"Pix","eventName":"PIX_CASH_IN_WAS_CLEARED","uri":"https://e.com/x","status":"`+status+`"}}`)
			return true
		}
		w, err := f.must(t, provider.Write).Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
		if err != nil || w.ID != "n1" || w.Enabled != enabled || w.Status != status {
			t.Fatalf("status %q: %v %+v", status, err, w)
		}
	}
}

// TestUpdateFileEchoingCurrent: a desired object that repeats every field
// of the configuration (as `get -o json` writes it) changes nothing; with a
// private key that is not base64 it is refused before any request.
func TestUpdateFileEchoingCurrent(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	echo := &provider.Fields{URL: pt.Str(w.URL), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}, Name: pt.Str(w.Name), Context: pt.Str("Pix"), PublicKey: pt.Str("pub-1")}
	got, err := p.Update(ctx, w.ID, provider.UpdateRequest{Desired: echo})
	if err != nil || got.URL != w.URL || got.PublicKey != "pub-1" {
		t.Fatalf("echo: %v %+v", err, got)
	}
	if n := len(apiRequests(f, http.MethodPatch, "/webhooks/configurations/"+w.ID)); n != 0 {
		t.Fatalf("%d PATCH for no change", n)
	}
	before := len(f.requests())
	_, err = p.Update(ctx, w.ID, provider.UpdateRequest{Desired: echo, Input: pt.In("private-key", "not base64!")})
	if clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "not valid base64") || len(f.requests()) != before {
		t.Fatalf("bad private key with a file: %v, %d requests", err, len(f.requests())-before)
	}
}

// TestEnableDisableWhenSent: --enable/--disable are always sent; a file's
// enabled is sent only when it differs from the state read, or that state
// is unknown.
func TestEnableDisableWhenSent(t *testing.T) {
	ctx := context.Background()
	on, off := true, false
	for _, c := range []struct {
		name       string
		omitStatus bool
		set        *bool // --enable/--disable
		desired    *bool // the file's enabled
		want       string
	}{
		{"--enable when enabled", false, &on, nil, "/enable"},
		{"file enabled when enabled", false, nil, &on, ""},
		{"file disabled when enabled", false, nil, &off, "/disable"},
		{"file enabled, status unknown", true, nil, &on, "/enable"},
	} {
		f := newFixture(t, banklyemu.Options{OmitStatus: c.omitStatus})
		p := f.must(t, provider.Read|provider.Write)
		w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "p", "private-key", privateKey)})
		if err != nil {
			t.Fatal(err)
		}
		r := provider.UpdateRequest{Set: provider.Fields{Enabled: c.set}}
		if c.desired != nil {
			r.Desired = &provider.Fields{Enabled: c.desired}
		}
		if _, err := p.Update(ctx, w.ID, r); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var sent []string
		for _, q := range f.requests() {
			if q.Method == http.MethodPatch {
				sent = append(sent, strings.TrimPrefix(q.URL.Path, "/webhooks/configurations/"+w.ID))
			}
		}
		if want := []string{c.want}; (c.want == "" && len(sent) != 0) || (c.want != "" && strings.Join(sent, " ") != strings.Join(want, " ")) {
			t.Fatalf("%s: PATCH %q, want %q", c.name, sent, c.want)
		}
	}
}

// TestUpdateFileChanges: a file that changes the URL or public key needs
// the private key; one that repeats them with a private key sends it.
func TestUpdateFileChanges(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	w, err := p.Create(ctx, provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://e.com/x"), Events: &[]string{"PIX_CASH_IN_WAS_CLEARED"}}, Input: pt.In("public-key", "pub-1", "private-key", privateKey)})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*provider.Fields{{URL: pt.Str("https://e.com/other")}, {PublicKey: pt.Str("pub-2")}} {
		if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Desired: d}); clierr.ExitCode(err) != 2 || !strings.Contains(err.Error(), "private key is required") {
			t.Fatalf("a file's change without the private key: %v", err)
		}
	}
	rotated := "cm90YXRlZA=="
	if _, err := p.Update(ctx, w.ID, provider.UpdateRequest{Desired: &provider.Fields{URL: pt.Str(w.URL), PublicKey: pt.Str("pub-1")}, Input: pt.In("private-key", rotated)}); err != nil {
		t.Fatal(err)
	}
	if f.emu.PrivateKeyOf(w.ID) != rotated {
		t.Fatal("the private key given with an unchanged file was not sent")
	}
}

// TestAnswerDatesAndShapes: dates of a GET and of a PATCH answer are kept;
// an answer without data is an error.
func TestAnswerDatesAndShapes(t *testing.T) {
	f := newFixture(t, banklyemu.Options{})
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.URL.Path == "/webhooks/configurations/empty":
			io.WriteString(w, `{}`)
		case r.URL.Path == "/webhooks/configurations/d1" && r.Method == http.MethodGet:
			io.WriteString(w, `{"data":{"id":"d1","context":"Pix","eventName":"PIX_CASH_IN_WAS_CLEARED","uri":"https://e.com/x","publicKey":"pub","status":"Enabled","createdAt":"2026-01-01T00:00:00","updatedAt":"2026-01-02T00:00:00"}}`)
		case r.URL.Path == "/webhooks/configurations/d1" && r.Method == http.MethodPatch:
			io.WriteString(w, `{"data":{"id":"d1","uri":"https://e.com/y","publicKey":"pub","updatedAt":"2026-01-03T00:00:00"}}`)
		default:
			return false
		}
		return true
	}
	p := f.must(t, provider.Read|provider.Write)
	ctx := context.Background()
	if _, err := p.Get(ctx, "empty"); err == nil || !strings.Contains(err.Error(), "holds no configuration") {
		t.Fatalf("{}: %v", err)
	}
	w, err := p.Get(ctx, "d1")
	if err != nil || w.UpdatedAt == nil || *w.UpdatedAt != "2026-01-02T00:00:00" || *w.CreatedAt != "2026-01-01T00:00:00" {
		t.Fatalf("get: %v %+v", err, w)
	}
	got, err := p.Update(ctx, "d1", provider.UpdateRequest{Set: provider.Fields{URL: pt.Str("https://e.com/y")}, Input: pt.In("private-key", privateKey)})
	if err != nil || got.URL != "https://e.com/y" || got.UpdatedAt == nil || *got.UpdatedAt != "2026-01-03T00:00:00" || *got.CreatedAt != "2026-01-01T00:00:00" || !got.Enabled {
		t.Fatalf("update: %v %+v", err, got)
	}
}
