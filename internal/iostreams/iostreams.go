// Package iostreams holds the standard streams of one run and what is known
// about them: whether each is a terminal and whether colour is wanted.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// IOStreams are the three streams a command may use. Data goes to Out,
// everything else (progress, warnings, errors, debug) to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	noColor   bool
	// forceColor: CLICOLOR_FORCE asks for colour even off a terminal.
	forceColor bool
	width      func() int

	pager    *exec.Cmd
	pagerIn  io.WriteCloser
	pagedOut io.Writer
}

// System returns the process's streams. term.IsTerminal is used rather than
// a character-device check because /dev/null is a character device too.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:   term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		noColor:    os.Getenv("NO_COLOR") != "" || os.Getenv("CLICOLOR") == "0",
		forceColor: os.Getenv("CLICOLOR_FORCE") != "" && os.Getenv("CLICOLOR_FORCE") != "0",
		width: func() int {
			if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
				return w
			}
			return 0
		},
	}
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func (s *IOStreams) IsStdinTTY() bool         { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool        { return s.stdoutTTY }
func (s *IOStreams) IsStderrTTY() bool        { return s.stderrTTY }
func (s *IOStreams) SetStdinTTY(v bool)       { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool)      { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool)      { s.stderrTTY = v }
func (s *IOStreams) SetNoColor(v bool)        { s.noColor = v }
func (s *IOStreams) ColorEnabled() bool       { return (s.stdoutTTY || s.forceColor) && !s.noColor }
func (s *IOStreams) StderrColorEnabled() bool { return (s.stderrTTY || s.forceColor) && !s.noColor }
func (s *IOStreams) SetForceColor(v bool)     { s.forceColor = v }

// TerminalWidth is the width tables are fitted to: the terminal's, or
// COLUMNS; 0 (no limit) when stdout is not a terminal.
func (s *IOStreams) TerminalWidth() int {
	if !s.stdoutTTY {
		return 0
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if s.width != nil {
		if w := s.width(); w > 0 {
			return w
		}
	}
	return 80
}

// StdinFd is stdin's file descriptor, when stdin is a file.
func (s *IOStreams) StdinFd() (int, bool) {
	f, ok := s.In.(*os.File)
	if !ok {
		return 0, false
	}
	return int(f.Fd()), true
}

// StartPager sends stdout through $HOOKCTL_PAGER (else $PAGER) when stdout
// is a terminal and one is set (empty or "cat": none), as gh does with
// GH_PAGER. StopPager must follow.
func (s *IOStreams) StartPager() error {
	if !s.stdoutTTY || s.pager != nil {
		return nil
	}
	cmdline, set := os.LookupEnv("HOOKCTL_PAGER")
	if !set {
		cmdline = os.Getenv("PAGER")
	}
	if strings.TrimSpace(cmdline) == "" || strings.TrimSpace(cmdline) == "cat" {
		return nil
	}
	shell, flag := "sh", "-c"
	if runtime.GOOS == "windows" {
		shell, flag = "cmd", "/c"
	}
	cmd := exec.Command(shell, flag, cmdline)
	cmd.Stdout, cmd.Stderr = s.Out, s.ErrOut
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX") // quit if one screen, keep colours, no clear
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pager %q: %w", cmdline, err)
	}
	s.pager, s.pagerIn, s.pagedOut = cmd, in, s.Out
	s.Out = in
	return nil
}

// StopPager closes the pager's input and waits for it to end.
func (s *IOStreams) StopPager() {
	if s.pager == nil {
		return
	}
	s.pagerIn.Close()
	_ = s.pager.Wait()
	s.Out, s.pager = s.pagedOut, nil
}
