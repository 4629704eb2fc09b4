package emulator_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/emulator/delivery"
)

// banklyAPI talks to the Bankly emulator as a partner does: mutual TLS and a token.
type banklyAPI struct {
	t      *testing.T
	r      *emulator.Running
	client *http.Client
	token  string
}

func newBanklyAPI(t *testing.T, o emulator.Options) *banklyAPI {
	t.Helper()
	if o.RetrySchedule == nil {
		o.RetrySchedule = testSchedule
	}
	r := start(t, o)
	pair, err := tls.LoadX509KeyPair(r.Files.ClientCert, r.Files.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := os.ReadFile(r.Files.CA)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	b := &banklyAPI{t: t, r: r, client: &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{Certificates: []tls.Certificate{pair}, RootCAs: pool}}}}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {emulator.ClientID}, "scope": {"webhook.read webhook.write"}}
	resp, err := b.client.PostForm(r.BanklyURL+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	b.token = tok.AccessToken
	return b
}

func (b *banklyAPI) do(method, path string, body any, want int, out any) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, b.r.BanklyURL+path, rd)
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("api-version", "1.0")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			b.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

func (b *banklyAPI) configuration(uri, ctxName, event, publicKey, privateKey string) string {
	b.t.Helper()
	var out struct{ Data struct{ ID string } }
	b.do(http.MethodPost, "/webhooks/configurations", map[string]string{"name": event + "_test", "context": ctxName, "eventName": event,
		"uri": uri, "publicKey": publicKey, "privateKey": privateKey}, 201, &out)
	return out.Data.ID
}

type messageJSON struct {
	IdempotencyKey string `json:"idempotencyKey"`
	State          string `json:"state"`
	Destination    string `json:"destination"`
	EventName      string `json:"eventName"`
	Context        string `json:"context"`
	RetryCount     int    `json:"retryCount"`
	SentDate       string `json:"sentDate"`
	Attempts       []struct {
		StatusCode int    `json:"statusCode"`
		Excerpt    string `json:"responseExcerpt"`
	} `json:"emulatorAttempts"`
}

type messagesPage struct {
	Data []messageJSON `json:"data"`
	Meta struct {
		Total int `json:"total"`
	} `json:"meta"`
}

func today() string { return time.Now().UTC().Format("2006-01-02") }

func (b *banklyAPI) messages(query string) messagesPage {
	b.t.Helper()
	var p messagesPage
	b.do(http.MethodGet, "/webhooks/processed-messages?startDate="+today()+"&endDate="+today()+query, nil, 200, &p)
	return p
}

func (b *banklyAPI) message(key string) messageJSON {
	b.t.Helper()
	for _, m := range b.messages("&pageSize=100").Data {
		if m.IdempotencyKey == key {
			return m
		}
	}
	b.t.Fatalf("message %s not found", key)
	return messageJSON{}
}

// expectedHMAC is Bankly's signature written out on its own: publicKey, the
// lower-cased PHP urlencode of the URL, timestamp, nonce and base64(body)
// joined by "&", HMAC-SHA256 with key, base64.
func expectedHMAC(key []byte, publicKey, uri, ts, nonce string, body []byte) string {
	enc := strings.ToLower(strings.ReplaceAll(url.QueryEscape(uri), "~", "%7E"))
	msg := publicKey + "&" + enc + "&" + ts + "&" + nonce + "&" + base64.StdEncoding.EncodeToString(body)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestBanklyTriggerDeliversHMACSigned(t *testing.T) {
	for _, mode := range []string{"raw", "base64"} {
		t.Run(mode, func(t *testing.T) {
			b := newBanklyAPI(t, emulator.Options{BanklyHMACKey: mode})
			rc := newReceiver(t, 200)
			uri := rc.URL + "/bankly/pix?x=1~"
			cid := b.configuration(uri, "Pix", "PIX_CASH_IN_WAS_CLEARED", "pub-key-1", privateKey)
			b.configuration(rc.URL+"/other", "Ted", "TED_CASH_IN_WAS_CLEARED", "pub", privateKey)
			disabled := b.configuration(rc.URL+"/disabled", "Pix", "PIX_CASH_IN_WAS_CLEARED", "pub", privateKey)
			b.do(http.MethodPatch, "/webhooks/configurations/"+disabled+"/disable", nil, 200, nil)

			a := trigger(t, b.client, b.r.BanklyURL, delivery.TriggerRequest{Event: "PIX_CASH_IN_WAS_CLEARED", Wait: true}, 200)
			if len(a.Deliveries) != 1 || a.Deliveries[0].WebhookID == nil || *a.Deliveries[0].WebhookID != cid || a.Deliveries[0].Status != "succeeded" || a.Deliveries[0].Context != "Pix" {
				t.Fatalf("deliveries %+v, want one succeeded to %s", a.Deliveries, cid)
			}
			got := rc.requests()
			if len(got) != 1 {
				t.Fatalf("receiver got %d requests, want 1", len(got))
			}
			h, body := got[0].Header, got[0].Body
			var env struct {
				IdempotencyKey, Context, Name string
			}
			if err := json.Unmarshal(body, &env); err != nil || env.Name != "PIX_CASH_IN_WAS_CLEARED" || env.Context != "Pix" {
				t.Fatalf("body %s: %v", body, err)
			}
			if h.Get("idempotency-Key") != env.IdempotencyKey || env.IdempotencyKey != a.Deliveries[0].ID {
				t.Fatalf("idempotency-Key %q, body idempotencyKey %q, trigger id %q: want all equal", h.Get("idempotency-Key"), env.IdempotencyKey, a.Deliveries[0].ID)
			}
			if h.Get("publicKey") != "pub-key-1" {
				t.Fatalf("publicKey header %q", h.Get("publicKey"))
			}
			if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(h.Get("nonce")) {
				t.Fatalf("nonce %q, want a UUID without hyphens", h.Get("nonce"))
			}
			ts, err := strconv.ParseInt(h.Get("requestTimestamp"), 10, 64)
			if err != nil || ts < got[0].At.Add(-time.Minute).Unix() || ts > got[0].At.Add(time.Minute).Unix() {
				t.Fatalf("requestTimestamp %q", h.Get("requestTimestamp"))
			}
			key := []byte(privateKey)
			if mode == "base64" {
				key, _ = base64.StdEncoding.DecodeString(privateKey)
			}
			want := expectedHMAC(key, "pub-key-1", uri, h.Get("requestTimestamp"), h.Get("nonce"), body)
			if h.Get("authorization") != "hmac "+want {
				t.Fatalf("authorization %q, want %q", h.Get("authorization"), "hmac "+want)
			}
			if m := b.message(env.IdempotencyKey); m.State != "Success" || m.Destination != uri || m.RetryCount != 0 || len(m.Attempts) != 1 || m.Attempts[0].StatusCode != 200 {
				t.Fatalf("processed message %+v", m)
			}
		})
	}
}

func TestBanklyFailedDeliveryRetriedThreeTimesThenReprocessed(t *testing.T) {
	b := newBanklyAPI(t, emulator.Options{})
	rc := newReceiver(t, 500)
	b.configuration(rc.URL, "Ted", "TED_CASH_IN_WAS_CLEARED", "pub", privateKey)
	a := trigger(t, b.client, b.r.BanklyURL, delivery.TriggerRequest{Event: "TED_CASH_IN_WAS_CLEARED"}, 200)
	key := a.Deliveries[0].ID
	if m := b.message(key); m.State != "Hold" && m.State != "Failed" {
		t.Fatalf("state %q while retrying, want Hold", m.State)
	}
	eventually(t, "state Failed", func() bool { return b.message(key).State == "Failed" })
	b.r.Bankly.Wait()
	got := rc.requests()
	if len(got) != 4 {
		t.Fatalf("receiver got %d attempts, want 4 (one and three more)", len(got))
	}
	nonces := map[string]bool{}
	for i, g := range got {
		nonces[g.Header.Get("nonce")] = true
		if !bytes.Equal(g.Body, got[0].Body) || g.Header.Get("idempotency-Key") != key {
			t.Errorf("attempt %d: other body or idempotency-Key", i+1)
		}
		if i > 0 && g.At.Sub(got[i-1].At) < testSchedule[i-1] {
			t.Errorf("retry %d came before the schedule's %v", i, testSchedule[i-1])
		}
	}
	if len(nonces) != 4 {
		t.Errorf("%d distinct nonces over 4 attempts, want a fresh one each", len(nonces))
	}
	m := b.message(key)
	if m.RetryCount != 3 || len(m.Attempts) != 4 || m.Attempts[3].StatusCode != 500 || !strings.Contains(m.Attempts[3].Excerpt, "received") {
		t.Fatalf("failed message %+v", m)
	}

	// The same search asked again sees each change (the emulator keeps the
	// last search's matches only while nothing changes).
	if n := b.messages("&state=Failed").Meta.Total; n != 1 {
		t.Fatalf("search for Failed: %d messages, want 1", n)
	}
	rc.setStatus(200)
	var re struct{ Data messageJSON }
	b.do(http.MethodPost, "/webhooks/processed-messages/"+key, nil, 200, &re)
	if re.Data.State != "Success" || len(re.Data.Attempts) != 5 || len(rc.requests()) != 5 {
		t.Fatalf("reprocess answered %+v; receiver has %d requests, want 5", re.Data, len(rc.requests()))
	}
	if f, s := b.messages("&state=Failed").Meta.Total, b.messages("&state=Success").Meta.Total; f != 0 || s != 1 {
		t.Fatalf("after the reprocess the search finds %d Failed and %d Success, want 0 and 1", f, s)
	}
	b.do(http.MethodPost, "/webhooks/processed-messages/"+"00000000-0000-0000-0000-000000000000", nil, 404, nil)

	// Batch: every Success message of today is sent again, in the background.
	var batch struct {
		Data struct {
			Total int      `json:"total"`
			Keys  []string `json:"idempotencyKeys"`
		} `json:"data"`
	}
	b.do(http.MethodPost, "/webhooks/processed-messages/batch", map[string]any{"startDate": today(), "endDate": today(), "eventState": "Success"}, 202, &batch)
	if batch.Data.Total != 1 || batch.Data.Keys[0] != key {
		t.Fatalf("batch %+v", batch.Data)
	}
	eventually(t, "the batch attempt", func() bool { return len(b.message(key).Attempts) == 6 })
	if len(rc.requests()) != 6 {
		t.Fatalf("receiver has %d requests after the batch, want 6", len(rc.requests()))
	}
	from := time.Now().UTC().AddDate(0, 0, -40).Format("2006-01-02")
	b.do(http.MethodPost, "/webhooks/processed-messages/batch", map[string]any{"startDate": from, "endDate": today()}, 400, nil)
	b.do(http.MethodPost, "/webhooks/processed-messages/batch", map[string]any{"startDate": from, "endDate": today(), "context": "Pix"}, 202, &batch)
	if batch.Data.Total != 0 {
		t.Fatalf("batch for context Pix matched %d Ted messages", batch.Data.Total)
	}
}

func TestBanklyProcessedMessagesFilters(t *testing.T) {
	b := newBanklyAPI(t, emulator.Options{})
	ok, bad := newReceiver(t, 200), newReceiver(t, 500)
	b.configuration(ok.URL, "Pix", "PIX_CASH_IN_WAS_CLEARED", "pub", privateKey)
	b.configuration(bad.URL, "Ted", "TED_CASH_IN_WAS_CLEARED", "pub", privateKey)
	trigger(t, b.client, b.r.BanklyURL, delivery.TriggerRequest{Event: "PIX_CASH_IN_WAS_CLEARED", Count: 3, Wait: true}, 200)
	trigger(t, b.client, b.r.BanklyURL, delivery.TriggerRequest{Event: "TED_CASH_IN_WAS_CLEARED", Wait: true}, 200)
	eventually(t, "the Ted message to fail", func() bool { return b.messages("&state=Failed").Meta.Total == 1 })

	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", 4},
		{"&state=Success", 3},
		{"&state=Failed", 1},
		{"&state=Hold", 0},
		{"&eventName=PIX_CASH_IN_WAS_CLEARED", 3},
		{"&context=Ted", 1},
		{"&context=Ted&state=Success", 0},
	} {
		if got := b.messages(tc.query).Meta.Total; got != tc.want {
			t.Errorf("%q: %d messages, want %d", tc.query, got, tc.want)
		}
	}
	p1, p2 := b.messages("&page=1&pageSize=3"), b.messages("&page=2&pageSize=3")
	if len(p1.Data) != 3 || len(p2.Data) != 1 || p1.Meta.Total != 4 || p2.Data[0].IdempotencyKey == p1.Data[0].IdempotencyKey {
		t.Fatalf("pages of 3: %d then %d items", len(p1.Data), len(p2.Data))
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
	var none messagesPage
	b.do(http.MethodGet, "/webhooks/processed-messages?startDate="+tomorrow+"&endDate="+tomorrow, nil, 200, &none)
	if none.Meta.Total != 0 {
		t.Fatalf("tomorrow has %d messages", none.Meta.Total)
	}
	old := time.Now().UTC().AddDate(0, -7, 0).Format("2006-01-02")
	recent := time.Now().UTC().AddDate(0, -5, 0).Format("2006-01-02")
	for _, q := range []string{
		"startDate=" + old + "&endDate=" + today(),
		"endDate=" + today(),
		"startDate=" + today(),
		"startDate=" + today() + "&endDate=" + recent,
		"startDate=" + today() + "&endDate=" + today() + "&pageSize=101",
		"startDate=" + today() + "&endDate=" + today() + "&state=Pending",
		"startDate=" + today() + "&endDate=" + today() + "&page=0",
		"startDate=" + today() + "&endDate=" + today() + "&page=6917529027641081857", // (page-1)*pageSize overflows
	} {
		b.do(http.MethodGet, "/webhooks/processed-messages?"+q, nil, 400, nil)
	}
	var body struct {
		Errors []struct{ PropertyName string } `json:"errors"`
	}
	b.do(http.MethodGet, "/webhooks/processed-messages?startDate="+old+"&endDate="+today(), nil, 400, &body)
	if len(body.Errors) != 1 || body.Errors[0].PropertyName != "startDate" {
		t.Fatalf("six-month refusal names %+v, want startDate", body.Errors)
	}
	b.do(http.MethodGet, "/webhooks/processed-messages?startDate="+recent+"&endDate="+today(), nil, 200, nil)
}

func TestBanklyOmitStatusOnGet(t *testing.T) {
	for _, omit := range []bool{false, true} {
		b := newBanklyAPI(t, emulator.Options{BanklyOmitStatus: omit})
		id := b.configuration("https://example.com/x", "Pix", "PIX_CASH_IN_WAS_CLEARED", "pub", privateKey)
		var one struct{ Data map[string]any }
		b.do(http.MethodGet, "/webhooks/configurations/"+id, nil, 200, &one)
		if _, has := one.Data["status"]; has == omit {
			t.Errorf("omit=%v: GET-by-id data %v", omit, one.Data)
		}
		var list struct{ Data []map[string]any }
		b.do(http.MethodGet, "/webhooks/configurations", nil, 200, &list)
		if list.Data[0]["status"] != "Enabled" {
			t.Errorf("omit=%v: the list lost status: %v", omit, list.Data[0])
		}
	}
}
