package lessons

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLessonFiles checks that every lesson says all a learner needs.
func TestLessonFiles(t *testing.T) {
	infos, err := Infos()
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) < 12 {
		t.Fatalf("%d lessons, want at least the tutorial's twelve concepts", len(infos))
	}
	tutorial, err := os.ReadFile(filepath.Join("..", "..", "docs", "tutorial.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range infos {
		for field, v := range map[string]string{"title": in.Title, "concept": in.Concept, "section": in.Section,
			"task": in.Task, "solution": in.Solution, "check_with": in.Check, "mistake": in.Mistake, "mistake_says": in.Says} {
			if v == "" {
				t.Errorf("lesson %d has no %s", i+1, field)
			}
		}
		if len(in.Hints) == 0 {
			t.Errorf("lesson %d has no hints", i+1)
		}
		if !strings.Contains(string(tutorial), "## "+strings.Replace(in.Section, " ", ". ", 1)+"\n") {
			t.Errorf("lesson %d names section %q, which docs/tutorial.md does not have", i+1, in.Section)
		}
		// The tutorial's list of lessons is this one.
		row := fmt.Sprintf("| %d | %s | %s | §%s |\n", i+1, in.Title, in.Concept, in.Section)
		if !strings.Contains(string(tutorial), row) {
			t.Errorf("docs/tutorial.md's Lessons table lacks the row\n%s", row)
		}
	}
}
