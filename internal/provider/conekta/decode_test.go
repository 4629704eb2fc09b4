package conekta_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/provider/conekta"
	pt "github.com/hookctl/hookctl/internal/provider/providertest"
	"github.com/hookctl/hookctl/internal/redact"
)

// answering serves one status, content type and body to every request.
func answering(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv, _ := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
	return srv.URL
}

func getError(t *testing.T, base string) *provider.APIError {
	t.Helper()
	_, err := newClient(t, base, nil).Get(context.Background(), "6307a60c41de27127515a575")
	var ae *provider.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%v, want an API error", err)
	}
	return ae
}

func TestErrorDetailsDecodedExactly(t *testing.T) {
	body := `{"object":"error","type":"parameter_validation_error","log_id":"507f1f77bcf86cd799439011","details":[` +
		`{"code":"conekta.errors.first","message":"Primero.","debug_message":"First.","param":null},` +
		`{"code":"conekta.errors.second","message":"Igual.","debug_message":"Igual.","param":"url"},` +
		`{"code":"","message":"","debug_message":"Only debug.","param":"events"},` +
		`{"code":"conekta.errors.fourth","message":"Sin debug."},` +
		`{"message":"","debug_message":""}]}`
	ae := getError(t, answering(t, http.StatusUnprocessableEntity, "application/json", body))
	want := provider.APIError{
		Provider: "conekta", Status: 422, Code: "conekta.errors.first", Type: "parameter_validation_error", Param: "url",
		Message:   "Primero. (First.); Igual.; Only debug.; Sin debug.",
		RequestID: "507f1f77bcf86cd799439011", RequestIDLabel: "log_id",
	}
	if *ae != want {
		t.Fatalf("decoded\n %+v\nwant\n %+v", *ae, want)
	}
}

func TestErrorTypeWithoutDetails(t *testing.T) {
	ae := getError(t, answering(t, http.StatusBadRequest, "application/json", `{"object":"error","type":"api_error","details":[]}`))
	if ae.Type != "api_error" || ae.Message != "" || ae.Code != "" || ae.RequestID != "" {
		t.Fatalf("%+v, want type api_error and nothing else", *ae)
	}
}

func TestErrorNotConektaJSON(t *testing.T) {
	for _, c := range []struct{ name, contentType, body, message string }{
		{"JSON without type or details", "application/json", `{"message":"no"}`, `the answer was not Conekta JSON (application/json): {"message":"no"}`},
		{"HTML", "text/html", "<html>\n  Bad request\n</html>", "the answer was not Conekta JSON (text/html): <html> Bad request </html>"},
		{"empty", "", "", ""},
		{"blank", "text/plain", " \n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ae := getError(t, answering(t, http.StatusBadRequest, c.contentType, c.body))
			if ae.Message != c.message || ae.Type != "" || ae.Status != 400 {
				t.Fatalf("%+v, want message %q", *ae, c.message)
			}
		})
	}
}

// A 2xx status beyond 200 is a success however rare.
func TestStatus299IsSuccess(t *testing.T) {
	base := answering(t, 299, "application/json", `{"id":"6307a60c41de27127515a575","object":"webhook","url":"https://example.com/h","active":true,"status":"listening","subscribed_events":[]}`)
	w, err := newClient(t, base, nil).Get(context.Background(), "6307a60c41de27127515a575")
	if err != nil || w.ID != "6307a60c41de27127515a575" {
		t.Fatalf("299: %v %+v", err, w)
	}
}

func TestListStopReasonsExact(t *testing.T) {
	for _, c := range []struct {
		name string
		h    http.HandlerFunc
		want string
	}{
		{"repeating cursor", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "loop", hook(fmt.Sprintf("w%d", len(r.URL.Query().Get("next")))))
		}, `conekta: the list is incomplete: Conekta's next cursor "loop" repeats after 2 pages`},
		{"the same items under new cursors", func(w http.ResponseWriter, r *http.Request) {
			listPage(w, true, "c"+r.URL.Query().Get("next"), hook("a"), hook("b"))
		}, "conekta: the list is incomplete: page 2 brought no new webhooks although Conekta says more follow"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := misbehaving(t, c.h)
			_, err := newClient(t, srv.URL, nil).List(context.Background(), provider.ListOptions{All: true})
			if err == nil || err.Error() != c.want {
				t.Fatalf("%v, want %q", err, c.want)
			}
		})
	}
}

func TestUnknownEventWarned(t *testing.T) {
	srv, _, seen := fake(t, conektaemu.Options{})
	var warnings []string
	p, err := conekta.New(&provider.Env{
		Settings: pt.Settings{Info: conekta.Info(), Values: settings{"api_key": testKey}}, BaseURL: srv.URL, Redactor: redact.New(),
		Warnf: func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) },
		HTTPClient: func(*tls.Config, *httpx.LazySystemRoots) *http.Client {
			return httpx.New(httpx.Options{UserAgent: "hookctl/test"})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(context.Background(), provider.CreateRequest{Fields: provider.Fields{URL: pt.Str("https://example.com/h"), Events: &[]string{"order.paid", "order.teleported"}}}); err != nil {
		t.Fatal(err)
	}
	want := `event "order.teleported" is not in Conekta's known catalog (hookctl webhooks events); sending it anyway`
	if len(warnings) != 1 || warnings[0] != want {
		t.Fatalf("warnings %q, want [%q]", warnings, want)
	}
	if rs := seen(); len(rs) != 1 || rs[0].Body != `{"url":"https://example.com/h","subscribed_events":["order.paid","order.teleported"]}` {
		t.Fatalf("sent %+v", rs)
	}
}

func TestTestAnswerIDs(t *testing.T) {
	for _, c := range []struct{ name, answer, id string }{
		{"without an id", `{"object":"webhook","url":"https://example.com/h"}`, "6307a60c41de27127515a575"},
		{"with its own id", `{"id":"6307a60c41de27127515a576","object":"webhook","url":"https://example.com/h"}`, "6307a60c41de27127515a576"},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := answering(t, http.StatusOK, "application/json", c.answer)
			res, err := newClient(t, base, nil).(provider.Tester).Test(context.Background(), "6307a60c41de27127515a575", provider.TestOptions{})
			if err != nil || res.ID != c.id || res.URL != "https://example.com/h" || res.Synthetic || !res.OK || string(res.Raw) != c.answer || res.Provider != "conekta" {
				t.Fatalf("%v %+v, want id %s", err, res, c.id)
			}
		})
	}
}
