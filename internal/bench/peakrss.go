package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// On Linux a child's peak RSS, as wait4 reports it, is at least that of the
// process which started it (exec records the hiwater mark of the address
// space it replaces, and Go starts children with vfork), so a child of this
// benchmark, grown by the emulators and the in-process runs, would report this
// process's peak. peakRSS starts the command through a fresh copy of this
// program instead, which does nothing else, and reports its own peak too.
const spawnFlag = "-peak-rss-of"

// spawn is the fresh copy's whole job: run argv, print "CHILD-KiB SELF-KiB".
func spawn(argv []string) int {
	self := selfMaxRSS()
	c := exec.Command(argv[0], argv[1:]...)
	c.Stdout = io.Discard
	c.Stderr = os.Stderr
	if err := c.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", strings.Join(argv, " "), err)
		return 1
	}
	fmt.Println(maxRSS(c.ProcessState), self)
	return 0
}

// peakRSS runs argv n times through a spawner and returns the largest peak
// RSS of the command and of the spawner, in KiB.
func peakRSS(n int, env []string, argv ...string) (child, spawner int64, err error) {
	self, err := os.Executable()
	if err != nil {
		return 0, 0, err
	}
	for i := 0; i < n; i++ {
		c := exec.Command(self, append([]string{spawnFlag}, argv...)...)
		c.Env = env
		c.Stderr = os.Stderr
		out, err := c.Output()
		if err != nil {
			return 0, 0, fmt.Errorf("peak RSS of %s: %v", strings.Join(argv, " "), err)
		}
		var ch, sp int64
		if _, err := fmt.Sscan(string(out), &ch, &sp); err != nil {
			return 0, 0, fmt.Errorf("peak RSS of %s: %q: %v", strings.Join(argv, " "), out, err)
		}
		child, spawner = max(child, ch), max(spawner, sp)
	}
	return child, spawner, nil
}
