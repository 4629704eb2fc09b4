package listen_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/listen"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/hookctl/hookctl/internal/provider/bankly"
	"github.com/hookctl/hookctl/internal/rawhttp"
)

// signer is a Conekta-style key pair written to a PEM file.
type signer struct {
	priv    *rsa.PrivateKey
	pemFile string
}

func newSigner(t *testing.T) signer {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	file := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return signer{priv, file}
}

func (s signer) digest(t *testing.T, body []byte) string {
	sum := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.priv, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func info(t *testing.T, name string) provider.Info {
	for _, i := range all.Providers() {
		if i.Name == name {
			return i
		}
	}
	t.Fatalf("no provider %s", name)
	return provider.Info{}
}

// prepare is the verify function of a provider over the given inputs.
func prepare(t *testing.T, name string, in provider.VerifyInput) provider.VerifyFunc {
	t.Helper()
	check, err := info(t, name).Verifier.Prepare(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return check
}

// collector gathers the records a receiver reports.
type collector struct {
	mu   sync.Mutex
	recs []listen.Record
}

func (c *collector) report(r listen.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, r)
}

func (c *collector) all() []listen.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]listen.Record(nil), c.recs...)
}

func start(t *testing.T, o listen.Options) (*listen.Receiver, *collector) {
	t.Helper()
	c := &collector{}
	o.Addr = "127.0.0.1:0"
	o.Providers = all.Providers()
	o.Report = c.report
	r, err := listen.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Shutdown(time.Second) })
	return r, c
}

func post(t *testing.T, url string, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const conektaBody = `{"id":"evt_0123456789abcdef01234567","object":"event","type":"charge.paid","data":{"object":{"amount":1000}}}`

// TestForwardExactBytes: the forward target gets the method, the headers and
// the body byte for byte; the sender gets the target's status and answer.
func TestForwardExactBytes(t *testing.T) {
	s := newSigner(t)
	type seen struct {
		method, path string
		header       http.Header
		body         []byte
	}
	got := make(chan seen, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.Header.Clone(), b}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "taken")
	}))
	t.Cleanup(target.Close)
	check := prepare(t, "conekta", provider.VerifyInput{Input: provider.Values{"public-key": {s.pemFile}}})
	r, c := start(t, listen.Options{ForwardTo: target.URL + "/app/hooks", Verify: map[string]provider.VerifyFunc{"conekta": check}})

	// Bytes a re-encoding would change: spacing, key order, a non-ASCII escape.
	body := []byte("{\"type\":  \"charge.paid\", \"id\":\"evt_1\",\"note\":\"\\u00e9 caf\u00e9\"}\n")
	h := http.Header{"Digest": {s.digest(t, body)}, "Content-Type": {"application/json"}, "X-Custom": {"a", "b"}}
	status, answer := post(t, r.URL()+"/in?x=1", h, body)
	if status != http.StatusAccepted || answer != "taken" {
		t.Fatalf("sender got %d %q, want 202 taken", status, answer)
	}
	f := <-got
	if f.method != http.MethodPost || f.path != "/app/hooks" || !bytes.Equal(f.body, body) {
		t.Fatalf("forwarded %s %s %q, want POST /app/hooks %q", f.method, f.path, f.body, body)
	}
	if f.header.Get("Digest") != h.Get("Digest") || strings.Join(f.header["X-Custom"], ",") != "a,b" || f.header.Get("Content-Type") != "application/json" {
		t.Fatalf("forwarded headers %v", f.header)
	}
	recs := c.all()
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	rec := recs[0]
	if rec.Provider != "conekta" || rec.Event != "charge.paid" || rec.ID != "evt_1" || rec.Signature != listen.Valid ||
		rec.ForwardStatus == nil || *rec.ForwardStatus != 202 || rec.Status != 202 {
		t.Fatalf("record %+v", rec)
	}
}

// TestRespondOverridesForward: --respond answers every delivery with its
// status while the forward still happens and is reported.
func TestRespondOverridesForward(t *testing.T) {
	var hits int
	var mu sync.Mutex
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	t.Cleanup(target.Close)
	r, c := start(t, listen.Options{ForwardTo: target.URL, Respond: 500})
	for i := 0; i < 3; i++ {
		if status, _ := post(t, r.URL(), http.Header{"Digest": {"x"}}, []byte(conektaBody)); status != 500 {
			t.Fatalf("status %d, want 500", status)
		}
	}
	recs := c.all()
	if len(recs) != 3 || hits != 3 {
		t.Fatalf("%d records, %d forwards, want 3 and 3", len(recs), hits)
	}
	for _, rec := range recs {
		if rec.Status != 500 || rec.ForwardStatus == nil || *rec.ForwardStatus != 200 || rec.Signature != listen.Unchecked {
			t.Fatalf("record %+v", rec)
		}
	}
}

// TestForwardFailure: an unreachable target answers the sender 502 and
// reports the error, with no forward status.
func TestForwardFailure(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	r, c := start(t, listen.Options{ForwardTo: url})
	status, answer := post(t, r.URL(), nil, []byte("{}"))
	recs := c.all()
	if status != http.StatusBadGateway || !strings.Contains(answer, "forwarding failed") || len(recs) != 1 {
		t.Fatalf("status %d %q, %d records", status, answer, len(recs))
	}
	if recs[0].ForwardStatus != nil || recs[0].ForwardError == "" || recs[0].Provider != "" || recs[0].Status != 502 {
		t.Fatalf("record %+v", recs[0])
	}
}

// TestSaveVerifyRoundTrip: a saved request reads back (rawhttp) to the same
// bytes and verifies; one changed body byte does not.
func TestSaveVerifyRoundTrip(t *testing.T) {
	s := newSigner(t)
	dir := filepath.Join(t.TempDir(), "saved")
	r, c := start(t, listen.Options{SaveDir: dir})
	bodies := [][]byte{[]byte(conektaBody), []byte(strings.Replace(conektaBody, "charge.paid", "order.paid", 1))}
	for _, b := range bodies {
		if status, _ := post(t, r.URL()+"/hooks", http.Header{"Digest": {s.digest(t, b)}}, b); status != 200 {
			t.Fatalf("status %d, want 200", status)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("%d files (%v), want 2", len(entries), err)
	}
	names := []string{entries[0].Name(), entries[1].Name()}
	if !sort.StringsAreSorted(names) || !strings.HasSuffix(names[0], "-000001.http") || !strings.HasSuffix(names[1], "-000002.http") {
		t.Fatalf("names %v do not sort by arrival", names)
	}
	recs := c.all()
	if len(recs) != 2 || recs[0].File != filepath.Join(dir, names[0]) {
		t.Fatalf("records %+v", recs)
	}
	check := prepare(t, "conekta", provider.VerifyInput{Input: provider.Values{"public-key": {s.pemFile}}})
	for i, e := range entries {
		path := filepath.Join(dir, e.Name())
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %o, want 600", path, st.Mode().Perm())
		}
		data, _ := os.ReadFile(path)
		req, body, err := rawhttp.ReadRequest(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, bodies[i]) || req.RequestURI != "/hooks" {
			t.Fatalf("saved %s %q, want /hooks %q", req.RequestURI, body, bodies[i])
		}
		d := &provider.Received{Method: req.Method, RequestURI: req.RequestURI, Host: req.Host, Header: req.Header, Body: body}
		if err := check(d); err != nil {
			t.Fatalf("saved request %d: %v", i, err)
		}
		changed := bytes.Clone(body)
		changed[len(changed)/2] ^= 1
		d.Body = changed
		var se *provider.SignatureError
		if err := check(d); err == nil || !asSignature(err, &se) || !strings.Contains(se.Reason, "signature mismatch") {
			t.Fatalf("one changed byte: %v, want a signature mismatch", err)
		}
	}
}

func asSignature(err error, se **provider.SignatureError) bool {
	e, ok := err.(*provider.SignatureError)
	*se = e
	return ok
}

// TestDetectAndVerify: each delivery's provider comes from its headers; a
// Bankly delivery signed with another key is invalid, with the reason; a
// provider without a check is unchecked with the reason given.
func TestDetectAndVerify(t *testing.T) {
	s := newSigner(t)
	now := time.Now()
	private := "cHJpdmF0ZS1rZXktb2YtdGhlLWNvbmZpZ3VyYXRpb24="
	bCheck := prepare(t, "bankly", provider.VerifyInput{Input: provider.Values{"private-key": {private}}, Now: func() time.Time { return now }})
	r, c := start(t, listen.Options{
		Verify:  map[string]provider.VerifyFunc{"bankly": bCheck},
		Skipped: map[string]string{"conekta": "not verified: no public key"},
	})
	uri := r.URL() + "/pix"
	bBody := []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED","idempotencyKey":"3f0c2b1a-0000-4000-8000-000000000001","data":{}}`)
	bankHeader := func(key string) http.Header {
		stamp := strconv.FormatInt(now.Unix(), 10)
		sig := bankly.Sign([]byte(key), bankly.StringToSign("pub-1", uri, stamp, "abc123", bBody))
		return http.Header{"Authorization": {"hmac " + sig}, "Publickey": {"pub-1"}, "Nonce": {"abc123"}, "Requesttimestamp": {stamp}, "Idempotency-Key": {"3f0c2b1a-0000-4000-8000-000000000001"}}
	}
	post(t, uri, bankHeader(private), bBody)
	post(t, uri, bankHeader("another-key"), bBody)
	post(t, r.URL()+"/c", http.Header{"Digest": {s.digest(t, []byte(conektaBody))}}, []byte(conektaBody))
	post(t, r.URL()+"/x", http.Header{"X-Other": {"1"}}, []byte("{}"))
	recs := c.all()
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	want := []struct{ provider, event, id, signature, reason string }{
		{"bankly", "PIX_CASH_IN_WAS_CLEARED", "3f0c2b1a-0000-4000-8000-000000000001", listen.Valid, ""},
		{"bankly", "PIX_CASH_IN_WAS_CLEARED", "3f0c2b1a-0000-4000-8000-000000000001", listen.Invalid, "signature mismatch"},
		{"conekta", "charge.paid", "evt_0123456789abcdef01234567", listen.Unchecked, "not verified: no public key"},
		{"", "", "", listen.Unchecked, "no provider's signature headers found"},
	}
	for i, w := range want {
		g := recs[i]
		if g.Provider != w.provider || g.Event != w.event || g.ID != w.id || g.Signature != w.signature || !strings.Contains(g.Reason, w.reason) || (w.reason == "" && g.Reason != "") {
			t.Fatalf("record %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestShutdownFinishesInFlight: a delivery in flight when the receiver stops
// is answered and reported; new connections are refused after.
func TestShutdownFinishesInFlight(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(target.Close)
	r, c := start(t, listen.Options{ForwardTo: target.URL})
	done := make(chan int, 1)
	go func() {
		resp, err := http.Post(r.URL(), "application/json", strings.NewReader("{}"))
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- r.Shutdown(10 * time.Second) }()
	close(release)
	if status := <-done; status != http.StatusCreated {
		t.Fatalf("in-flight delivery answered %d, want 201", status)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if n := len(c.all()); n != 1 {
		t.Fatalf("%d records, want 1", n)
	}
	if _, err := http.Post(r.URL(), "application/json", strings.NewReader("{}")); err == nil {
		t.Fatal("the receiver still accepts deliveries after Shutdown")
	}
}

// TestLine is the human line of a record.
func TestLine(t *testing.T) {
	st := 200
	got := listen.Line(listen.Record{Time: "2026-01-02T15:04:05.123456789Z", Provider: "conekta", Event: "order.paid", ID: "evt_1",
		Signature: listen.Valid, ForwardStatus: &st, Status: 200, File: "saved/a.http"})
	want := "2026-01-02T15:04:05Z conekta order.paid evt_1 signature=valid forward=200 answered=200 saved=saved/a.http"
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if got := listen.Line(listen.Record{Time: "x", Signature: listen.Unchecked, ForwardError: "refused", Status: 502}); got != "x - - - signature=unchecked forward=error answered=502" {
		t.Fatalf("got %q", got)
	}
}
