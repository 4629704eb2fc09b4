package bankly

import (
	"fmt"
	"strings"
	"testing"
)

// messagesPage is a page of the search as the emulator answers it: n
// messages of 12 attempts each.
func messagesPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"6f1c2a4e-0000-4000-8000-%012d","idempotencyKey":"9a7d3b1c-0000-4000-8000-%012d","state":"Failed","destination":"https://example.com/hooks/bankly/seed","sentDate":"2026-12-01T10:00:11.00","eventName":"PIX_CASH_IN_WAS_CLEARED","context":"Pix","retryCount":11,"elapsedEventCapture":"00:00:00.0000000","elapsedHttpCall":"00:00:00.0010000","emulatorAttempts":[`, i, i)
		for k := range 12 {
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"attemptedAt":"2026-12-01T10:00:%02d.00","statusCode":500,"responseExcerpt":"seeded"}`, k)
		}
		b.WriteString(`]}`)
	}
	fmt.Fprintf(&b, `],"links":[{"method":"GET","rel":"search_processed_messages","url":"/webhooks/processed-messages?page=2&pageSize=100"}],"meta":{"page":1,"pageSize":100,"total":%d}}`, n)
	return []byte(b.String())
}

// BenchmarkDecodeMessages decodes one page of 100 processed messages (1,200
// attempts) into deliveries, as deliveries list does.
func BenchmarkDecodeMessages(b *testing.B) {
	page := messagesPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var p messagePage
		if _, err := decodeMessages(page, 100, 1, false, &p); err != nil || len(p.items) != 100 {
			b.Fatal(err, len(p.items))
		}
	}
}

func configurationsPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"6f1c2a4e-0000-4000-8000-%012d","name":"PIX_CASH_IN_WAS_CLEARED %d","context":"Pix","eventName":"PIX_CASH_IN_WAS_CLEARED","uri":"https://example.com/hooks/bankly/%d","publicKey":"seed-public-key-%d","createdAt":"2026-12-01T10:00:00.000Z","status":"Enabled"}`, i, i, i, i)
	}
	fmt.Fprintf(&b, `],"links":[{"url":"/webhooks?page=2&pageSize=100","rel":"search_webhook","method":"GET"}],"meta":{"page":1,"pageSize":100,"total":%d}}`, n)
	return []byte(b.String())
}

// BenchmarkDecodeConfigurations decodes one page of 100 configurations
// into webhooks, as list does.
func BenchmarkDecodeConfigurations(b *testing.B) {
	page := configurationsPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := decodeConfigurations(page)
		if err != nil || len(p.items) != 100 {
			b.Fatal(err)
		}
	}
}
