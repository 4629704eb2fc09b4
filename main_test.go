package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/emulator"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"hookctl": func() { os.Exit(cmd.Main()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against the
// built-in emulators of both providers, as a pipe and (ttyexec) as a terminal.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup:               setupScript,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"ttyexec":   ttyExec,
			"fileperm":  filePerm,
			"noleak":    noLeak,
			"jsonfield": jsonField,
			"waitfile":  waitFile,
			"bg":        bgStart,
			"glob":      globFile,
			"flipbyte":  flipByte,
			"bgstop":    bgStop,
			"exits":     exitsWith,
			"sleep": func(ts *testscript.TestScript, neg bool, args []string) {
				d, err := time.ParseDuration(args[0])
				ts.Check(err)
				time.Sleep(d)
			},
		},
	})
}

func setupScript(env *testscript.Env) error {
	work := env.WorkDir
	// Retries on a short schedule, so that a failed Bankly delivery settles
	// (Failed) within a script.
	retry := []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	r, err := emulator.Start(emulator.Options{Dir: filepath.Join(work, "emu"), AllowLocalURLs: true, RetrySchedule: retry})
	if err != nil {
		return err
	}
	env.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	if err := os.WriteFile(filepath.Join(work, "hookctl.yaml"), []byte(r.Config()), 0o600); err != nil {
		return err
	}
	var hits atomic.Int64
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "received")
	}))
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "receiver broke")
	}))
	env.Defer(ok.Close)
	env.Defer(bad.Close)
	key, _ := os.ReadFile(r.Files.ConektaKey)
	env.Vars = append(env.Vars,
		"HOOKCTL_CONFIG="+filepath.Join(work, "hookctl.yaml"),
		"XDG_CONFIG_HOME="+filepath.Join(work, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(work, ".cache"),
		"HOME="+work,
		"CONEKTA_URL="+r.ConektaURL,
		"BANKLY_URL="+r.BanklyURL,
		"CONEKTA_KEY="+strings.TrimSpace(string(key)),
		"RECEIVER="+ok.URL,
		"RECEIVER_FAIL="+bad.URL,
		"EMU="+filepath.Join(work, "emu"),
	)
	return nil
}

// ttyExec runs hookctl with stdin, stdout and stderr on a pseudo-terminal.
// An optional "-input TEXT" is typed into the terminal. The terminal's output
// becomes the command's stdout for the stdout/stderr assertions.
func ttyExec(ts *testscript.TestScript, neg bool, args []string) {
	input := ""
	if len(args) > 1 && args[0] == "-input" {
		input, args = strings.NewReplacer(`\n`, "\n", `^C`, "\x03").Replace(args[1]), args[2:]
	}
	ptmx, tty, err := openPTY()
	ts.Check(err)
	defer ptmx.Close()
	c := hookctlCommand(ts, args)
	c.Stdin, c.Stdout, c.Stderr = tty, tty, tty
	controllingTTY(c)
	ts.Check(c.Start())
	tty.Close()
	if input != "" {
		go func() {
			time.Sleep(300 * time.Millisecond)
			ptmx.Write([]byte(input))
		}()
	}
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&out, ptmx); close(done) }()
	err = c.Wait()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	text := strings.ReplaceAll(out.String(), "\r\n", "\n")
	fmt.Fprint(ts.Stdout(), text)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	fmt.Fprintf(ts.Stdout(), "[exit %d]\n", code)
	if (code != 0) != neg {
		ts.Fatalf("ttyexec hookctl %s: exit %d\n%s", strings.Join(args, " "), code, text)
	}
}

// exitsWith runs hookctl off a terminal (stdin empty) and fails unless it
// exits with CODE; its output becomes the script's stdout and stderr:
// exits CODE ARGS...
func exitsWith(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: exits CODE ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	c := hookctlCommand(ts, args[1:])
	var out, errOut bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = strings.NewReader(""), &out, &errOut
	code := 0
	if err := c.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			ts.Fatalf("exits: %v", err)
		}
		code = ee.ExitCode()
	}
	fmt.Fprint(ts.Stdout(), out.String())
	fmt.Fprint(ts.Stderr(), errOut.String())
	if code != want {
		ts.Fatalf("hookctl %s: exit %d, want %d\n%s%s", strings.Join(args[1:], " "), code, want, out.String(), errOut.String())
	}
}

// filePerm checks a file's permission bits: fileperm 0600 path
func filePerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: fileperm MODE PATH")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	st, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := uint64(st.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("%s has mode %o, want %o", args[1], got, want)
	}
}

// noLeak fails when a secret appears in stdout, stderr or any file under
// the given directories: noleak SECRET [DIR...]
func noLeak(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || len(args[0]) < 6 {
		ts.Fatalf("usage: noleak SECRET [DIR...] (secret at least 6 characters)")
	}
	secret := args[0]
	for _, name := range []string{"stdout", "stderr"} {
		if strings.Contains(ts.ReadFile(name), secret) {
			ts.Fatalf("secret found in %s", name)
		}
	}
	for _, dir := range args[1:] {
		filepath.Walk(ts.MkAbs(dir), func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			data, _ := os.ReadFile(path)
			if bytes.Contains(data, []byte(secret)) {
				ts.Fatalf("secret found in %s", path)
			}
			return nil
		})
	}
}

// jsonField extracts a field of the JSON object on stdout into an env var:
// jsonfield VAR FIELD
func jsonField(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jsonfield VAR FIELD")
	}
	out := ts.ReadFile("stdout")
	// An object, or the first object of an array.
	var doc any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		ts.Fatalf("stdout is not JSON: %v:\n%s", err, out)
	}
	if list, ok := doc.([]any); ok && len(list) > 0 {
		doc = list[0]
	}
	obj, _ := doc.(map[string]any)
	v, ok := obj[args[1]].(string)
	if !ok {
		ts.Fatalf("no string field %s in stdout:\n%s", args[1], out)
	}
	ts.Setenv(args[0], v)
}

// waitFile waits up to 20 s for a file to contain a string: waitfile PATH TEXT
func waitFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: waitfile PATH TEXT")
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(ts.MkAbs(args[0])); err == nil && strings.Contains(string(data), args[1]) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s did not contain %q within 20 s", args[0], args[1])
}

// hookctlCommand is the hookctl testscript installed, run in $WORK with the
// script's environment.
func hookctlCommand(ts *testscript.TestScript, args []string) *exec.Cmd {
	path, err := exec.LookPath("hookctl")
	if p := ts.Getenv("PATH"); p != "" {
		for _, dir := range filepath.SplitList(p) {
			if _, e := os.Stat(filepath.Join(dir, "hookctl")); e == nil {
				path, err = filepath.Join(dir, "hookctl"), nil
				break
			}
		}
	}
	ts.Check(err)
	c := exec.Command(path, args...)
	c.Dir = ts.Getenv("WORK")
	c.Env = os.Environ()
	for _, kv := range []string{"HOOKCTL_CONFIG", "HOOKCTL_PROFILE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME", "NO_COLOR", "TERM", "COLUMNS", "CLICOLOR", "HOOKCTL_PAGER", "PAGER", "HOOKCTL_NO_PROGRESS"} {
		c.Env = append(c.Env, kv+"="+ts.Getenv(kv))
	}
	return c
}

// background is a hookctl started by bg.
type background struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan error
}

var (
	bgMu    sync.Mutex
	bgProcs = map[*testscript.TestScript]map[string]*background{}
)

// bgStart runs hookctl in the background and waits up to 20 s for a line of
// its stderr to match REGEXP, whose first group goes into VAR:
// bg NAME VAR REGEXP hookctl ARGS...
func bgStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 || args[3] != "hookctl" {
		ts.Fatalf("usage: bg NAME VAR REGEXP hookctl ARGS...")
	}
	name, env := args[0], args[1]
	re, err := regexp.Compile(args[2])
	ts.Check(err)
	b := &background{cmd: hookctlCommand(ts, args[4:]), done: make(chan error, 1)}
	b.cmd.Stdout = lockedWriter{&b.mu, &b.stdout}
	pipe, err := b.cmd.StderrPipe()
	ts.Check(err)
	ts.Check(b.cmd.Start())
	matched := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			b.mu.Lock()
			b.stderr.WriteString(line + "\n")
			b.mu.Unlock()
			if m := re.FindStringSubmatch(line); m != nil && len(m) > 1 {
				select {
				case matched <- m[1]:
				default:
				}
			}
		}
		b.done <- b.cmd.Wait()
	}()
	bgMu.Lock()
	if bgProcs[ts] == nil {
		bgProcs[ts] = map[string]*background{}
	}
	bgProcs[ts][name] = b
	bgMu.Unlock()
	ts.Defer(func() {
		if b.cmd.ProcessState == nil {
			b.cmd.Process.Kill()
		}
	})
	select {
	case v := <-matched:
		ts.Setenv(env, v)
	case <-time.After(20 * time.Second):
		b.mu.Lock()
		defer b.mu.Unlock()
		ts.Fatalf("bg %s: no stderr line matched %q within 20 s:\n%s", name, args[2], b.stderr.String())
	}
}

// bgStop interrupts a process bg started (SIGINT, as Ctrl-C does), waits up
// to 20 s for it and makes its output the stdout and stderr of the script;
// it fails unless the exit code is 0 (or, negated, not 0): bgstop NAME
func bgStop(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: bgstop NAME")
	}
	bgMu.Lock()
	b := bgProcs[ts][args[0]]
	bgMu.Unlock()
	if b == nil {
		ts.Fatalf("bgstop: no background process %s", args[0])
	}
	ts.Check(b.cmd.Process.Signal(os.Interrupt))
	var err error
	select {
	case err = <-b.done:
	case <-time.After(20 * time.Second):
		b.cmd.Process.Kill()
		ts.Fatalf("bgstop %s: still running 20 s after SIGINT", args[0])
	}
	b.mu.Lock()
	fmt.Fprint(ts.Stdout(), b.stdout.String())
	fmt.Fprint(ts.Stderr(), b.stderr.String())
	b.mu.Unlock()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if (code != 0) != neg {
		ts.Fatalf("bgstop %s: exit %d", args[0], code)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// globFile sets VAR to the INDEXth (from 0) of the paths matching PATTERN,
// sorted: glob VAR PATTERN INDEX
func globFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: glob VAR PATTERN INDEX")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[1]))
	ts.Check(err)
	i, err := strconv.Atoi(args[2])
	ts.Check(err)
	if i >= len(matches) {
		ts.Fatalf("glob %s: %d matches, no index %d", args[1], len(matches), i)
	}
	sort.Strings(matches)
	ts.Setenv(args[0], matches[i])
}

// flipByte copies FILE to OUT with its last byte changed (one bit flipped):
// flipbyte FILE OUT
func flipByte(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: flipbyte FILE OUT")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(data) == 0 {
		ts.Fatalf("flipbyte: %s is empty", args[0])
	}
	data[len(data)-1] ^= 1
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o600))
}
