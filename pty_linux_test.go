package main

import (
	"os"
	"os/exec"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

func openPTY() (*os.File, *os.File, error) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, ptmx.Fd(), unix.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		ptmx.Close()
		return nil, nil, e
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		ptmx.Close()
		return nil, nil, err
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		ptmx.Close()
		return nil, nil, err
	}
	ws := &unix.Winsize{Row: 40, Col: 200}
	_ = unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, ws)
	return ptmx, tty, nil
}

// controllingTTY makes the terminal the command's controlling terminal.
func controllingTTY(c *exec.Cmd) {
	c.SysProcAttr = &unix.SysProcAttr{Setsid: true, Setctty: true}
}
