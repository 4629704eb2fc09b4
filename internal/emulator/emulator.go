package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
	"github.com/hookctl/hookctl/internal/pki"
)

// ClientID is the Bankly client id the emulator registers.
const ClientID = "hookctl-emulator"

// Options configure a run of both emulators.
type Options struct {
	Dir            string // state directory: certificates, config, persisted state
	Addr           string // listen host, default 127.0.0.1
	ConektaPort    int    // 0: any free port
	BanklyPort     int
	Seed           int
	Persist        bool
	AllowLocalURLs bool
	Latency        time.Duration
	FailRate       float64
	// RetryAfter is the Retry-After, in seconds, of an emulated failure
	// (default 1; -1 for 0).
	RetryAfter int
	// RetrySchedule is the wait before each retry of a failed delivery
	// (nil: delivery.DefaultSchedule; Bankly makes three retries whatever its length).
	RetrySchedule []time.Duration
	// BanklyOmitStatus leaves status out of Bankly's GET-by-id answers.
	BanklyOmitStatus bool
	// BanklyHMACKey is how Bankly deliveries read the HMAC key from the
	// privateKey: "raw" (default) or "base64".
	BanklyHMACKey string
}

// Running is a started pair of emulators.
type Running struct {
	ConektaURL string
	BanklyURL  string
	Conekta    *conektaemu.Server
	Bankly     *banklyemu.Server
	// BanklyConnections counts TCP connections (so TLS handshakes) to Bankly.
	BanklyConnections atomic.Int64
	Files             Files
	servers           []*http.Server
	wg                sync.WaitGroup
}

// Files are what the emulator writes into the state directory.
type Files struct {
	CA, ClientCert, ClientKey, ConektaKey, State string
}

type persisted struct {
	Conekta conektaemu.State `json:"conekta"`
	Bankly  banklyemu.State  `json:"bankly"`
}

// Start starts both emulators on loopback.
func Start(o Options) (*Running, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1"
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	r := &Running{Files: Files{
		CA: filepath.Join(o.Dir, "ca.crt"), ClientCert: filepath.Join(o.Dir, "client.crt"),
		ClientKey: filepath.Join(o.Dir, "client.key"), ConektaKey: filepath.Join(o.Dir, "conekta.key"),
		State: filepath.Join(o.Dir, "state.json"),
	}}
	ca, err := pki.NewCA("hookctl emulator CA")
	if err != nil {
		return nil, err
	}
	server, err := ca.Issue(o.Addr, pki.Options{Server: true, Hosts: []string{o.Addr, "localhost"}})
	if err != nil {
		return nil, err
	}
	client, err := ca.Issue(ClientID, pki.Options{})
	if err != nil {
		return nil, err
	}
	for path, data := range map[string][]byte{
		r.Files.CA: ca.CertPEM, r.Files.ClientCert: client.CertPEM, r.Files.ClientKey: client.KeyPEM,
		r.Files.ConektaKey: []byte("key_emulator_0123456789abcdef\n"),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, err
		}
		_ = os.Chmod(path, 0o600)
	}

	var saveMu sync.Mutex
	var state persisted
	save := func() {}
	if o.Persist {
		if data, err := os.ReadFile(r.Files.State); err == nil {
			if err := json.Unmarshal(data, &state); err != nil {
				return nil, fmt.Errorf("%s: %v", r.Files.State, err)
			}
		}
		save = func() {
			data, _ := json.MarshalIndent(state, "", "  ")
			tmp := r.Files.State + ".tmp"
			if os.WriteFile(tmp, data, 0o600) == nil {
				_ = os.Rename(tmp, r.Files.State)
			}
		}
	}
	r.Conekta = conektaemu.New(conektaemu.Options{AllowLocalURLs: o.AllowLocalURLs, Deliver: true, RetrySchedule: o.RetrySchedule, OnChange: func(s conektaemu.State) {
		saveMu.Lock()
		defer saveMu.Unlock()
		state.Conekta = s
		save()
	}})
	r.Bankly = banklyemu.New(banklyemu.Options{ClientID: ClientID, OmitStatus: o.BanklyOmitStatus, HMACKey: o.BanklyHMACKey,
		RetrySchedule: o.RetrySchedule, OnChange: func(s banklyemu.State) {
			saveMu.Lock()
			defer saveMu.Unlock()
			state.Bankly = s
			save()
		}})
	if o.Persist {
		r.Conekta.Restore(state.Conekta)
		r.Bankly.Restore(state.Bankly)
	}
	if o.Seed > 0 {
		r.Conekta.Seed(min(o.Seed, conektaemu.MaxWebhooks))
		r.Bankly.Seed(o.Seed)
	}

	quiet := log.New(io.Discard, "", 0)
	cl, err := net.Listen("tcp", net.JoinHostPort(o.Addr, fmt.Sprint(o.ConektaPort)))
	if err != nil {
		return nil, err
	}
	bl, err := net.Listen("tcp", net.JoinHostPort(o.Addr, fmt.Sprint(o.BanklyPort)))
	if err != nil {
		cl.Close()
		return nil, err
	}
	retryAfter := o.RetryAfter
	switch {
	case retryAfter == 0:
		retryAfter = 1
	case retryAfter < 0:
		retryAfter = 0
	}
	conektaChaos := &Chaos{Latency: o.Latency, FailRate: o.FailRate, RetryAfter: retryAfter, Fail: conektaemu.Unavailable}
	banklyChaos := &Chaos{Latency: o.Latency, FailRate: o.FailRate, RetryAfter: retryAfter, Fail: banklyemu.Unavailable}
	cs := &http.Server{Handler: conektaChaos.Wrap(r.Conekta), ErrorLog: quiet, ReadHeaderTimeout: 10 * time.Second}
	bs := &http.Server{Handler: banklyChaos.Wrap(r.Bankly), ErrorLog: quiet, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: pki.ServerTLS(server, ca),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				r.BanklyConnections.Add(1)
			}
		}}
	r.servers = []*http.Server{cs, bs}
	r.ConektaURL = "http://" + cl.Addr().String()
	r.BanklyURL = "https://" + bl.Addr().String()
	r.wg.Add(2)
	go func() { defer r.wg.Done(); _ = cs.Serve(cl) }()
	// ServeTLS negotiates HTTP/2, as an API front does: concurrent pages share one connection.
	go func() { defer r.wg.Done(); _ = bs.ServeTLS(bl, "", "") }()
	return r, nil
}

// Stop shuts both servers down: in-flight requests get a short grace, then
// connections still open (idle HTTP/2 clients wait for a GOAWAY timeout of a
// second) are closed.
func (r *Running) Stop(ctx context.Context) error {
	grace, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
	defer cancel()
	var errs []error
	for _, s := range r.servers {
		if err := s.Shutdown(grace); err != nil {
			if err := s.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	r.wg.Wait()
	r.Conekta.Close()
	r.Bankly.Close()
	return errors.Join(errs...)
}

// Config is the hookctl config with the two emulator profiles.
func (r *Running) Config() string {
	return fmt.Sprintf(`# Written by hookctl emulator: two profiles for the local emulators.
default_profile: conekta-emulator
profiles:
  conekta-emulator:
    provider: conekta
    base_url: %s
    api_key_file: %s
  bankly-emulator:
    provider: bankly
    base_url: %s
    token_url: %s/oauth2/token
    client_id: %s
    cert_file: %s
    key_file: %s
    ca_file: %s
`, r.ConektaURL, r.Files.ConektaKey, r.BanklyURL, r.BanklyURL, ClientID, r.Files.ClientCert, r.Files.ClientKey, r.Files.CA)
}
