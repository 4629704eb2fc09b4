package conekta_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/provider/conekta"
)

func digestHeader(t *testing.T, key *rsa.PrivateKey, body []byte) http.Header {
	t.Helper()
	sum := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h["DIGEST"] = []string{base64.StdEncoding.EncodeToString(sig)}
	return h
}

func TestParsePublicKeyForms(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	pkix, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pkixPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})
	pkcs1PEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)})
	jsonEscaped := strings.ReplaceAll(string(pkixPEM), "\n", `\n`)
	for name, data := range map[string]string{"pkix": string(pkixPEM), "pkcs1": string(pkcs1PEM), "json-escaped": jsonEscaped} {
		pub, err := conekta.ParsePublicKey([]byte(data))
		if err != nil || !pub.Equal(&key.PublicKey) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name, c := range map[string]struct{ data, want string }{
		"no pem":      {"not a key", "no PEM block"},
		"private key": {string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})), "is not a public key"},
		"garbage":     {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("xx")})), "unreadable PUBLIC KEY"},
	} {
		if _, err := conekta.ParsePublicKey([]byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: want %q, got %v", name, c.want, err)
		}
	}
}

func TestVerifyDigest(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	other, _ := rsa.GenerateKey(rand.Reader, 1024)
	body := []byte(`{"id":"evt_1","type":"charge.paid","data":{"object":{"amount":100}}}`)
	good := digestHeader(t, key, body)
	if err := conekta.VerifyDigest(body, good, &key.PublicKey); err != nil {
		t.Fatalf("valid: %v", err)
	}
	changed := append([]byte{}, body...)
	changed[len(changed)-2] = ']'
	bad := http.Header{}
	bad.Set("Digest", "%%%")
	for name, c := range map[string]struct {
		body   []byte
		header http.Header
		pub    *rsa.PublicKey
		want   string
	}{
		"one byte changed": {changed, good, &key.PublicKey, "signature mismatch"},
		"other key":        {body, good, &other.PublicKey, "signature mismatch"},
		"missing":          {body, http.Header{}, &key.PublicKey, "missing DIGEST header"},
		"bad base64":       {body, bad, &key.PublicKey, "bad base64"},
	} {
		if err := conekta.VerifyDigest(c.body, c.header, c.pub); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: want %q, got %v", name, c.want, err)
		}
	}
}

func TestVerifyDigestEmptyHeader(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 1024)
	for _, h := range []http.Header{{"DIGEST": {}}, {"digest": {}}, {"Digest": {" "}}} {
		if err := conekta.VerifyDigest([]byte("{}"), h, &key.PublicKey); err == nil || err.Error() != "missing DIGEST header: Conekta signs every delivery in it" {
			t.Fatalf("%v: %v", h, err)
		}
	}
}
