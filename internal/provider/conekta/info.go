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
			{Name: inPublicKey, Verbs: []string{"verify", "listen"}, Usage: "FILE holding the PEM public key that checks the DIGEST header (webhooks keys' public_key)"},
			{Name: inKeyID, Verbs: []string{"verify", "listen"}, Complete: "keys", Usage: "check the DIGEST header with this webhook key, fetched from the account"},
			{Name: inWebhook, Verbs: []string{provider.VerbDeliveriesList}, Complete: "webhooks", Usage: "only deliveries to this webhook (ID)"},
			{Name: inTo, Kind: provider.ListFlag, Verbs: []string{provider.VerbDeliveriesRedeliver}, Complete: "webhooks", Usage: "with IDs: resend to these webhooks (any of the account) instead of those the event was sent to; with --failed: the window's end"},
		},
		Help: map[string]string{
			"doctor":                         "the API key's shape, the account answering, and the API version accepted.",
			"test":                           "POST /webhooks/{id}/test; Conekta accepts it and delivers a webhook_ping event to the URL later (synthetic: false, status_code: null).",
			provider.VerbDeliveriesList:      "GET /events, newest first, by cursor pages of 250; each event's webhook_logs are its deliveries (id: the event id). Conekta filters nothing server-side: status, event, webhook and window are applied by hookctl, which stops at the first event older than the window.",
			provider.VerbDeliveriesGet:       "GET /events/{id}: the event, its payload (-o json) and one delivery per webhook log.",
			provider.VerbDeliveriesRedeliver: "POST /events/{id}/resend with webhooks_ids: the webhooks the event's logs name, or --to WEBHOOK_ID... (any webhook of the account, e.g. a new one). --failed resends one event at a time.",
			"keys":                           "GET/POST /webhook_keys and GET/DELETE /webhook_keys/{id}: the key pairs Conekta signs deliveries with; Conekta keeps the private half, public_key is the PEM that verifies the DIGEST header (Conekta may show it only when the key is created).",
			"verify":                         "the DIGEST header: the base64 RSA (PKCS#1 v1.5) signature of the SHA-256 of the exact body bytes, checked with --public-key FILE (PEM), the webhook key --key-id ID, or else every active key of the account (webhook_keys).",
		},
		Examples: map[string]string{
			"list":                           "hookctl webhooks list --search order --limit 5",
			"create":                         "hookctl webhooks create --url https://example.com/hooks/conekta --events order.paid,charge.refunded",
			"update":                         "hookctl webhooks update 6307a60c41de27127515a575 --add-events order.refunded",
			"test":                           "hookctl webhooks test 6307a60c41de27127515a575",
			"events":                         "hookctl webhooks events --provider conekta",
			provider.VerbDeliveriesRedeliver: "hookctl deliveries redeliver 6307a60c41de27127515a575 --to 641b1d5662d7e00001eaa46b",
			"verify":                         "hookctl verify --provider conekta --request saved/0001.http --public-key conekta-key.pem",
		},
		Capabilities: []provider.Capability{provider.CapTest, provider.CapKeys, provider.CapDeliveries, provider.CapRedeliver},
		Events:       Events,
		New:          New,
		Doctor:       doctor,
		ChildKey:     "child_company_id",
		Verifier:     verifier{},
		Code: &provider.Code{
			Fields: []string{"url", "events", "enabled"},
			Key:    []string{"url"},
			Limit:  MaxWebhooks,
		},
	}
}
