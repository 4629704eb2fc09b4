// Command demo is `make demo`: it starts `hookctl emulator`, walks through
// list, create, get, update, test and delete on both providers (tables, then
// JSON), stops the emulator and exits 0 when every step behaved.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: demo PATH-TO-HOOKCTL")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
	fmt.Println("\ndemo finished: every command worked on both providers")
}

type demo struct {
	bin string
	env []string
	dir string
}

func heading(s string) { fmt.Printf("\n\033[1m== %s ==\033[0m\n", s) }

// hookctl runs one command line, echoing it and its output.
func (d *demo) hookctl(args ...string) (string, error) {
	fmt.Printf("\n$ hookctl %s\n", strings.Join(args, " "))
	c := exec.Command(d.bin, args...)
	c.Env, c.Dir = d.env, d.dir
	c.Stderr = os.Stdout
	out, err := c.Output()
	os.Stdout.Write(out)
	if err != nil {
		return "", fmt.Errorf("hookctl %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

func id(jsonOut string) string {
	var w struct{ ID string }
	_ = json.Unmarshal([]byte(jsonOut), &w)
	return w.ID
}

func run(bin string) error {
	bin, _ = filepath.Abs(bin)
	dir, err := os.MkdirTemp("", "hookctl-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var pings atomic.Int64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pings.Add(1)
		io.WriteString(w, "ok")
	}))
	defer receiver.Close()

	cfg := filepath.Join(dir, "hookctl.yaml")
	emu := exec.Command(bin, "emulator", "--dir", filepath.Join(dir, "emu"), "--write-config", cfg, "--allow-local-urls", "--retry-schedule", "100ms,100ms,100ms")
	emu.Stderr = io.Discard
	stdout, _ := emu.StdoutPipe()
	fmt.Printf("$ hookctl emulator --write-config %s --allow-local-urls --retry-schedule 100ms,100ms,100ms &\n", cfg)
	if err := emu.Start(); err != nil {
		return err
	}
	defer func() { emu.Process.Signal(syscall.SIGINT); emu.Wait() }()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if !strings.HasPrefix(line, "ready ") {
			return fmt.Errorf("emulator did not start: %q", line)
		}
		fmt.Print(line)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("emulator did not print ready within 10 s")
	}
	d := &demo{bin: bin, dir: dir, env: append(os.Environ(), "HOOKCTL_CONFIG="+cfg, "XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "NO_COLOR=")}

	for _, format := range []string{"table", "json"} {
		heading("Conekta (" + format + ")")
		o := []string{"--profile", "conekta-emulator", "-o", format}
		steps := [][]string{{"webhooks", "list"}}
		for _, s := range steps {
			if _, err := d.hookctl(append(o, s...)...); err != nil {
				return err
			}
		}
		out, err := d.hookctl("--profile", "conekta-emulator", "-o", "json", "webhooks", "create", "--url", receiver.URL+"/conekta", "--events", "order.paid,charge.refunded", "--no-validate")
		if err != nil {
			return err
		}
		cid := id(out)
		for _, s := range [][]string{
			{"webhooks", "get", cid},
			{"webhooks", "update", cid, "--add-events", "order.expired"},
			{"webhooks", "test", cid},
			{"webhooks", "list"},
			{"webhooks", "delete", cid, "--yes"},
		} {
			if _, err := d.hookctl(append(o, s...)...); err != nil {
				return err
			}
		}

		heading("Bankly, over mutual TLS (" + format + ")")
		o = []string{"--profile", "bankly-emulator", "-o", format}
		if _, err := d.hookctl(append(o, "webhooks", "list")...); err != nil {
			return err
		}
		key := filepath.Join(dir, format+".key")
		out, err = d.hookctl("--profile", "bankly-emulator", "-o", "json", "webhooks", "create", "--url", receiver.URL+"/bankly", "--event", "PIX_CASH_IN_WAS_CLEARED", "--generate-keys", "--private-key-out", key)
		if err != nil {
			return err
		}
		bid := id(out)
		for _, s := range [][]string{
			{"webhooks", "get", bid},
			{"webhooks", "update", bid, "--disable"},
			{"webhooks", "update", bid, "--url", receiver.URL + "/bankly/v2", "--private-key-file", key},
			{"webhooks", "update", bid, "--enable"},
			{"webhooks", "test", bid, "--private-key-file", key},
			{"webhooks", "list"},
			{"webhooks", "delete", bid, "--yes"},
		} {
			if _, err := d.hookctl(append(o, s...)...); err != nil {
				return err
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for pings.Load() < 4 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("\nthe local receiver got %d deliveries (Conekta's webhook_ping, Bankly's signed synthetic event)\n", pings.Load())
	if err := d.loop(); err != nil {
		return err
	}
	return d.asCode()
}

// listen starts `hookctl listen` in the background and returns its port and
// a stop function (SIGINT, as Ctrl-C).
func (d *demo) listen(args ...string) (string, func(), error) {
	fmt.Printf("\n$ hookctl %s &\n", strings.Join(args, " "))
	c := exec.Command(d.bin, args...)
	c.Env, c.Dir = d.env, d.dir
	c.Stdout = os.Stdout
	errPipe, _ := c.StderrPipe()
	if err := c.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { c.Process.Signal(syscall.SIGINT); c.Wait() }
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			line := sc.Text()
			fmt.Println(line)
			if rest, ok := strings.CutPrefix(line, "listening on http://127.0.0.1:"); ok {
				p, _, _ := strings.Cut(rest, " ")
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return p, stop, nil
	case <-time.After(10 * time.Second):
		stop()
		return "", nil, fmt.Errorf("listen did not start within 10 s")
	}
}

// loop is the delivery loop: a receiver answering 500, an event, its failed
// attempts, the receiver made healthy, a redelivery, and its signature.
func (d *demo) loop() error {
	heading("The delivery loop (Conekta and Bankly)")
	port, stop, err := d.listen("listen", "--port", "0", "--respond", "500", "--save", "sick")
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + port
	key := filepath.Join(d.dir, "loop.key")
	steps := [][]string{
		{"--profile", "conekta-emulator", "webhooks", "create", "--url", base + "/conekta", "--events", "order.paid", "--no-validate"},
		{"--profile", "conekta-emulator", "emulator", "trigger", "order.paid", "--wait"},
		{"--profile", "bankly-emulator", "webhooks", "create", "--url", base + "/pix", "--event", "PIX_CASH_IN_WAS_CLEARED", "--generate-keys", "--private-key-out", key},
		{"--profile", "bankly-emulator", "emulator", "trigger", "PIX_CASH_IN_WAS_CLEARED", "--wait"},
	}
	for _, s := range steps {
		if _, err := d.hookctl(s...); err != nil {
			stop()
			return err
		}
	}
	time.Sleep(time.Second) // the emulator's compressed retries
	var failed [2]string
	for i, profile := range []string{"conekta-emulator", "bankly-emulator"} {
		if _, err := d.hookctl("--profile", profile, "deliveries", "list", "--status", "failed"); err != nil {
			stop()
			return err
		}
		out, err := d.hookctl("--profile", profile, "deliveries", "list", "--status", "failed", "-o", "name")
		if err != nil || strings.TrimSpace(out) == "" {
			stop()
			return fmt.Errorf("no failed delivery at %s (%v)", profile, err)
		}
		failed[i] = strings.Fields(out)[0]
	}
	stop()
	_, stop, err = d.listen("listen", "--port", port, "--save", "ok")
	if err != nil {
		return err
	}
	for i, profile := range []string{"conekta-emulator", "bankly-emulator"} {
		if _, err := d.hookctl("--profile", profile, "deliveries", "redeliver", failed[i]); err != nil {
			stop()
			return err
		}
	}
	time.Sleep(500 * time.Millisecond)
	stop()
	for _, profile := range []string{"conekta-emulator", "bankly-emulator"} {
		if _, err := d.hookctl("--profile", profile, "deliveries", "list", "--status", "succeeded"); err != nil {
			return err
		}
	}
	saved, _ := filepath.Glob(filepath.Join(d.dir, "ok", "*.http"))
	if len(saved) != 2 {
		return fmt.Errorf("the healthy receiver saved %d requests, want 2", len(saved))
	}
	rel := func(p string) string { r, _ := filepath.Rel(d.dir, p); return r }
	if _, err := d.hookctl("--profile", "conekta-emulator", "verify", "--request", rel(saved[0])); err != nil {
		return err
	}
	_, err = d.hookctl("--provider", "bankly", "verify", "--request", rel(saved[1]), "--private-key-file", key, "--url", base+"/pix")
	return err
}

// asCode exports both profiles, diffs the file against them (in sync), and
// shows the plan of an edit.
func (d *demo) asCode() error {
	heading("Webhooks as code")
	out, err := d.hookctl("export", "--all-profiles")
	if err != nil {
		return err
	}
	file := filepath.Join(d.dir, "webhooks.yaml")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		return err
	}
	_, err = d.hookctl("diff", "-f", "webhooks.yaml", "--exit-code")
	return err
}
