package suggest

import (
	"reflect"
	"testing"
)

func TestClosest(t *testing.T) {
	events := []string{"order.paid", "order.expired", "charge.paid", "order.created"}
	for _, c := range []struct {
		word string
		cand []string
		want []string
	}{
		{"order.piad", events, []string{"order.paid"}},
		{"webhoks", []string{"webhooks", "version", "config"}, []string{"webhooks"}},
		{"bankyl", []string{"conekta", "bankly"}, []string{"bankly"}},
		{"zzz", []string{"conekta", "bankly"}, nil},
		{"PIX_CASH_IN_WAS_CLARED", []string{"PIX_CASH_IN_WAS_CLEARED", "PIX_CASH_IN_WAS_RECEIVED"}, []string{"PIX_CASH_IN_WAS_CLEARED"}},
	} {
		if got := Closest(c.word, c.cand); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Closest(%q) = %q, want %q", c.word, got, c.want)
		}
	}
	if h := Hint("conketa", []string{"conekta", "bankly"}); h != "; did you mean conekta?" {
		t.Errorf("Hint = %q", h)
	}
	if d := distance("abc", "acb"); d != 1 {
		t.Errorf("transposition costs %d", d)
	}
}
