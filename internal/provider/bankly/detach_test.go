package bankly

import (
	"testing"
	"unsafe"
)

// The deliveries of a page own their strings: a listing keeps every id it
// has seen, and a view into the page would keep the whole page alive.
func TestDecodedDeliveriesDoNotHoldThePage(t *testing.T) {
	body := messagesPage(100)
	var p messagePage
	if _, err := decodeMessages(body, 100, 1, false, &p); err != nil || len(p.items) != 100 {
		t.Fatalf("decode: %v, %d items", err, len(p.items))
	}
	start := uintptr(unsafe.Pointer(&body[0]))
	end := start + uintptr(len(body))
	inside := func(s string) bool {
		if s == "" {
			return false
		}
		a := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return a >= start && a < end
	}
	for i, d := range p.items {
		for name, s := range map[string]string{"id": d.ID, "event": d.Event, "context": d.Context, "url": d.URL} {
			if inside(s) {
				t.Fatalf("delivery %d: its %s %q is a view of the page", i, name, s)
			}
		}
		if d.ID == "" || d.Event != "PIX_CASH_IN_WAS_CLEARED" || d.Context != "Pix" || d.URL != "https://example.com/hooks/bankly/seed" {
			t.Fatalf("delivery %d detached wrongly: %+v", i, d)
		}
	}
	if p.items[7].ID != "9a7d3b1c-0000-4000-8000-000000000007" {
		t.Fatalf("delivery 7 has id %q", p.items[7].ID)
	}
}
