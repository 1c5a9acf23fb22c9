package luabind

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/luabind/lessons"
)

// lessonSession is a shell session in an Env: what a learner types.
type lessonSession struct {
	t   *testing.T
	e   *Env
	s   *Session
	out *bytes.Buffer
}

func newLessonSession(t *testing.T) *lessonSession {
	e, out := newEnv(t, nstest.New(t))
	return &lessonSession{t: t, e: e, s: e.NewSession(), out: out}
}

// do runs a chunk as the shell would and returns what it printed and
// returned (shown as the shell shows it).
func (ls *lessonSession) do(src string) string {
	ls.t.Helper()
	ls.out.Reset()
	if ls.s.Compiles("return "+src) == nil {
		src = "return " + src // an expression: the shell prints its value
	}
	vals, err := ls.s.Run(context.Background(), src)
	if err != nil {
		ls.t.Fatalf("%s\n--- chunk:\n%s\n--- output:\n%s", ls.e.ErrorText(err), src, ls.out)
	}
	return ls.out.String() + ls.e.Show(vals)
}

// TestLessons runs every lesson as a learner would: its solution is done,
// a fresh start of it with the typical mistake is not, and stopping it
// deletes its namespace and moves back.
func TestLessons(t *testing.T) {
	infos, err := lessons.Infos()
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range infos {
		n := i + 1
		t.Run(fmt.Sprintf("%02d_%s", n, strings.ReplaceAll(in.Title, " ", "_")), func(t *testing.T) {
			t.Parallel()
			ls := newLessonSession(t)
			home := ls.e.NetNS()
			start := ls.do(fmt.Sprintf("lesson(%d)", n))
			if !strings.Contains(start, fmt.Sprintf("Lesson %d of %d: %s", n, len(infos), in.Title)) {
				t.Fatalf("lesson(%d) printed:\n%s", n, start)
			}
			ns := ls.e.NetNS()
			if !strings.HasPrefix(ns, lessons.NetnsPrefix) {
				t.Fatalf("lesson(%d) left the Env in namespace %q", n, ns)
			}
			ls.do(in.Solution)
			got := ls.do(in.Check)
			t.Logf("after the solution:\n%s", got)
			if !strings.HasPrefix(got, "✓ done") {
				t.Errorf("after the solution, %s says:\n%s", in.Check, got)
			}
			// A fresh start, then the mistake.
			ls.do(fmt.Sprintf("lesson(%d)", n))
			if _, err := os.Stat(filepath.Join(engine.NetNSDir, ns)); !os.IsNotExist(err) {
				t.Errorf("starting lesson %d again left its first namespace %s behind", n, ns)
			}
			ns = ls.e.NetNS()
			ls.do(in.Mistake)
			got = ls.do(in.Check)
			t.Logf("after the mistake:\n%s", got)
			if !strings.HasPrefix(got, "✗ not yet") || !strings.Contains(got, in.Says) {
				t.Errorf("after the mistake, %s says:\n%s\nwant ✗ and %q", in.Check, got, in.Says)
			}
			if got := ls.do("lesson.stop()"); !strings.Contains(got, "stopped") {
				t.Errorf("lesson.stop() printed %q", got)
			}
			if _, err := os.Stat(filepath.Join(engine.NetNSDir, ns)); !os.IsNotExist(err) {
				t.Errorf("lesson.stop() left namespace %s behind", ns)
			}
			if got := ls.e.NetNS(); got != home {
				t.Errorf("after lesson.stop() the Env is in %q, want %q", got, home)
			}
		})
	}
}

// TestLessonRefusals: outside a lesson its functions say how to start
// one; read-only mode refuses to start one; a bad number says the range.
func TestLessonRefusals(t *testing.T) {
	e, _ := newEnv(t, "/nonexistent/netns")
	for _, tc := range []struct{ src, want string }{
		{`lesson.check()`, "no lesson is running; lesson() lists them"},
		{`lesson.stop()`, "no lesson is running"},
		{`lesson(99)`, "there are lessons 1 to"},
		{`nl.read_only(true); lesson(1)`, "lesson(1) refused: read-only"},
	} {
		if got := runErr(t, e, tc.src); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestLessonList: lesson() lists every lesson, and marks the running one.
func TestLessonList(t *testing.T) {
	e, out := newEnv(t, "")
	run(t, e, `lesson()`)
	infos, _ := lessons.Infos()
	for i, in := range infos {
		if !strings.Contains(out.String(), fmt.Sprintf("%2d  %s", i+1, in.Title)) {
			t.Errorf("lesson() lacks lesson %d %q:\n%s", i+1, in.Title, out)
		}
	}
	if vals := run(t, e, `return lesson.given`); vals[0] != lua.LNil {
		t.Errorf("lesson.given outside a lesson is %v", vals[0])
	}
}

// TestLessonCloseDeletesNamespace: quitting nlsh in a lesson removes its
// namespace.
func TestLessonCloseDeletesNamespace(t *testing.T) {
	e := New(Options{NetNS: nstest.New(t), Stdout: &bytes.Buffer{}})
	if _, err := e.Run(context.Background(), "test", `lesson(1)`, nil); err != nil {
		e.Close()
		t.Fatal(e.ErrorText(err))
	}
	ns := e.NetNS()
	e.Close()
	if _, err := os.Stat(filepath.Join(engine.NetNSDir, ns)); !os.IsNotExist(err) {
		t.Errorf("Close left the lesson's namespace %s behind", ns)
	}
}
