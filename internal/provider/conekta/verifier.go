package conekta

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/provider"
)

// Names of the verify inputs Conekta declares.
const (
	inPublicKey = "public-key"
	inKeyID     = "key-id"
)

// verifier implements provider.Verifier for Conekta's DIGEST header.
type verifier struct{}

// Detect implements provider.Verifier: Conekta signs in a DIGEST header and
// sends no HMAC authorization.
func (verifier) Detect(h http.Header) bool {
	return headerValue(h, DigestHeader) != "" && !strings.HasPrefix(strings.ToLower(h.Get("Authorization")), "hmac ")
}

// Describe implements provider.Verifier: an event's type and id.
func (verifier) Describe(d *provider.Received) (event, id string) {
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(d.Body, &ev)
	return ev.Type, ev.ID
}

// signingKey is a public key and where it came from.
type signingKey struct {
	name string
	pub  *rsa.PublicKey
}

// Prepare implements provider.Verifier: the key of {public-key} (a PEM
// file), or of {key-id} fetched from webhook_keys, or else every active key
// of the account.
func (verifier) Prepare(ctx context.Context, in provider.VerifyInput) (provider.VerifyFunc, error) {
	file, id := in.Input.String(inPublicKey), in.Input.String(inKeyID)
	var keys []signingKey
	switch {
	case file != "" && id != "":
		return nil, provider.Invalidf(inKeyID, "{public-key} and {key-id} both given: give one")
	case in.Input.Has(inPublicKey) && file == "":
		return nil, provider.Invalidf(inPublicKey, "{public-key} is empty: give the file holding the PEM public key")
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, provider.Invalidf(inPublicKey, "{public-key} %s: %v", file, unwrapPath(err))
		}
		pub, err := ParsePublicKey(data)
		if err != nil {
			return nil, provider.Invalidf(inPublicKey, "{public-key} %s: %v", file, err)
		}
		keys = []signingKey{{name: file, pub: pub}}
	default:
		var err error
		if keys, err = accountKeys(ctx, in, id); err != nil {
			return nil, err
		}
		now := in.Now
		if now == nil {
			now = time.Now
		}
		a := &accountCheck{in: in, id: id, keys: keys, loaded: now(), now: now}
		return a.check, nil
	}
	return func(d *provider.Received) error { return checkDigest(d, keys) }, nil
}

// KeyReloadInterval is the least time between two loads of the account's
// webhook keys: a DIGEST that the loaded keys do not verify (a key created
// or rotated since) reloads them, at most this often.
const KeyReloadInterval = 30 * time.Second

// keyReloadTimeout bounds one reload.
const keyReloadTimeout = 10 * time.Second

// accountCheck verifies with the account's keys, reloading them once when
// a signed delivery does not verify and the last load is old enough.
type accountCheck struct {
	in     provider.VerifyInput
	id     string
	now    func() time.Time
	mu     sync.Mutex
	keys   []signingKey
	loaded time.Time
}

func (a *accountCheck) check(d *provider.Received) error {
	a.mu.Lock()
	keys := a.keys
	a.mu.Unlock()
	err := checkDigest(d, keys)
	if err == nil || headerValue(d.Header, DigestHeader) == "" {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.keys) != len(keys) || (len(keys) > 0 && &a.keys[0] != &keys[0]) {
		// Reloaded meanwhile by another delivery: try the fresh keys.
		return checkDigest(d, a.keys)
	}
	if now := a.now(); now.Sub(a.loaded) >= KeyReloadInterval {
		a.loaded = now
		ctx, cancel := context.WithTimeout(context.Background(), keyReloadTimeout)
		fresh, lerr := accountKeys(ctx, a.in, a.id)
		cancel()
		if lerr != nil {
			if a.in.Debugf != nil {
				a.in.Debugf("conekta: a DIGEST did not verify; reloading the account's webhook keys failed: %v", lerr)
			}
			return err
		}
		if a.in.Debugf != nil {
			a.in.Debugf("conekta: a DIGEST did not verify with the loaded keys: reloaded the account's webhook keys (a key may have rotated)")
		}
		a.keys = fresh
		return checkDigest(d, fresh)
	}
	return err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// accountKeys fetches key id, or every active key, from webhook_keys.
func accountKeys(ctx context.Context, in provider.VerifyInput, id string) ([]signingKey, error) {
	if in.Provider == nil {
		return nil, provider.Invalidf(inPublicKey, "no public key: give {public-key} FILE (PEM) or {key-id} ID")
	}
	p, err := in.Provider()
	if err != nil {
		return nil, err
	}
	km, ok := p.(provider.KeyManager)
	if !ok {
		return nil, fmt.Errorf("conekta: this client cannot read webhook keys")
	}
	var found []provider.WebhookKey
	if id != "" {
		k, err := km.GetKey(ctx, id)
		if err != nil {
			return nil, err
		}
		found = []provider.WebhookKey{*k}
	} else {
		all, err := km.ListKeys(ctx, provider.KeyListOptions{All: true})
		if err != nil {
			return nil, err
		}
		for _, k := range all {
			if k.Active {
				found = append(found, k)
			}
		}
		if len(found) == 0 {
			return nil, provider.Invalidf(inPublicKey, "the account has no active webhook key to verify with: give {public-key} FILE or {key-id} ID")
		}
	}
	var keys []signingKey
	for _, k := range found {
		if k.PublicKey == "" && id == "" {
			if full, err := km.GetKey(ctx, k.ID); err == nil {
				k = *full
			}
		}
		if k.PublicKey == "" {
			return nil, provider.Invalidf(inKeyID, "Conekta does not show the public key of webhook key %s: give {public-key} FILE with the public_key `webhooks keys create` printed", k.ID)
		}
		pub, err := ParsePublicKey([]byte(k.PublicKey))
		if err != nil {
			return nil, fmt.Errorf("conekta: webhook key %s: %v", k.ID, err)
		}
		keys = append(keys, signingKey{name: "webhook key " + k.ID, pub: pub})
	}
	if in.Debugf != nil {
		in.Debugf("conekta: verifying DIGEST with %d webhook key(s) of the account", len(keys))
	}
	return keys, nil
}

// checkDigest accepts a delivery that one of keys signed.
func checkDigest(d *provider.Received, keys []signingKey) error {
	var first error
	for _, k := range keys {
		err := VerifyDigest(d.Body, d.Header, k.pub)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	reason := first.Error()
	if len(keys) > 1 && strings.HasPrefix(reason, "signature mismatch") {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.name
		}
		reason = fmt.Sprintf("signature mismatch: the DIGEST header does not sign the SHA-256 of this body with any of the %d keys (%s): body changed, or a different key", len(keys), strings.Join(names, ", "))
	}
	return &provider.SignatureError{Provider: Name, Reason: reason}
}

var _ provider.Verifier = verifier{}
