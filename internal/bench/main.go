// Command bench is `make bench`: what one hookctl invocation costs, side by
// side with its floors, in one run on one machine. Every goal is measured in
// several rounds; the verdict says whether all of them meet it. It prints a
// Markdown table and writes it, with the machine it came from and the
// reasons for each goal not met, all measured in the same run, to
// docs/benchmarks.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/emulator"
)

type row struct {
	name, value, floor, ratio, goal string
	verdict                         verdict
}

var (
	rounds    = flag.Int("rounds", 5, "rounds of every measurement; the verdict needs all of them")
	runs      = flag.Int("runs", 40, "runs per round of the start-up and request measurements")
	listRuns  = flag.Int("list-runs", 8, "runs per round of the list --all measurement")
	traceRuns = flag.Int("trace-runs", 21, "runs of each program under GODEBUG=inittrace=1")
	outFile   = flag.String("o", "docs/benchmarks.md", "where to write the table (empty: nowhere)")
	only      = flag.String("only", "", "measure one case only (export or deliveries), print it, and write no file")
	cpuProf   = flag.String("cpuprofile", "", "write a CPU profile of this process (its emulators and in-process runs) to the file")
	memProf   = flag.String("memprofile", "", "write a profile of what this process (its emulators and in-process runs) allocated to the file")
)

const (
	goalStart  = 1.5 // start-up: at most this many times the minimal program
	goalGet    = 1.0 // get: at most this many times curl
	goalList   = 1.5 // list --all: at most this many times the concurrent floor
	goalExport = 1.5 // export --all-profiles: at most this many times the slowest single profile
	exportEach = 300 // webhooks per profile of the export measurement
	exportN    = 20  // profiles of the export measurement, half of each provider
	rateLimit  = 180 // Bankly's requests per 10 s
	listPages  = 20
	// deliveries list --all: 100,000 attempts per provider.
	deliveryAttempts = 100000
	goalDeliveries   = 1.5
	goalRSSMiB       = 64
	pageSize         = 100
	concurrent       = 4 // pages hookctl fetches at a time

	defaultConcurrency = 4 // targets hookctl runs at a time without --concurrency
	latency            = 20 * time.Millisecond
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == spawnFlag {
		os.Exit(spawn(os.Args[2:]))
	}
	flag.Parse()
	if flag.NArg() != 1 || *rounds < 1 || *runs < 1 || *listRuns < 1 || *traceRuns < 1 || (*only != "" && *only != "export" && *only != "deliveries") {
		fmt.Fprintln(os.Stderr, "usage: bench [-rounds N] [-runs N] [-list-runs N] [-trace-runs N] [-o FILE] [-only export|deliveries] [-cpuprofile FILE] PATH-TO-HOOKCTL")
		os.Exit(2)
	}
	do := run
	switch *only {
	case "export":
		do = runExport
	case "deliveries":
		do = runDeliveries
	}
	if *cpuProf != "" {
		stop, err := startCPUProfile(*cpuProf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer stop()
	}
	if *memProf != "" {
		runtime.MemProfileRate = 4096
	}
	if err := do(flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *memProf != "" {
		if err := writeHeapProfile(*memProf); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func run(bin string) error {
	bin, _ = filepath.Abs(bin)
	dir, err := os.MkdirTemp("", "hookctl-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m := &findings{rounds: *rounds, runs: *runs, listRuns: *listRuns, loadBefore: loadAverage(), started: time.Now()}
	minimal := filepath.Join(dir, "minimal")
	if out, err := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", minimal, "./internal/bench/minimal").CombinedOutput(); err != nil {
		return fmt.Errorf("building the minimal program: %v: %s", err, out)
	}
	if m.binSize, err = fileSize(bin); err != nil {
		return err
	}
	if m.minSize, err = fileSize(minimal); err != nil {
		return err
	}
	trueBin, err := exec.LookPath("true")
	if err != nil {
		return err
	}
	cfg, cache := filepath.Join(dir, "hookctl.yaml"), filepath.Join(dir, "cache")
	env := append(os.Environ(), "XDG_CACHE_HOME="+cache, "HOOKCTL_CONFIG="+cfg, "NO_COLOR=1")
	inEnv := map[string]string{"XDG_CACHE_HOME": cache, "HOOKCTL_CONFIG": cfg, "NO_COLOR": "1"}
	var rows []row

	// 1. Start-up, and where it goes.
	st, err := measure(*rounds, *runs,
		command(env, trueBin), command(env, minimal, "version"), command(env, bin, "version"),
		command(env, minimal, "--help"), command(env, bin, "--help"),
		inProcess(inEnv, "version"), inProcess(inEnv, "--help"))
	if err != nil {
		return err
	}
	m.tTrue, m.minVer, m.ver, m.minHelp, m.help, m.ipVer, m.ipHelp = st[0].wall, st[1].wall, st[2].wall, st[3].wall, st[4].wall, st[5].wall, st[6].wall
	tr, err := traceInits(*traceRuns, env, []string{bin, "version"}, []string{minimal, "version"})
	if err != nil {
		return err
	}
	m.hookInit, m.minInit = tr[0], tr[1]
	rVer, rHelp := ratios(m.ver, m.minVer), ratios(m.help, m.minHelp)
	m.verVerdict, m.helpVerdict = judge(rVer, goalStart), judge(rHelp, goalStart)
	goalS := fmt.Sprintf("≤ %.1f× minimal", goalStart)
	rows = append(rows,
		row{"start-up: `hookctl version`", spanMS(m.ver), "minimal cobra+viper `version` " + spanMS(m.minVer) + "; `/bin/true` " + spanMS(m.tTrue),
			spanX(rVer) + fmt.Sprintf(" minimal, %.1f× true", median(ratios(m.ver, m.tTrue))), goalS, m.verVerdict},
		row{"start-up: `hookctl --help`", spanMS(m.help), "minimal cobra+viper `--help` " + spanMS(m.minHelp), spanX(rHelp) + " minimal", goalS, m.helpVerdict},
	)

	// 2. One `get` against the emulator, against curl doing the same request.
	emu, err := emulator.Start(emulator.Options{Dir: filepath.Join(dir, "emu"), Seed: 3})
	if err != nil {
		return err
	}
	defer emu.Stop(context.Background())
	if err := os.WriteFile(cfg, []byte(emu.Config()), 0o600); err != nil {
		return err
	}
	conektaID, err := firstID(bin, env, "conekta-emulator")
	if err != nil {
		return err
	}
	banklyID, err := firstID(bin, env, "bankly-emulator") // also fills the token cache
	if err != nil {
		return err
	}
	key, _ := os.ReadFile(emu.Files.ConektaKey)
	goalG := fmt.Sprintf("≤ %.1f× curl", goalGet)
	if curl, err := exec.LookPath("curl"); err == nil {
		token, err := fetchToken(curl, emu)
		if err != nil {
			return err
		}
		empty := filepath.Join(dir, "empty")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			return err
		}
		getC := []string{"--profile", "conekta-emulator", "webhooks", "get", conektaID, "-o", "json"}
		getB := []string{"--profile", "bankly-emulator", "webhooks", "get", banklyID, "-o", "json"}
		gs, err := measure(*rounds, *runs,
			command(env, bin, "version"), command(env, curl, "-sS", "-o", os.DevNull, fileURL(empty)),
			command(env, bin, getC...),
			command(env, curl, "-sSf", "-o", os.DevNull, "-H", "Authorization: Bearer "+strings.TrimSpace(string(key)),
				"-H", "Accept: application/vnd.conekta-v2.3.0+json", "-H", "Accept-Language: es", emu.ConektaURL+"/webhooks/"+conektaID),
			command(env, bin, getB...),
			command(env, curl, "-sSf", "-o", os.DevNull, "--cert", emu.Files.ClientCert, "--key", emu.Files.ClientKey,
				"--cacert", emu.Files.CA, "-H", "Authorization: Bearer "+token, "-H", "api-version: 1.0", emu.BanklyURL+"/webhooks/configurations/"+banklyID),
			inProcess(inEnv, getC...), inProcess(inEnv, getB...))
		if err != nil {
			return err
		}
		m.curlMeasured = true
		m.getVer, m.curlVer, m.getC, m.curlC, m.getB, m.curlB, m.ipGetC, m.ipGetB = gs[0].wall, gs[1].wall, gs[2].wall, gs[3].wall, gs[4].wall, gs[5].wall, gs[6].wall, gs[7].wall
		m.cpuGetC, m.cpuCurlC, m.cpuGetB, m.cpuCurlB = median(gs[2].cpu), median(gs[3].cpu), median(gs[4].cpu), median(gs[5].cpu)
		rC, rB := ratios(m.getC, m.curlC), ratios(m.getB, m.curlB)
		m.getCVerdict, m.getBVerdict = judge(rC, goalGet), judge(rB, goalGet)
		rows = append(rows,
			row{"`webhooks get`, Conekta emulator (HTTP)", spanMS(m.getC), "curl, same request " + spanMS(m.curlC), spanX(rC) + " curl", goalG, m.getCVerdict},
			row{"`webhooks get`, Bankly emulator (mTLS, cached token)", spanMS(m.getB), "curl, same request, pre-fetched token " + spanMS(m.curlB), spanX(rB) + " curl", goalG, m.getBVerdict},
		)
	} else {
		rows = append(rows, row{"`webhooks get` against curl", "—", "curl is not installed", "—", goalG, notMeasured})
	}

	// 3. Requests per invocation: a second Bankly get within the token's lifetime.
	tok0, api0, conn0 := emu.Bankly.TokenRequests.Load(), emu.Bankly.APIRequests.Load(), emu.BanklyConnections.Load()
	const reqRuns = 2
	for i := 0; i < reqRuns; i++ {
		if _, err := command(env, bin, "--profile", "bankly-emulator", "webhooks", "get", banklyID)(); err != nil {
			return err
		}
	}
	tok, api, conns := (emu.Bankly.TokenRequests.Load()-tok0)/reqRuns, (emu.Bankly.APIRequests.Load()-api0)/reqRuns, (emu.BanklyConnections.Load()-conn0)/reqRuns
	reqVerdict := missed
	if tok == 0 && api == 1 && conns == 1 {
		reqVerdict = met
	}
	rows = append(rows, row{"Bankly `get` with a cached token: requests per invocation", fmt.Sprintf("%d token, %d API request(s), %d TLS handshake(s)", tok, api, conns), "0 token, 1 API request, 1 handshake", "—", "exactly the floor", reqVerdict})

	// 4. list --all over listPages pages of Bankly configurations behind emulated latency.
	slow, err := emulator.Start(emulator.Options{Dir: filepath.Join(dir, "slow"), Seed: listPages * pageSize, Latency: latency})
	if err != nil {
		return err
	}
	defer slow.Stop(context.Background())
	slowCfg := filepath.Join(dir, "slow.yaml")
	if err := os.WriteFile(slowCfg, []byte(slow.Config()), 0o600); err != nil {
		return err
	}
	slowEnv := append(env, "HOOKCTL_CONFIG="+slowCfg)
	if _, err := firstID(bin, slowEnv, "bankly-emulator"); err != nil { // warms the token cache
		return err
	}
	listArgs := []string{"--profile", "bankly-emulator", "webhooks", "list", "--all", "-o", "json"}
	var maxRequests atomic.Int64
	list := command(slowEnv, bin, listArgs...)
	counted := func() (sample, error) {
		a0 := slow.Bankly.APIRequests.Load()
		s, err := list()
		if n := slow.Bankly.APIRequests.Load() - a0; n > maxRequests.Load() {
			maxRequests.Store(n)
		}
		return s, err
	}
	ls, err := measure(*rounds, *listRuns, counted, inProcess(map[string]string{"XDG_CACHE_HOME": cache, "HOOKCTL_CONFIG": slowCfg, "NO_COLOR": "1"}, listArgs...))
	if err != nil {
		return err
	}
	m.list, m.ipList, m.cpuList, m.hostList, m.requests = ls[0].wall, ls[1].wall, median(ls[0].cpu), median(ls[0].host), maxRequests.Load()
	peak, spawner, err := peakRSS(*listRuns, slowEnv, append([]string{bin}, listArgs...)...)
	if err != nil {
		return err
	}
	m.concFloor = time.Duration(1+(listPages-1+concurrent-1)/concurrent) * latency
	m.seqFloor = time.Duration(listPages) * latency
	rList := ratiosTo(m.list, m.concFloor)
	m.listVerdict = judge(rList, goalList)
	if m.requests > rateLimit {
		m.listVerdict = missed
	}
	rows = append(rows,
		row{fmt.Sprintf("`list --all`, %s Bankly configurations, %d ms latency", thousands(listPages*pageSize), latency.Milliseconds()), spanMS(m.list) + fmt.Sprintf(" (%d requests)", m.requests),
			fmt.Sprintf("sequential floor %s; concurrent floor (1 page, then %d at %d at a time) %s", ms(m.seqFloor), listPages-1, concurrent, ms(m.concFloor)),
			spanX(rList) + fmt.Sprintf(" concurrent, %.2f× sequential", median(ratiosTo(m.list, m.seqFloor))),
			fmt.Sprintf("≤ %.1f× concurrent, ≤ %d requests / 10 s", goalList, rateLimit), m.listVerdict},
		peakRow(peak, spawner),
		row{"binary size (`make build`: -trimpath -s -w)", fmt.Sprintf("%.1f MiB", float64(m.binSize)/(1<<20)), fmt.Sprintf("minimal program %.1f MiB", float64(m.minSize)/(1<<20)), "", "", ""},
	)
	drows, err := benchDeliveries(m, bin, dir, env, cache)
	if err != nil {
		return err
	}
	rows = append(rows, drows...)

	// 5. export --all-profiles over exportN profiles, against the slowest single profile.
	if err := measureExport(m, dir, env, bin, cache, &rows); err != nil {
		return err
	}
	m.loadAfter = loadAverage()
	m.took = time.Since(m.started)

	table := render(rows)
	fmt.Print(table)
	fmt.Print("\n" + m.explain())
	if *outFile != "" {
		return os.WriteFile(*outFile, []byte(doc(m, table)), 0o644)
	}
	return nil
}

// runExport measures the export case alone (-only export): it prints its
// rows and explanation, and writes no file (the document needs every case).
func runExport(bin string) error {
	return runOne(bin, func(m *findings, dir string, env []string, cache string) ([]row, string, error) {
		var rows []row
		err := measureExport(m, dir, env, bin, cache, &rows)
		return rows, m.explainExport(), err
	})
}

// runDeliveries measures the deliveries case alone (-only deliveries).
func runDeliveries(bin string) error {
	return runOne(bin, func(m *findings, dir string, env []string, cache string) ([]row, string, error) {
		rows, err := benchDeliveries(m, bin, dir, env, cache)
		return rows, m.deliveriesWhy, err
	})
}

// runOne measures one case in a directory of its own and prints its rows
// and explanation.
func runOne(bin string, measureCase func(m *findings, dir string, env []string, cache string) ([]row, string, error)) error {
	bin, _ = filepath.Abs(bin)
	dir, err := os.MkdirTemp("", "hookctl-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m := &findings{rounds: *rounds, runs: *runs, listRuns: *listRuns, loadBefore: loadAverage(), started: time.Now()}
	cache := filepath.Join(dir, "cache")
	env := append(os.Environ(), "XDG_CACHE_HOME="+cache, "NO_COLOR=1")
	rows, why, err := measureCase(m, dir, env, cache)
	if err != nil {
		return err
	}
	m.loadAfter = loadAverage()
	fmt.Print(render(rows))
	fmt.Printf("\n%s\nload average %s before, %s after; %s\n", why, m.loadBefore, m.loadAfter, time.Since(m.started).Round(time.Second))
	return nil
}

// measureExport measures `export --all-profiles` over exportN emulator
// profiles of exportEach webhooks each, half Conekta and half Bankly, behind
// the emulated latency, against the slowest single-profile export.
func measureExport(m *findings, dir string, env []string, bin, cache string, rows *[]row) error {
	emu, err := emulator.Start(emulator.Options{Dir: filepath.Join(dir, "export"), Seed: exportEach, Latency: latency})
	if err != nil {
		return err
	}
	defer emu.Stop(context.Background())
	var b strings.Builder
	b.WriteString("profiles:\n")
	for i := 1; i <= exportN/2; i++ {
		fmt.Fprintf(&b, "  conekta-%02d:\n    provider: conekta\n    base_url: %s\n    api_key_file: %s\n", i, emu.ConektaURL, emu.Files.ConektaKey)
		fmt.Fprintf(&b, "  bankly-%02d:\n    provider: bankly\n    base_url: %s\n    token_url: %s/oauth2/token\n    client_id: %s\n    cert_file: %s\n    key_file: %s\n    ca_file: %s\n",
			i, emu.BanklyURL, emu.BanklyURL, emulator.ClientID, emu.Files.ClientCert, emu.Files.ClientKey, emu.Files.CA)
	}
	cfg := filepath.Join(dir, "export.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		return err
	}
	xenv := append(env, "HOOKCTL_CONFIG="+cfg)
	if _, err := firstID(bin, xenv, "bankly-01"); err != nil { // warms the token cache every Bankly profile shares
		return err
	}
	all := []string{"export", "--all-profiles", "--concurrency", fmt.Sprint(exportN), "-o", "json"}
	deflt := []string{"export", "--all-profiles", "-o", "json"} // --concurrency 4, the default
	a0, c0 := emu.Bankly.APIRequests.Load(), emu.BanklyConnections.Load()
	if _, err := command(xenv, bin, all...)(); err != nil {
		return err
	}
	m.exportRequests, m.exportConns = emu.Bankly.APIRequests.Load()-a0, emu.BanklyConnections.Load()-c0
	ipEnv := map[string]string{"XDG_CACHE_HOME": cache, "HOOKCTL_CONFIG": cfg, "NO_COLOR": "1"}
	xs, err := measure(*rounds, *listRuns, command(xenv, bin, all...),
		command(xenv, bin, "export", "--profile", "conekta-01", "-o", "json"),
		command(xenv, bin, "export", "--profile", "bankly-01", "-o", "json"),
		inProcess(ipEnv, all...),
		command(xenv, bin, deflt...),
		inProcess(ipEnv, "export", "--profile", "bankly-01", "-o", "json"))
	if err != nil {
		return err
	}
	m.exportAll, m.exportC, m.exportB, m.ipExport, m.cpuExport = xs[0].wall, xs[1].wall, xs[2].wall, xs[3].wall, median(xs[0].cpu)
	m.exportDefault, m.cpuExportB, m.ipExportB = xs[4].wall, median(xs[2].cpu), xs[5].wall
	m.exportFloor = make([]time.Duration, len(m.exportC))
	m.exportPoolFloor = make([]time.Duration, len(m.exportC))
	for i := range m.exportC {
		m.exportFloor[i] = max(m.exportC[i], m.exportB[i])
		// With 4 at a time, the targets' own times shared by 4 workers, and
		// never less than the slowest one.
		m.exportPoolFloor[i] = max(m.exportFloor[i], (m.exportC[i]+m.exportB[i])*time.Duration(exportN/2)/defaultConcurrency)
	}
	r := ratios(m.exportAll, m.exportFloor)
	m.exportVerdict = judge(r, goalExport)
	rd := ratios(m.exportDefault, m.exportFloor)
	*rows = append(*rows, row{fmt.Sprintf("`export --all-profiles --concurrency %d`, %d profiles (%d Conekta, %d Bankly) of %d webhooks, %d ms latency", exportN, exportN, exportN/2, exportN/2, exportEach, latency.Milliseconds()),
		spanMS(m.exportAll), fmt.Sprintf("slowest single profile, round by round: Conekta `export` %s, Bankly `export` %s", spanMS(m.exportC), spanMS(m.exportB)),
		spanX(r) + " slowest single", fmt.Sprintf("≤ %.1f× slowest single", goalExport), m.exportVerdict},
		row{fmt.Sprintf("the same at the default `--concurrency %d`", defaultConcurrency),
			spanMS(m.exportDefault), fmt.Sprintf("%d at a time: the %d single exports' sum over %d, at least the slowest: %s", defaultConcurrency, exportN, defaultConcurrency, spanMS(m.exportPoolFloor)),
			spanX(rd) + fmt.Sprintf(" slowest single, %.2f× that floor", median(ratios(m.exportDefault, m.exportPoolFloor))), "— (the goal is for all at once)", ""})
	return nil
}

// peakRow reports the peak RSS of list --all; a figure at or below the
// spawner's own peak is only an upper bound (see peakRSS).
func peakRow(peak, spawner int64) row {
	r := row{name: "peak memory of that `list --all`", value: "not measured here"}
	if peak > 0 {
		r.value = fmt.Sprintf("%.1f MiB (largest of %d runs)", float64(peak)/1024, *listRuns)
		r.floor = fmt.Sprintf("read through a spawner whose own peak is %.1f MiB", float64(spawner)/1024)
		if peak <= spawner {
			r.value = "≤ " + r.value
		}
	}
	return r
}

// fileURL is a file: URL for an absolute path, on Windows too.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + p
}

func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// loadAverage is the 1-minute load average, where the system tells it.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.Fields(string(data))[0]
}

func firstID(bin string, env []string, profile string) (string, error) {
	c := exec.Command(bin, "--profile", profile, "webhooks", "list", "--limit", "1", "-o", "json")
	c.Env = env
	out, err := c.Output()
	if err != nil {
		return "", fmt.Errorf("list on %s: %v", profile, err)
	}
	var items []struct{ ID string }
	if err := json.Unmarshal(out, &items); err != nil || len(items) == 0 {
		return "", fmt.Errorf("list on %s returned %s", profile, out)
	}
	return items[0].ID, nil
}

func fetchToken(curl string, emu *emulator.Running) (string, error) {
	out, err := exec.Command(curl, "-sSf", "--cert", emu.Files.ClientCert, "--key", emu.Files.ClientKey, "--cacert", emu.Files.CA,
		"-d", "grant_type=client_credentials", "-d", "client_id="+emulator.ClientID, "-d", "scope=webhook.read", emu.BanklyURL+"/oauth2/token").Output()
	if err != nil {
		return "", fmt.Errorf("curl token: %v", err)
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(out, &t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("curl token: %s", out)
	}
	return t.AccessToken, nil
}

func render(rows []row) string {
	var b strings.Builder
	b.WriteString("| measure | hookctl: median of rounds (min–max) | floor / reference (same) | ratio (same) | goal | verdict |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.name, r.value, r.floor, r.ratio, r.goal, r.verdict.cell())
	}
	return b.String()
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s %s/%s", cpu, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
