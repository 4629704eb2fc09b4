package bankly_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
