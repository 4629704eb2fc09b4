package main

import (
	"os"
	"time"
)

// maxRSS is not measured on Windows.
func maxRSS(*os.ProcessState) int64 { return 0 }

// selfMaxRSS is not measured on Windows.
func selfMaxRSS() int64 { return 0 }

// hostCPU is not measured on Windows.
func hostCPU() time.Duration { return 0 }
