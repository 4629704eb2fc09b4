package conekta

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// DigestHeader carries Conekta's signature of a delivery.
const DigestHeader = "Digest"

// ParsePublicKey reads an RSA public key from PEM: "PUBLIC KEY" (PKIX, as
// webhook_keys serves it), "RSA PUBLIC KEY" (PKCS#1) or a certificate. Text
// copied out of a JSON answer, with literal "\n", is accepted too.
func ParsePublicKey(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil && strings.Contains(string(data), `\n`) {
		block, _ = pem.Decode([]byte(strings.ReplaceAll(string(data), `\n`, "\n")))
	}
	if block == nil {
		return nil, errors.New("no PEM block found: give the public key as -----BEGIN PUBLIC KEY----- ... (webhook_keys' public_key)")
	}
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("PEM block %q is not a public key: give a PUBLIC KEY or RSA PUBLIC KEY block", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("unreadable %s PEM block: %v", block.Type, err)
	}
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the public key is %T, not RSA: Conekta signs with RSA", key)
	}
	return pub, nil
}

// VerifyDigest checks Conekta's DIGEST header: the base64 of an RSA
// (PKCS#1 v1.5) signature of the SHA-256 of the exact body bytes.
func VerifyDigest(body []byte, header http.Header, pub *rsa.PublicKey) error {
	if pub == nil {
		return errors.New("no public key to verify the DIGEST header with")
	}
	value := strings.TrimSpace(headerValue(header, DigestHeader))
	if value == "" {
		return errors.New("missing DIGEST header: Conekta signs every delivery in it")
	}
	sig, err := decodeBase64(value)
	if err != nil {
		return fmt.Errorf("bad base64 in the DIGEST header: %v", err)
	}
	if len(sig) != pub.Size() {
		return fmt.Errorf("signature mismatch: the DIGEST signature is %d bytes, the %d-bit public key signs %d (a different key?)", len(sig), pub.N.BitLen(), pub.Size())
	}
	sum := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return errors.New("signature mismatch: the DIGEST header does not sign the SHA-256 of this body with this public key (body changed, or a different key)")
	}
	return nil
}

func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// headerValue also finds a key that was stored without canonicalisation.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
