// Package acme is a test-only provider: it proves that a new provider is one
// folder plus one registry entry. Its API is a small JSON API with a bearer
// token, served in memory by Server.
package acme

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/validate"
)

// Name is the provider's name on the command line.
const Name = "acme"

// Info registers the provider.
func Info() provider.Info {
	return provider.Info{
		Name:  Name,
		Title: "Acme",
		Doc:   "Acme (test only): bearer token, /hooks",
		Keys: []provider.Key{
			{Name: "acme_token", Env: "ACME_TOKEN", Secret: true, Doc: "Acme API token"},
			{Name: "acme_region", Env: "ACME_REGION", Default: "eu", Doc: "eu or us"},
		},
		Flags: []provider.Flag{
			{Name: "acme-tag", Verbs: []string{"create"}, Usage: "tag of the hook"},
			{Name: "cursor", Verbs: []string{"list"}, Paging: true, Usage: "start at this cursor"},
		},
		Events: func() []provider.EventInfo {
			return []provider.EventInfo{{Provider: Name, Name: "thing.happened"}}
		},
		New: New,
	}
}

// Client talks to one Acme account.
type Client struct {
	http  *http.Client
	base  *url.URL
	token string
}

// New builds a client from the settings.
func New(env *provider.Env) (provider.Provider, error) {
	token := env.Get("acme_token")
	if token == "" {
		return nil, provider.Invalidf("acme_token", "no Acme token: set ACME_TOKEN or acme_token")
	}
	env.Redactor.Add(token)
	if r := env.Get("acme_region"); r != "eu" && r != "us" {
		return nil, provider.Invalidf("acme_region", "acme_region %q: use eu or us", r)
	}
	base := env.BaseURL
	if base == "" {
		base = "https://" + env.Get("acme_region") + ".acme.test"
	}
	u, err := validate.CredentialURL("{base-url}", base)
	if err != nil {
		return nil, provider.Invalidf("base_url", "%v", err)
	}
	return &Client{http: env.HTTPClient(nil, nil), base: u, token: token}, nil
}

func (c *Client) Name() string { return Name }

type hook struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Events  []string `json:"events"`
	Enabled bool     `json:"enabled"`
	Tag     string   `json:"tag,omitempty"`
}

func (h hook) webhook() provider.Webhook {
	raw, _ := json.Marshal(h)
	status := "off"
	if h.Enabled {
		status = "on"
	}
	return provider.Webhook{Provider: Name, ID: h.ID, URL: h.URL, Enabled: h.Enabled, Status: status, Events: h.Events, Raw: raw}
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return &provider.APIError{Provider: Name, Status: resp.StatusCode, Message: string(bytes.TrimSpace(raw))}
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// List pages by cursor, two items a page.
func (c *Client) List(ctx context.Context, o provider.ListOptions) (*provider.ListResult, error) {
	res := &provider.ListResult{Items: []provider.Webhook{}}
	cursor := o.Input.String("cursor")
	for {
		var page struct {
			Data []hook `json:"data"`
			Next string `json:"next"`
		}
		if err := c.do(ctx, http.MethodGet, "/hooks?cursor="+url.QueryEscape(cursor), nil, &page); err != nil {
			return nil, err
		}
		for _, h := range page.Data {
			if o.Status != "" && h.Enabled != (o.Status == "enabled") {
				continue
			}
			res.Items = append(res.Items, h.webhook())
		}
		if o.Limit > 0 && len(res.Items) >= o.Limit {
			res.Items = res.Items[:o.Limit]
			if page.Next != "" {
				res.Next = &provider.Continuation{Input: provider.Values{"cursor": {page.Next}}, Order: []string{"cursor"}}
			}
			return res, nil
		}
		if page.Next == "" {
			return res, nil
		}
		cursor = page.Next
	}
}

func (c *Client) Get(ctx context.Context, id string) (*provider.Webhook, error) {
	var h hook
	if err := c.do(ctx, http.MethodGet, "/hooks/"+url.PathEscape(id), nil, &h); err != nil {
		return nil, err
	}
	w := h.webhook()
	return &w, nil
}

func (c *Client) Create(ctx context.Context, r provider.CreateRequest) (*provider.Webhook, error) {
	if r.Fields.URL == nil {
		return nil, provider.Invalidf("url", "{url} is required")
	}
	h := hook{URL: *r.Fields.URL, Enabled: true, Tag: r.Input.String("acme-tag"), Events: []string{"thing.happened"}}
	if r.Fields.Events != nil {
		h.Events = *r.Fields.Events
	}
	if err := c.do(ctx, http.MethodPost, "/hooks", h, &h); err != nil {
		return nil, err
	}
	w := h.webhook()
	return &w, nil
}

func (c *Client) Update(ctx context.Context, id string, r provider.UpdateRequest) (*provider.Webhook, error) {
	cur, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	h := hook{ID: id, URL: cur.URL, Events: cur.Events, Enabled: cur.Enabled}
	if r.Set.URL != nil {
		h.URL = *r.Set.URL
	}
	if r.Set.Enabled != nil {
		h.Enabled = *r.Set.Enabled
	}
	if err := c.do(ctx, http.MethodPut, "/hooks/"+url.PathEscape(id), h, &h); err != nil {
		return nil, err
	}
	w := h.webhook()
	return &w, nil
}

func (c *Client) Delete(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/hooks/"+url.PathEscape(id), nil, nil)
}

var _ provider.Provider = (*Client)(nil)

// Server is Acme's API, in memory; as an http.RoundTripper it answers
// without a socket, so tests can inject it as the transport.
type Server struct {
	hooks []hook
	next  int
	// Auth records the Authorization header of every request.
	Auth []string
}

// RoundTrip serves one request.
func (s *Server) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	s.Auth = append(s.Auth, r.Header.Get("Authorization"))
	status, body := s.serve(r)
	b, _ := json.Marshal(body)
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(b)), Request: r, ContentLength: int64(len(b))}, nil
}

// ServeHTTP serves the same API over a socket.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, _ := s.RoundTrip(r)
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (s *Server) serve(r *http.Request) (int, any) {
	id := ""
	if len(r.URL.Path) > len("/hooks/") {
		id = r.URL.Path[len("/hooks/"):]
	}
	find := func() int {
		for i, h := range s.hooks {
			if h.ID == id {
				return i
			}
		}
		return -1
	}
	switch {
	case r.Method == http.MethodGet && id == "":
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		end := min(start+2, len(s.hooks))
		page := struct {
			Data []hook `json:"data"`
			Next string `json:"next,omitempty"`
		}{Data: append([]hook{}, s.hooks[min(start, end):end]...)}
		if end < len(s.hooks) {
			page.Next = strconv.Itoa(end)
		}
		return 200, page
	case r.Method == http.MethodPost:
		var h hook
		json.NewDecoder(r.Body).Decode(&h)
		s.next++
		h.ID = fmt.Sprintf("hk_%d", s.next)
		s.hooks = append(s.hooks, h)
		return 201, h
	}
	i := find()
	if i < 0 {
		return 404, "no such hook"
	}
	switch r.Method {
	case http.MethodGet:
		return 200, s.hooks[i]
	case http.MethodPut:
		var h hook
		json.NewDecoder(r.Body).Decode(&h)
		h.ID = id
		s.hooks[i] = h
		return 200, h
	case http.MethodDelete:
		s.hooks = append(s.hooks[:i], s.hooks[i+1:]...)
		return 204, nil
	}
	return 405, "method not allowed"
}
