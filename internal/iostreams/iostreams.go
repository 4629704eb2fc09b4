// Package iostreams holds the standard streams of one run and what is known
// about them: whether each is a terminal and whether colour is wanted.
package iostreams

import (
	"bytes"
	"io"
	"os"

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
}

// System returns the process's streams. term.IsTerminal is used rather than
// a character-device check because /dev/null is a character device too.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		noColor:   os.Getenv("NO_COLOR") != "",
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
func (s *IOStreams) ColorEnabled() bool       { return s.stdoutTTY && !s.noColor }
func (s *IOStreams) StderrColorEnabled() bool { return s.stderrTTY && !s.noColor }

// StdinFd is stdin's file descriptor, when stdin is a file.
func (s *IOStreams) StdinFd() (int, bool) {
	f, ok := s.In.(*os.File)
	if !ok {
		return 0, false
	}
	return int(f.Fd()), true
}
