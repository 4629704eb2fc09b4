package main

import "strings"

func key(m Mutant) string { return m.File + "|" + m.Type + "|" + strings.TrimSpace(m.Source) }

// Equivalent explains surviving mutants that no test can kill, keyed by
// file, mutator and source line (so that the reason follows the line when
// the code above it moves).
var Equivalent = map[string]string{
	"internal/httpx/retry.go|CONDITIONALS_BOUNDARY|if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {":                                  "`<=` differs only when the remaining time equals the wait to the nanosecond",
	"internal/httpx/tls.go|CONDITIONALS_NEGATION|if len(c.NextProtos) == 0 {":                                                                    "http.Transport (ForceAttemptHTTP2) has already put h2 and http/1.1 in the shared configuration, so the default never applies",
	"internal/httpx/retry.go|CONDITIONALS_BOUNDARY|if attempt > 0 {":                                                                             "`>= 0` rewinds the body on the first attempt too: GetBody returns the same bytes",
	"internal/provider/bankly/client.go|INCREMENT_DECREMENT|for attempt := 0; ; attempt++ {":                                                     "a fresh token is fetched only when attempt == 0, and -1 ends the retries as surely as 1",
	"internal/provider/bankly/errors.go|CONDITIONALS_NEGATION|if len(msgs) == 0 && be.Title != \"\" {":                                           "`be.Title == \"\"` (the second operand) appends an empty title to no messages, which joins to the same empty message",
	"internal/provider/bankly/list.go|CONDITIONALS_BOUNDARY|if o.Limit > 0 && len(res.Items) > o.Limit {":                                        "`len(res.Items) >= o.Limit` cuts a page of exactly --limit items to itself",
	"internal/provider/bankly/list.go|CONDITIONALS_BOUNDARY|} else if !o.All && target < MaxPageSize {":                                          "`target <= MaxPageSize` sets the page size to 100 when it is already 100",
	"internal/provider/bankly/list.go|CONDITIONALS_BOUNDARY|if got := len(first.items); got < size && got > 0 && first.total > got {":            "`got <= size` sets the size to itself; `first.total >= got` follows a first page that already holds the total, leaving no page to fetch either way",
	"internal/provider/bankly/list.go|CONDITIONALS_BOUNDARY|if target > 0 && len(res.Items) > target {":                                          "`len(res.Items) >= target` cuts a list of exactly target items to itself",
	"internal/provider/bankly/list.go|CONDITIONALS_BOUNDARY|if want >= 0 && len(res.Items) < want {":                                             "`want > 0`: no list is shorter than 0 items",
	"internal/provider/bankly/verify.go|CONDITIONALS_BOUNDARY|if d < 0 {":                                                                        "d is beyond the allowed skew here, so never 0",
	"internal/provider/bankly/tls.go|CONDITIONALS_BOUNDARY|if err := cri.SupportsCertificate(&cert); err != nil && len(cri.AcceptableCAs) > 0 {": "without AcceptableCAs, SupportsCertificate fails only for a signature scheme the server refuses, and a Go TLS server offers every scheme of our keys",
}
