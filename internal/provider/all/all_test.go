package all_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/provider/all"
)

// Places that may name a provider besides its own folder: the registry, and
// the doubles of the real providers (the emulator, its command, the demo and
// the benchmarks that drive it), and the mutation runner's reasons for
// equivalent mutants, keyed by file path. Test code and test helpers may too.
var mayName = []string{
	"internal/provider/all/",
	"internal/emulator/",
	"cmd/emulator.go",
	"internal/demo/",
	"internal/bench/",
	"internal/testutil/",
	"internal/mutation/",
}

// TestNoProviderNamedOutsideItsFolder keeps "a new provider is one folder
// plus one registry line" true: provider knowledge stays in the adapters.
func TestNoProviderNamedOutsideItsFolder(t *testing.T) {
	root, _ := filepath.Abs("../../..")
	var names []string
	for _, p := range all.Providers() {
		names = append(names, regexp.QuoteMeta(p.Name))
	}
	word := regexp.MustCompile(`(?i)\b(` + strings.Join(names, "|") + `)\b`)
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || allowed(rel) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(data), "\n") {
			if m := word.FindString(line); m != "" {
				t.Errorf("%s:%d names provider %q: move it into internal/provider/%s/ and declare it in Info", rel, i+1, m, strings.ToLower(m))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files: is the module root %s?", checked, root)
	}
}

func allowed(rel string) bool {
	for _, p := range all.Providers() {
		if strings.HasPrefix(rel, "internal/provider/"+p.Name+"/") {
			return true
		}
	}
	for _, p := range mayName {
		if strings.HasPrefix(rel, p) {
			return true
		}
	}
	return false
}
