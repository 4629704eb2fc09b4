package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/provider/all"
)

// inProcess is a probe that runs one hookctl command line inside this
// process, on a fresh command tree and factory as a new invocation gets:
// hookctl's own work without process start-up or package initialisation.
// env is set in this process's environment before each run.
func inProcess(env map[string]string, args ...string) probe {
	return func() (sample, error) {
		for k, v := range env {
			if err := os.Setenv(k, v); err != nil {
				return sample{}, err
			}
		}
		ios, _, _, errOut := iostreams.Test()
		f := cmdutil.New(ios, all.Providers)
		start := time.Now()
		code := cmd.Execute(context.Background(), f, args)
		d := time.Since(start)
		if code != 0 {
			return sample{}, fmt.Errorf("in-process hookctl %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return sample{wall: d}, nil
	}
}
