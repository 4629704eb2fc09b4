package bankly_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/provider/bankly"
)

const (
	testURI        = "https://example.com/hooks/pix?a=1~"
	testURIEncoded = "https%3a%2f%2fexample.com%2fhooks%2fpix%3fa%3d1%7e"
	testPrivate    = "c2VjcmV0LWtleS0wMTIzNDU2Nzg5"
)

// signed builds a delivery as Bankly signs it, computed here without the
// package's own string-to-sign.
func signed(t *testing.T, key []byte, body []byte, ts time.Time) http.Header {
	t.Helper()
	tsText := strconv.FormatInt(ts.Unix(), 10)
	msg := "pub-key&" + testURIEncoded + "&" + tsText + "&abc123&" + base64.StdEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	h := http.Header{}
	h.Set("Authorization", "hmac "+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	h.Set("publicKey", "pub-key")
	h.Set("nonce", "abc123")
	h.Set("requestTimestamp", tsText)
	h.Set("idempotency-Key", "idem-1")
	return h
}

func TestVerifyHMAC(t *testing.T) {
	now := time.Unix(1767225600, 0)
	body := []byte(`{"name":"PIX_CASH_IN_WAS_CLEARED","idempotencyKey":"idem-1"}`)
	textKey := []byte(testPrivate)
	b64Key, _ := base64.StdEncoding.DecodeString(testPrivate)
	good := signed(t, textKey, body, now.Add(-time.Minute))

	cases := []struct {
		name   string
		body   []byte
		header http.Header
		uri    string
		now    time.Time
		mode   string
		want   string // "" valid, else a part of the reason
	}{
		{"valid", body, good, testURI, now, "", ""},
		{"valid raw alias", body, good, testURI, now, "raw", ""},
		{"base64 key mode", body, signed(t, b64Key, body, now), testURI, now, "base64", ""},
		{"one byte changed", append([]byte{'['}, body[1:]...), good, testURI, now, "", "signature mismatch"},
		{"other URI", body, good, "https://example.com/hooks/pix", now, "", "signature mismatch"},
		{"stale timestamp", body, good, testURI, now.Add(10 * time.Minute), "", "stale requestTimestamp"},
		{"future timestamp", body, good, testURI, now.Add(-10 * time.Minute), "", "in the future"},
		{"wrong key mode", body, signed(t, b64Key, body, now), testURI, now, "", "it matches with the key read as base64"},
		{"missing authorization", body, without(good, "Authorization"), testURI, now, "", "missing authorization header"},
		{"missing nonce", body, without(good, "nonce"), testURI, now, "", "missing nonce header"},
		{"not hmac", body, with(good, "Authorization", "Bearer x"), testURI, now, "", "is not 'hmac <signature>'"},
		{"bad base64", body, with(good, "Authorization", "hmac !!!"), testURI, now, "", "bad base64"},
		{"bad timestamp", body, with(good, "requestTimestamp", "soon"), testURI, now, "", "not a Unix time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := bankly.VerifyHMAC(c.body, c.header, testPrivate, c.uri, c.now, 5*time.Minute, c.mode)
			if c.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
			if strings.Contains(err.Error(), testPrivate) {
				t.Fatalf("the private key leaked into %q", err)
			}
		})
	}
}

func TestVerifyHMACSkewZeroSkipsTheClock(t *testing.T) {
	body := []byte(`{}`)
	h := signed(t, []byte(testPrivate), body, time.Unix(1000, 0))
	if err := bankly.VerifyHMAC(body, h, testPrivate, testURI, time.Now(), 0, ""); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyHMACAgreesWithTheSigner(t *testing.T) {
	body := []byte("{\"a\":\"\u00e9\"}\n")
	ts := "1767225600"
	sig := bankly.Sign([]byte(testPrivate), bankly.StringToSign("pk", testURI, ts, "n1", body))
	h := http.Header{}
	h.Set("Authorization", "hmac "+sig)
	h.Set("publicKey", "pk")
	h.Set("nonce", "n1")
	h.Set("requestTimestamp", ts)
	if err := bankly.VerifyHMAC(body, h, testPrivate, testURI, time.Unix(1767225600, 0), time.Minute, bankly.KeyModeRaw); err != nil {
		t.Fatal(err)
	}
}

func without(h http.Header, k string) http.Header {
	c := h.Clone()
	c.Del(k)
	return c
}

func with(h http.Header, k, v string) http.Header {
	c := h.Clone()
	c.Set(k, v)
	return c
}

// TestVerifyHMACSkewBounds: a timestamp exactly maxSkew away is accepted,
// and the error says how far off a refused one is, in which direction.
func TestVerifyHMACSkewBounds(t *testing.T) {
	now := time.Unix(1767225600, 0)
	body := []byte(`{}`)
	for _, d := range []time.Duration{5 * time.Minute, -5 * time.Minute} {
		h := signed(t, []byte(testPrivate), body, now.Add(d))
		if err := bankly.VerifyHMAC(body, h, testPrivate, testURI, now, 5*time.Minute, ""); err != nil {
			t.Fatalf("%s off: %v", d, err)
		}
	}
	h := signed(t, []byte(testPrivate), body, now.Add(7*time.Minute))
	err := bankly.VerifyHMAC(body, h, testPrivate, testURI, now, 5*time.Minute, "")
	if err == nil || !strings.Contains(err.Error(), "is 7m0s in the future, beyond the allowed skew of 5m0s") {
		t.Fatalf("future: %v", err)
	}
	h = signed(t, []byte(testPrivate), body, now.Add(-7*time.Minute))
	err = bankly.VerifyHMAC(body, h, testPrivate, testURI, now, 5*time.Minute, "")
	if err == nil || !strings.Contains(err.Error(), "is 7m0s ago, beyond") {
		t.Fatalf("past: %v", err)
	}
}

// TestVerifyHMACNamesBothReadings: a signature made with the other reading
// of the key names both readings.
func TestVerifyHMACNamesBothReadings(t *testing.T) {
	now := time.Unix(1767225600, 0)
	body := []byte(`{}`)
	b64Key, _ := base64.StdEncoding.DecodeString(testPrivate)
	err := bankly.VerifyHMAC(body, signed(t, b64Key, body, now), testPrivate, testURI, now, time.Minute, "raw")
	if err == nil || err.Error() != "signature mismatch with the key read as raw; it matches with the key read as base64" {
		t.Fatalf("raw: %v", err)
	}
	err = bankly.VerifyHMAC(body, signed(t, []byte(testPrivate), body, now), testPrivate, testURI, now, time.Minute, "base64")
	if err == nil || err.Error() != "signature mismatch with the key read as base64; it matches with the key read as raw" {
		t.Fatalf("base64: %v", err)
	}
}
