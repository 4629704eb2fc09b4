package conektaemu

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// WebhookKey is a delivery signing key pair; PrivateKey (PKCS#8 PEM) is
// never served.
type WebhookKey struct {
	ID            string `json:"id"`
	Object        string `json:"object"`
	Active        bool   `json:"active"`
	Livemode      bool   `json:"livemode"`
	CreatedAt     int64  `json:"created_at"`
	DeactivatedAt *int64 `json:"deactivated_at"`
	PublicKey     string `json:"public_key"`
	PrivateKey    string `json:"private_key"`
}

// keyView is webhook_key_response.
type keyView struct {
	ID            string `json:"id"`
	Object        string `json:"object"`
	Active        bool   `json:"active"`
	Livemode      bool   `json:"livemode"`
	CreatedAt     int64  `json:"created_at"`
	DeactivatedAt *int64 `json:"deactivated_at"`
	PublicKey     string `json:"public_key"`
}

func (k *WebhookKey) view() keyView {
	return keyView{ID: k.ID, Object: "webhook_key", Active: k.Active, Livemode: k.Livemode, CreatedAt: k.CreatedAt,
		DeactivatedAt: k.DeactivatedAt, PublicKey: k.PublicKey}
}

// keyBits is the size of generated keys.
const keyBits = 2048

func generateKey(active bool) (*WebhookKey, *rsa.PrivateKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, nil, err
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	pub, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	k := &WebhookKey{ID: newID(), Object: "webhook_key", Active: active, CreatedAt: time.Now().Unix(),
		PublicKey:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	if !active {
		now := k.CreatedAt
		k.DeactivatedAt = &now
	}
	return k, priv, nil
}

func (s *Server) addKeyLocked(k *WebhookKey, priv *rsa.PrivateKey) {
	s.st.WebhookKeys = append(s.st.WebhookKeys, k)
	s.keys[k.ID] = priv
	s.changedLocked()
}

// EnsureWebhookKey creates an active signing key when none is active: the
// emulated account always has one, created on first need (generating it
// takes a moment, so not before).
func (s *Server) EnsureWebhookKey() error {
	s.mu.Lock()
	_, err := s.activeKeyLocked()
	s.mu.Unlock()
	if err == nil {
		return nil
	}
	k, priv, err := generateKey(true)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.activeKeyLocked(); err != nil {
		s.addKeyLocked(k, priv)
	}
	return nil
}

var errNoKey = errors.New("no active webhook key")

// activeKeyLocked is the newest active key.
func (s *Server) activeKeyLocked() (*rsa.PrivateKey, error) {
	for i := len(s.st.WebhookKeys) - 1; i >= 0; i-- {
		k := s.st.WebhookKeys[i]
		if !k.Active {
			continue
		}
		if priv := s.keys[k.ID]; priv != nil {
			return priv, nil
		}
		if b, _ := pem.Decode([]byte(k.PrivateKey)); b != nil {
			if parsed, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
				if priv, ok := parsed.(*rsa.PrivateKey); ok {
					s.keys[k.ID] = priv
					return priv, nil
				}
			}
		}
	}
	return nil, errNoKey
}

// signingKeyLocked is the newest active key, generated here in the rare
// case that one was deactivated since EnsureWebhookKey.
func (s *Server) signingKeyLocked() (*rsa.PrivateKey, error) {
	if priv, err := s.activeKeyLocked(); err == nil {
		return priv, nil
	}
	k, priv, err := generateKey(true)
	if err != nil {
		return nil, err
	}
	s.addKeyLocked(k, priv)
	return priv, nil
}

// Digest is the DIGEST header of a delivery: the base64 of the RSA
// PKCS#1 v1.5 signature of the SHA-256 of the body. Conekta documents "the
// sha256 of the body signed with the private key"; the encoding (base64)
// and padding (PKCS#1 v1.5) are the emulator's reading, not confirmed.
func Digest(priv *rsa.PrivateKey, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

func (s *Server) findKey(id string) (int, *WebhookKey) {
	for i, k := range s.st.WebhookKeys {
		if k.ID == id {
			return i, k
		}
	}
	return -1, nil
}

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	limit, ok := parseLimit(q)
	if !ok {
		invalid(w, version, "limit", "limit.invalid", "El parámetro limit no es válido.", "limit must be an integer from 1 to 250.")
		return
	}
	if err := s.EnsureWebhookKey(); err != nil {
		writeError(w, version, http.StatusInternalServerError, "api_error", "conekta.errors.api.system.general_failure",
			"Error interno.", "Generating the key pair failed.", nil)
		return
	}
	s.mu.Lock()
	all := []keyView{}
	for _, k := range s.st.WebhookKeys {
		if term := q.Get("search"); term != "" && !strings.Contains(k.ID, term) {
			continue
		}
		all = append(all, k.view())
	}
	s.mu.Unlock()
	page := paginate(all, func(k keyView) string { return k.ID }, q, limit, "webhook_keys")
	writeJSON(w, version, http.StatusOK, page.envelope(page.Items))
}

func (s *Server) getKey(w http.ResponseWriter, version, id string) {
	s.mu.Lock()
	_, k := s.findKey(id)
	var out keyView
	if k != nil {
		out = k.view()
	}
	s.mu.Unlock()
	if k == nil {
		notFoundKind(w, version, "WebhookKey", id)
		return
	}
	writeJSON(w, version, http.StatusOK, out)
}

// decodeActive reads an optional {"active": bool} body.
func decodeActive(w http.ResponseWriter, r *http.Request, version string, def bool) (bool, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		return false, false
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return def, true
	}
	var b struct {
		Active *bool `json:"active"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		writeError(w, version, http.StatusBadRequest, "malformed_request_error", "conekta.errors.malformed_request.json",
			"La solicitud no es un JSON válido.", "The request body is not a valid JSON object: "+err.Error(), nil)
		return false, false
	}
	if b.Active == nil {
		return def, true
	}
	return *b.Active, true
}

func (s *Server) createKey(w http.ResponseWriter, r *http.Request, version string) {
	active, ok := decodeActive(w, r, version, true)
	if !ok {
		return
	}
	k, priv, err := generateKey(active)
	if err != nil {
		writeError(w, version, http.StatusInternalServerError, "api_error", "conekta.errors.api.system.general_failure",
			"Error interno.", "Generating the key pair failed.", nil)
		return
	}
	out := map[string]any{"id": k.ID, "object": "webhook_key", "active": k.Active, "livemode": k.Livemode,
		"created_at": k.CreatedAt, "public_key": k.PublicKey}
	s.mu.Lock()
	s.addKeyLocked(k, priv)
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, out)
}

func (s *Server) updateKey(w http.ResponseWriter, r *http.Request, version, id string) {
	active, ok := decodeActive(w, r, version, false)
	if !ok {
		return
	}
	s.mu.Lock()
	_, k := s.findKey(id)
	if k == nil {
		s.mu.Unlock()
		notFoundKind(w, version, "WebhookKey", id)
		return
	}
	if k.Active != active {
		k.Active, k.DeactivatedAt = active, nil
		if !active {
			now := time.Now().Unix()
			k.DeactivatedAt = &now
		}
	}
	out := k.view()
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, out)
}

func (s *Server) deleteKey(w http.ResponseWriter, version, id string) {
	s.mu.Lock()
	i, k := s.findKey(id)
	if k == nil {
		s.mu.Unlock()
		notFoundKind(w, version, "WebhookKey", id)
		return
	}
	s.st.WebhookKeys = append(s.st.WebhookKeys[:i], s.st.WebhookKeys[i+1:]...)
	delete(s.keys, id)
	out := map[string]any{"id": k.ID, "object": "webhook_key", "active": k.Active, "livemode": k.Livemode,
		"created_at": k.CreatedAt, "deleted": true}
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, version, http.StatusOK, out)
}
