package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCompletionsUpToDate fails when completions/ is stale: run `make completions`.
func TestCompletionsUpToDate(t *testing.T) {
	files, err := Completions()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "completions", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("completions/%s is stale or missing: run `make completions`", name)
		}
	}
}

// TestDocsUpToDate fails when docs/ is stale: run `make docs`.
func TestDocsUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := run("", dir); err != nil {
		t.Fatal(err)
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join("..", "..", "docs", rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("docs/%s is stale or missing: run `make docs`", rel)
		}
		return nil
	})
}
