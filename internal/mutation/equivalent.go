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
	"internal/redact/fields.go|CONDITIONALS_BOUNDARY|if bytes.IndexByte(rawKey, '\\') >= 0 {":                                                                                                       "rawKey starts with its quote, so a backslash is never at 0",
}
