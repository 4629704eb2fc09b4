package bankly

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Key modes of VerifyHMAC: the private key's text as given (the default, as
// the public SDK signs), or its base64-decoded bytes.
const (
	KeyModeRaw    = "raw"
	KeyModeBase64 = "base64"
)

// VerifyHMAC checks a Bankly delivery: it recomputes what Bankly signs (see
// StringToSign) over registeredURI, the URI registered in the configuration,
// since a tunnel or proxy changes the URL the receiver sees. requestTimestamp
// must be within maxSkew of now (maxSkew 0 skips that check). keyMode is
// "" or "raw" (the key's text; "text" is accepted too) or "base64".
// The error names the part that differs; it never contains the key.
func VerifyHMAC(body []byte, header http.Header, privateKey, registeredURI string, now time.Time, maxSkew time.Duration, keyMode string) error {
	key, err := verifyKey(privateKey, keyMode)
	if err != nil {
		return err
	}
	if registeredURI == "" {
		return errors.New("no registered URI: Bankly signs the configuration's uri, give it")
	}
	auth := strings.TrimSpace(header.Get("Authorization"))
	if auth == "" {
		return errors.New("missing authorization header: Bankly sends 'authorization: hmac <signature>'")
	}
	scheme, sigText, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "hmac") {
		return errors.New("the authorization header is not 'hmac <signature>'")
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sigText))
	if err != nil {
		return fmt.Errorf("bad base64 in the authorization signature: %v", err)
	}
	var missing []string
	values := map[string]string{}
	for _, name := range []string{"publicKey", "requestTimestamp", "nonce"} {
		v := header.Get(name)
		if v == "" {
			missing = append(missing, name)
		}
		values[name] = v
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s header: Bankly signs it", strings.Join(missing, ", "))
	}
	ts := values["requestTimestamp"]
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("requestTimestamp %q is not a Unix time in seconds", ts)
	}
	if maxSkew > 0 {
		sent := time.Unix(secs, 0)
		if d := now.Sub(sent); d > maxSkew || d < -maxSkew {
			when := fmt.Sprintf("%s ago", d.Round(time.Second))
			if d < 0 {
				when = fmt.Sprintf("%s in the future", (-d).Round(time.Second))
			}
			return fmt.Errorf("stale requestTimestamp: %s (%s) is %s, beyond the allowed skew of %s", ts, sent.UTC().Format(time.RFC3339), when, maxSkew)
		}
	}
	message := StringToSign(values["publicKey"], registeredURI, ts, values["nonce"], body)
	if hmac.Equal(sig, rawSign(key, message)) {
		return nil
	}
	hint := "the body, the registered URI, publicKey, nonce or the private key differs"
	if other, ok := otherKey(privateKey, keyMode); ok && hmac.Equal(sig, rawSign(other, message)) {
		return fmt.Errorf("signature mismatch with the key read as %s; it matches with the key read as %s", modeName(keyMode), otherMode(keyMode))
	}
	return fmt.Errorf("signature mismatch: the HMAC over publicKey, the URI %s, requestTimestamp, nonce and the body does not match (%s)", registeredURI, hint)
}

func verifyKey(privateKey, mode string) ([]byte, error) {
	if privateKey == "" {
		return nil, errors.New("no private key: Bankly signs with the configuration's private key")
	}
	switch mode {
	case "", KeyModeRaw, "text":
		return []byte(privateKey), nil
	case KeyModeBase64:
		key, err := base64.StdEncoding.DecodeString(privateKey)
		if err != nil {
			return nil, errors.New("the private key is not base64: read it as raw text (the default) instead")
		}
		return key, nil
	}
	return nil, fmt.Errorf("unknown key mode %q: use raw or base64", mode)
}

func otherKey(privateKey, mode string) ([]byte, bool) {
	k, err := verifyKey(privateKey, otherMode(mode))
	return k, err == nil
}

func modeName(mode string) string {
	if mode == KeyModeBase64 {
		return KeyModeBase64
	}
	return KeyModeRaw
}

func otherMode(mode string) string {
	if mode == KeyModeBase64 {
		return KeyModeRaw
	}
	return KeyModeBase64
}

func rawSign(key []byte, message string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(message))
	return mac.Sum(nil)
}
