package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/luabind/lessons"
)

// TestREPLLessons takes every lesson through the shell as a learner would:
// lesson(n), the solution pasted, the check says done; the lesson started
// again, the typical mistake pasted, the check says what the kernel shows;
// lesson.stop() deletes the lesson's namespace.
func TestREPLLessons(t *testing.T) {
	infos, err := lessons.Infos()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildREPL(t)
	nsName := regexp.MustCompile(`namespace (` + regexp.QuoteMeta(lessons.NetnsPrefix) + `\S+), made for this lesson`)
	gone := func(t *testing.T, ns string) {
		t.Helper()
		if _, err := os.Stat(filepath.Join(engine.NetNSDir, ns)); !os.IsNotExist(err) {
			t.Errorf("namespace %s is still there", ns)
		}
	}
	for i, in := range infos {
		n := i + 1
		t.Run(fmt.Sprintf("%02d", n), func(t *testing.T) {
			t.Parallel()
			home := nstest.New(t)
			s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"), "--netns", home)
			s.prompt()

			s.send(fmt.Sprintf("lesson(%d)\r", n))
			s.expect(regexp.QuoteMeta(fmt.Sprintf("Lesson %d of %d: %s", n, len(infos), in.Title)))
			first := nsName.FindStringSubmatch(s.expect(nsName.String()))[1]
			s.prompt()
			s.send(pasteKeys(in.Solution + "\n"))
			s.prompt()
			s.send(in.Check + "\r")
			s.expect(`✓ done: `)
			s.prompt()

			s.send(fmt.Sprintf("lesson(%d)\r", n))
			s.expect(regexp.QuoteMeta(fmt.Sprintf("(lesson %d stopped, its namespace deleted)", n)))
			second := nsName.FindStringSubmatch(s.expect(nsName.String()))[1]
			s.prompt()
			gone(t, first)
			s.send(pasteKeys(in.Mistake + "\n"))
			s.prompt()
			s.send(in.Check + "\r")
			got := s.expect(`✗ not yet: [^\n]*(\n[^\n]*)*?\n` + regexp.QuoteMeta(prompt))
			if !strings.Contains(strings.ReplaceAll(got, "\n", " "), strings.ReplaceAll(in.Says, "\n", " ")) {
				t.Errorf("after the mistake the check says:\n%s\nwant %q", got, in.Says)
			}

			s.send("lesson.stop()\r")
			s.expect(regexp.QuoteMeta(fmt.Sprintf("Lesson %d stopped: namespace %s deleted, back in namespace %s.", n, second, home)))
			s.prompt()
			gone(t, second)
			s.send("\x04")
			if code := s.wait(); code != 0 {
				t.Errorf("exit status %d", code)
			}
		})
	}
}
