package bankly

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/youmark/pkcs8"
)

// errCertNotAccepted is returned from GetClientCertificate when the server
// asks for certificates from CAs that did not issue ours: the handshake
// stops there, deterministically, instead of failing later as a broken pipe.
type errCertNotAccepted struct{ cas []string }

func (e *errCertNotAccepted) Error() string {
	return fmt.Sprintf("the server does not accept this client certificate: it asks for one issued by %s", strings.Join(e.cas, "; "))
}

// NonRetryable tells the retry transport not to try again.
func (e *errCertNotAccepted) NonRetryable() bool { return true }

// tlsFiles are the TLS settings of a profile: each file's path and contents.
type tlsFiles struct {
	CertFile, KeyFile, CAFile string
	CertPEM, KeyPEM, CAPEM    []byte
	Passphrase                string
}

// readTLSFiles reads the certificate, key and CA files through the settings,
// which refuse a key file everyone may read.
func readTLSFiles(s provider.Settings) (tlsFiles, error) {
	var f tlsFiles
	if s.Path("cert_file") == "" || s.Path("key_file") == "" {
		return f, provider.Invalidf("cert_file", "Bankly needs a client certificate: set cert_file and key_file in the profile (or BANKLY_CERT_FILE and BANKLY_KEY_FILE)")
	}
	var err error
	if f.CertFile, f.CertPEM, err = s.ReadFile("cert_file"); err != nil {
		return f, err
	}
	if f.KeyFile, f.KeyPEM, err = s.ReadFile("key_file"); err != nil {
		return f, err
	}
	if f.CAFile, f.CAPEM, err = s.ReadFile("ca_file"); err != nil {
		return f, err
	}
	return f, nil
}

// loadTLS builds the mTLS client configuration: the partner's certificate,
// the system roots plus ca_file, TLS 1.2 or newer.
func loadTLS(f tlsFiles, now time.Time) (*tls.Config, *httpx.LazySystemRoots, error) {
	certPEM, keyPEM := f.CertPEM, f.KeyPEM
	keyDER, err := decodeKey(keyPEM, f.Passphrase, f.KeyFile)
	if err != nil {
		return nil, nil, err
	}
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return nil, nil, provider.Invalidf("cert_file", "cert_file %s and key_file %s do not make a pair (%v): use the certificate Bankly issued with its own key", f.CertFile, f.KeyFile, err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil, nil, provider.Invalidf("cert_file", "cert_file %s: %v", f.CertFile, err)
	}
	if now.After(leaf.NotAfter) {
		return nil, nil, &provider.AuthError{Msg: fmt.Sprintf("the client certificate %s expired on %s: issue a new one with Bankly (POST /partners/{companyKey}/certificates) and update cert_file/key_file", f.CertFile, leaf.NotAfter.UTC().Format(time.RFC3339))}
	}
	if now.Before(leaf.NotBefore) {
		return nil, nil, &provider.AuthError{Msg: fmt.Sprintf("the client certificate %s is not valid before %s: check the system clock, or wait", f.CertFile, leaf.NotBefore.UTC().Format(time.RFC3339))}
	}
	// Without ca_file, Go loads the system roots at the first handshake. With
	// it, servers are verified against ca_file first and the system roots are
	// loaded (tens of milliseconds) only if that fails.
	var rootCAs *x509.CertPool
	var lazy *httpx.LazySystemRoots
	if f.CAFile != "" {
		cas, err := parseCAs(f.CAFile, f.CAPEM)
		if err != nil {
			return nil, nil, err
		}
		rootCAs = x509.NewCertPool()
		for _, c := range cas {
			rootCAs.AddCert(c)
		}
		lazy = &httpx.LazySystemRoots{Extra: cas}
	}
	cert.Leaf = leaf
	conf := &tls.Config{
		RootCAs:    rootCAs,
		MinVersion: tls.VersionTLS12,
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if err := cri.SupportsCertificate(&cert); err != nil && len(cri.AcceptableCAs) > 0 {
				return nil, &errCertNotAccepted{cas: acceptableCANames(cri.AcceptableCAs)}
			}
			return &cert, nil
		},
	}
	return conf, lazy, nil
}

// parseCAs parses every certificate of a PEM bundle.
func parseCAs(path string, data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, provider.Invalidf("ca_file", "ca_file %s: %v: give a PEM CA bundle", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, provider.Invalidf("ca_file", "ca_file %s holds no PEM certificate: give a PEM CA bundle", path)
	}
	return out, nil
}

func acceptableCANames(raw [][]byte) []string {
	var out []string
	for _, der := range raw {
		var name pkixName
		if _, err := asn1Unmarshal(der, &name); err == nil {
			out = append(out, name.String())
		}
	}
	if len(out) == 0 {
		out = []string{"another CA"}
	}
	return out
}

// decodeKey returns the PKCS#8 DER of a PEM key, decrypting it when needed:
// encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"), which the standard library
// cannot open, and legacy "Proc-Type: 4,ENCRYPTED" PEM.
func decodeKey(data []byte, passphrase, path string) ([]byte, error) {
	var block *pem.Block
	rest := data
	for {
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, provider.Invalidf("key_file", "key_file %s holds no PEM private key: give the PEM key of the client certificate", path)
		}
		if strings.Contains(block.Type, "PRIVATE KEY") {
			break
		}
	}
	needPass := func() error {
		return provider.Invalidf("key_file", "key_file %s is encrypted: set key_passphrase_file in the profile (or BANKLY_KEY_PASSPHRASE)", path)
	}
	wrongPass := func(err error) error {
		return &provider.AuthError{Msg: fmt.Sprintf("cannot decrypt key_file %s with the configured passphrase (%v): check key_passphrase", path, err)}
	}
	var key any
	var err error
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		if passphrase == "" {
			return nil, needPass()
		}
		key, err = pkcs8.ParsePKCS8PrivateKey(block.Bytes, []byte(passphrase))
		if err != nil {
			return nil, wrongPass(err)
		}
	//nolint:staticcheck // legacy encrypted PEM is still what some tools write
	case x509.IsEncryptedPEMBlock(block):
		if passphrase == "" {
			return nil, needPass()
		}
		der, derr := x509.DecryptPEMBlock(block, []byte(passphrase)) //nolint:staticcheck
		if derr != nil {
			return nil, wrongPass(derr)
		}
		key, err = parseAnyKey(der)
	default:
		key, err = parseAnyKey(block.Bytes)
	}
	if err != nil {
		return nil, provider.Invalidf("key_file", "key_file %s: %v", path, err)
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

func parseAnyKey(der []byte) (any, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not a PKCS#8, PKCS#1 or EC private key")
}

// classifyTLS turns TLS failures into errors that say what to fix: a refused
// client certificate is an authentication failure (exit 3); an untrusted
// server certificate is not.
func classifyTLS(err error, host string) error {
	if err == nil {
		return nil
	}
	var notAccepted *errCertNotAccepted
	if errors.As(err, &notAccepted) {
		return &provider.AuthError{Msg: fmt.Sprintf("%s refused the client certificate: %v; use the certificate Bankly issued (cert_file/key_file)", host, notAccepted), Err: err}
	}
	te := httpx.ClassifyTLS(err, host, "if Bankly's CA is private, add it with ca_file")
	if te != nil && te.Refused() {
		return &provider.AuthError{Msg: fmt.Sprintf("%s refused the TLS handshake (%s): check that cert_file/key_file are the certificate Bankly issued and that it is still valid", host, te.Alert), Err: te}
	}
	if te != nil {
		return te
	}
	return httpx.Network(err, host)
}
