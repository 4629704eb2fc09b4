package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
)

// transferProbe fetches the pages a Bankly listing reads, as hookctl does
// (one page, then the rest at once, over one mutual-TLS HTTP/2 connection),
// and drops their bodies: what moving the bytes alone costs, with no
// decoding and no printing, in this process. Each probe is a new client, as
// each invocation is.
func transferProbe(emu *emulator.Running, path string, query url.Values, pages int) (probe, error) {
	conf, err := clientTLS(emu)
	if err != nil {
		return nil, err
	}
	token, err := clientToken(emu, conf)
	if err != nil {
		return nil, err
	}
	get := func(c *http.Client, page int) error {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", fmt.Sprint(page))
		req, _ := http.NewRequest(http.MethodGet, emu.BanklyURL+path+"?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("api-version", "1.0")
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s page %d: %s", path, page, resp.Status)
		}
		return nil
	}
	return func() (sample, error) {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: conf.Clone(), ForceAttemptHTTP2: true}}
		defer c.CloseIdleConnections()
		start := time.Now()
		if err := get(c, 1); err != nil {
			return sample{}, err
		}
		var wg sync.WaitGroup
		errs := make(chan error, pages)
		for n := 2; n <= pages; n++ {
			wg.Go(func() {
				if err := get(c, n); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		d := time.Since(start)
		close(errs)
		if err := <-errs; err != nil {
			return sample{}, err
		}
		return sample{wall: d}, nil
	}, nil
}

func clientTLS(emu *emulator.Running) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(emu.Files.ClientCert, emu.Files.ClientKey)
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(emu.Files.CA)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

func clientToken(emu *emulator.Running, conf *tls.Config) (string, error) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: conf.Clone()}}
	defer c.CloseIdleConnections()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {emulator.ClientID}, "scope": {"webhook.read"}}
	resp, err := c.Post(emu.BanklyURL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("token: %v (%s)", err, resp.Status)
	}
	return t.AccessToken, nil
}
