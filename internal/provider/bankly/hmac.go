package bankly

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// StringToSign is what Bankly's deliveries are signed over: the public key,
// the lower-cased PHP-style URL-encoding of the full URL, the request
// timestamp, the nonce and the base64 of the raw body, joined by "&".
func StringToSign(publicKey, fullURL, timestamp, nonce string, body []byte) string {
	return strings.Join([]string{
		publicKey,
		strings.ToLower(phpURLEncode(fullURL)),
		timestamp,
		nonce,
		base64.StdEncoding.EncodeToString(body),
	}, "&")
}

// phpURLEncode is PHP's urlencode: Go's QueryEscape leaves "~" alone, PHP does not.
func phpURLEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "~", "%7E")
}

// HMACKey returns the signing key: the private key's text as given (mode
// KeyModeRaw, the default: what the current public SDK signs with), or with
// KeyModeBase64 its decoded bytes (what an earlier commit of that SDK did).
func HMACKey(privateKey, mode string) ([]byte, error) {
	if mode != KeyModeBase64 {
		return []byte(privateKey), nil
	}
	key, err := base64.StdEncoding.DecodeString(privateKey)
	if err != nil {
		return nil, fmt.Errorf("the private key is not base64 (%v): pass {hmac-key} raw to sign with its text", err)
	}
	return key, nil
}

// Sign returns base64(HMAC-SHA256(key, message)).
func Sign(key []byte, message string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
