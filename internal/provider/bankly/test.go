package bankly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/provider"
	"github.com/hookctl/hookctl/internal/randid"
)

// responsePreview is how much of the receiver's answer `test` shows.
const responsePreview = 200

// SampleEvent is a delivery body in Bankly's event envelope.
func SampleEvent(ctxName, event string, now time.Time) map[string]any {
	return map[string]any{
		"entityId":       randid.UUID(),
		"companyKey":     "HOOKCTL_TEST",
		"idempotencyKey": randid.UUID(),
		"context":        ctxName,
		"name":           event,
		"timestamp":      now.UTC().Format("2006-01-02T15:04:05.000Z"),
		"correlationId":  randid.UUID(),
		"metadata":       map[string]any{"source": "hookctl webhooks test", "synthetic": true},
		"data":           sampleData(ctxName),
	}
}

func sampleData(ctxName string) map[string]any {
	switch ctxName {
	case "Pix":
		return map[string]any{"amount": 1.23, "endToEndId": "E00000000202611220000000000000", "channel": "INTERNAL", "description": "hookctl test"}
	case "Ted":
		return map[string]any{"amount": 1.23, "authenticationCode": randid.UUID(), "description": "hookctl test"}
	case "Card":
		return map[string]any{"proxy": "0000000000000000000", "status": "Active"}
	}
	return map[string]any{"description": "hookctl synthetic test delivery"}
}

// Test implements provider.Provider. Bankly has no test endpoint: hookctl
// signs a sample event as Bankly signs its deliveries and POSTs it to the
// configuration's URL, reporting the receiver's status and latency.
func (c *Client) Test(ctx context.Context, id string, o provider.TestOptions) (*provider.TestResult, error) {
	mode := o.Input.String("hmac-key")
	if mode == "" {
		mode = KeyModeRaw
	}
	if mode != KeyModeBase64 && mode != KeyModeRaw {
		return nil, provider.Invalidf("hmac-key", "{hmac-key} %q: use raw (the private key's text, as given) or base64 (its decoded bytes)", mode)
	}
	private := o.Input.String(inPrivateKey)
	check := checkPrivateKey
	if mode == KeyModeRaw {
		check = checkKeyText // signed with as given, so any text will do
	}
	if err := check(private); err != nil {
		var ve *provider.ValidationError
		if errors.As(err, &ve) {
			ve.Msg = "test signs the delivery with the webhook's private key: " + strings.TrimPrefix(ve.Msg, "the webhook private key is required: ")
		}
		return nil, err
	}
	key, err := HMACKey(private, mode)
	if err != nil {
		return nil, provider.Invalidf(inPrivateKey, "%v", err)
	}
	w, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.URL == "" {
		return nil, fmt.Errorf("bankly: configuration %s has no uri to deliver to", id)
	}
	event := ""
	if len(w.Events) > 0 {
		event = w.Events[0]
	}
	sample := SampleEvent(w.Context, event, c.now())
	idem := sample["idempotencyKey"].(string) // the header repeats the body's key
	body, _ := json.Marshal(sample)
	ts := strconv.FormatInt(c.now().Unix(), 10)
	nonce := strings.ReplaceAll(randid.UUID(), "-", "")

	uri := rawURI(w)
	sig := Sign(key, StringToSign(w.PublicKey, uri, ts, nonce, body))

	req, err := http.NewRequestWithContext(httpx.NoRetry(ctx), http.MethodPost, uri, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bankly: configuration %s has an unusable uri: %v", id, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("authorization", "hmac "+sig)
	req.Header["publicKey"] = []string{w.PublicKey}
	req.Header["nonce"] = []string{nonce}
	req.Header["requestTimestamp"] = []string{ts}
	req.Header["idempotency-Key"] = []string{idem}
	start := time.Now()
	resp, err := c.receiver.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("synthetic delivery to %s failed: %v", w.URL, err)
	}
	latency := time.Since(start).Milliseconds()
	// Read more than is shown, so that a secret the receiver echoes is whole
	// when it is redacted, before the preview is cut.
	preview, _ := io.ReadAll(io.LimitReader(resp.Body, 4*responsePreview))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	status := resp.StatusCode
	ok := status >= 200 && status <= 299
	msg := fmt.Sprintf("synthetic delivery: hookctl signed a sample %s event as Bankly does and POSTed it to the URL; the receiver answered %d", event, status)
	if !ok {
		msg += ": a receiver must answer 2xx, or Bankly retries three times and marks the message Failed"
	}
	return &provider.TestResult{
		Provider: Name, ID: w.ID, URL: w.URL, Synthetic: true, OK: ok, StatusCode: &status,
		LatencyMS: &latency, Message: msg, Response: strings.TrimSpace(c.redactor.Truncate(string(preview), responsePreview)),
	}, nil
}
