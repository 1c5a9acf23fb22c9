package helptext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoreSections: every core name's help names a section docs/tutorial.md
// has.
func TestCoreSections(t *testing.T) {
	tutorial, err := os.ReadFile(filepath.Join("..", "..", "docs", "tutorial.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range CoreNames() {
		d := coreDocs[n]
		if !strings.Contains(string(tutorial), "## "+strings.Replace(d.section, " ", ". ", 1)+"\n") {
			t.Errorf("%s names section %q, which docs/tutorial.md does not have", n, d.section)
		}
	}
}
