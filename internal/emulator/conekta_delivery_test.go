package emulator_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/emulator/delivery"
	"github.com/hookctl/hookctl/internal/testutil/conektaspec"
)

// received is one delivery as a receiver saw it.
type received struct {
	At     time.Time
	Header http.Header
	Body   []byte
}

// receiver is a webhook endpoint answering status (changeable) and recording
// every request.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	got    []received
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	rc := &receiver{status: status}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{At: time.Now(), Header: r.Header.Clone(), Body: body})
		status := rc.status
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"received":true,"answer":%d}`, status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) setStatus(s int) { rc.mu.Lock(); rc.status = s; rc.mu.Unlock() }

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// eventually polls cond until it holds; the limit only bounds a broken run.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}

// conektaFake is the Conekta emulator behind spec validation of every API
// request and answer; the control endpoint, not part of Conekta's API, is
// passed around the validator.
type conektaFake struct {
	t   *testing.T
	url string
	emu *conektaemu.Server
}

var testSchedule = []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond}

func newConektaFake(t *testing.T) *conektaFake {
	t.Helper()
	spec := conektaspec.Load(t).AllowLocalURLs()
	emu := conektaemu.New(conektaemu.Options{AllowLocalURLs: true, Deliver: true, RetrySchedule: testSchedule})
	validated := spec.Middleware(t, emu, true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == delivery.ControlPath {
			emu.ServeHTTP(w, r)
			return
		}
		validated.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); emu.Close() })
	return &conektaFake{t: t, url: srv.URL, emu: emu}
}

// do sends an API request and decodes the answer into out, checking the status.
func (c *conektaFake) do(method, path string, body any, want int, out any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.url+path, rd)
	req.Header.Set("Accept", "application/vnd.conekta-v2.3.0+json")
	req.Header.Set("Authorization", "Bearer key_test_0123456789")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

func (c *conektaFake) webhook(url string, events ...string) string {
	c.t.Helper()
	var h struct{ ID string }
	c.do(http.MethodPost, "/webhooks", map[string]any{"url": url, "subscribed_events": events}, 200, &h)
	return h.ID
}

func trigger(t *testing.T, client *http.Client, base string, req delivery.TriggerRequest, want int) delivery.TriggerAnswer {
	t.Helper()
	data, _ := json.Marshal(req)
	resp, err := client.Post(base+delivery.ControlPath, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("trigger: HTTP %d, want %d: %s", resp.StatusCode, want, body)
	}
	var a delivery.TriggerAnswer
	_ = json.Unmarshal(body, &a)
	return a
}

type eventJSON struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	WebhookStatus string `json:"webhook_status"`
	WebhookLogs   []struct {
		ID             string `json:"id"`
		WebhookID      string `json:"webhook_id"`
		URL            string `json:"url"`
		FailedAttempts int    `json:"failed_attempts"`
		LastStatus     int    `json:"last_http_response_status"`
		LastAttempted  int64  `json:"last_attempted_at"`
		Attempts       []struct {
			HTTPStatus int    `json:"http_status"`
			Excerpt    string `json:"response_excerpt"`
		} `json:"emulator_attempts"`
	} `json:"webhook_logs"`
}

// verifyDigest checks a DIGEST header as a receiver would: the base64 RSA
// PKCS#1 v1.5 signature of the SHA-256 of the exact body, with the PEM key.
func verifyDigest(publicPEM string, body []byte, digest string) error {
	block, _ := pem.Decode([]byte(publicPEM))
	if block == nil || block.Type != "PUBLIC KEY" {
		return fmt.Errorf("public_key is not a PEM PUBLIC KEY: %q", publicPEM)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(digest)
	if err != nil {
		return fmt.Errorf("DIGEST is not base64: %v", err)
	}
	sum := sha256.Sum256(body)
	return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), crypto.SHA256, sum[:], sig)
}

func TestConektaTriggerDeliversSignedEvent(t *testing.T) {
	c := newConektaFake(t)
	rc := newReceiver(t, 200)
	other := newReceiver(t, 200)
	hid := c.webhook(rc.URL+"/conekta", "order.paid", "charge.refunded")
	c.webhook(other.URL, "charge.refunded") // not subscribed to order.paid
	disabled := c.webhook(other.URL+"/off", "order.paid")
	c.do(http.MethodPut, "/webhooks/"+disabled, map[string]any{"active": false}, 200, nil)

	a := trigger(t, http.DefaultClient, c.url, delivery.TriggerRequest{Event: "order.paid", Wait: true}, 200)
	if len(a.Deliveries) != 1 {
		t.Fatalf("%d deliveries, want 1 (one subscribed, enabled webhook): %+v", len(a.Deliveries), a.Deliveries)
	}
	d := a.Deliveries[0]
	if d.WebhookID == nil || *d.WebhookID != hid || d.Status != "succeeded" || d.Attempts != 1 || d.LastStatusCode == nil || *d.LastStatusCode != 200 {
		t.Fatalf("delivery %+v", d)
	}
	got := rc.requests()
	if len(got) != 1 || len(other.requests()) != 0 {
		t.Fatalf("receiver got %d requests, the others %d; want 1 and 0", len(got), len(other.requests()))
	}
	var payload map[string]any
	if err := json.Unmarshal(got[0].Body, &payload); err != nil || payload["id"] != d.ID || payload["type"] != "order.paid" || payload["object"] != "event" {
		t.Fatalf("body %s (%v)", got[0].Body, err)
	}

	var keys struct {
		Data []struct {
			ID        string `json:"id"`
			Active    bool   `json:"active"`
			PublicKey string `json:"public_key"`
		} `json:"data"`
	}
	c.do(http.MethodGet, "/webhook_keys", nil, 200, &keys)
	if len(keys.Data) != 1 || !keys.Data[0].Active {
		t.Fatalf("webhook_keys %+v, want one active key", keys.Data)
	}
	digest := got[0].Header.Get("Digest")
	if err := verifyDigest(keys.Data[0].PublicKey, got[0].Body, digest); err != nil {
		t.Fatalf("DIGEST %q does not verify with the served key: %v", digest, err)
	}
	tampered := bytes.Clone(got[0].Body)
	tampered[len(tampered)/2] ^= 1
	if verifyDigest(keys.Data[0].PublicKey, tampered, digest) == nil {
		t.Fatal("DIGEST verifies a body with one byte changed")
	}
	var one struct {
		PublicKey string `json:"public_key"`
	}
	c.do(http.MethodGet, "/webhook_keys/"+keys.Data[0].ID, nil, 200, &one)
	if one.PublicKey != keys.Data[0].PublicKey {
		t.Fatal("GET /webhook_keys/{id} serves another public key than the list")
	}

	var ev eventJSON
	c.do(http.MethodGet, "/events/"+d.ID, nil, 200, &ev)
	if ev.WebhookStatus != "successful" || len(ev.WebhookLogs) != 1 {
		t.Fatalf("event %+v", ev)
	}
	l := ev.WebhookLogs[0]
	if l.WebhookID != hid || l.URL != rc.URL+"/conekta" || l.FailedAttempts != 0 || l.LastStatus != 200 || l.LastAttempted == 0 ||
		len(l.Attempts) != 1 || !strings.Contains(l.Attempts[0].Excerpt, `"received":true`) {
		t.Fatalf("webhook log %+v", l)
	}
}

func TestConektaFailedDeliveryRetriedOnScheduleThenResent(t *testing.T) {
	c := newConektaFake(t)
	rc := newReceiver(t, 500)
	hid := c.webhook(rc.URL, "charge.paid")
	a := trigger(t, http.DefaultClient, c.url, delivery.TriggerRequest{Event: "charge.paid"}, 200)
	if len(a.Deliveries) != 1 || a.Deliveries[0].Status != "pending" {
		t.Fatalf("deliveries %+v, want one pending", a.Deliveries)
	}
	id := a.Deliveries[0].ID
	var ev eventJSON
	eventually(t, "four attempts", func() bool {
		c.do(http.MethodGet, "/events/"+id, nil, 200, &ev)
		return ev.WebhookStatus == "failed"
	})
	c.emu.Wait()
	got := rc.requests()
	if len(got) != 4 {
		t.Fatalf("receiver got %d attempts, want 4 (one and three retries)", len(got))
	}
	for i := 1; i < 4; i++ {
		if !bytes.Equal(got[i].Body, got[0].Body) || got[i].Header.Get("Digest") == "" {
			t.Errorf("attempt %d sent other bytes or no DIGEST", i+1)
		}
		if gap := got[i].At.Sub(got[i-1].At); gap < testSchedule[i-1] {
			t.Errorf("retry %d came %v after the previous attempt, before the schedule's %v", i, gap, testSchedule[i-1])
		}
	}
	l := ev.WebhookLogs[0]
	if l.FailedAttempts != 4 || l.LastStatus != 500 || len(l.Attempts) != 4 {
		t.Fatalf("log %+v, want 4 failed attempts recorded, last 500", l)
	}

	// The events list shows it, newest first, paged by cursor.
	var list struct {
		HasMore bool        `json:"has_more"`
		Data    []eventJSON `json:"data"`
	}
	c.do(http.MethodGet, "/events?limit=1", nil, 200, &list)
	if len(list.Data) != 1 || list.Data[0].ID != id || list.Data[0].WebhookLogs[0].FailedAttempts != 4 {
		t.Fatalf("GET /events %+v", list)
	}

	rc.setStatus(200)
	var resent struct {
		ID             string `json:"id"`
		FailedAttempts int    `json:"failed_attempts"`
		LastStatus     int    `json:"last_http_response_status"`
		URL            string `json:"url"`
	}
	c.do(http.MethodPost, "/events/"+id+"/resend", map[string]any{"webhooks_ids": []string{hid}}, 200, &resent)
	if resent.ID != l.ID || resent.LastStatus != 200 || resent.FailedAttempts != 4 || resent.URL != rc.URL {
		t.Fatalf("resend answered %+v", resent)
	}
	if n := len(rc.requests()); n != 5 {
		t.Fatalf("receiver got %d requests after the resend, want 5", n)
	}
	c.do(http.MethodGet, "/events/"+id, nil, 200, &ev)
	if ev.WebhookStatus != "successful" || len(ev.WebhookLogs[0].Attempts) != 5 {
		t.Fatalf("after resend: %+v", ev)
	}

	// Resending to another webhook of the account adds a log for it.
	rc2 := newReceiver(t, 200)
	hid2 := c.webhook(rc2.URL, "order.paid")
	c.do(http.MethodPost, "/events/"+id+"/resend", map[string]any{"webhooks_ids": []string{hid2}}, 200, &resent)
	c.do(http.MethodGet, "/events/"+id, nil, 200, &ev)
	if len(ev.WebhookLogs) != 2 || ev.WebhookLogs[1].WebhookID != hid2 || len(rc2.requests()) != 1 {
		t.Fatalf("resend to a new webhook: %+v, %d requests", ev.WebhookLogs, len(rc2.requests()))
	}

	c.do(http.MethodPost, "/events/"+id+"/resend", map[string]any{"webhooks_ids": []string{}}, 422, nil)
	c.do(http.MethodPost, "/events/"+id+"/resend", map[string]any{"webhooks_ids": []string{"nope"}}, 404, nil)
	c.do(http.MethodPost, "/events/nope/resend", map[string]any{"webhooks_ids": []string{hid}}, 404, nil)
	c.do(http.MethodGet, "/events/nope", nil, 404, nil)
}

func TestConektaEventsCursorPaging(t *testing.T) {
	c := newConektaFake(t)
	rc := newReceiver(t, 200)
	c.webhook(rc.URL, "order.paid")
	trigger(t, http.DefaultClient, c.url, delivery.TriggerRequest{Event: "order.paid", Count: 5, Wait: true}, 200)
	var ids []string
	path := "/events?limit=2"
	for pages := 0; ; pages++ {
		var page struct {
			HasMore bool        `json:"has_more"`
			Next    *string     `json:"next_page_url"`
			Data    []eventJSON `json:"data"`
		}
		c.do(http.MethodGet, path, nil, 200, &page)
		for _, e := range page.Data {
			ids = append(ids, e.ID)
		}
		if !page.HasMore {
			if pages != 2 {
				t.Fatalf("%d pages, want 3", pages+1)
			}
			break
		}
		path = "/events?limit=2&next=" + page.Data[len(page.Data)-1].ID
	}
	st := c.emu.Snapshot()
	if len(ids) != 5 || ids[0] != st.Events[4].ID || ids[4] != st.Events[0].ID {
		t.Fatalf("paged ids %v, want the 5 events newest first", ids)
	}
}

func TestConektaWebhookKeysCRUD(t *testing.T) {
	c := newConektaFake(t)
	var created struct {
		ID        string `json:"id"`
		Active    bool   `json:"active"`
		PublicKey string `json:"public_key"`
	}
	c.do(http.MethodPost, "/webhook_keys", map[string]any{"active": true}, 200, &created)
	if !created.Active || !strings.HasPrefix(created.PublicKey, "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("created %+v", created)
	}
	// The newest active key signs.
	rc := newReceiver(t, 200)
	c.webhook(rc.URL, "order.paid")
	trigger(t, http.DefaultClient, c.url, delivery.TriggerRequest{Event: "order.paid", Wait: true}, 200)
	got := rc.requests()
	if err := verifyDigest(created.PublicKey, got[0].Body, got[0].Header.Get("Digest")); err != nil {
		t.Fatalf("the created key does not verify the delivery: %v", err)
	}
	var updated struct {
		Active        bool   `json:"active"`
		DeactivatedAt *int64 `json:"deactivated_at"`
	}
	c.do(http.MethodPut, "/webhook_keys/"+created.ID, map[string]any{"active": false}, 200, &updated)
	if updated.Active || updated.DeactivatedAt == nil {
		t.Fatalf("deactivated %+v", updated)
	}
	var deleted struct {
		ID      string `json:"id"`
		Deleted bool   `json:"deleted"`
	}
	c.do(http.MethodDelete, "/webhook_keys/"+created.ID, nil, 200, &deleted)
	if !deleted.Deleted || deleted.ID != created.ID {
		t.Fatalf("deleted %+v", deleted)
	}
	c.do(http.MethodGet, "/webhook_keys/"+created.ID, nil, 404, nil)
	c.do(http.MethodDelete, "/webhook_keys/"+created.ID, nil, 404, nil)
}

func TestControlEndpointRefusals(t *testing.T) {
	emu := conektaemu.New(conektaemu.Options{})
	t.Cleanup(emu.Close)
	for _, tc := range []struct {
		name, remote, body string
		want               int
	}{
		{"not loopback", "192.0.2.10:4000", `{"event":"order.paid"}`, 403},
		{"no event", "127.0.0.1:4000", `{}`, 400},
		{"count too high", "127.0.0.1:4000", `{"event":"order.paid","count":101}`, 400},
		{"not JSON", "[::1]:4000", `event=order.paid`, 400},
		{"loopback v6", "[::1]:4000", `{"event":"order.paid"}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, delivery.ControlPath, strings.NewReader(tc.body))
			req.RemoteAddr = tc.remote
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("HTTP %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

func TestControlEndpointHasNoChaos(t *testing.T) {
	r := start(t, emulator.Options{FailRate: 1})
	for i := 0; i < 5; i++ {
		trigger(t, http.DefaultClient, r.ConektaURL, delivery.TriggerRequest{Event: "order.paid"}, 200)
	}
}
