package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/hookctl/hookctl/internal/emulator/banklyemu"
	"github.com/hookctl/hookctl/internal/emulator/conektaemu"
)

// The shapes of the deliveries benchmark. Conekta: events delivered to 4
// webhooks, 4 attempts each (16 attempts an event), listed 250 events a
// cursor page. Bankly: processed messages reprocessed twice (3 series of 4
// attempts: 12 an item), listed 100 a page; the page count stays within
// Bankly's burst of 90 requests, so its floor is two round trips.
const (
	conektaLogs, conektaAttempts = 4, 4
	conektaPage                  = 250
	banklyAttempts               = 12
	banklyPage                   = 100
)

// benchDeliveries measures `deliveries list --all -o json` of 100,000
// attempts per provider behind the emulated latency, against its floor, with
// the peak RSS beside it.
func benchDeliveries(m *findings, bin, dir string, env []string, cache string) ([]row, error) {
	emu, err := emulator.Start(emulator.Options{Dir: filepath.Join(dir, "deliveries"), Latency: latency})
	if err != nil {
		return nil, err
	}
	defer emu.Stop(context.Background())
	events := deliveryAttempts / (conektaLogs * conektaAttempts)
	messages := (deliveryAttempts + banklyAttempts - 1) / banklyAttempts
	start := time.Now().Add(-20 * time.Hour)
	emu.Conekta.SeedEvents(conektaemu.EventSeed{Count: events, Logs: conektaLogs, Attempts: conektaAttempts, Start: start, Step: time.Second})
	emu.Bankly.SeedMessages(banklyemu.MessageSeed{Count: messages, Attempts: banklyAttempts, Start: start, Step: time.Second})
	cfg := filepath.Join(dir, "deliveries.yaml")
	if err := os.WriteFile(cfg, []byte(emu.Config()), 0o600); err != nil {
		return nil, err
	}
	denv := append(env, "HOOKCTL_CONFIG="+cfg)
	if _, err := firstID(bin, denv, "bankly-emulator"); err != nil { // warms the token cache
		return nil, err
	}
	inEnv := map[string]string{"XDG_CACHE_HOME": cache, "HOOKCTL_CONFIG": cfg, "NO_COLOR": "1"}
	args := func(profile string) []string {
		return []string{"--profile", profile, "deliveries", "list", "--all", "--since", "24h", "-o", "json"}
	}
	cArgs, bArgs := args("conekta-emulator"), args("bankly-emulator")
	cPages := (events + conektaPage - 1) / conektaPage
	bPages := (messages + banklyPage - 1) / banklyPage
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	moveBytes, err := transferProbe(emu, "/webhooks/processed-messages", url.Values{"startDate": {day(start)}, "endDate": {day(time.Now())}, "pageSize": {fmt.Sprint(banklyPage)}}, bPages)
	if err != nil {
		return nil, err
	}
	ds, err := measure(*rounds, *listRuns, command(denv, bin, cArgs...), command(denv, bin, bArgs...),
		inProcess(inEnv, cArgs...), inProcess(inEnv, bArgs...), moveBytes)
	if err != nil {
		return nil, err
	}
	m.banklyTransfer = ds[4].wall
	cFloor := time.Duration(cPages) * latency
	bFloor := 2 * latency
	if bPages == 1 {
		bFloor = latency
	}
	var out []row
	for i, c := range []struct {
		name  string
		argv  []string
		wall  []time.Duration
		floor time.Duration
		what  string
	}{
		{fmt.Sprintf("`deliveries list --all`, Conekta: %s events × %d webhooks (%s deliveries, %s attempts), %d ms latency", thousands(events), conektaLogs, thousands(events*conektaLogs), thousands(events*conektaLogs*conektaAttempts), latency.Milliseconds()),
			cArgs, ds[0].wall, cFloor, fmt.Sprintf("one round trip per cursor page: %d pages of %d events, %s", cPages, conektaPage, ms(cFloor))},
		{fmt.Sprintf("`deliveries list --all`, Bankly: %s processed messages (%s attempts), %d ms latency", thousands(messages), thousands(messages*banklyAttempts), latency.Milliseconds()),
			bArgs, ds[1].wall, bFloor, fmt.Sprintf("one page, then the other %d at once within the rate budget: two round trips, %s", bPages-1, ms(bFloor))},
	} {
		r := ratiosTo(c.wall, c.floor)
		v := judge(r, goalDeliveries)
		out = append(out, row{c.name, spanMS(c.wall), c.what, spanX(r) + " floor", fmt.Sprintf("≤ %.1f× floor", goalDeliveries), v})
		if v != met {
			m.deliveriesWhy += deliveriesWhy(c.name, c.floor, ds[i], ds[i+2], v)
			if i == 1 {
				m.deliveriesWhy += transferWhy(c.floor, ds[1].wall, ds[4].wall, bPages)
			}
		}
		peak, spawner, err := peakRSS(*listRuns, denv, append([]string{bin}, c.argv...)...)
		if err != nil {
			return nil, err
		}
		pr := peakRow(peak, spawner)
		pr.name = "peak memory of that `deliveries list --all`"
		pr.goal = fmt.Sprintf("< %d MiB", goalRSSMiB)
		pr.verdict = notMeasured
		if peak > 0 {
			pr.verdict = missed
			if float64(peak)/1024 < goalRSSMiB {
				pr.verdict = met
			}
		}
		out = append(out, pr)
	}
	return out, nil
}

// transferWhy sets the round-trip floor beside what moving the same bytes
// costs: the pages hold every attempt, megabytes over one connection.
func transferWhy(floor time.Duration, whole, transfer []time.Duration, pages int) string {
	t := median(transfer)
	return fmt.Sprintf("  Moving the bytes alone is more than the round trips: a bare net/http client, in this process, fetching the same %d pages over one mutual-TLS HTTP/2 connection "+
		"(one page, then the rest at once) and dropping them takes %s (%.2f× the round-trip floor); against it hookctl, which also starts a process, decodes and prints them, is at %.2f×.\n",
		pages, spanMS(transfer), float64(t)/float64(floor), median(ratios(whole, transfer)))
}

// deliveriesWhy says where the time of one deliveries measurement goes:
// the floor counts only round trips, while decoding and printing 100,000
// attempts, and the emulator encoding them, take CPU on the same cores.
func deliveriesWhy(name string, floor time.Duration, whole, inProc series, v verdict) string {
	w, ip := median(whole.wall), median(inProc.wall)
	cpu, host := median(whole.cpu), median(whole.host)
	short, _, _ := strings.Cut(name, ":")
	return fmt.Sprintf("- %s (%s): %s against the floor's %s; in-process %s, so start-up and exit are %s of it. "+
		"Each invocation used %s of CPU in hookctl (decoding the pages and printing every delivery) and the benchmark process, "+
		"whose emulator encodes the pages, %s more; spread over %d cores that CPU alone is %s of wall time, which the floor (round trips only) does not count.\n",
		short, v, ms(w), ms(floor), ms(ip), diffMS(w-ip), ms(cpu), ms(host), runtime.NumCPU(), ms((cpu+host)/time.Duration(runtime.NumCPU())))
}
