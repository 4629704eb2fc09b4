package conekta

import "github.com/hookctl/hookctl/internal/provider"

// Info registers the adapter: everything the command layer knows of Conekta.
func Info() provider.Info {
	return provider.Info{
		Name:  Name,
		Title: "Conekta",
		Doc:   "Conekta (Mexico): bearer API key, /webhooks",
		Keys: []provider.Key{
			{Name: "api_key", Env: "CONEKTA_API_KEY", Secret: true, Doc: "Conekta private API key"},
			{Name: "api_key_file", SecretFile: true, Path: true, Doc: "file holding the Conekta API key"},
			{Name: "api_version", Env: "CONEKTA_API_VERSION", Default: DefaultAPIVersion, Doc: "Conekta API version"},
			{Name: "language", Default: "es", Doc: "es or en (Accept-Language)"},
			{Name: "child_company_id", Doc: "X-Child-Company-Id"},
		},
		Flags: []provider.Flag{
			{Name: "child-company", Verbs: []string{provider.GroupVerb}, Key: "child_company_id", Usage: "Conekta X-Child-Company-Id: act on a holding's child company"},
			{Name: "search", Verbs: []string{"list"}, Usage: "Conekta's search filter"},
			{Name: "url", Verbs: []string{"list"}, Usage: "only webhooks with this URL"},
			{Name: "next", Verbs: []string{"list"}, Paging: true, Usage: "start after this cursor"},
			{Name: "previous", Verbs: []string{"list"}, Paging: true, Usage: "page backwards from this cursor"},
			{Name: "events", Kind: provider.ListFlag, Verbs: []string{"create"}, Complete: "events", Usage: "event names, comma-separated or repeated"},
			{Name: "events", Kind: provider.ListFlag, Verbs: []string{"update"}, Complete: "events", Usage: "replace the event list (comma-separated or repeated)"},
			{Name: "add-events", Kind: provider.ListFlag, Verbs: []string{"update"}, Complete: "events", Usage: "add events to the list"},
			{Name: "remove-events", Kind: provider.ListFlag, Verbs: []string{"update"}, Complete: "events", Usage: "remove events from the list"},
		},
		Help: map[string]string{
			"doctor": "the API key's shape, the account answering, and the API version accepted.",
			"test":   "POST /webhooks/{id}/test; Conekta accepts it and delivers a webhook_ping event to the URL later (synthetic: false, status_code: null).",
		},
		Examples: map[string]string{
			"list":   "hookctl webhooks list --search order --limit 5",
			"create": "hookctl webhooks create --url https://example.com/hooks/conekta --events order.paid,charge.refunded",
			"update": "hookctl webhooks update 6307a60c41de27127515a575 --add-events order.refunded",
			"test":   "hookctl webhooks test 6307a60c41de27127515a575",
			"events": "hookctl webhooks events --provider conekta",
		},
		Capabilities: []provider.Capability{provider.CapTest},
		Events:       Events,
		New:          New,
		Doctor:       doctor,
		ChildKey:     "child_company_id",
		Code: &provider.Code{
			Fields: []string{"url", "events", "enabled"},
			Key:    []string{"url"},
			Limit:  MaxWebhooks,
		},
	}
}
