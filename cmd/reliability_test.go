package cmd_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/pki"
	"github.com/hookctl/hookctl/internal/provider/all"
	"github.com/hookctl/hookctl/internal/testutil/rawserver"
	"github.com/youmark/pkcs8"
)

// The secrets every reliability run plants; none may ever be printed.
const (
	relConektaKey = "key_reliability_SECRET_7f3a9c"
	relPassphrase = "passphrase-SECRET-91b2"
	relWebhookKey = "cmVsaWFiaWxpdHktd2ViaG9vay1zZWNyZXQ="
)

// counter counts what reached a fake server.
type counter struct {
	mu      sync.Mutex
	api     int
	creates int
	tokens  int
}

func (c *counter) add(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case r.URL.Path == "/oauth2/token":
		c.tokens++
	default:
		c.api++
		if r.Method == http.MethodPost && (r.URL.Path == "/webhooks" || r.URL.Path == "/webhooks/configurations") {
			c.creates++
		}
	}
}

// world is one isolated setup: a config file with a Conekta and a Bankly
// profile pointing at fakes whose behaviour a case chooses.
type world struct {
	t        *testing.T
	dir      string
	count    *counter
	conekta  string // base URL
	bankly   string
	tokenURL string
	files    map[string]string
	bemu     *banklyemu.Server
	ca       *pki.CA
	// raw counts the requests a raw TCP server read, when a case uses one;
	// rawPosts the POSTs among them, when the case counts them.
	raw, rawPosts *atomic.Int32
	// stdin is what the next command reads on standard input.
	stdin string
}

type fault func(n int, w http.ResponseWriter, r *http.Request, next http.Handler)

func newWorld(t *testing.T, conektaFault, banklyFault fault) *world {
	w := &world{t: t, dir: t.TempDir(), count: &counter{}, files: map[string]string{}}
	// Conekta: the emulator behind the case's fault.
	cemu := conektaemu.New(conektaemu.Options{})
	cemu.Seed(3)
	var cn atomic.Int32
	c := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.count.add(r)
		n := int(cn.Add(1))
		if conektaFault != nil {
			conektaFault(n, rw, r, cemu)
			return
		}
		cemu.ServeHTTP(rw, r)
	}))
	t.Cleanup(c.Close)
	w.conekta = c.URL

	ca, _ := pki.NewCA("reliability CA")
	w.ca = ca
	server, _ := ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})
	client, _ := ca.Issue("partner", pki.Options{})
	w.bemu = banklyemu.New(banklyemu.Options{ClientID: "rel-client"})
	w.bemu.Seed(3)
	var bn atomic.Int32
	b := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.count.add(r)
		n := int(bn.Add(1))
		if banklyFault != nil {
			banklyFault(n, rw, r, w.bemu)
			return
		}
		w.bemu.ServeHTTP(rw, r)
	}))
	b.TLS = pki.ServerTLS(server, ca)
	b.Config.ErrorLog = log.New(io.Discard, "", 0)
	b.StartTLS()
	t.Cleanup(b.Close)
	w.bankly, w.tokenURL = b.URL, b.URL+"/oauth2/token"

	encKey := encryptKey(t, client, relPassphrase)
	for name, data := range map[string]string{
		"conekta.key": relConektaKey, "ca.crt": string(ca.CertPEM), "client.crt": string(client.CertPEM),
		"client.key": encKey, "pass": relPassphrase, "wh.key": relWebhookKey,
	} {
		p := filepath.Join(w.dir, name)
		os.WriteFile(p, []byte(data), 0o600)
		w.files[name] = p
	}
	w.writeConfig(w.tokenURL, true)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(w.dir, "cache"))
	t.Setenv("HOOKCTL_PROFILE", "")
	t.Setenv("HOOKCTL_OUTPUT", "")
	t.Setenv("CONEKTA_API_KEY", "")
	t.Setenv("BANKLY_WEBHOOK_PRIVATE_KEY", relWebhookKey)
	t.Setenv("HOOKCTL_NO_TOKEN_CACHE", "")
	return w
}

func (w *world) writeConfig(tokenURL string, withCA bool) {
	ca := "    ca_file: ca.crt\n"
	if !withCA {
		ca = ""
	}
	cfg := filepath.Join(w.dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`profiles:
  c:
    provider: conekta
    base_url: %s
    api_key_file: conekta.key
  b:
    provider: bankly
    base_url: %s
    token_url: %s
    client_id: rel-client
    cert_file: client.crt
    key_file: client.key
    key_passphrase_file: pass
%s`, w.conekta, w.bankly, tokenURL, ca)), 0o600)
	w.t.Setenv("HOOKCTL_CONFIG", cfg)
}

// exec runs one command line in-process with a short backoff.
func (w *world) exec(args ...string) (string, string, int) {
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(w.stdin)
	f := cmdutil.New(ios, all.Providers)
	f.Retry = httpx.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
	code := cmd.Execute(context.Background(), f, args)
	return out.String(), errOut.String(), code
}

// secretsIn reports which planted secret appears in any of the texts or in a
// file under the world's directory other than where it was put.
func (w *world) secretsIn(texts ...string) []string {
	secrets := []string{relConektaKey, relPassphrase, relWebhookKey}
	for _, tok := range w.cachedTokens() {
		secrets = append(secrets, tok)
	}
	keyPEM, _ := os.ReadFile(w.files["client.key"])
	var leaks []string
	for _, s := range secrets {
		for _, text := range texts {
			// Every altered copy too: JSON-escaped, URL-encoded, %q (see encodedForms).
			for form, copy := range encodedForms(s) {
				if strings.Contains(text, copy) {
					leaks = append(leaks, s+" ("+form+")")
				}
			}
		}
	}
	body := strings.Split(string(keyPEM), "\n")
	if len(body) > 2 {
		for _, text := range texts {
			if strings.Contains(text, body[1]) {
				leaks = append(leaks, "client key PEM")
			}
		}
	}
	return leaks
}

func (w *world) cachedTokens() []string {
	files, _ := filepath.Glob(filepath.Join(w.dir, "cache", "hookctl", "tokens", "*.json"))
	var out []string
	for _, f := range files {
		data, _ := os.ReadFile(f)
		s := string(data)
		if i := strings.Index(s, `"access_token":"`); i >= 0 {
			rest := s[i+16:]
			out = append(out, rest[:strings.Index(rest, `"`)])
		}
	}
	return out
}

// row is one line of docs/reliability.md.
type row struct {
	section, name, command  string
	exit, requests, creates int
	message                 string
}

var (
	reportMu sync.Mutex
	report   []row
)

// record keeps one row per case, so that -count=N reports one run.
func record(r row) {
	reportMu.Lock()
	defer reportMu.Unlock()
	for i, old := range report {
		if old.section == r.section && old.name == r.name {
			report[i] = r
			return
		}
	}
	report = append(report, r)
}

func status(code int, body string, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// firstThen fails the first n requests with f and passes the rest on.
func firstThen(n int, f func(http.ResponseWriter)) fault {
	return func(i int, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if i <= n {
			f(w)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// createdThenEmpty lets the first request (a create) reach the emulator and
// answers it 204 with no body: the webhook exists, the answer says nothing.
func createdThenEmpty() fault {
	return func(n int, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if n == 1 {
			next.ServeHTTP(httptest.NewRecorder(), r)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// createdThenReset lets the first request (a create) reach the emulator and
// then breaks the connection: the configuration exists, its answer is lost.
func createdThenReset() fault {
	return func(n int, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if n == 1 {
			next.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		next.ServeHTTP(w, r)
	}
}

// capPages serves the emulator's pages at most n items long, whatever was asked.
func capPages(n int) fault {
	return func(_ int, w http.ResponseWriter, r *http.Request, next http.Handler) {
		q := r.URL.Query()
		if size, _ := strconv.Atoi(q.Get("pageSize")); size > n {
			q.Set("pageSize", strconv.Itoa(n))
			r.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, r)
	}
}

func always(f func(http.ResponseWriter)) fault {
	return func(i int, w http.ResponseWriter, r *http.Request, next http.Handler) { f(w) }
}

// apiOnly applies a fault to the API and lets the token endpoint through.
func apiOnly(f fault) fault {
	var n atomic.Int32
	return func(_ int, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/oauth2/token" {
			next.ServeHTTP(w, r)
			return
		}
		f(int(n.Add(1)), w, r, next)
	}
}

const html502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"

func TestReliabilityFaults(t *testing.T) {
	type tc struct {
		name       string
		cf, bf     fault
		setup      func(w *world) []string // returns args; may replace servers
		args       []string
		exit       int
		msg        string
		requests   int // API requests that reached the server; -1: not checked
		creates    int
		tokens     int // -1: not checked
		noCacheTok bool
	}
	create := []string{"--profile", "c", "webhooks", "create", "--url", "https://example.com/r", "--events", "order.paid"}
	bcreate := []string{"--profile", "b", "webhooks", "create", "--url", "https://example.com/r", "--event", "CARD_WAS_ISSUED", "--public-key", "pub"}
	list := []string{"--profile", "c", "webhooks", "list"}
	blist := []string{"--profile", "b", "webhooks", "list"}
	cases := []tc{
		{name: "503 then success (GET)", cf: firstThen(1, status(503, `{"type":"api_error"}`)), args: list, exit: 0, requests: 2, creates: 0, tokens: -1},
		{name: "502, 504 then success (PUT)", cf: func(i int, w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.Method == http.MethodPut && i <= 3 {
				status(502+2*(i-2), html502)(w)
				return
			}
			next.ServeHTTP(w, r)
		}, setup: func(w *world) []string {
			out, _, _ := w.exec("--profile", "c", "webhooks", "list", "-o", "json", "--jq", ".[0].id")
			return []string{"--profile", "c", "webhooks", "update", strings.TrimSpace(out), "--disable"}
		}, exit: 0, requests: 4, creates: 0, tokens: -1},
		{name: "429 with Retry-After: 1, then success", cf: firstThen(1, status(429, "", "Retry-After", "1")), args: list, exit: 0, requests: 2, tokens: -1},
		{name: "429 without Retry-After: stops at once", cf: firstThen(1, status(429, "")), args: list, exit: 1, msg: "Conekta is rate limiting; try again later", requests: 1, tokens: -1},
		{name: "429 with Retry-After: 1 on create, then success (never processed)", cf: firstThen(1, status(429, "", "Retry-After", "1")), args: create, exit: 0, requests: 2, creates: 2, tokens: -1},
		{name: "503 on create: not retried, looked up, proven absent", cf: firstThen(1, status(503, `{"type":"api_error"}`)), args: create, exit: 1, msg: "no such webhook exists, so it was not created", requests: 2, creates: 1, tokens: -1},
		{name: "204 to a create: looked up, found", cf: createdThenEmpty(), args: create, exit: 0, requests: 2, creates: 1, tokens: -1},
		{name: "503 four times: gives up after 3 retries", cf: always(status(503, "")), args: list, exit: 1, msg: "503", requests: 4, tokens: -1},
		{name: "HTML error page from a proxy (GET, 502)", cf: always(status(502, html502, "Content-Type", "text/html")), args: list, exit: 1, msg: "not Conekta JSON (text/html)", requests: 4, tokens: -1},
		{name: "HTML error page from a proxy (create, 502): the lookup fails too", cf: always(status(502, html502, "Content-Type", "text/html")), args: create, exit: 6, msg: "outcome is unknown", requests: 5, creates: 1, tokens: -1},
		{name: "truncated JSON", cf: always(status(200, `{"object":"list","has_more":false,"data":[{"id":"a`)), args: list, exit: 1, msg: "not valid JSON", requests: 1, tokens: -1},
		{name: "malformed JSON", cf: always(status(200, `{"object": list}`)), args: list, exit: 1, msg: "not valid JSON", requests: 1, tokens: -1},
		{name: "stalled server: --timeout ends it", cf: func(_ int, w http.ResponseWriter, r *http.Request, _ http.Handler) { <-r.Context().Done() },
			args: append([]string{"--timeout", "300ms"}, list...), exit: 1, msg: "timed out after 300ms", requests: 1, tokens: -1},
		{name: "401 from Conekta", cf: always(status(401, `{"details":[{"code":"conekta.errors.authentication.invalid_key","message":"Acceso no autorizado."}],"log_id":"507f","object":"error","type":"authentication_error"}`)), args: list, exit: 3, msg: "Acceso no autorizado", requests: 1, tokens: -1},
		{name: "422 from Conekta names the field", cf: always(status(422, `{"details":[{"code":"conekta.errors.parameter_validation.url","param":"url","message":"La url no es válida."}],"object":"error","type":"parameter_validation_error"}`)), args: create, exit: 1, msg: "[field url]", requests: 2, creates: 1, tokens: -1},
		{name: "connection reset before the request was read (GET)", setup: func(w *world) []string {
			u, n := rawserver.CloseOnAccept(w.t)
			w.raw = n
			return append([]string{"--base-url", u}, list...)
		}, exit: 1, msg: "the server closed or reset the connection", requests: 0, tokens: -1},
		{name: "connection reset after the request was sent (create: not repeated)", setup: func(w *world) []string {
			u, n, posts := rawserver.ResetAfterReadPosts(w.t)
			w.raw, w.rawPosts = n, posts
			return append([]string{"--base-url", u}, create...)
		}, exit: 6, msg: "the server closed or reset the connection after the request was sent", requests: 5, creates: 1, tokens: -1},
		{name: "connection reset after an update was sent: PUT retried, then outcome unknown", setup: func(w *world) []string {
			u, n := rawserver.ResetAfterRead(w.t)
			w.raw = n
			return []string{"--profile", "c", "--base-url", u, "webhooks", "update", "6307a60c41de27127515a575", "--disable"}
		}, exit: 6, msg: "the outcome is unknown", requests: 4, tokens: -1},
		{name: "connection reset after the request was sent (GET: retried)", setup: func(w *world) []string {
			u, n := rawserver.ResetAfterRead(w.t)
			w.raw = n
			return append([]string{"--base-url", u}, list...)
		}, exit: 1, msg: "the server closed or reset the connection", requests: 4, tokens: -1},
		{name: "connection refused (create is retried: it never left)", setup: func(w *world) []string {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			u := "http://" + ln.Addr().String()
			ln.Close()
			return append([]string{"--base-url", u}, create...)
		}, exit: 1, msg: "connection refused", requests: 0, tokens: -1},
		// Bankly
		{name: "Bankly: token endpoint down", setup: func(w *world) []string {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			ln.Close()
			w.writeConfig("https://"+addr+"/oauth2/token", true)
			return blist
		}, exit: 1, msg: "connection refused", requests: 0, tokens: 0},
		{name: "Bankly: token endpoint answers garbage", bf: func(_ int, w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == "/oauth2/token" {
				status(200, "<html>maintenance</html>", "Content-Type", "text/html")(w)
				return
			}
			next.ServeHTTP(w, r)
		}, args: blist, exit: 1, msg: "without a usable access token", requests: 0, tokens: 1},
		{name: "Bankly: token endpoint 503 then success", bf: func(i int, w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == "/oauth2/token" && i == 1 {
				status(503, "")(w)
				return
			}
			next.ServeHTTP(w, r)
		}, args: blist, exit: 0, requests: 1, tokens: 2},
		{name: "Bankly: token expires mid-run (401: refresh once)", bf: apiOnly(firstThen(1, status(401, `{"errors":[{"code":"UNAUTHORIZED","messages":["expired"]}]}`))), args: blist, exit: 0, requests: 2, tokens: 2},
		{name: "Bankly: 401 twice: no loop", bf: apiOnly(always(status(401, `{"errors":[{"code":"UNAUTHORIZED","messages":["expired"]}]}`))), args: blist, exit: 3, msg: "UNAUTHORIZED", requests: 2, tokens: 2},
		{name: "Bankly: 429 with Retry-After: 0 on create: stops at once, says when", bf: apiOnly(firstThen(1, status(429, "", "Retry-After", "0"))), args: bcreate, exit: 1, msg: "asks to wait five minutes: retry after ", requests: 1, creates: 1, tokens: 1},
		{name: "Bankly: 429 with Retry-After: 300 beyond --timeout: stops at once, says when", bf: apiOnly(always(status(429, "", "Retry-After", "300"))), args: blist, exit: 1, msg: "(Retry-After: 300)", requests: 1, tokens: 1},
		{name: "Bankly: TLS alert from the token endpoint (client certificate refused): not retried", setup: func(w *world) []string {
			cert, _ := w.ca.Issue("127.0.0.1", pki.Options{Server: true, Hosts: []string{"127.0.0.1"}})
			var hellos atomic.Int32
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()}, ClientAuth: tls.RequireAnyClientCert,
				GetConfigForClient:    func(*tls.ClientHelloInfo) (*tls.Config, error) { hellos.Add(1); return nil, nil },
				VerifyPeerCertificate: func([][]byte, [][]*x509.Certificate) error { return errors.New("not this certificate") }}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.StartTLS()
			w.t.Cleanup(srv.Close)
			w.raw = &hellos
			w.writeConfig(srv.URL+"/oauth2/token", true)
			return blist
		}, exit: 3, msg: "refused the TLS handshake (bad certificate)", requests: 1, tokens: 0},
		{name: "Bankly: server certificate for another host", setup: func(w *world) []string {
			cert, _ := w.ca.Issue("api.example.com", pki.Options{Server: true, Hosts: []string{"api.example.com"}})
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()}}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.StartTLS()
			w.t.Cleanup(srv.Close)
			w.writeConfig(srv.URL+"/oauth2/token", true)
			return blist
		}, exit: 1, msg: "is for api.example.com, not 127.0.0.1", requests: 0, tokens: 0},
		{name: "Bankly: 503 on create: not retried, looked up with a read token, proven absent", bf: apiOnly(firstThen(1, status(503, ""))), args: bcreate, exit: 1, msg: "no such webhook exists, so it was not created", requests: 2, creates: 1, tokens: 2},
		{name: "Bankly: reset after the create was sent, then found", bf: apiOnly(createdThenReset()), args: bcreate, exit: 0, requests: 2, creates: 1, tokens: 2},
		{name: "Conekta: a next cursor that repeats", cf: always(status(200, `{"object":"list","has_more":true,"next_page_url":"https://api.conekta.io/webhooks?next=c1","data":[{"id":"a1","object":"webhook","url":"https://e.com/1","status":"listening","active":true,"subscribed_events":[]}]}`, "Content-Type", "application/vnd.conekta-v2.3.0+json")), args: append(list, "--all"), exit: 1, msg: "the list is incomplete", requests: 2, tokens: -1},
		{name: "Conekta: an item without an id", cf: always(status(200, `{"object":"list","has_more":false,"data":[null]}`, "Content-Type", "application/vnd.conekta-v2.3.0+json")), args: list, exit: 1, requests: 1, tokens: -1},
		{name: "Bankly: meta.total of MaxInt64", bf: apiOnly(always(status(200, `{"data":[{"id":"a","uri":"https://e.com","status":"Enabled"}],"meta":{"page":1,"pageSize":100,"total":9223372036854775807}}`, "Content-Type", "application/json"))), args: append(blist, "--all"), exit: 1, msg: "is not a count", requests: 1, tokens: 1},
		{name: "Bankly: a negative meta.total", bf: apiOnly(always(status(200, `{"data":[],"meta":{"page":1,"pageSize":100,"total":-5}}`, "Content-Type", "application/json"))), args: append(blist, "--all"), exit: 1, msg: "is not a count", requests: 1, tokens: 1},
		{name: "Bankly: a null item", bf: apiOnly(always(status(200, `{"data":[null],"meta":{"page":1,"pageSize":20,"total":1}}`, "Content-Type", "application/json"))), args: blist, exit: 1, msg: "without an id", requests: 1, tokens: 1},
		{name: "Bankly: pages capped at 2 items while 100 are asked", bf: apiOnly(capPages(2)), args: append(blist, "--all"), exit: 0, requests: 2, tokens: 1},
		{name: "Bankly: 409 duplicate", setup: func(w *world) []string {
			w.exec(bcreate...)
			w.count = &counter{}
			return bcreate
		}, exit: 5, msg: "WEBHOOK_CONFIGURATION_ALREADY_EXISTS", requests: 1, creates: 1, tokens: 0},
		{name: "Bankly: client certificate from an unknown CA", setup: func(w *world) []string {
			other, _ := pki.NewCA("other")
			c, _ := other.Issue("x", pki.Options{})
			os.WriteFile(w.files["client.crt"], c.CertPEM, 0o600)
			os.WriteFile(w.files["client.key"], []byte(encryptKey(w.t, c, relPassphrase)), 0o600)
			return blist
		}, exit: 3, msg: "refused the client certificate", requests: 0, tokens: 0},
		{name: "Bankly: server certificate from an unknown CA", setup: func(w *world) []string {
			w.writeConfig(w.tokenURL, false)
			return blist
		}, exit: 1, msg: "not trusted", requests: 0, tokens: 0},
		{name: "Bankly: expired client certificate", setup: func(w *world) []string {
			c, _ := w.ca.Issue("x", pki.Options{NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
			os.WriteFile(w.files["client.crt"], c.CertPEM, 0o600)
			os.WriteFile(w.files["client.key"], []byte(encryptKey(w.t, c, relPassphrase)), 0o600)
			return blist
		}, exit: 3, msg: "expired", requests: 0, tokens: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, c.cf, c.bf)
			args := c.args
			if c.setup != nil {
				args = c.setup(w)
			}
			out, errOut, code := w.exec(append(args, "--debug")...)
			if w.raw != nil {
				w.count.api = int(w.raw.Load())
				if w.rawPosts != nil {
					w.count.creates = int(w.rawPosts.Load())
				} else if args[len(args)-4] == "create" || strings.Contains(strings.Join(args, " "), " create ") {
					w.count.creates = w.count.api
				}
			}
			if code != c.exit {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, c.exit, errOut)
			}
			lastErr := lastLine(errOut, "error:")
			if c.msg != "" && !strings.Contains(lastErr, c.msg) {
				t.Errorf("message %q does not contain %q", lastErr, c.msg)
			}
			if c.requests >= 0 && w.count.api != c.requests {
				t.Errorf("%d API requests reached the server, want %d", w.count.api, c.requests)
			}
			if w.count.creates != c.creates {
				t.Errorf("%d creates reached the server, want %d", w.count.creates, c.creates)
			}
			if c.tokens >= 0 && w.count.tokens != c.tokens {
				t.Errorf("%d token requests, want %d", w.count.tokens, c.tokens)
			}
			if code != 0 && out != "" {
				t.Errorf("a failed run printed on stdout: %q", out)
			}
			if leaks := w.secretsIn(out, errOut); len(leaks) > 0 {
				t.Errorf("secrets leaked: %v", leaks)
			}
			record(row{section: "fault", name: c.name, command: strings.Join(args, " "), exit: code, requests: w.count.api, creates: w.count.creates, message: lastErr})
		})
	}
}

// encryptKey returns the pair's key as encrypted PKCS#8 PEM.
func encryptKey(t *testing.T, p *pki.Pair, pass string) string {
	der, err := pkcs8.MarshalPrivateKey(p.Key, []byte(pass), nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
}

func lastLine(s, prefix string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], prefix) {
			return lines[i]
		}
	}
	return ""
}

func sortedReport(section string) []row {
	reportMu.Lock()
	defer reportMu.Unlock()
	var out []row
	for _, r := range report {
		if r.section == section {
			out = append(out, r)
		}
	}
	return out
}
