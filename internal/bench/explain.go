package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// findings is everything one run measured that the explanations draw on.
// Each []time.Duration holds one median per round.
type findings struct {
	rounds, runs, listRuns int
	started                time.Time
	took                   time.Duration
	loadBefore, loadAfter  string
	binSize, minSize       int64

	tTrue, minVer, ver, minHelp, help, ipVer, ipHelp []time.Duration
	hookInit, minInit                                inits
	verVerdict, helpVerdict                          verdict

	curlMeasured                                              bool
	getVer, curlVer, getC, curlC, getB, curlB, ipGetC, ipGetB []time.Duration
	cpuGetC, cpuCurlC, cpuGetB, cpuCurlB                      time.Duration
	getCVerdict, getBVerdict                                  verdict

	list, ipList        []time.Duration
	cpuList, hostList   time.Duration
	requests            int64
	concFloor, seqFloor time.Duration
	listVerdict         verdict

	exportAll, exportC, exportB, exportFloor, ipExport []time.Duration
	exportDefault, exportPoolFloor, ipExportB          []time.Duration
	cpuExport, cpuExportB                              time.Duration
	exportRequests                                     int64
	exportConns                                        int64
	banklyTransfer                                     []time.Duration
	exportVerdict                                      verdict

	// deliveriesWhy explains the deliveries rows whose goal was missed.
	deliveriesWhy string
}

// msf is a figure from inittrace, which reports hundredths of a millisecond.
func msf(x float64) string { return fmt.Sprintf("%.2f ms", x) }

// diffMS is a difference of two medians, which noise can take below zero.
func diffMS(d time.Duration) string {
	if d < 0 {
		return ms(d) + " (below zero: the two medians differ by less than their noise)"
	}
	return ms(d)
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// explain says, for every goal not met in every round, where the time goes,
// with figures from this run only.
func (m *findings) explain() string {
	var b strings.Builder
	if m.verVerdict != met || m.helpVerdict != met {
		m.explainStartup(&b)
	}
	if m.curlMeasured && (m.getCVerdict != met || m.getBVerdict != met) {
		m.explainGet(&b)
	}
	if m.listVerdict != met {
		m.explainList(&b)
	}
	b.WriteString(m.deliveriesWhy)
	if m.exportVerdict != met && m.exportVerdict != "" {
		b.WriteString(m.explainExport())
	}
	if b.Len() == 0 {
		return "Every goal was met in every round.\n"
	}
	return "Where a goal is missed or within noise, and why (measured in this run):\n\n" + b.String()
}

func (m *findings) explainStartup(b *strings.Builder) {
	gap := median(m.ver) - median(m.minVer)
	h, n := m.hookInit, m.minInit
	beforeMain := h.toMain - n.toMain
	fmt.Fprintf(b, "- start-up (`version` %s, `--help` %s): `hookctl version` takes %s more than the minimal program's `version`. "+
		"Before main: the runtime reaches main at %s in hookctl against %s in the minimal program "+
		"(`GODEBUG=inittrace=1`, median of %d runs each), %s later; the packages' initialisation takes %s of clock time against %s.",
		m.verVerdict, m.helpVerdict, ms(gap), msf(h.toMain), msf(n.toMain), h.runs, msf(beforeMain), msf(h.total), msf(n.total))
	if extra := initDifference(n, h); len(extra) > 0 {
		var parts []string
		for _, e := range extra[:min(5, len(extra))] {
			parts = append(parts, fmt.Sprintf("%s %s (most in `%s`, %s)", "`"+e.publisher+"`", msf(e.extra), e.largest, msf(e.largestMS)))
		}
		fmt.Fprintf(b, " The init time hookctl has beyond the minimal program's, by publisher, largest first: %s.", strings.Join(parts, "; "))
	}
	own := median(m.ipVer)
	fmt.Fprintf(b, " After main: hookctl's own work, in-process on a fresh command tree, is %s for `version` and %s for `--help`.",
		ms(own), ms(median(m.ipHelp)))
	rest := gap - time.Duration(beforeMain*float64(time.Millisecond)) - own
	if rest > 0 {
		fmt.Fprintf(b, " The remaining %s lies outside what inittrace and the in-process run see: starting the process and loading the binary (%s against the minimal program's %s), the runtime's set-up before its first init, and exit.",
			ms(rest), mib(m.binSize), mib(m.minSize))
	} else {
		fmt.Fprintf(b, " Initialisation and own work add up to more than the gap (by %s): they are medians of different runs.", ms(-rest))
	}
	b.WriteString("\n")
}

func (m *findings) explainGet(b *strings.Builder) {
	hv, cv := median(m.getVer), median(m.curlVer)
	fmt.Fprintf(b, "- `get` against curl (Conekta %s, Bankly %s): start-up alone, `hookctl version` takes %s against curl copying an empty local file %s (the same rounds). "+
		"The request itself, each program's `get` less its start-up, takes hookctl %s against curl's %s on Conekta and %s against %s on Bankly; "+
		"in-process, hookctl's `get` takes %s and %s. CPU per invocation: hookctl %s, curl %s (Conekta); hookctl %s, curl %s (Bankly).\n",
		m.getCVerdict, m.getBVerdict, ms(hv), ms(cv),
		diffMS(median(m.getC)-hv), diffMS(median(m.curlC)-cv), diffMS(median(m.getB)-hv), diffMS(median(m.curlB)-cv),
		ms(median(m.ipGetC)), ms(median(m.ipGetB)),
		ms(m.cpuGetC), ms(m.cpuCurlC), ms(m.cpuGetB), ms(m.cpuCurlB))
}

func (m *findings) explainList(b *strings.Builder) {
	wall, ip := median(m.list), median(m.ipList)
	fmt.Fprintf(b, "- `list --all` (%s): in-process the %d pages take %s, %.2f× the %s concurrent floor; the whole process takes %s, %s more, "+
		"against a start-up (`hookctl version`, start-up rounds) of %s. Each invocation used %s of CPU in hookctl",
		m.listVerdict, listPages, ms(ip), float64(ip)/float64(m.concFloor), ms(m.concFloor), ms(wall), ms(wall-ip), ms(median(m.ver)), ms(m.cpuList))
	if m.hostList > 0 {
		fmt.Fprintf(b, " and %s in the benchmark process, which hosts the emulator serving the pages, on %d cores", ms(m.hostList), runtime.NumCPU())
	}
	fmt.Fprintf(b, ", over %s of wall time.", ms(wall))
	if m.requests > rateLimit {
		fmt.Fprintf(b, " It made %d requests, more than Bankly's %d per 10 s.", m.requests, rateLimit)
	}
	b.WriteString("\n")
}

func doc(m *findings, table string) string {
	load := ""
	if m.loadBefore != "" {
		load = fmt.Sprintf(" The 1-minute load average was %s when the run began and %s when it ended.", m.loadBefore, m.loadAfter)
	}
	return fmt.Sprintf(`# What one invocation costs

Measured by `+"`make bench`"+` (`+"`go run ./internal/bench bin/hookctl`"+`) on %s,
%s, in %s.%s
Every measurement is made in %d rounds; a round is %d runs of each program (`+"`list --all`"+`: %d),
interleaved so that a change in load hits hookctl and its floor alike, after two warm-ups. The
table gives the median of the rounds' medians and, in brackets, the smallest and largest round;
a ratio is taken round by round. A goal is **met** when every round meets it, **missed** when
every round misses it, and **within noise** when the rounds fall on both sides. Wall times are
whole processes, as a CI job sees them; they move with the machine, the ratios much less.

%s
How the floors are made:

- start-up: a minimal program with the same cobra and viper (one subcommand, one bound flag,
  `+"`internal/bench/minimal`"+`), and `+"`/bin/true`"+`;
- `+"`get`"+`: curl doing the same request to the same emulator (Conekta: HTTP with the same headers;
  Bankly: mutual TLS with the same client certificate and a token fetched beforehand, as
  hookctl's token comes from its cache);
- requests per invocation: counted by the Bankly emulator (token requests, API requests, TCP
  connections, each of which is one TLS handshake);
- `+"`list --all`"+`: %d pages of %d behind %d ms of emulated latency per request; sequential floor
  %d round trips, concurrent floor the first page then %d pages %d at a time, with the token
  already cached; the emulator counts the requests of each invocation against Bankly's limit.
- peak memory: the largest peak resident set of the same `+"`list --all`"+`, read through a fresh copy of
  the benchmark that does nothing else (on Linux a child's peak as the kernel reports it is at
  least its parent's, and the benchmark's own process is the larger);
- `+"`export --all-profiles`"+`: one emulator pair seeded with 300 webhooks each behind the same
  latency, 20 profiles over it (10 Conekta, 10 Bankly sharing one cached token), all run at once
  (`+"`--concurrency 20`"+`); the floor is, round by round, the slower of one Conekta and one
  Bankly profile's `+"`export`"+`, what the run would take if the targets cost nothing extra; at the
  default `+"`--concurrency 4`"+` its floor is the single exports' sum over 4 workers;
- in-process figures: the same command line run inside the benchmark (`+"`cmd.Execute`"+` on a fresh
  command tree and factory), which leaves out process start-up and package initialisation.

%s
Go micro-benchmarks: `+"`go test -bench . -run '^$' ./internal/...`"+`.
`, m.started.UTC().Format("2006-01-02"), machine(), m.took.Round(time.Second), load,
		m.rounds, m.runs, m.listRuns, table,
		listPages, pageSize, latency.Milliseconds(), listPages, listPages-1, concurrent, m.explain())
}

// explainExport says where the time of export --all-profiles goes, from
// this run's figures: the process against in-process, and the CPU the run
// needs on this machine's cores against one target's.
func (m *findings) explainExport() string {
	all, floor := median(m.exportAll), median(m.exportFloor)
	cores := max(runtime.NumCPU(), 1)
	perExtra := (m.cpuExport - m.cpuExportB) / time.Duration(exportN-1)
	return fmt.Sprintf("- `export --all-profiles` (%s): the %d profiles take %s at `--concurrency %d` against the slowest single profile's %s (%.2f×); "+
		"in-process %s against one Bankly profile's %s in-process, so start-up and exit are %s of the whole. "+
		"One run made %d Bankly API requests over %d TLS connection(s). CPU in hookctl: the whole run used %s against one Bankly profile's %s, about %s more per further profile; "+
		"spread over %d cores that CPU alone is %s of wall time, "+
		"and the emulators serving the pages run in the benchmark process on the same cores. "+
		"At the default `--concurrency %d` the same export takes %s, %.2f× its own floor of %s (%d at a time).\n",
		m.exportVerdict, exportN, ms(all), exportN, ms(floor), float64(all)/float64(floor),
		ms(median(m.ipExport)), ms(median(m.ipExportB)), diffMS(all-median(m.ipExport)),
		m.exportRequests, m.exportConns, ms(m.cpuExport), ms(m.cpuExportB), ms(perExtra), cores, ms(m.cpuExport/time.Duration(cores)),
		defaultConcurrency, ms(median(m.exportDefault)), median(ratios(m.exportDefault, m.exportPoolFloor)), ms(median(m.exportPoolFloor)), defaultConcurrency)
}
