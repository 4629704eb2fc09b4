package main

import "strings"

func key(m Mutant) string { return m.File + "|" + m.Type + "|" + strings.TrimSpace(m.Source) }

// Equivalent explains surviving mutants that no test can kill, keyed by
// file, mutator and source line (so that the reason follows the line when
// the code above it moves).
var Equivalent = map[string]string{
	"internal/httpx/retry.go|CONDITIONALS_BOUNDARY|if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {":                                                                                     "`<=` differs only when the remaining time equals the wait to the nanosecond",
	"internal/httpx/tls.go|CONDITIONALS_NEGATION|if len(c.NextProtos) == 0 {":                                                                                                                       "http.Transport (ForceAttemptHTTP2) has already put h2 and http/1.1 in the shared configuration, so the default never applies",
	"internal/httpx/retry.go|CONDITIONALS_BOUNDARY|if attempt > 0 {":                                                                                                                                "`>= 0` rewinds the body on the first attempt too: GetBody returns the same bytes",
	"internal/provider/conekta/conekta.go|CONDITIONALS_BOUNDARY|if !o.All && !clientFilter && target < MaxPageSize {":                                                                               "at `target == MaxPageSize` both branches ask for pages of MaxPageSize",
	"internal/provider/conekta/conekta.go|INCREMENT_DECREMENT|fresh++":                                                                                                                              "fresh is only compared with 0, and counting down is non-zero exactly when counting up is",
	"internal/provider/conekta/conekta.go|CONDITIONALS_BOUNDARY|if !ok || ae.Status < 400 || ae.Status >= 500 || ae.Status == http.StatusUnauthorized || ae.Status == http.StatusTooManyRequests {": "Create answers every 5xx as outcome unknown before it asks for an explanation, so a 500 never gets here",
	"internal/redact/fields.go|CONDITIONALS_BOUNDARY|if s.cutFrom >= 0 {":                                                                                                                           "a secret value starts after at least `{\"\":`, never at 0",
	"internal/redact/fields.go|CONDITIONALS_BOUNDARY|if bytes.IndexByte(rawKey, '\\\\') >= 0 {":                                                                                                     "rawKey starts with its quote, so a backslash is never at 0",
	"internal/redact/fields.go|CONDITIONALS_BOUNDARY|if len(b) == 0 || bytes.IndexByte(b, '=') < 0 {":                                                                                               "a body starting with '=' has an empty first key, which the loop refuses all the same",
	"internal/redact/fields.go|ARITHMETIC_BASE|for _, c := range part[eq+1:] {":                                                                                                                     "the two bytes `eq-1` adds are the key's last character and '=', both printable",
	"internal/redact/fields.go|CONDITIONALS_BOUNDARY|if eq > 0 && eq+1 < len(part) {":                                                                                                               "with eq 0 the key is empty, and the empty name is no secret field",
	"internal/redact/match.go|CONDITIONALS_BOUNDARY|cutEnough := k >= minCut || k >= 3 && j-m.start >= minCut":                                                                                      "j-m.start >= k, so `k >= minCut` already implies the second clause (its `k >= 3` and the text bound are killed)",
	"internal/redact/match.go|CONDITIONALS_BOUNDARY|if end := m.from(j+w, k+n); end >= 0 {":                                                                                                         "a match ends after the escape it consumed, never at 0",
	"internal/redact/match.go|CONDITIONALS_BOUNDARY|} else if n == 0 && (c == '\\\\' || c == '%' || c == '&') && k >= 3 && cutEscape(t[j:]) >= 0 {":                                                 "cutEscape returns -1 or at least 1, so `> 0` is the same test (the `k >= 3` bound is killed)",
	"internal/redact/match.go|CONDITIONALS_BOUNDARY|if c := s[n]; !(isHex(c) || c == 'u' || c == 'U' || c == 'x' || c == '#' || c >= 'a' && c <= 'z') {":                                            "'a' is a hex digit, accepted before the range test (the 'z' bound is killed)",
	"internal/redact/match.go|CONDITIONALS_BOUNDARY|if end < 2 || end > 10 {":                                                                                                                       "at end 2 the name is one character, '#' alone or no entity name, which decodes to nothing either way (the 10 bound is killed)",
	"internal/redact/redact.go|CONDITIONALS_BOUNDARY|sort.Slice(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })":                                                      "it changes only the order of values of equal length, which sort.Slice leaves unspecified anyway",
	"internal/redact/redact.go|CONDITIONALS_BOUNDARY|if len(r.values) > 0 {":                                                                                                                        "with no values every byStart list is empty and secrets returns the text unchanged",
	"internal/redact/redact.go|CONDITIONALS_BOUNDARY|if len(s) <= n {":                                                                                                                              "in Truncate, a text of exactly n bytes goes through Cut, which returns it unchanged, and String again, which changes nothing (in Cut the bound is killed)",
	"internal/redact/redact.go|CONDITIONALS_BOUNDARY|if i := strings.LastIndex(s[:min(len(s), cut+len(Mark))], Mark); i >= 0 && i < cut && i+len(Mark) > cut {":                                     "a mark ending exactly at the cut moves the cut to where it is",
}
