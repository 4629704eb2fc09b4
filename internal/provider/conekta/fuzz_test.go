package conekta

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func FuzzDecodeWebhook(f *testing.F) {
	f.Add([]byte(`{"id":"6307a60c41de27127515a575","url":"https://example.com","active":true,"subscribed_events":["order.paid"]}`))
	f.Add([]byte(`{"url":"https://u:p@example.com","synchronous":false,"deleted":true}`))
	f.Add([]byte(`{"subscribed_events":null,"active":"yes"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := normalize(data)
		if err != nil {
			return
		}
		if w.Events == nil {
			t.Fatal("events must never be null")
		}
		if u, err := url.Parse(w.URL); err == nil && u.User != nil && u.User.String() != "%5BREDACTED%5D" {
			t.Fatalf("user-info kept in %q", w.URL)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(401, []byte(`{"details":[{"code":"conekta.errors.authentication.missing_key","message":"Acceso no autorizado.","debug_message":"Please include your access key in your request.","param":null}],"log_id":"507f1f77bcf86cd799439011","object":"error","type":"authentication_error"}`))
	f.Add(502, []byte(`<html><body>Bad gateway</body></html>`))
	f.Add(422, []byte(`{"details":[{"param":"url"}]}`))
	f.Fuzz(func(t *testing.T, status int, data []byte) {
		err := DecodeError(status, http.Header{}, data)
		if err == nil || err.Error() == "" {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), "\n") && !strings.Contains(string(data), "\n") {
			t.Fatal("multi-line message")
		}
	})
}
