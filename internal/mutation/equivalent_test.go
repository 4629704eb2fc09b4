package main

import (
	"os"
	"strings"
	"testing"
)

// TestKeysMatchSource keeps the reasons attached to lines that exist.
func TestKeysMatchSource(t *testing.T) {
	for k := range Equivalent {
		parts := strings.SplitN(k, "|", 3)
		data, err := os.ReadFile("../../" + parts[0])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) == parts[2] {
				found = true
			}
		}
		if !found {
			t.Errorf("no line %q in %s", parts[2], parts[0])
		}
	}
}
