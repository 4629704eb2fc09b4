package conektaspec

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissingSpecFailsInCI runs this test binary again without the spec:
// with CI=true the spec-validation test fails; without, it skips loudly.
func TestMissingSpecFailsInCI(t *testing.T) {
	if os.Getenv("CONEKTASPEC_CHILD") == "1" {
		Load(t)
		return
	}
	for _, c := range []struct {
		ci       string
		wantFail bool
		want     string
	}{
		{"true", true, "CI must validate"},
		{"", false, "NOT validated"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestMissingSpecFailsInCI$", "-test.v")
		cmd.Env = append(os.Environ(), "CONEKTASPEC_CHILD=1", "CI="+c.ci, SpecsDirEnv+"="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.wantFail || !strings.Contains(string(out), c.want) {
			t.Fatalf("CI=%q: err %v, output:\n%s", c.ci, err, out)
		}
	}
}
