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
	emu := exec.Command(bin, "emulator", "--dir", filepath.Join(dir, "emu"), "--write-config", cfg, "--allow-local-urls")
	emu.Stderr = io.Discard
	stdout, _ := emu.StdoutPipe()
	fmt.Printf("$ hookctl emulator --write-config %s --allow-local-urls &\n", cfg)
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
	return nil
}
