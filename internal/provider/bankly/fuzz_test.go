package bankly

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func FuzzDecodeConfiguration(f *testing.F) {
	f.Add([]byte(`{"data":{"id":"b933d415-9a9f-4e01-bd72-038ceb9fcfd0","name":"TED","context":"Ted","eventName":"TED_CASH_IN_WAS_CLEARED","uri":"https://e.com","publicKey":"k"},"links":[]}`))
	f.Add([]byte(`{"data":[{"id":"x","status":"Enabled"}]}`))
	f.Add([]byte(`{"data":[]}`))
	f.Add([]byte(`{"data":null}`))
	f.Add([]byte(`{"data":{"status":7}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := decodeOne(data)
		if err != nil {
			return
		}
		if w.Events == nil || w.Provider != Name {
			t.Fatalf("%+v", w)
		}
		if w.Enabled != (w.Status == "Enabled") {
			t.Fatalf("enabled %v for status %q", w.Enabled, w.Status)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"errors":[{"code":"INVALID_PARAMETER","propertyName":"uri","messages":["bad"]}]}`))
	f.Add(409, []byte(`{"errors":[{"code":"WEBHOOK_CONFIGURATION_ALREADY_EXISTS","messages":["This configuration already exists."]}]}`))
	f.Add(400, []byte(`{"title":"Bad Request","status":400,"traceId":"00-1"}`))
	f.Add(404, []byte(`{"code":"NOT_FOUND","message":"Configuration not found."}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Fuzz(func(t *testing.T, status int, data []byte) {
		err := DecodeError(status, http.Header{"X-Bkly-Correlation-Id": {"corr"}}, data)
		if err == nil || !strings.Contains(err.Error(), "bankly:") || !strings.Contains(err.Error(), "corr") {
			t.Fatalf("%v", err)
		}
	})
}

// FuzzHMAC checks the signing input: deterministic, verifiable with the
// decoded key, and sensitive to every part.
func FuzzHMAC(f *testing.F) {
	f.Add("pub", "https://example.com/hooks?a=1&b=~x y", "1615331979", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", []byte(`{"a":1}`), "NTRlNzM0NGMtNTdjMC00MjQ4LThiZTEtM2ZhMDg4NzcwZTA5")
	f.Add("", "", "", "", []byte{}, "")
	f.Fuzz(func(t *testing.T, pub, url, ts, nonce string, body []byte, priv string) {
		msg := StringToSign(pub, url, ts, nonce, body)
		if msg != StringToSign(pub, url, ts, nonce, body) {
			t.Fatal("not deterministic")
		}
		b64 := base64.StdEncoding.EncodeToString(body)
		tail := "&" + ts + "&" + nonce + "&" + b64
		if !strings.HasPrefix(msg, pub+"&") || !strings.HasSuffix(msg, tail) {
			t.Fatalf("layout: %q", msg)
		}
		urlPart := strings.TrimSuffix(strings.TrimPrefix(msg, pub+"&"), tail)
		if strings.ContainsAny(urlPart, "ABCDEFGHIJKLMNOPQRSTUVWXYZ &~") {
			t.Fatalf("URL part not lower-case PHP-escaped: %q", urlPart)
		}
		key, err := HMACKey(priv, "base64")
		if err != nil {
			return
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(msg))
		if Sign(key, msg) != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			t.Fatal("signature does not verify")
		}
	})
}
