package api

import (
	"reflect"
	"testing"

	"github.com/hookctl/hookctl/internal/jsonx"
)

const scanPage = `{"data":[{"id":"m1","idempotencyKey":"k1","state":"Failed","destination":"https://example.com/h?a=1&b=2",` +
	`"sentDate":"2026-12-01T10:00:11.00","eventName":"PIX_CASH_IN_WAS_CLEARED","context":"Pix","retryCount":3,` +
	`"elapsedEventCapture":"00:00:00.0000000","elapsedHttpCall":"00:00:00.0010000",` +
	`"emulatorAttempts":[{"attemptedAt":"2026-12-01T10:00:08.00","statusCode":500,"responseExcerpt":"seeded"},{"statusCode":200}]},` +
	`{"idempotencyKey":"k2","state":"Success","emulatorAttempts":[]},{"idempotencyKey":"k3","retryCount":0}],` +
	`"links":[{"url":"/webhooks/processed-messages?page=2&pageSize=100","rel":"search_processed_messages","method":"GET"}],` +
	`"meta":{"page":1,"pageSize":100,"total":3}}`

// scanned is what ScanMessagePage gives for doc, beside what Unmarshal
// gives; ok is false when the scanner left doc to Unmarshal.
func scanned(t *testing.T, doc string) (got, want MessagePage, ok bool, werr error) {
	t.Helper()
	werr = jsonx.Unmarshal([]byte(doc), &want)
	got, ok = ScanMessagePage([]byte(doc), 100)
	return got, want, ok, werr
}

// The plain page a provider sends is decoded by the scanner, to exactly what
// Unmarshal decodes.
func TestScanMessagePageAsUnmarshal(t *testing.T) {
	for _, doc := range []string{
		scanPage,
		" \n" + scanPage + "\t ",
		`{"data":[]}`, `{}`, `{"meta":{}}`,
		`{"data":[{"idempotencyKey":"k\u00e9\n","destination":"https:\/\/example.com\/caf\u00e9"}]}`, // escapes
		`{"data":[{"idempotencyKey":"ключ","context":"Pix"}]}`,                                       // UTF-8
		"{\"data\":[{\"idempotencyKey\":\"bad \xff utf-8\"}]}",                                       // invalid UTF-8, replaced
		`{"data":[{"idempotencyKey":"k","extra":{"deep":[1,-2.5e+3,true,false,null,"x\"y"]}}],"other":null}`,
		`{"data":[{"idempotencyKey":"k","retryCount":-7}]}`,
	} {
		got, want, ok, werr := scanned(t, doc)
		if werr != nil {
			t.Fatalf("Unmarshal refuses %q: %v", doc, werr)
		}
		if !ok {
			t.Errorf("ScanMessagePage left the plain page %q to Unmarshal", doc)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ScanMessagePage(%q) =\n%+v\nUnmarshal:\n%+v", doc, got, want)
		}
	}
}

// Whatever the scanner does not take for certain it leaves to Unmarshal:
// names in another case or spelling, nulls, repeated members, numbers that
// are not plain integers, and every document that is not JSON.
func TestScanMessagePageLeavesTheRestToUnmarshal(t *testing.T) {
	for _, doc := range []string{
		`{"data":[{"IdempotencyKey":"k"}]}`, `{"data":[{"idempotency_key":"k"}]}`, `{"DATA":[]}`,
		`{"data":[{"idempotencyKey":null}]}`, `{"data":null}`, `{"meta":null}`, `{"data":[{"emulatorAttempts":null}]}`,
		`{"data":[{"idempotencyKey":"a","idempotencyKey":"b"}]}`, `{"data":[],"data":[]}`, `{"meta":{"total":1,"total":2}}`,
		`{"data":[{"retryCount":1.0}]}`, `{"data":[{"retryCount":1e2}]}`, `{"data":[{"retryCount":"1"}]}`, `{"meta":{"total":99999999999999999999}}`,
		`{"data":[{"idempotencyKey":"k"}]`, `{"data":[{"idempotencyKey":"k"}]} {}`, `{"data":[{"idempotencyKey":"k",}]}`,
		`{"data":[{"x":01}]}`, `{"data":[{"x":"\q"}]}`, "{\"data\":[{\"x\":\"a\tb\"}]}", `{"data":[{"x":tru}]}`, `[]`, ``,
		`{"data":[{"emulatorAttempts":[{"statusCode":500,"STATUSCODE":200}]}]}`,
		`{"d\u0061ta":[]}`,
	} {
		if _, ok := ScanMessagePage([]byte(doc), 100); ok {
			t.Errorf("ScanMessagePage took %q, which it must leave to Unmarshal", doc)
		}
	}
}

// A document the scanner takes is one Unmarshal takes, decoded alike.
func FuzzScanMessagePage(f *testing.F) {
	f.Add([]byte(scanPage))
	f.Add([]byte(`{"data":[{"idempotencyKey":"k\u00e9","Context":"x","emulatorAttempts":[{"statusCode":1}]}],"meta":{"total":0}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want MessagePage
		werr := jsonx.Unmarshal(data, &want)
		got, ok := ScanMessagePage(data, 2)
		if !ok {
			return
		}
		if werr != nil {
			t.Fatalf("ScanMessagePage accepts %q, which Unmarshal refuses (%v)", data, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ScanMessagePage(%q) = %+v, Unmarshal %+v", data, got, want)
		}
	})
}
