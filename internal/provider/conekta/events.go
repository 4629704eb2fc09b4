package conekta

import (
	"strings"

	"github.com/hookctl/hookctl/internal/provider"
)

// eventNames is Conekta's known event catalog: the 67 names subscribed by
// the webhook of Conekta's official mock plus the spec's event_types enum.
// Conekta's spec has no enum for subscribed_events, so other names are
// accepted with a warning.
var eventNames = strings.Fields(`
charge.created charge.paid charge.under_fraud_review charge.fraudulent charge.refunded
charge.preauthorized charge.declined charge.canceled charge.reversed charge.pending_confirmation
charge.expired charge.score_updated
charge.chargeback.created charge.chargeback.updated charge.chargeback.under_review
charge.chargeback.lost charge.chargeback.won
customer.created customer.updated customer.deleted customer.payment_source.card.blocked
webhook.created webhook.updated webhook.deleted webhook_ping
payout.created payout.retrying payout.paid_out payout.failed
plan.created plan.updated plan.deleted
subscription.created subscription.paused subscription.resumed subscription.canceled
subscription.expired subscription.updated subscription.paid subscription.payment_failed
payee.created payee.updated payee.deleted payee.payout_method.created
payee.payout_method.updated payee.payout_method.deleted
receipt.created
order.canceled order.charged_back order.created order.expired order.fraudulent
order.under_fraud_review order.paid order.partially_refunded order.pending_payment
order.pre_authorized order.refunded order.updated order.voided order.declined
cashout.canceled cashout.confirmed
cash_refund.created cash_refund.canceled cash_refund.refunded cash_refund.expired
`)

// Events is the catalog as the command layer shows it.
func Events() []provider.EventInfo {
	out := make([]provider.EventInfo, len(eventNames))
	for i, n := range eventNames {
		out[i] = provider.EventInfo{Provider: Name, Name: n}
	}
	return out
}

// KnownEvent reports whether name is in the catalog.
func KnownEvent(name string) bool {
	for _, n := range eventNames {
		if n == name {
			return true
		}
	}
	return false
}
