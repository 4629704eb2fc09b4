//go:build !linux

package main

import (
	"errors"
	"os"
	"os/exec"
)

var errNoPTY = errors.New("pseudo-terminal tests run on Linux only")

func openPTY() (*os.File, *os.File, error) { return nil, nil, errNoPTY }

func controllingTTY(*exec.Cmd) {}
